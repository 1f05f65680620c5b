"""Flows of single volume snapshots: create and delete."""

from taskflow.patterns import linear_flow

from storagemgr.backend import process_registry
from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr.flows import common
from storagemgr.flows import tasks
from storagemgr.volume import constants as c
from storagemgr.volume import driver_views
from storagemgr.volume import volume_updates


def _snapshot_and_driver(snapshot_id):
    snapshot = db_api.get(models.VolumeSnapshot, snapshot_id)
    volume = db_api.get(models.Volume, snapshot.volume_id)
    return (driver_views.snapshot_view(snapshot, volume),
            process_registry.driver_for(volume.backend, 'volume'))


class CreateSnapshotOnBackendTask(tasks.StorageTask):
    default_provides = 'model_update'

    def execute(self, snapshot_id):
        view, driver = _snapshot_and_driver(snapshot_id)
        return volume_updates.check_snapshot_update(
            driver, 'create_snapshot', driver.create_snapshot(view))

    def revert(self, snapshot_id, **kwargs):
        common.error_out(models.VolumeSnapshot, snapshot_id,
                         c.SNAPSHOT_ERROR, expected=[c.SNAPSHOT_CREATING],
                         action='create', failures=kwargs.get('flow_failures'))


class MarkSnapshotAvailableTask(tasks.StorageTask):
    def execute(self, snapshot_id, model_update):
        values = dict(model_update, status=c.SNAPSHOT_AVAILABLE)
        db_api.conditional_update(models.VolumeSnapshot, snapshot_id, values,
                                  expected={'status': [c.SNAPSHOT_CREATING]})


def create_snapshot_flow():
    return linear_flow.Flow('create_volume_snapshot').add(
        CreateSnapshotOnBackendTask(), MarkSnapshotAvailableTask())


def delete_on_backend(snapshot_id):
    view, driver = _snapshot_and_driver(snapshot_id)
    driver.delete_snapshot(view)


def delete_now(snapshot_id):
    """Delete a snapshot claimed as ``deleting``, in this task.

    For a flow that deletes it as one of its steps; a driver failure of
    any class leaves it ``error_deleting`` and is raised.
    """
    try:
        delete_on_backend(snapshot_id)
    except Exception as e:
        common.error_out(models.VolumeSnapshot, snapshot_id,
                         c.SNAPSHOT_ERROR_DELETING,
                         expected=[c.SNAPSHOT_DELETING], action='delete',
                         detail='%s: %s' % (type(e).__name__, e))
        raise
    db_api.delete(models.VolumeSnapshot, snapshot_id)


class DeleteSnapshotOnBackendTask(tasks.StorageTask):
    def execute(self, snapshot_id):
        delete_on_backend(snapshot_id)

    def revert(self, snapshot_id, **kwargs):
        common.error_out(models.VolumeSnapshot, snapshot_id,
                         c.SNAPSHOT_ERROR_DELETING,
                         expected=[c.SNAPSHOT_DELETING],
                         action='delete', failures=kwargs.get('flow_failures'))


class RemoveSnapshotRecordTask(tasks.StorageTask):
    def execute(self, snapshot_id):
        db_api.delete(models.VolumeSnapshot, snapshot_id)


def delete_snapshot_flow():
    return linear_flow.Flow('delete_volume_snapshot').add(
        DeleteSnapshotOnBackendTask(), RemoveSnapshotRecordTask())
