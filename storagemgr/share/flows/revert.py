"""Revert a share, in place, to its latest snapshot.

The service layer set the share to ``reverting`` and the snapshot to
``restoring``. Success: the share is ``available`` with the snapshot's
size, the snapshot ``available``. Any driver failure: the share goes to
``reverting_error`` and the snapshot back to ``available``.
"""

from taskflow.patterns import linear_flow

from storagemgr.db import api as db_api
from storagemgr.db.models import share as models
from storagemgr.db import session as db_session
from storagemgr.share import constants
from storagemgr.share import driver_views
from storagemgr.share.flows import base
from storagemgr.share import records


def _active_rules(share_id):
    return [driver_views.access_view(r) for r in records.list_rules(
        share_id, state=constants.ACCESS_STATE_ACTIVE)]


class RevertShareOnBackend(base.ShareTask):

    def execute(self, share_id, snapshot_id, backend):
        snapshot = records.get_snapshot(snapshot_id)
        share = records.get_share(share_id)
        self.driver(backend).revert_to_snapshot(
            self.context, driver_views.snapshot_view(snapshot, share),
            _active_rules(share_id), [], share_server=None)

    def revert(self, share_id, snapshot_id, **kwargs):
        base.error_out(models.Share, share_id,
                       constants.STATUS_REVERTING_ERROR,
                       [constants.STATUS_REVERTING],
                       action='revert', failures=kwargs.get('flow_failures'))
        base.error_out(models.ShareSnapshot, snapshot_id,
                       constants.STATUS_AVAILABLE,
                       [constants.STATUS_RESTORING])


class RecordShareReverted(base.ShareTask):

    def execute(self, share_id, snapshot_id):
        snapshot = records.get_snapshot(snapshot_id)
        share = records.get_share(share_id)
        size = snapshot.size if snapshot.size is not None else share.size
        with db_session.session_scope() as session:
            db_api.conditional_update(
                models.Share, share_id,
                {'status': constants.STATUS_AVAILABLE, 'size': size},
                expected={'status': [constants.STATUS_REVERTING]},
                session=session)
            db_api.conditional_update(
                models.ShareSnapshot, snapshot_id,
                {'status': constants.STATUS_AVAILABLE},
                expected={'status': [constants.STATUS_RESTORING]},
                session=session)


def revert_share_flow():
    flow = linear_flow.Flow('revert_share_to_snapshot')
    flow.add(RevertShareOnBackend(), RecordShareReverted())
    return flow
