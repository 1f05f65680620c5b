"""Flows of consistency groups: create, create from a source, update
membership, delete with the volumes.

Every flow has the same two steps: a task calls the driver (its native
group method, or the generic per-volume one) and turns what came back,
exception included, into an outcome with ``storagemgr.volume.
group_updates``; the next task writes that outcome. The call task never
raises for a driver failure, so the outcome, which already holds the
documented error statuses, is what gets written; its revert only guards
against failures of storagemgr itself.
"""

from oslo_log import log as logging
from taskflow.patterns import linear_flow

from storagemgr.backend import process_registry
from storagemgr import context as sm_context
from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr.flows import common
from storagemgr.flows import tasks
from storagemgr.message import api as message_api
from storagemgr.volume import constants as c
from storagemgr.volume import driver_views
from storagemgr.volume.flows import group_snapshot as group_snapshot_flows
from storagemgr.volume.flows import snapshot as snapshot_flows
from storagemgr.volume import generic
from storagemgr.volume import group_updates

LOG = logging.getLogger(__name__)


def _group_and_driver(group_id):
    group = db_api.get(models.ConsistencyGroup, group_id)
    return group, process_registry.driver_for(group.backend, 'volume')


def _group_volumes(group_id):
    return db_api.query(models.Volume, consistencygroup_id=group_id,
                        order_by=models.Volume.id)


def error_out_group_and_volumes(group_id, volume_ids, group_from, vol_from,
                                **message):
    """Revert helper: nothing stays transitional after a crash of ours."""
    common.error_out(models.ConsistencyGroup, group_id, c.GROUP_ERROR,
                     expected=group_from, **message)
    for volume_id in volume_ids:
        common.error_out(models.Volume, volume_id, c.VOLUME_ERROR,
                         expected=vol_from, **message)


class WriteGroupOutcomeTask(tasks.StorageTask):
    """Write the outcome to the group and its volumes."""

    def execute(self, group_id, outcome):
        action = message_api.action_in_progress(models.ConsistencyGroup,
                                                group_id)
        group_updates.write_group_outcome(
            models.ConsistencyGroup, group_id, models.Volume, outcome)
        message_api.record_outcome(models.ConsistencyGroup, group_id,
                                   models.Volume, action, outcome)


class CreateGroupOnBackendTask(tasks.StorageTask):
    default_provides = 'outcome'

    def execute(self, group_id):
        group, driver = _group_and_driver(group_id)
        label, returned, error = generic.call_group_method(
            driver, 'create_consistencygroup',
            sm_context.get_admin_context(), driver_views.group_view(group))
        return group_updates.apply_create_group_update(label, returned,
                                                       error)

    def revert(self, group_id, **kwargs):
        error_out_group_and_volumes(
            group_id, [], [c.GROUP_CREATING], [], action='create',
            failures=kwargs.get('flow_failures'))


def create_group_flow():
    return linear_flow.Flow('create_consistencygroup').add(
        CreateGroupOnBackendTask(), WriteGroupOutcomeTask())


def _sorted_sources(volumes, model, key, source_ids):
    """Sources in the order of the target volumes (reference's _sort_*)."""
    rows = {row.id: row for row in db_api.query(model, id=list(source_ids))}
    return [rows[getattr(volume, key)] for volume in volumes]


class CreateGroupFromSourceTask(tasks.StorageTask):
    default_provides = 'outcome'

    def execute(self, group_id):
        group, driver = _group_and_driver(group_id)
        volumes = _group_volumes(group_id)
        volume_ids = [v.id for v in volumes]
        cgsnapshot = snapshots = source_cg = source_vols = None
        if group.cgsnapshot_id:
            cgsnapshot_row = db_api.get(models.CGSnapshot,
                                        group.cgsnapshot_id)
            cgsnapshot = driver_views.cgsnapshot_view(cgsnapshot_row)
            snapshots = [driver_views.snapshot_view(s) for s in
                         _sorted_sources(volumes, models.VolumeSnapshot,
                                         'snapshot_id',
                                         [v.snapshot_id for v in volumes])]
        else:
            source = db_api.get(models.ConsistencyGroup, group.source_cgid)
            source_cg = driver_views.group_view(source)
            source_vols = [driver_views.volume_view(v, group=source) for v in
                           _sorted_sources(volumes, models.Volume,
                                           'source_volid',
                                           [v.source_volid for v in volumes])]
        # Positional, in the reference manager's order: a driver whose
        # parameters are named differently gets the same values.
        label, returned, error = generic.call_group_method(
            driver, 'create_consistencygroup_from_src',
            sm_context.get_admin_context(), driver_views.group_view(group),
            [driver_views.volume_view(v, group=group) for v in volumes],
            cgsnapshot, snapshots, source_cg, source_vols)
        return group_updates.apply_create_group_from_src_update(
            label, volume_ids, returned, error)

    def revert(self, group_id, **kwargs):
        error_out_group_and_volumes(
            group_id, [v.id for v in _group_volumes(group_id)],
            [c.GROUP_CREATING], [c.VOLUME_CREATING],
            action='create', failures=kwargs.get('flow_failures'))


