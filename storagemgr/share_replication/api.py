"""The share replication service layer: replicas and their life cycle.

Every operation claims its rows in one transaction (conditional updates
checked by row count, inserts) before any driver is called, then runs a
persisted flow (``storagemgr.share_replication.flows``). A share's
replica operations also serialise on the share's row: each claim first
locks it, so a promote, a replica create and a replica delete of one
share never interleave their checks.
"""

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import uuidutils
import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.backend import process_registry
from storagemgr.db import api as db_api
from storagemgr.db import bulk as db_bulk
from storagemgr import exception
from storagemgr.scheduler import placement
from storagemgr.share import constants as share_constants
from storagemgr.share import records as share_records
from storagemgr.share import service
from storagemgr.share_replication import constants
from storagemgr.share_replication import records
from storagemgr.types import api as types_api

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

Instance = records.Instance
Share = records.Share
SnapshotInstance = records.SnapshotInstance


def _flows():
    """The replica flows, imported when one runs (reads need no taskflow)."""
    from storagemgr.share_replication.flows import replica
    return replica


def _lock_share(session, share_id):
    """Serialise the replica claims of one share on its row."""
    session.execute(sa.select(Share.id).where(
        Share.id == share_id).with_for_update())


def _busy_replicas_criterion():
    """SQL, on a share instance: no replica of its share is mid-change."""
    other = orm.aliased(Instance)
    return ~sa.exists().where(
        other.share_id == Instance.share_id, other.replica_state.isnot(None),
        other.status.in_(sorted(constants.BUSY_STATUSES)))


