"""Cancel a migration, or abort one whose phase 1 failed in a poll.

The service layer's claim moved the share to
``migration_cancel_in_progress`` (a cancel) or ``migration_error`` (a
failed ``migration_continue``). Then the destination goes: driver-assisted
through ``migration_cancel``, host-assisted by deleting the destination
share; the source's rules are restored; and ``updates.unwind`` puts the
share back on its source, ``available``, in ``final_state``.

A ``migration_cancel`` that fails, of any exception class, ends in
``migration_error`` with the share on its source and a message: the
destination may hold a partial copy the operator should look at.
"""

from oslo_log import log as logging
from taskflow.patterns import linear_flow

from storagemgr.share_migration import constants
from storagemgr.share_migration.flows import base
from storagemgr.share_migration.flows import start
from storagemgr.share_migration import updates

LOG = logging.getLogger(__name__)


class DropDestination(start.MigrationTask):

    def execute(self, share_id, migration_id):
        sides = base.sides(migration_id)
        if sides.migration.method == constants.METHOD_DRIVER:
            driver = self.driver(sides.source.backend)
            driver.migration_cancel(
                self.context, sides.source_view, sides.destination_view,
                sides.source_snapshots, sides.snapshot_mappings,
                share_server=None, destination_share_server=None)
        elif sides.destination is not None:
            start.remove_destination_copy(self, sides)

    def revert(self, share_id, migration_id, **kwargs):
        self._unwind(share_id, migration_id, constants.ERROR,
                     kwargs.get('flow_failures'))

    def _unwind(self, share_id, migration_id, final_state, failures=None):
        sides = base.sides(migration_id)
        base.restore_rules_quietly(self.driver(sides.source.backend),
                                   self.context, share_id,
                                   sides.source_view)
        updates.unwind(share_id, migration_id, final_state,
                       failures=failures)


class BackToSource(DropDestination):

    def execute(self, share_id, migration_id, final_state):
        self._unwind(share_id, migration_id, final_state)

    def revert(self, *args, **kwargs):
        pass  # the revert of DropDestination unwinds


def cancel_migration_flow():
    flow = linear_flow.Flow('cancel_share_migration')
    flow.add(DropDestination(), BackToSource())
    return flow
