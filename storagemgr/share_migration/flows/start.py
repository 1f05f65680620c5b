"""Phase 1 of a migration: choose the method, prepare, move the data.

The service layer's claim put the share in ``migration_starting``, its
instance in ``migrating``, and inserted the destination instance
(``migrating_to``) and the migration row. Then:

1. ``ChooseMethod``: driver-assisted when the source driver says it is
   compatible and supports every flag asked for (and host-assisted was
   not forced); otherwise host-assisted, which refuses
   ``nondisruptive``, ``preserve_snapshots`` and shares with snapshots.
2. ``PrepareDestination``: driver-assisted: ``migration_driver_starting``,
   destination snapshot instances for preserved snapshots. Host-assisted:
   ``migration_in_progress``, the destination share created on its
   backend. Either way the source's rules are cast read-only unless the
   migration is ``writable``.
3. ``RunPhase1``: driver-assisted: ``migration_start``,
   ``migration_driver_in_progress`` and one ``migration_continue`` poll
   (True: ``migration_driver_phase1_done``; later polls are the
   manager's). Host-assisted: ``data_copying_starting``, both shares
   mounted, ``data_copying_in_progress``, the copy (journaled: a resumed
   flow carries on where it stopped), ``data_copying_completing``,
   ``data_copying_completed``.

Any failure, of any exception class, reverts: what phase 1 made on the
destination backend goes, the source's rules are restored, and
``updates.unwind`` puts the share back on its source, ``available``, in
``migration_error`` (``migration_cancelled`` when a cancel stopped the
copy), with a message saying what failed.
"""

from oslo_log import log as logging
from taskflow.patterns import linear_flow

from storagemgr import exception
from storagemgr.share.flows import base as share_base
from storagemgr.share.flows import delete as delete_flows
from storagemgr.share import model_updates
from storagemgr.share_migration import constants
from storagemgr.share_migration import data_copy
from storagemgr.share_migration.flows import base
from storagemgr.share_migration import records
from storagemgr.share_migration import updates

LOG = logging.getLogger(__name__)

FLAGS = ('writable', 'preserve_metadata', 'nondisruptive',
         'preserve_snapshots')


def listed(ids, most=5):
    """``a, b, c`` of the first ``most`` ids, and how many more."""
    shown = ', '.join(ids[:most])
    if len(ids) > most:
        shown += ' and %d more' % (len(ids) - most)
    return shown


def host_assisted_refusal(nondisruptive, preserve_snapshots, snapshot_ids):
    """Why host-assisted migration cannot do what was asked, or None."""
    if nondisruptive:
        return ('host-assisted migration cannot be nondisruptive (the '
                'share\'s export locations change)')
    if preserve_snapshots:
        return ('host-assisted migration cannot preserve snapshots; only '
                'a driver that supports it can')
    if snapshot_ids:
        return ('the share has snapshots (%s), which host-assisted '
                'migration would lose; delete them, or migrate '
                'driver-assisted with --preserve-snapshots' %
                listed(snapshot_ids))
    return None


class MigrationTask(share_base.ShareTask):
    """A task of a migration flow (store: ``share_id``, ``migration_id``)."""


class ChooseMethod(MigrationTask):
    """Driver-assisted if the driver can, else host-assisted if allowed.

    Its revert runs last in a failed flow: it puts the share back on its
    source (``updates.unwind``).
    """

    default_provides = 'method'

    def execute(self, share_id, migration_id):
        sides = base.sides(migration_id)
        migration = sides.migration
        if migration.method:
            return migration.method  # resumed
        why_not = 'host-assisted migration was asked for'
        if not migration.force_host_assisted:
            why_not = self._driver_refusal(sides)
        if why_not is None:
            method = constants.METHOD_DRIVER
        else:
            refusal = host_assisted_refusal(
                migration.nondisruptive, migration.preserve_snapshots,
                [view['snapshot_id'] for view in sides.source_snapshots])
            if refusal:
                raise exception.ShareMigrationFailed(
                    reason='%s; and driver-assisted migration is not '
                           'possible: %s' % (refusal, why_not))
            method = constants.METHOD_HOST
        records.update(migration_id, {'method': method})
        LOG.info('Share %(share)s migrates %(method)s-assisted to %(to)s.',
                 {'share': share_id, 'method': method,
                  'to': migration.destination_host})
        return method

    def _driver_refusal(self, sides):
        driver = self.driver(sides.source.backend)
        try:
            answer = driver.migration_check_compatibility(
                self.context, sides.source_view, sides.destination_view,
                share_server=None, destination_share_server=None)
        except NotImplementedError:
            return 'the driver does not support it'
        answer = updates.check_compatibility(driver, answer)
        if not answer['compatible']:
            return 'the driver says the destination is not compatible'
        missing = [flag for flag in FLAGS
                   if getattr(sides.migration, flag) and not answer[flag]]
        if missing:
            return 'the driver cannot keep it %s' % ', '.join(missing)
        return None

    def revert(self, share_id, migration_id, **kwargs):
        cancelled = records.task_state(share_id) == \
            constants.CANCEL_IN_PROGRESS
        updates.unwind(share_id, migration_id,
                       constants.CANCELLED if cancelled else constants.ERROR,
                       failures=kwargs.get('flow_failures'))


