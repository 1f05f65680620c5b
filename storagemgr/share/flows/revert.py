"""Revert a share, in place, to its latest snapshot.

The service layer set the share to ``reverting`` and the snapshot to
``restoring``. Success: the share is ``available`` with the snapshot's
size, the snapshot ``available``. Any driver failure: the share goes to
``reverting_error`` and the snapshot back to ``available``. A share with
secondary replicas is reverted by ``revert_to_replicated_snapshot`` on its
active replica; its secondaries are then ``out_of_sync``.
"""

from taskflow.patterns import linear_flow

from storagemgr.share import constants
from storagemgr.share import driver_views
from storagemgr.share.flows import base
from storagemgr.share import model_updates
from storagemgr.share import records
from storagemgr.share_replication.flows import snapshots as replicated


def _active_rules(share_id):
    return [driver_views.access_view(r) for r in records.list_rules(
        share_id, state=constants.ACCESS_STATE_ACTIVE)]


class RevertShareOnBackend(base.ShareTask):

    def execute(self, share_id, snapshot_id, backend):
        if replicated.is_replicated(snapshot_id):
            replicated.revert(self.driver(backend), self.context, share_id,
                              snapshot_id, _active_rules(share_id))
            return
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
        if replicated.is_replicated(snapshot_id):
            replicated.secondaries_out_of_sync(share_id)


def revert_share_flow():
    flow = linear_flow.Flow('revert_share_to_snapshot')
    flow.add(RevertShareOnBackend(), RecordShareReverted())
    return flow
