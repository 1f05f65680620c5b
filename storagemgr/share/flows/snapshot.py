"""Create and delete share snapshots.

Create: a driver failure or a malformed return leaves the snapshot in
``error``. Delete: a snapshot the backend no longer has
(SnapshotResourceNotFound) is deleted; any other failure leaves it in
``error_deleting``. A snapshot with instances on secondary replicas is
handed to ``storagemgr.share_replication.flows.snapshots`` (the
replicated calls, one for all its instances).
"""

from oslo_log import log as logging
from taskflow.patterns import linear_flow

from storagemgr import exception
from storagemgr.share import constants
from storagemgr.share.flows import base
from storagemgr.share import model_updates
from storagemgr.share import records
from storagemgr.share_replication.flows import snapshots as replicated

LOG = logging.getLogger(__name__)


class CreateSnapshotOnBackend(base.ShareTask):

    default_provides = 'snapshot_update'

    def execute(self, snapshot_id, backend):
        driver = self.driver(backend)
        if replicated.is_replicated(snapshot_id):
            share_id = records.get_snapshot(snapshot_id).share_id
            return {'instances': replicated.create(
                driver, self.context, share_id, snapshot_id)}
        update = driver.create_snapshot(self.context,
                                        records.snapshot_view(snapshot_id),
                                        share_server=None)
        return model_updates.check_snapshot_update(driver, update)

    def revert(self, snapshot_id, **kwargs):
        base.error_out_snapshot(snapshot_id, constants.STATUS_ERROR,
                                [constants.STATUS_CREATING], action='create',
                                failures=kwargs.get('flow_failures'))
        replicated.create_failed(snapshot_id)


class RecordSnapshotCreated(base.ShareTask):

    def execute(self, snapshot_id, snapshot_update):
        if 'instances' in snapshot_update:
            replicated.record_created(snapshot_id,
                                      snapshot_update['instances'])
            return
        model_updates.apply_snapshot_created(snapshot_id, snapshot_update)


class DeleteSnapshotOnBackend(base.ShareTask):

    default_provides = 'deleted_instances'

    def execute(self, snapshot_id, backend):
        driver = self.driver(backend)
        if replicated.is_replicated(snapshot_id):
            share_id = records.get_snapshot(snapshot_id).share_id
            return replicated.delete(driver, self.context, share_id,
                                     snapshot_id)
        try:
            driver.delete_snapshot(self.context,
                                   records.snapshot_view(snapshot_id),
                                   share_server=None)
        except exception.SnapshotResourceNotFound:
            LOG.warning('Share snapshot %s was already gone from its '
                        'backend.', snapshot_id)
        return None

    def revert(self, snapshot_id, **kwargs):
        base.error_out_snapshot(snapshot_id, constants.STATUS_ERROR_DELETING,
                                [constants.STATUS_DELETING], action='delete',
                                failures=kwargs.get('flow_failures'))
        replicated.delete_failed(snapshot_id)


class ForgetSnapshot(base.ShareTask):
    """Delete the snapshot's rows (and the driver's data about it).

    For a replicated snapshot, only the instances the driver reported
    ``deleted``; the snapshot goes with its last instance.
    """

    def __init__(self, keep_private_data=False, **kwargs):
        super().__init__(**kwargs)
        self.keep_private_data = keep_private_data

    def execute(self, snapshot_id, deleted_instances=None):
        if deleted_instances is not None:
            replicated.record_deleted(snapshot_id, deleted_instances)
            return
        model_updates.forget_snapshot(
            snapshot_id, keep_private_data=self.keep_private_data)


def create_snapshot_flow():
    flow = linear_flow.Flow('create_share_snapshot')
    flow.add(CreateSnapshotOnBackend(), RecordSnapshotCreated())
    return flow


def delete_snapshot_flow():
    flow = linear_flow.Flow('delete_share_snapshot')
    flow.add(DeleteSnapshotOnBackend(), ForgetSnapshot())
    return flow
