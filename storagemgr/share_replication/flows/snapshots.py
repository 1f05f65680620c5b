"""Snapshots of a share with secondary replicas (R30-R36).

A snapshot of such a share has one instance per replica, inserted by the
snapshot's claim. The share snapshot flows hand over to these functions
when the snapshot has instances on secondaries: the driver of the active
replica's backend is asked once for all of them, with the whole replica
list, through ``create_replicated_snapshot``,
``delete_replicated_snapshot`` and ``revert_to_replicated_snapshot``.
Instances the driver leaves ``creating`` or ``deleting`` are settled
later by ``update_replicated_snapshot`` on their replica's backend (the
periodic task, or a resync).
"""

import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db import session as db_session
from storagemgr.share_replication import constants
from storagemgr.share_replication.flows import base
from storagemgr.share_replication import records
from storagemgr.share_replication import updates

SnapshotInstance = records.SnapshotInstance


def is_replicated(snapshot_id):
    """Whether the snapshot has instances on more than one replica."""
    return db_session.run(lambda s: s.scalar(
        sa.select(sa.func.count()).select_from(SnapshotInstance).where(
            SnapshotInstance.snapshot_id == snapshot_id))) > 1


def _calls(share_id, snapshot_id):
    views, active = base.replica_list(share_id)
    snapshots = records.snapshot_views(share_id, snapshot_id)
    return views, active, snapshots


def _for_all_instances(method, driver, context, share_id, snapshot_id):
    """One replicated call for every instance; ``{instance id: update}``."""
    views, _, snapshots = _calls(share_id, snapshot_id)
    answer = getattr(driver, method)(
        context, list(views.values()), list(snapshots.values()),
        share_server=None)
    return updates.check_snapshot_list(driver, method, answer, snapshots)


def create(driver, context, share_id, snapshot_id):
    """``create_replicated_snapshot`` (R30)."""
    return _for_all_instances('create_replicated_snapshot', driver,
                              context, share_id, snapshot_id)


def record_created(snapshot_id, instance_updates):
    updates.apply_snapshot_updates(instance_updates,
                                   [constants.SNAPSHOT_CREATING])


def create_failed(snapshot_id):
    """R31: every instance still creating goes to ``error``."""
    updates.snapshot_instances_to(
        _instance_ids(snapshot_id), constants.SNAPSHOT_ERROR,
        [constants.SNAPSHOT_CREATING])


def delete(driver, context, share_id, snapshot_id):
    """``delete_replicated_snapshot`` (R33)."""
    return _for_all_instances('delete_replicated_snapshot', driver,
                              context, share_id, snapshot_id)


def record_deleted(snapshot_id, instance_updates):
    """R34-R35: 'deleted' instances go; the snapshot goes with the last."""
    updates.apply_snapshot_updates(instance_updates,
                                   [constants.SNAPSHOT_DELETING])
    updates.forget_snapshot_if_empty(snapshot_id)


def delete_failed(snapshot_id):
    """R36: every instance still deleting goes to ``error_deleting``."""
    updates.snapshot_instances_to(
        _instance_ids(snapshot_id), constants.SNAPSHOT_ERROR_DELETING,
        [constants.SNAPSHOT_DELETING])


def revert(driver, context, share_id, snapshot_id, share_rules):
    """``revert_to_replicated_snapshot`` of the active replica."""
    views, active, snapshots = _calls(share_id, snapshot_id)
    active_snapshot = next(s for s in snapshots.values()
                           if s['share_instance_id'] == active['id'])
    driver.revert_to_replicated_snapshot(
        context, active, list(views.values()), active_snapshot,
        list(snapshots.values()), share_rules, [], share_server=None)


def secondaries_out_of_sync(share_id):
    """R26: after a revert the secondaries hold newer data than the active."""
    updates.secondaries_to_state(share_id, constants.OUT_OF_SYNC)


def _instance_ids(snapshot_id):
    return [row.id for row in db_session.run(lambda s: db_api.query(
        SnapshotInstance, session=s, snapshot_id=snapshot_id))]