class PrepareDestination(MigrationTask):

    def execute(self, share_id, migration_id, method):
        sides = base.sides(migration_id)
        if method == constants.METHOD_DRIVER:
            records.walk_to(share_id, constants.DRIVER_PHASE1,
                            constants.DRIVER_STARTING)
            if sides.migration.preserve_snapshots:
                updates.map_snapshots(migration_id)
        else:
            records.walk_to(share_id, constants.HOST_PHASE1,
                            constants.IN_PROGRESS)
            if not sides.destination.export_locations:
                driver = self.driver(sides.destination.backend)
                locations = driver.create_share(
                    self.context, sides.destination_view, share_server=None)
                updates.record_destination_created(
                    sides.destination.id,
                    model_updates.check_create_share(driver, locations))
        if not sides.migration.writable:
            base.cast_rules(self.driver(sides.source.backend), self.context,
                            share_id, sides.source_view, read_only=True)

    def revert(self, share_id, migration_id, method, **kwargs):
        sides = base.sides(migration_id)
        if method == constants.METHOD_HOST and sides.destination:
            remove_destination_copy(self, sides)
        if not sides.migration.writable:
            base.restore_rules_quietly(self.driver(sides.source.backend),
                                       self.context, share_id,
                                       sides.source_view)


def remove_destination_copy(task, sides):
    """Delete the host-assisted destination share; errors are logged."""
    try:
        delete_flows.delete_on_backend(
            task.driver(sides.destination.backend), task.context,
            sides.destination.id, sides.destination_view)
    except Exception as e:  # any driver exception, any class
        LOG.warning('Could not delete the destination copy %(id)s of a '
                    'migration of share %(share)s: %(type)s: %(e)s',
                    {'id': sides.destination.id, 'share': sides.share.id,
                     'type': type(e).__name__, 'e': e})
    data_copy.discard(sides.migration.id)


class RunPhase1(MigrationTask):

    def execute(self, share_id, migration_id, method):
        sides = base.sides(migration_id)
        if method == constants.METHOD_DRIVER:
            self._driver_phase1(share_id, sides)
        else:
            self._copy(share_id, sides)

    def _driver_phase1(self, share_id, sides):
        driver = self.driver(sides.source.backend)
        current = records.task_state(share_id)
        if current == constants.CANCEL_IN_PROGRESS:
            raise exception.ShareMigrationCancelled(share_id=share_id)
        if current == constants.DRIVER_STARTING:
            driver.migration_start(
                self.context, sides.source_view, sides.destination_view,
                sides.source_snapshots, sides.snapshot_mappings,
                share_server=None, destination_share_server=None)
            records.walk_to(share_id, constants.DRIVER_PHASE1,
                            constants.DRIVER_IN_PROGRESS)
        poll_once(driver, self.context, share_id, sides)

    def _copy(self, share_id, sides):
        records.walk_to(share_id, constants.HOST_PHASE1,
                        constants.COPY_STARTING)
        source_info = self.driver(sides.source.backend).connection_get_info(
            self.context, sides.source_view, share_server=None)
        destination_info = self.driver(
            sides.destination.backend).connection_get_info(
            self.context, sides.destination_view, share_server=None)
        records.walk_to(share_id, constants.HOST_PHASE1,
                        constants.COPY_IN_PROGRESS)
        data_copy.copy(sides, source_info, destination_info)
        records.walk_to(share_id, constants.HOST_PHASE1,
                        constants.COPY_COMPLETED)

    def revert(self, share_id, migration_id, method, **kwargs):
        if method == constants.METHOD_DRIVER:
            sides = base.sides(migration_id)
            cancel_quietly(self.driver(sides.source.backend), self.context,
                           sides)


def poll_once(driver, context, share_id, sides):
    """One ``migration_continue``; True moves the share to phase 1 done."""
    done = updates.check_continue(driver, driver.migration_continue(
        context, sides.source_view, sides.destination_view,
        sides.source_snapshots, sides.snapshot_mappings,
        share_server=None, destination_share_server=None))
    if done:
        try:
            records.advance(share_id, constants.DRIVER_PHASE1_DONE)
        except exception.InvalidState:
            # A cancel claimed the share meanwhile; it goes on from there.
            LOG.info('Share %s finished phase 1 after its migration moved '
                     'on; nothing recorded.', share_id)
            return False
    return done


def cancel_quietly(driver, context, sides):
    """Let the driver drop what ``migration_start`` began; log errors."""
    try:
        driver.migration_cancel(
            context, sides.source_view, sides.destination_view,
            sides.source_snapshots, sides.snapshot_mappings,
            share_server=None, destination_share_server=None)
    except Exception as e:  # any driver exception, any class
        LOG.warning('migration_cancel of share %(share)s failed while '
                    'undoing its migration: %(type)s: %(e)s',
                    {'share': sides.share.id, 'type': type(e).__name__,
                     'e': e})


def start_migration_flow():
    flow = linear_flow.Flow('start_share_migration')
    flow.add(ChooseMethod(), PrepareDestination(), RunPhase1())
    return flow
