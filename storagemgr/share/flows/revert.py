"""Revert a share, in place, to its latest snapshot.

The service layer set the share to ``reverting`` and the snapshot to
``restoring``. Success: the share is ``available`` with the snapshot's
size, the snapshot ``available``. Any driver failure: the share goes to
``reverting_error`` and the snapshot back to ``available``.
"""

from taskflow.patterns import linear_flow

from storagemgr.share import constants
from storagemgr.share import driver_views
from storagemgr.share.flows import base
from storagemgr.share import model_updates
from storagemgr.share import records


def _active_rules(share_id):
    return [driver_views.access_view(r) for r in records.list_rules(
        share_id, state=constants.ACCESS_STATE_ACTIVE)]


class RevertShareOnBackend(base.ShareTask):

    def execute(self, share_id, snapshot_id, backend):
        self.driver(backend).revert_to_snapshot(
            self.context, records.snapshot_view(snapshot_id),
            _active_rules(share_id), [], share_server=None)

    def revert(self, share_id, snapshot_id, **kwargs):
        base.error_out_share(share_id, constants.STATUS_REVERTING_ERROR,
                             [constants.STATUS_REVERTING], action='revert',
                             failures=kwargs.get('flow_failures'))
        base.error_out_snapshot(snapshot_id, constants.STATUS_AVAILABLE,
                                [constants.STATUS_RESTORING])


class RecordShareReverted(base.ShareTask):

    def execute(self, share_id, snapshot_id):
        model_updates.apply_share_reverted(share_id, snapshot_id)


def revert_share_flow():
    flow = linear_flow.Flow('revert_share_to_snapshot')
    flow.add(RevertShareOnBackend(), RecordShareReverted())
    return flow