def create_group_from_src_flow():
    return linear_flow.Flow('create_consistencygroup_from_src').add(
        CreateGroupFromSourceTask(), WriteGroupOutcomeTask())


class UpdateGroupOnBackendTask(tasks.StorageTask):
    default_provides = 'outcome'

    def execute(self, group_id, add_ids, remove_ids):
        group, driver = _group_and_driver(group_id)

        def _views(ids, **override):
            return [driver_views.volume_view(v, **override) for v in
                    db_api.query(models.Volume, id=list(ids),
                                 order_by=models.Volume.id)]
        # A volume being added already carries the group's id (that is
        # its claim); the driver sees it as it was, not yet a member.
        label, returned, error = generic.call_group_method(
            driver, 'update_consistencygroup',
            sm_context.get_admin_context(), driver_views.group_view(group),
            _views(add_ids, group=None, consistencygroup_id=None),
            _views(remove_ids, group=group))
        return group_updates.apply_update_group_update(
            label, add_ids, remove_ids, returned, error)

    def revert(self, group_id, add_ids, remove_ids, **kwargs):
        error_out_group_and_volumes(
            group_id, [], [c.GROUP_UPDATING], [], action='update',
            failures=kwargs.get('flow_failures'))
        try:
            group_updates.release_claims(group_id, add_ids)
        except Exception:
            LOG.exception('Could not release the volumes claimed for '
                          'consistency group %s', group_id)


def update_group_flow():
    return linear_flow.Flow('update_consistencygroup').add(
        UpdateGroupOnBackendTask(), WriteGroupOutcomeTask())


class DeleteGroupDependantsTask(tasks.StorageTask):
    """A forced delete: the group's snapshots go before the group.

    Each is deleted as its own delete would do it and leaves the same
    statuses when the driver fails. Rows already gone (a resumed flow)
    are skipped. Provides the reason the group must not be deleted, or
    None.
    """
    default_provides = 'dependants_failure'

    def execute(self, group_id, cgsnapshot_ids=(), snapshot_ids=()):
        failures = []
        for cgsnapshot_id in cgsnapshot_ids or ():
            if db_api.get_by(models.CGSnapshot, id=cgsnapshot_id) is None:
                continue
            outcome = group_snapshot_flows.delete_now(cgsnapshot_id)
            if outcome.get('failed'):
                failures.append('group snapshot %s: %s' % (
                    cgsnapshot_id, outcome.get('reason')))
        for snapshot_id in snapshot_ids or ():
            if db_api.get_by(models.VolumeSnapshot, id=snapshot_id) is None:
                continue
            try:
                snapshot_flows.delete_now(snapshot_id)
            except Exception as e:  # any driver exception, any class
                failures.append('snapshot %s: %s: %s' % (
                    snapshot_id, type(e).__name__, e))
        return '; '.join(failures) or None

    def revert(self, group_id, cgsnapshot_ids=(), snapshot_ids=(),
               **kwargs):
        for cgsnapshot_id in cgsnapshot_ids or ():
            group_snapshot_flows.error_out_deleting(
                cgsnapshot_id, kwargs.get('flow_failures'))
        for snapshot_id in snapshot_ids or ():
            common.error_out(models.VolumeSnapshot, snapshot_id,
                             c.SNAPSHOT_ERROR_DELETING,
                             expected=[c.SNAPSHOT_DELETING],
                             action='delete',
                             failures=kwargs.get('flow_failures'))


class DeleteGroupOnBackendTask(tasks.StorageTask):
    default_provides = 'outcome'

    def execute(self, group_id, dependants_failure=None,
                volume_statuses=None):
        group, driver = _group_and_driver(group_id)
        volumes = _group_volumes(group_id)
        if dependants_failure:
            # The volumes were not touched: they go back to what they were.
            statuses = volume_statuses or {}
            members = {v.id: {'status': statuses.get(v.id, c.VOLUME_ERROR)}
                       for v in volumes}
            return group_updates.failed_outcome(
                members, 'its snapshots could not all be deleted, so the '
                         'group and its volumes were kept: %s' %
                dependants_failure)
        label, returned, error = generic.call_group_method(
            driver, 'delete_consistencygroup',
            sm_context.get_admin_context(), driver_views.group_view(group),
            [driver_views.volume_view(v, group=group) for v in volumes])
        return group_updates.apply_delete_group_update(
            label, [v.id for v in volumes], returned, error)

    def revert(self, group_id, **kwargs):
        error_out_group_and_volumes(
            group_id, [v.id for v in _group_volumes(group_id)],
            [c.GROUP_DELETING], [c.VOLUME_DELETING],
            action='delete', failures=kwargs.get('flow_failures'))


def delete_group_flow():
    return linear_flow.Flow('delete_consistencygroup').add(
        DeleteGroupDependantsTask(), DeleteGroupOnBackendTask(),
        WriteGroupOutcomeTask())
