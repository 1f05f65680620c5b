"""Share migration: what the CLI and Python callers use.

Two phases, as in the reference: ``start`` moves the data while the share
stays usable on its source (phase 1), ``complete`` cuts over (phase 2),
``cancel`` gives up before the cut-over. Each runs a persisted flow whose
claim is one transaction of conditional updates (see ``records.advance``
and the transitions table in ``constants``); a process that dies in the
middle leaves a flow the manager resumes (a copy carries on where its
journal says it stopped).

In the embedded default nothing runs in the background: ``start`` runs
phase 1 in the calling process. A host-assisted copy runs to its end; a
driver-assisted phase 1 gets one ``migration_continue`` poll (the local
driver is done by then), and ``wait`` keeps polling until it ends; the
manager's periodic task polls the rest.
"""

import threading
import time

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import uuidutils

from storagemgr.backend import process_registry
from storagemgr.db import api as db_api
from storagemgr import exception
from storagemgr import hosts
from storagemgr.message import api as message_api
from storagemgr.scheduler import placement
from storagemgr.share import constants as share_constants
from storagemgr.share import records as share_records
from storagemgr.share import service
from storagemgr.share_migration import constants
from storagemgr.share_migration.flows import base
from storagemgr.share_migration import records
from storagemgr.share_migration import updates
from storagemgr.types import api as types_api

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

Instance = share_records.Instance
Migration = records.Migration

_FLAG_NAMES = ('writable', 'nondisruptive', 'preserve_metadata',
               'preserve_snapshots')


def _iso(value):
    return value.isoformat() if value is not None else None


