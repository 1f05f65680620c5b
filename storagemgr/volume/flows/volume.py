"""Flows of single volumes: create (empty, from snapshot, clone), delete,
extend.

Each flow is a short list of tasks: one calls the driver, the next writes
the result. A driver failure reverts into the documented error status
(``error``, ``error_deleting``, ``error_extending``); a resumed flow runs
the driver call again, which the drivers make safe.

The volume's pool counts its size from the claim that inserts the row
(the API's) to the transaction that deletes it; an extend's claim counts
the growth, which a failed extend gives back.
"""

from taskflow.patterns import linear_flow

from storagemgr.backend import process_registry
from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr.flows import common
from storagemgr.flows import tasks
from storagemgr.volume import constants as c
from storagemgr.volume import driver_views
from storagemgr.volume import volume_updates


class CreateVolumeOnBackendTask(tasks.StorageTask):
    """Ask the driver for the volume; provides its model update."""

    default_provides = 'model_update'

    def execute(self, volume_id):
        volume = db_api.get(models.Volume, volume_id)
        driver = process_registry.driver_for(volume.backend, 'volume')
        view = driver_views.volume_view(volume)
        if volume.snapshot_id:
            snapshot = db_api.get(models.VolumeSnapshot, volume.snapshot_id)
            method = 'create_volume_from_snapshot'
            returned = driver.create_volume_from_snapshot(
                view, driver_views.snapshot_view(snapshot))
        elif volume.source_volid:
            source = db_api.get(models.Volume, volume.source_volid)
            method = 'create_cloned_volume'
            returned = driver.create_cloned_volume(
                view, driver_views.volume_view(source))
        else:
            method = 'create_volume'
            returned = driver.create_volume(view)
        return volume_updates.check_volume_update(driver, method, returned)

    def revert(self, volume_id, **kwargs):
        common.error_out(models.Volume, volume_id, c.VOLUME_ERROR,
                         expected=[c.VOLUME_CREATING],
                         action='create', failures=kwargs.get('flow_failures'))


class MarkVolumeAvailableTask(tasks.StorageTask):
    def execute(self, volume_id, model_update):
        values = dict(model_update, status=c.VOLUME_AVAILABLE)
        volume_updates.write_counted(volume_id, values,
                                     expected={'status': [c.VOLUME_CREATING]})


def create_volume_flow():
    return linear_flow.Flow('create_volume').add(
        CreateVolumeOnBackendTask(), MarkVolumeAvailableTask())


class DeleteVolumeOnBackendTask(tasks.StorageTask):
    def execute(self, volume_id):
        volume = db_api.get(models.Volume, volume_id)
        driver = process_registry.driver_for(volume.backend, 'volume')
        driver.delete_volume(driver_views.volume_view(volume))

    def revert(self, volume_id, **kwargs):
        common.error_out(models.Volume, volume_id, c.VOLUME_ERROR_DELETING,
                         expected=[c.VOLUME_DELETING],
                         action='delete', failures=kwargs.get('flow_failures'))


class RemoveVolumeRecordTask(tasks.StorageTask):
    def execute(self, volume_id):
        volume_updates.forget_volume(volume_id)


def delete_volume_flow():
    return linear_flow.Flow('delete_volume').add(
        DeleteVolumeOnBackendTask(), RemoveVolumeRecordTask())


class ExtendVolumeOnBackendTask(tasks.StorageTask):
    def execute(self, volume_id, new_size):
        volume = db_api.get(models.Volume, volume_id)
        driver = process_registry.driver_for(volume.backend, 'volume')
        driver.extend_volume(driver_views.volume_view(volume), new_size)

    def revert(self, volume_id, new_size, **kwargs):
        if common.error_out(models.Volume, volume_id,
                            c.VOLUME_ERROR_EXTENDING,
                            expected=[c.VOLUME_EXTENDING], action='extend',
                            failures=kwargs.get('flow_failures')):
            # The volume keeps its size: its pool gets the growth back.
            volume_updates.release_extend(volume_id, new_size)


class RecordNewSizeTask(tasks.StorageTask):
    def execute(self, volume_id, new_size):
        db_api.conditional_update(
            models.Volume, volume_id,
            {'size': new_size, 'status': c.VOLUME_AVAILABLE},
            expected={'status': [c.VOLUME_EXTENDING]})


def extend_volume_flow():
    return linear_flow.Flow('extend_volume').add(
        ExtendVolumeOnBackendTask(), RecordNewSizeTask())
