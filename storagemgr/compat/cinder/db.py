"""``cinder.db``: what a driver reads through its ``db`` attribute.

Cinder hands every driver its database API as ``db=``; storagemgr hands
this module. It answers the read calls drivers make about the resources
they are given, with the same views the driver gets as arguments
(``storagemgr.volume.driver_views``), and raises Cinder's NotFound
classes for unknown ids. Writes are not served: a driver reports changes
through its return values, which storagemgr checks and records. Any other
function is an AttributeError that names it.
"""

from storagemgr.compat.cinder import exception
from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr.volume import driver_views

SERVED = ('volume_get', 'snapshot_get', 'consistencygroup_get',
          'cgsnapshot_get', 'volume_get_all_by_group',
          'snapshot_get_all_for_volume', 'snapshot_get_all_for_cgsnapshot',
          'volume_get_all_by_host')


def _row(model, row_id, not_found, **id_kwarg):
    row = db_api.get_by(model, id=row_id) if row_id else None
    if row is None:
        raise not_found(**id_kwarg)
    return row


def volume_get(context, volume_id):
    return driver_views.volume_view(_row(
        models.Volume, volume_id, exception.VolumeNotFound,
        volume_id=volume_id))


def snapshot_get(context, snapshot_id):
    return driver_views.snapshot_view(_row(
        models.VolumeSnapshot, snapshot_id, exception.SnapshotNotFound,
        snapshot_id=snapshot_id))


def consistencygroup_get(context, consistencygroup_id):
    return driver_views.group_view(_row(
        models.ConsistencyGroup, consistencygroup_id,
        exception.ConsistencyGroupNotFound,
        consistencygroup_id=consistencygroup_id))


def cgsnapshot_get(context, cgsnapshot_id):
    return driver_views.cgsnapshot_view(_row(
        models.CGSnapshot, cgsnapshot_id, exception.CgSnapshotNotFound,
        cgsnapshot_id=cgsnapshot_id))


def volume_get_all_by_group(context, group_id, filters=None):
    return [driver_views.volume_view(row) for row in db_api.query(
        models.Volume, consistencygroup_id=group_id,
        order_by=models.Volume.id)]


def volume_get_all_by_host(context, host, filters=None):
    """Volumes whose ``host@backend`` (pool or not) is ``host``."""
    backend = host.partition('#')[0].partition('@')[2]
    return [view for view in (driver_views.volume_view(row) for row in
                              db_api.query(models.Volume, backend=backend,
                                           order_by=models.Volume.id))
            if view['host'].partition('#')[0] == host.partition('#')[0]]


def snapshot_get_all_for_volume(context, volume_id):
    return [driver_views.snapshot_view(row) for row in db_api.query(
        models.VolumeSnapshot, volume_id=volume_id,
        order_by=models.VolumeSnapshot.id)]


def snapshot_get_all_for_cgsnapshot(context, cgsnapshot_id):
    return [driver_views.snapshot_view(row) for row in db_api.query(
        models.VolumeSnapshot, cgsnapshot_id=cgsnapshot_id,
        order_by=models.VolumeSnapshot.id)]


def __getattr__(name):
    raise AttributeError(
        'cinder.db.%s is not served by storagemgr (served: %s); a driver '
        'reports changes through its return values' % (
            name, ', '.join(SERVED)))