class API(service.ServiceAPI):
    """Start, complete, cancel and show share migrations."""

    # -- start --------------------------------------------------------------

    def _destination_pool(self, share, destination_host, kind):
        """The destination's PoolState, passing the filters for ``kind``."""
        place = hosts.parse(destination_host)
        if place.host is None or place.pool is None:
            raise exception.InvalidInput(
                reason='destination %r must be host@backend#pool (see '
                       '"share pool list")' % destination_host)
        reporting = placement.pools_at('share', place.backend,
                                       self.registry)
        if destination_host not in reporting:
            raise exception.InvalidInput(
                reason='destination %s is not a pool of backend %s; its '
                       'pools: %s' % (destination_host, place.backend,
                                      ', '.join(sorted(reporting)) or
                                      'none reporting'))
        spec = placement.request_spec(share.size, kind,
                                      share_proto=share.share_proto)
        return placement.choose('share', spec, backend=destination_host,
                                registry=self.registry)

    def start(self, share_ref, destination_host, writable=False,
              nondisruptive=False, preserve_metadata=False,
              preserve_snapshots=False, force_host_assisted=False,
              new_share_type=None, wait=False, progress=None):
        """Run phase 1 of moving a share to ``destination_host``.

        :param progress: ``progress(record)`` is called with the ``show``
            record as phase 1 goes (about twice a second).
        :returns: the ``show`` record once phase 1 stopped: done,
            failed, or (driver-assisted, without ``wait``) under way.
        """
        from storagemgr.share_migration.flows import start as start_flows

        share, instance = share_records.find_share_and_instance(share_ref)
        kind = types_api.share_types.resolve(
            new_share_type or share.share_type_id)
        pool = self._destination_pool(share, destination_host, kind)
        if share.share_group_id:
            raise exception.InvalidShare(
                reason='share %s is in share group %s; shares in a group '
                       'cannot be migrated' % (share.id,
                                               share.share_group_id))
        replicas = share_records.secondary_replica_ids(share.id)
        if replicas:
            raise exception.InvalidShare(
                reason='share %s has secondary replicas (%s); a replicated '
                       'share cannot be migrated: delete its replicas '
                       'first' % (share.id, start_flows.listed(replicas)))
        if force_host_assisted:
            refusal = start_flows.host_assisted_refusal(
                nondisruptive, preserve_snapshots, [])
            if refusal:
                raise exception.InvalidInput(
                    reason='%s (--force-host-assisted-migration)' % refusal)
        snapshots = share_records.list_snapshots(share_id=share.id)
        if snapshots and not preserve_snapshots:
            raise exception.InvalidShare(
                reason='share %s has snapshots (%s); migrate it with '
                       '--preserve-snapshots (driver-assisted), or delete '
                       'them first' % (share.id, start_flows.listed(
                           [snapshot.id for snapshot, _ in snapshots])))
        if pool.host == instance.host and kind['id'] == share.share_type_id:
            raise exception.InvalidInput(
                reason='share %s is already on %s%s' % (
                    share.id, pool.host, ' with share type %s' % kind['name']
                    if kind['name'] else ''))
        process_registry.get_backend(pool.backend, 'share', self.context)
        migration_id = uuidutils.generate_uuid()
        flags = {'writable': bool(writable),
                 'nondisruptive': bool(nondisruptive),
                 'preserve_metadata': bool(preserve_metadata),
                 'preserve_snapshots': bool(preserve_snapshots),
                 'force_host_assisted': bool(force_host_assisted)}

        def claim(session):
            records.advance(share.id, constants.STARTING, session=session,
                            action='start a migration')
            share_records.transition(
                Instance, instance.id, [share_constants.STATUS_AVAILABLE],
                {'status': share_constants.STATUS_MIGRATING}, 'migrate',
                'Share', session=session, shown_id=share.id,
                criteria=[share_records.no_rules_in_transition_criterion(),
                          share_records.no_secondary_replicas_criterion()],
                conditions='no access rule being applied or denied and no '
                           'secondary replica')
            placement.reserve_on(session, pool.host, share.size, pool,
                                 kind['extra_specs'])
            destination = db_api.create(Instance, {
                'share_id': share.id, 'active': False,
                'host': pool.host, 'backend': pool.backend,
                'status': share_constants.STATUS_MIGRATING_TO,
                'share_type_id': kind['id'], 'progress': '0%',
                'availability_zone': pool.availability_zone},
                session=session)
            new_type_id = (kind['id'] if kind['id'] != share.share_type_id
                           else None)
            db_api.create(Migration, dict(
                flags, id=migration_id, share_id=share.id,
                source_instance_id=instance.id,
                destination_instance_id=destination.id,
                source_host=instance.host, destination_host=pool.host,
                new_share_type_id=new_type_id),
                session=session)

        with self._watching(share.id, progress):
            self._run_migration(start_flows.start_migration_flow, share.id,
                                migration_id, 'start', claim)
            if wait:
                self._wait_for_phase1(share.id)
        return self.show(share.id)

    def _wait_for_phase1(self, share_id):
        while records.task_state(share_id) == constants.DRIVER_IN_PROGRESS:
            time.sleep(CONF.migration_wait_poll_interval)
            self.poll(share_id)

    def _watching(self, share_id, progress):
        return _Watcher(self, share_id, progress)

    def _run_migration(self, factory, share_id, migration_id, operation,
                       claim, **store):
        """Claim and run a flow; a cancel is an outcome, not an error."""
        from storagemgr.flows import engine as flow_engine

        store.update(share_id=share_id, migration_id=migration_id)
        try:
            flow_engine.run_flow(
                factory, store=store, claim=claim,
                resource={'share': share_id, 'migration': migration_id})
        except exception.ShareMigrationCancelled:
            LOG.info('Migration of share %s cancelled.', share_id)
        except exception.StorageManagerException:
            if not self._cancelled_meanwhile(share_id, migration_id,
                                             operation):
                raise
            LOG.info('Migration of share %s cancelled.', share_id)
        except Exception as e:
            raise exception.ShareMigrationFailed(
                reason='%s of the migration of share %s: %s: %s' % (
                    operation, share_id, type(e).__name__, e)) from e

    @staticmethod
    def _cancelled_meanwhile(share_id, migration_id, operation):
        """Whether a start failed because a cancel stopped it.

        A step refused by a cancel that came in while it ran fails the
        start, whose revert ends the migration cancelled. (A claim that
        was refused inserted no migration row: that is a refusal.)
        """
        return (operation == 'start' and
                db_api.get_by(Migration, id=migration_id) is not None and
                records.task_state(share_id) == constants.CANCELLED)

    # -- complete, cancel ---------------------------------------------------

    def complete(self, share_ref):
        """Phase 2: cut over to the destination."""
        from storagemgr.share_migration.flows import complete as complete_flows

        share = share_records.find_share(share_ref)
        migration = records.require(share.id)

        def claim(session):
            records.advance(share.id, constants.COMPLETING, session=session,
                            action='complete its migration')

        self._run_migration(complete_flows.complete_migration_flow, share.id,
                            migration.id, 'complete', claim,
                            method=migration.method)
        return self.show(share.id)

    def cancel(self, share_ref, timeout=None):
        """Give up a migration before its cut-over.

        A phase 1 running in some process (a copy, say) is asked to stop
        (it notices at its next step, within a second during a copy) and
        undoes itself; this waits for it, up to ``timeout`` seconds
        ([DEFAULT] migration_cancel_timeout).
        """
        from storagemgr.share_migration.flows import cancel as cancel_flows

        share = share_records.find_share(share_ref)
        migration = records.require(share.id)
        if records.task_state(share.id) in constants.RUNNING_STATES:
            records.advance(share.id, constants.CANCEL_IN_PROGRESS,
                            action='cancel its migration')
            self._wait_until_settled(share.id, timeout)
            return self.show(share.id)

        def claim(session):
            records.advance(share.id, constants.CANCEL_IN_PROGRESS,
                            session=session, action='cancel its migration')

        self._run_migration(cancel_flows.cancel_migration_flow, share.id,
                            migration.id, 'cancel', claim,
                            final_state=constants.CANCELLED)
        return self.show(share.id)

    def _wait_until_settled(self, share_id, timeout):
        deadline = time.monotonic() + (
            CONF.migration_cancel_timeout if timeout is None else timeout)
        while records.task_state(share_id) == constants.CANCEL_IN_PROGRESS:
            if time.monotonic() > deadline:
                LOG.warning('The copy of share %s has not stopped yet; the '
                            'process running it (or the manager, if it '
                            'died) finishes the cancel.', share_id)
                return
            time.sleep(0.2)

    # -- polling ------------------------------------------------------------

    def poll(self, share_ref=None):
        """One ``migration_continue`` of driver-assisted phases 1.

        A share's, or every share's in ``migration_driver_in_progress``.
        A driver exception, of any class, or a malformed answer aborts
        the migration (``migration_error``, the share on its source).
        :returns: how many were polled.
        """
        from storagemgr.share_migration.flows import start as start_flows

        if share_ref is not None:
            share_ids = [share_records.find_share(share_ref).id]
        else:
            share_ids = [s.id for s in db_api.query(
                share_records.Share,
                task_state=constants.DRIVER_IN_PROGRESS)]
        polled = 0
        for share_id in share_ids:
            migration = records.latest(share_id)
            if migration is None or records.task_state(share_id) != \
                    constants.DRIVER_IN_PROGRESS:
                continue
            polled += 1
            sides = base.sides(migration.id)
            try:
                driver = process_registry.driver_for(
                    sides.source.backend, 'share', self.context)
                start_flows.poll_once(driver, self.context, share_id, sides)
            except Exception as e:  # any driver exception, any class
                self._abort(share_id, migration.id,
                            'migration_continue failed: %s: %s' % (
                                type(e).__name__, e))
        return polled

    def _abort(self, share_id, migration_id, detail):
        from storagemgr.share_migration.flows import cancel as cancel_flows

        LOG.error('Migration of share %(share)s failed: %(detail)s',
                  {'share': share_id, 'detail': detail})

        def claim(session):
            records.advance(share_id, constants.ERROR, session=session)
            records.update(migration_id, {'detail': detail},
                           session=session)

        try:
            self._run_migration(cancel_flows.cancel_migration_flow, share_id,
                                migration_id, 'abort', claim,
                                final_state=constants.ERROR)
        except exception.InvalidState:
            return  # a cancel or another poller moved it on
        except Exception as e:
            # The share is in migration_error on its source either way;
            # one share's failed clean-up must not stop the poll.
            LOG.error('Cleaning up after the failed migration of share '
                      '%(share)s failed too: %(e)s', {'share': share_id,
                                                      'e': e})
        message_api.record(message_api.SHARE, share_id, 'migrate', detail)

    # -- show ---------------------------------------------------------------

    def show(self, share_ref):
        share = share_records.find_share(share_ref)
        migration = records.latest(share.id)
        record = {'share_id': share.id, 'task_state': share.task_state,
                  'total_progress': 0}
        if migration is None:
            for key in ('method', 'source_host', 'destination_host',
                        'bytes_copied', 'bytes_total', 'files_copied',
                        'files_total', 'detail', 'created_at',
                        'updated_at') + _FLAG_NAMES:
                record[key] = None
            return record
        record.update(
            method=migration.method,
            source_host=migration.source_host,
            destination_host=migration.destination_host,
            bytes_copied=migration.bytes_copied,
            bytes_total=migration.bytes_total,
            files_copied=migration.files_copied,
            files_total=migration.files_total,
            detail=migration.detail,
            created_at=_iso(migration.created_at),
            updated_at=_iso(migration.updated_at),
            total_progress=self._progress(share.task_state, migration))
        for flag in _FLAG_NAMES:
            record[flag] = getattr(migration, flag)
        return record

    def _progress(self, task_state, migration):
        if task_state in constants.PROGRESS_FULL:
            return 100
        if task_state == constants.COPY_IN_PROGRESS:
            if migration.bytes_total:
                return min(99, 100 * (migration.bytes_copied or 0) //
                           migration.bytes_total)
            return 0
        if task_state == constants.DRIVER_IN_PROGRESS:
            return self._driver_progress(migration)
        return 0

    def _driver_progress(self, migration):
        sides = base.sides(migration.id)
        try:
            driver = process_registry.driver_for(sides.source.backend,
                                                 'share', self.context)
            answer = driver.migration_get_progress(
                self.context, sides.source_view, sides.destination_view,
                sides.source_snapshots, sides.snapshot_mappings,
                share_server=None, destination_share_server=None)
            return updates.check_progress(driver, answer)
        except Exception as e:  # any driver exception, any class
            LOG.debug('No progress from the driver for share %(id)s: %(e)s',
                      {'id': migration.share_id, 'e': e})
            return 0


class _Watcher(object):
    """Feeds ``progress(show record)`` from a thread while a phase runs."""

    INTERVAL = 0.5

    def __init__(self, api, share_id, progress):
        self.api = api
        self.share_id = share_id
        self.progress = progress
        self.stop = threading.Event()
        self.thread = None

    def _loop(self):
        while not self.stop.wait(self.INTERVAL):
            self._report()

    def _report(self):
        try:
            self.progress(self.api.show(self.share_id))
        except Exception as e:
            LOG.debug('Progress report failed: %s', e)

    def __enter__(self):
        if self.progress is not None:
            self.thread = threading.Thread(target=self._loop, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc):
        if self.thread is not None:
            self.stop.set()
            self.thread.join()
            self._report()
        return False
