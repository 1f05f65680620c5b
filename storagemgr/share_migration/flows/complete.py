"""Phase 2 of a migration: cut over to the destination.

The service layer's claim moved the share from phase 1 done to
``migration_completing``. Then:

1. ``FinishOnBackend``: driver-assisted: ``migration_complete``, whose
   return (export locations, snapshot updates) is checked. Host-assisted:
   a writable migration's source is cast read-only and what changed
   since phase 1 is copied (and verified).
2. ``CutOver``: one transaction makes the destination the active,
   ``available`` instance and the task state ``migration_success``. The
   point of no return: nothing after it undoes the migration.
3. ``ApplyRulesOnDestination``: the share's access rules, on the
   destination; if the backend refuses them they are put in ``error``
   (with a message) for the user to apply again, and the move stands.
4. ``RemoveSource``: host-assisted: the source share is deleted on its
   backend (driver-assisted: ``migration_complete`` did it); then its
   rows go. A failure here leaves the share on its destination and the
   old copy ``error_deleting``, with a message.

A failure before the cut-over, of any exception class, reverts: the
destination is removed (driver-assisted: ``migration_cancel``), the
source's rules restored, and the share is back on its source,
``available``, in ``migration_error``.
"""

from oslo_log import log as logging
from taskflow.patterns import linear_flow

from storagemgr.share import driver_views
from storagemgr.share.flows import delete as delete_flows
from storagemgr.share import model_updates
from storagemgr.share import records as share_records
from storagemgr.share_migration import constants
from storagemgr.share_migration import data_copy
from storagemgr.share_migration.flows import base
from storagemgr.share_migration.flows import start
from storagemgr.share_migration import updates

LOG = logging.getLogger(__name__)


class FinishOnBackend(start.MigrationTask):

    default_provides = 'completion'

    def execute(self, share_id, migration_id, method):
        sides = base.sides(migration_id)
        source_driver = self.driver(sides.source.backend)
        if method == constants.METHOD_DRIVER:
            destination_ids = {view['id'] for view in
                               sides.snapshot_mappings.values()}
            return updates.check_complete(
                source_driver, source_driver.migration_complete(
                    self.context, sides.source_view,
                    sides.destination_view, sides.source_snapshots,
                    sides.snapshot_mappings, share_server=None,
                    destination_share_server=None), destination_ids)
        if sides.migration.writable:
            base.cast_rules(source_driver, self.context, share_id,
                            sides.source_view, read_only=True)
            data_copy.sync(
                sides,
                source_driver.connection_get_info(
                    self.context, sides.source_view, share_server=None),
                self.driver(sides.destination.backend).connection_get_info(
                    self.context, sides.destination_view,
                    share_server=None))
        return {'export_locations': None, 'snapshot_updates': {}}

    def revert(self, share_id, migration_id, method, **kwargs):
        sides = base.sides(migration_id)
        source_driver = self.driver(sides.source.backend)
        if method == constants.METHOD_DRIVER:
            start.cancel_quietly(source_driver, self.context, sides)
        else:
            start.remove_destination_copy(self, sides)
        base.restore_rules_quietly(source_driver, self.context, share_id,
                                   sides.source_view)
        updates.unwind(share_id, migration_id, constants.ERROR,
                       failures=kwargs.get('flow_failures'))


class CutOver(start.MigrationTask):

    def execute(self, share_id, migration_id, completion):
        updates.cut_over(share_id, migration_id,
                         completion.get('export_locations'),
                         completion.get('snapshot_updates'))


class ApplyRulesOnDestination(start.MigrationTask):

    def execute(self, share_id, migration_id, completion):
        sides = base.sides(migration_id)
        rules = [driver_views.access_view(rule)
                 for rule in share_records.list_rules(share_id)]
        if not rules:
            return
        driver = self.driver(sides.destination.backend)
        try:
            model_updates.check_access_updates(
                driver, driver.update_access(
                    self.context, sides.destination_view, rules, rules, [],
                    share_server=None), [rule['id'] for rule in rules])
        except Exception as e:  # any driver exception, any class
            updates.rules_failed_on_destination(
                share_id, '%s: %s' % (type(e).__name__, e))


class RemoveSource(start.MigrationTask):

    def execute(self, share_id, migration_id, method):
        sides = base.sides(migration_id)
        if method == constants.METHOD_HOST:
            driver = self.driver(sides.source.backend)
            try:
                delete_flows.remove_access(driver, self.context, share_id,
                                           sides.source_view)
                delete_flows.delete_on_backend(driver, self.context,
                                               sides.source.id,
                                               sides.source_view)
            except Exception as e:  # any driver exception, any class
                detail = '%s: %s' % (type(e).__name__, e)
                LOG.error('Share %(share)s moved, but its old copy on '
                          '%(host)s could not be removed: %(detail)s',
                          {'share': share_id, 'host': sides.source.host,
                           'detail': detail})
                updates.source_removal_failed(migration_id, detail)
                return
        updates.forget_source(migration_id)
        data_copy.discard(migration_id)


def complete_migration_flow():
    flow = linear_flow.Flow('complete_share_migration')
    flow.add(FinishOnBackend(), CutOver(), ApplyRulesOnDestination(),
             RemoveSource())
    return flow
