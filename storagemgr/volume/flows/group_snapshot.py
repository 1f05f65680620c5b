"""Flows of consistency group snapshots: create and delete.

Same shape as the group flows: call the driver (native or generic, the
generic one taking members in parallel), decide the outcome with
``group_updates``, write it.
"""

from taskflow.patterns import linear_flow

from storagemgr.backend import process_registry
from storagemgr import context as sm_context
from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.flows import common
from storagemgr.flows import tasks
from storagemgr.message import api as message_api
from storagemgr.volume import constants as c
from storagemgr.volume import driver_views
from storagemgr.volume import generic
from storagemgr.volume import group_updates


def _load(cgsnapshot_id):
    """The group snapshot's view, its driver and its snapshots' views.

    Reads every row in one session with a fixed number of queries (the
    group snapshot, its snapshots, their volumes, the groups of both),
    however many members there are.
    """
    with db_session.session_scope() as session:
        cgsnapshot = db_api.get(models.CGSnapshot, cgsnapshot_id,
                                session=session)
        snapshots = db_api.query(models.VolumeSnapshot, session=session,
                                 cgsnapshot_id=cgsnapshot_id,
                                 order_by=models.VolumeSnapshot.id)
        volumes = {v.id: v for v in db_api.query(
            models.Volume, session=session,
            id=sorted({s.volume_id for s in snapshots}))}
        # A volume may have left the group since it was snapshotted.
        group_ids = {cgsnapshot.consistencygroup_id} | {
            v.consistencygroup_id for v in volumes.values()
            if v.consistencygroup_id}
        groups = {g.id: g for g in db_api.query(
            models.ConsistencyGroup, session=session, id=sorted(group_ids))}
    group = groups.get(cgsnapshot.consistencygroup_id)
    if group is None:
        raise exception.NotFound('ConsistencyGroup %s could not be found.'
                                 % cgsnapshot.consistencygroup_id)
    shared = driver_views.SharedViews(groups)
    views = [driver_views.snapshot_view(s, volumes.get(s.volume_id),
                                        cgsnapshot, shared=shared)
             for s in snapshots]
    return (driver_views.cgsnapshot_view(cgsnapshot, group),
            process_registry.driver_for(group.backend, 'volume'), views)


def _error_out(cgsnapshot_id, from_statuses, **message):
    common.error_out(models.CGSnapshot, cgsnapshot_id, c.GROUP_ERROR,
                     expected=from_statuses, **message)
    for snapshot in db_api.query(models.VolumeSnapshot,
                                 cgsnapshot_id=cgsnapshot_id):
        common.error_out(models.VolumeSnapshot, snapshot.id,
                         c.SNAPSHOT_ERROR, expected=from_statuses,
                         **message)


class WriteGroupSnapshotOutcomeTask(tasks.StorageTask):
    def execute(self, cgsnapshot_id, outcome):
        action = message_api.action_in_progress(models.CGSnapshot,
                                                cgsnapshot_id)
        group_updates.write_group_outcome(
            models.CGSnapshot, cgsnapshot_id, models.VolumeSnapshot, outcome)
        message_api.record_outcome(models.CGSnapshot, cgsnapshot_id,
                                   models.VolumeSnapshot, action, outcome)


class CreateGroupSnapshotOnBackendTask(tasks.StorageTask):
    default_provides = 'outcome'

    def execute(self, cgsnapshot_id):
        cgsnapshot, driver, snapshots = _load(cgsnapshot_id)
        label, returned, error = generic.call_group_method(
            driver, 'create_cgsnapshot', sm_context.get_admin_context(),
            cgsnapshot, snapshots)
        return group_updates.apply_create_group_snapshot_update(
            label, [s['id'] for s in snapshots], returned, error)

    def revert(self, cgsnapshot_id, **kwargs):
        _error_out(cgsnapshot_id, [c.SNAPSHOT_CREATING], action='create',
                   failures=kwargs.get('flow_failures'))


def create_group_snapshot_flow():
    return linear_flow.Flow('create_cgsnapshot').add(
        CreateGroupSnapshotOnBackendTask(), WriteGroupSnapshotOutcomeTask())


def delete_on_backend(cgsnapshot_id):
    """Have the driver delete a group snapshot; return the outcome."""
    cgsnapshot, driver, snapshots = _load(cgsnapshot_id)
    label, returned, error = generic.call_group_method(
        driver, 'delete_cgsnapshot', sm_context.get_admin_context(),
        cgsnapshot, snapshots)
    return group_updates.apply_delete_group_snapshot_update(
        label, [s['id'] for s in snapshots], returned, error)


def delete_now(cgsnapshot_id):
    """Delete a group snapshot claimed as ``deleting``, in this task.

    For a flow that deletes it as one of its steps (a forced group
    delete); returns the outcome written.
    """
    outcome = delete_on_backend(cgsnapshot_id)
    group_updates.write_group_outcome(models.CGSnapshot, cgsnapshot_id,
                                      models.VolumeSnapshot, outcome)
    return outcome


def error_out_deleting(cgsnapshot_id, failures=None):
    """Revert helper: a group snapshot left deleting becomes error."""
    _error_out(cgsnapshot_id, [c.SNAPSHOT_DELETING], action='delete',
               failures=failures)


class DeleteGroupSnapshotOnBackendTask(tasks.StorageTask):
    default_provides = 'outcome'

    def execute(self, cgsnapshot_id):
        return delete_on_backend(cgsnapshot_id)

    def revert(self, cgsnapshot_id, **kwargs):
        _error_out(cgsnapshot_id, [c.SNAPSHOT_DELETING], action='delete',
                   failures=kwargs.get('flow_failures'))


def delete_group_snapshot_flow():
    return linear_flow.Flow('delete_cgsnapshot').add(
        DeleteGroupSnapshotOnBackendTask(), WriteGroupSnapshotOutcomeTask())