class API(service.ServiceAPI):
    """Share replicas: create, list, show, delete, promote, resync, set."""

    # -- reading ------------------------------------------------------------

    def get(self, replica_id):
        replica = records.get_replica(replica_id)
        return records.replica_record(
            share_records.get_share(replica.share_id), replica)

    def list(self, share_ref=None):
        share_id = (share_records.find_share(share_ref).id
                    if share_ref is not None else None)
        return [records.replica_record(share, replica)
                for share, replica in records.list_replicas(share_id)]

    def list_snapshot_instances(self, snapshot_ref=None):
        snapshot_id = (share_records.find_snapshot(snapshot_ref).id
                       if snapshot_ref is not None else None)
        return [records.snapshot_instance_record(*triple)
                for triple in records.list_snapshot_instances(snapshot_id)]

    def get_snapshot_instance(self, instance_id):
        return records.snapshot_instance_record(
            *records.get_snapshot_instance(instance_id))

    # -- create -------------------------------------------------------------

    def create(self, share_ref, backend=None, availability_zone=None):
        """Add a replica of a replicated share on another pool.

        The pool must be in the active replica's replication domain and
        hold no replica of the share yet (the replication filter), and
        meet the share type (``backend`` restricts the candidates).
        """
        share, active = share_records.find_share_and_instance(share_ref)
        rtype = records.replication_type(share)
        kind = types_api.share_types.resolve(share.share_type_id)
        if not rtype:
            raise exception.InvalidShare(
                reason='share %s is of share type %s, which has no '
                       'replication_type extra spec' % (share.id,
                                                        kind['name']))
        if share.share_group_id:
            raise exception.InvalidShare(
                reason='share %s is in share group %s; shares in groups '
                       'cannot be replicated' % (share.id,
                                                 share.share_group_id))
        existing = records.replicas(share.id)
        active_pool = placement.pool_at('share', active.host, self.registry)
        request = placement.request_spec(
            share.size, kind, availability_zone,
            share_proto=share.share_proto,
            replication={
                'active_replica_host': active.host,
                'replica_hosts': [r.host for r in existing] or [active.host],
                'replication_domain': getattr(
                    active_pool, 'replication_domain', None)})
        cast = rtype == constants.READABLE

        def claim_on(pool):
            replica_id = uuidutils.generate_uuid()
            values = {
                'id': replica_id, 'share_id': share.id, 'active': False,
                'status': constants.STATUS_CREATING,
                'replica_state': constants.OUT_OF_SYNC,
                'backend': pool.backend, 'host': pool.host,
                'share_type_id': active.share_type_id or kind['id'],
                'availability_zone': pool.availability_zone,
                'access_rules_status': 'out_of_sync',
                'cast_rules_to_readonly': cast}

            def claim(session):
                _lock_share(session, share.id)
                share_records.transition(
                    Instance, active.id, [constants.STATUS_AVAILABLE],
                    {'replica_state': constants.ACTIVE,
                     'access_rules_status': sa.func.coalesce(
                         Instance.access_rules_status, 'active')},
                    'add a replica',
                    'Share', session=session, shown_id=share.id,
                    criteria=[Instance.active.is_(True),
                              _busy_replicas_criterion()],
                    conditions='an active replica and no replica being '
                               'created, deleted or promoted')
                placement.reserve_on(session, pool.host, share.size, pool,
                                     kind['extra_specs'])
                db_api.create(Instance, values, session=session)
                self._snapshot_instances_for(session, share.id, replica_id)

            self._run(_flows().create_replica_flow,
                      {'share_id': share.id, 'replica_id': replica_id,
                       'backend': pool.backend, 'cast_readonly': cast},
                      {'share': share.id, 'replica': replica_id},
                      'create of a replica of share %s' % share.id,
                      claim=claim)
            return self.get(replica_id)

        return placement.place('share', request, claim_on, backend=backend)

    @staticmethod
    def _snapshot_instances_for(session, share_id, replica_id):
        """One instance on the new replica per available snapshot."""
        available = session.execute(sa.select(
            SnapshotInstance.snapshot_id).join(
            Instance, Instance.id == SnapshotInstance.share_instance_id
        ).where(Instance.share_id == share_id, Instance.active.is_(True),
                SnapshotInstance.status ==
                constants.SNAPSHOT_AVAILABLE)).scalars().all()
        db_bulk.insert(session, SnapshotInstance, [
            {'id': uuidutils.generate_uuid(), 'snapshot_id': snapshot_id,
             'share_instance_id': replica_id,
             'status': constants.SNAPSHOT_CREATING}
            for snapshot_id in available])

    # -- delete -------------------------------------------------------------

    def delete(self, replica_id, force=False):
        """Delete a secondary replica (``force``: whatever the driver says).

        The active replica is never deleted here: deleting the share does
        that, once it has no other replica.
        """
        replica = records.get_replica(replica_id)
        if replica.active:
            raise exception.InvalidShare(
                reason='replica %s is the active replica of share %s; '
                       'promote another replica first, or delete the '
                       'share once it has no other replica' % (
                           replica.id, replica.share_id))
        expected = (constants.FORCE_DELETABLE_STATUSES if force
                    else constants.DELETABLE_STATUSES)

        def claim(session):
            _lock_share(session, replica.share_id)
            share_records.transition(
                Instance, replica.id, expected,
                {'status': constants.STATUS_DELETING}, 'delete',
                'Share replica', session=session,
                criteria=[Instance.active.is_(False)],
                conditions='it not to be the active replica')
            db_bulk.update_where(
                session, SnapshotInstance,
                {'status': constants.SNAPSHOT_DELETING},
                SnapshotInstance.share_instance_id == replica.id)

        self._run(_flows().delete_replica_flow,
                  {'share_id': replica.share_id, 'replica_id': replica.id,
                   'backend': replica.backend, 'force': bool(force)},
                  {'share': replica.share_id, 'replica': replica.id},
                  'delete of share replica %s' % replica.id, claim=claim)

    # -- promote ------------------------------------------------------------

    def promote(self, replica_id):
        """Make a secondary the active replica.

        An ``in_sync`` replica is promoted as asked; an ``out_of_sync``
        or ``error`` one too (the reference restricts that to admins,
        and every storagemgr user is one).
        """
        replica = records.get_replica(replica_id)
        share = share_records.get_share(replica.share_id)
        if replica.active:
            raise exception.InvalidShare(
                reason='replica %s is already the active replica of share '
                       '%s' % (replica.id, share.id))
        rtype = records.replication_type(share)
        if rtype == constants.WRITABLE:
            raise exception.InvalidShare(
                reason='share %s is of replication type writable: every '
                       'replica is active already' % share.id)

        def claim(session):
            _lock_share(session, share.id)
            share_records.transition(
                Instance, replica.id, [constants.STATUS_AVAILABLE],
                {'status': constants.STATUS_REPLICATION_CHANGE}, 'promote',
                'Share replica', session=session,
                criteria=[
                    Instance.active.is_(False), _busy_replicas_criterion(),
                    share_records.no_share_rules_in_transition_criterion()],
                conditions='no other replica being created, deleted or '
                           'promoted and no access rule being applied')
            share_records.transition_share(
                share.id, [share_constants.STATUS_AVAILABLE], {},
                'promote one of its replicas', session=session)

        self._run(_flows().promote_replica_flow,
                  {'share_id': share.id, 'replica_id': replica.id,
                   'backend': replica.backend,
                   'cast_readonly': rtype == constants.READABLE},
                  {'share': share.id, 'replica': replica.id},
                  'promote of share replica %s' % replica.id, claim=claim)
        return self.get(replica.id)

    # -- resync -------------------------------------------------------------

    def resync(self, replica_id):
        """Bring a secondary up to date now (``update_replica_state``).

        Returns once the driver answered, with the replica as it is then.
        """
        replica = records.get_replica(replica_id)
        if replica.active:
            raise exception.InvalidShare(
                reason='replica %s is the active replica of share %s; '
                       'only secondaries are resynced' % (
                           replica.id, replica.share_id))
        if replica.status not in (constants.STATUS_AVAILABLE,
                                  constants.STATUS_ERROR):
            raise exception.InvalidState(
                resource='Share replica', id=replica.id,
                status=replica.status, action='resync',
                expected='available or error')
        self._resync(replica)
        return self.get(replica.id)

    def _resync(self, replica):
        self._run(_flows().resync_replica_flow,
                  {'share_id': replica.share_id, 'replica_id': replica.id,
                   'backend': replica.backend},
                  {'share': replica.share_id, 'replica': replica.id},
                  'resync of share replica %s' % replica.id)

    # -- admin reset --------------------------------------------------------

    def reset(self, replica_id, status=None, replica_state=None):
        """Set a replica's status and/or replica state (admin repair)."""
        replica = records.get_replica(replica_id)
        values = {}
        if status is not None:
            if status not in constants.SETTABLE_STATUSES:
                raise exception.InvalidInput(
                    reason='status %r is not one of %s' % (
                        status, ', '.join(constants.SETTABLE_STATUSES)))
            values['status'] = status
        if replica_state is not None:
            if replica.active:
                raise exception.InvalidInput(
                    reason='replica %s is the active replica; its replica '
                           'state cannot be set' % replica.id)
            if replica_state not in constants.SETTABLE_REPLICA_STATES:
                raise exception.InvalidInput(
                    reason='replica state %r is not one of %s' % (
                        replica_state,
                        ', '.join(constants.SETTABLE_REPLICA_STATES)))
            values['replica_state'] = replica_state
        if not values:
            raise exception.InvalidInput(
                reason='give --status and/or --replica-state')
        if not db_api.conditional_update(
                Instance, replica.id, values,
                expected={'active': bool(replica.active)}):
            raise exception.InvalidState(
                resource='Share replica', id=replica.id,
                status='promoted meanwhile', action='set',
                expected='as it was read')
        return self.get(replica.id)

    # -- periodic -----------------------------------------------------------

    def poll(self, backends=None):
        """One ``update_replica_state`` of every settled secondary.

        ``backends``: only the replicas on those backends (a manager's).
        Each replica's failure is its own (it lands in ``error``).
        :returns: the number of replicas polled.
        """
        polled = 0
        for share, replica in records.list_replicas():
            if replica.active or replica.status not in (
                    constants.STATUS_AVAILABLE, constants.STATUS_ERROR):
                continue
            if backends is not None and replica.backend not in backends:
                continue
            polled += 1
            try:
                self._resync(replica)
            except Exception as e:
                LOG.warning('Share replica %(id)s: %(e)s',
                            {'id': replica.id, 'e': e})
        return polled

    def poll_snapshots(self, backends=None):
        """One poll of pending snapshot instances on settled secondaries."""
        polled = 0
        for share, replica in records.list_replicas():
            if replica.active or (backends is not None and
                                  replica.backend not in backends):
                continue
            from storagemgr.share_replication.flows import snapshot_poll
            try:
                driver = process_registry.driver_for(
                    replica.backend, 'share', self.context)
                polled += snapshot_poll.poll_replica_snapshots(
                    driver, self.context, share.id, replica.id)
            except Exception:
                LOG.exception('Could not poll the snapshot instances of '
                              'share replica %s', replica.id)
        return polled
