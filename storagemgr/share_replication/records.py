"""Reading replicas and replicated snapshot instances.

A replica is a share instance whose ``replica_state`` is set; the share's
active instance is its active replica. Driver views of a whole share's
replicas (``replica_list``) and of its snapshots on each replica
(``replica_snapshots``) are built here, from one transaction each, so the
flows never assemble them by hand.
"""

import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.message import api as message_api
from storagemgr.share import driver_views
from storagemgr.share import records as share_records
from storagemgr.share_replication import constants
from storagemgr.types import api as types_api
from storagemgr.types import extra_specs

Share = share_records.Share
Instance = share_records.Instance
Snapshot = share_records.Snapshot
SnapshotInstance = share_records.SnapshotInstance

MESSAGE_RESOURCE = message_api.SHARE_REPLICA


def is_replica():
    """SQL, on a share instance: it is a replica (of a replicated share)."""
    return Instance.replica_state.isnot(None)


def replication_type(share):
    """The share type's ``replication_type``, or None."""
    if not share.share_type_id:
        return None
    specs = types_api.share_types.specs_of(share.share_type_id) or {}
    return specs.get(extra_specs.REPLICATION_TYPE) or None


def get_replica(replica_id, session=None):
    """The replica whose instance id is ``replica_id``.

    :raises NotFound: there is no such instance, or it is no replica.
    """
    if not isinstance(replica_id, str) or not replica_id:
        raise exception.InvalidInput(reason='a share replica id is needed')
    row = db_api.get_by(Instance, session=session, id=replica_id)
    if row is None or row.replica_state is None:
        raise exception.NotFound('No share replica with id %r.' %
                                 replica_id)
    return row


def replicas(share_id, session=None):
    """The share's replicas, the active one first, then oldest first."""
    stmt = sa.select(Instance).where(
        Instance.share_id == share_id, is_replica()).order_by(
        Instance.active.desc(), Instance.created_at, Instance.id)
    return db_session.run(lambda s: list(s.scalars(stmt)), session)


def secondaries(share_id, session=None):
    return [r for r in replicas(share_id, session=session) if not r.active]


def list_replicas(share_id=None):
    """``(share, replica)`` pairs, by share then active first."""
    def _query(session):
        stmt = sa.select(Share, Instance).join(
            Instance, Instance.share_id == Share.id).where(is_replica())
        if share_id is not None:
            stmt = stmt.where(Share.id == share_id)
        return [tuple(r) for r in session.execute(stmt.order_by(
            Share.created_at, Share.id, Instance.active.desc(),
            Instance.created_at, Instance.id))]
    return db_session.run(_query)


def replica_record(share, replica):
    """What the CLI and Python callers see of a replica."""
    return {
        'id': replica.id,
        'share_id': share.id,
        'status': replica.status,
        'replica_state': replica.replica_state,
        'host': replica.host,
        'backend': replica.backend,
        'availability_zone': replica.availability_zone,
        'export_locations': driver_views.export_locations(
            replica.export_locations),
        'access_rules_status': replica.access_rules_status,
        'cast_rules_to_readonly': bool(replica.cast_rules_to_readonly),
        'share_type_id': replica.share_type_id or share.share_type_id,
        'failure_reason': message_api.failure_detail_of(
            MESSAGE_RESOURCE, replica.id, replica.status),
        'created_at': _iso(replica.created_at),
        'updated_at': _iso(replica.updated_at),
    }


def _iso(value):
    return value.isoformat() if value is not None else None


def replica_views(share_id, session=None):
    """``(share, {replica id: driver view})``, the active one first."""
    def _read(sess):
        share = share_records.get_share(share_id, session=sess)
        return share, {r.id: driver_views.share_view(share, r)
                       for r in replicas(share_id, session=sess)}
    return db_session.run(_read, session)


def snapshot_instances(share_id, snapshot_id=None, replica_id=None,
                       statuses=None, session=None):
    """``(snapshot, its instance, the replica it is on)`` triples."""
    def _query(sess):
        stmt = sa.select(Snapshot, SnapshotInstance, Instance).join(
            SnapshotInstance, SnapshotInstance.snapshot_id == Snapshot.id
        ).join(Instance, Instance.id == SnapshotInstance.share_instance_id
               ).where(Snapshot.share_id == share_id)
        if snapshot_id is not None:
            stmt = stmt.where(Snapshot.id == snapshot_id)
        if replica_id is not None:
            stmt = stmt.where(Instance.id == replica_id)
        if statuses is not None:
            stmt = stmt.where(SnapshotInstance.status.in_(list(statuses)))
        return [tuple(r) for r in sess.execute(stmt.order_by(
            Snapshot.created_at, Instance.active.desc(), Instance.id))]
    return db_session.run(_query, session)


def snapshot_instance_view(share, triple):
    snapshot, instance, replica = triple
    return driver_views.snapshot_view(snapshot, instance, share, replica)


def snapshot_views(share_id, snapshot_id, session=None):
    """``{snapshot instance id: view}`` of one snapshot on every replica."""
    def _read(sess):
        share = share_records.get_share(share_id, session=sess)
        return {t[1].id: snapshot_instance_view(share, t)
                for t in snapshot_instances(share_id, snapshot_id,
                                            session=sess)}
    return db_session.run(_read, session)


def replica_snapshot_pairs(share_id, replica_id, session=None):
    """``replica_snapshots`` for create_replica and update_replica_state.

    One ``{'active_replica_snapshot', 'share_replica_snapshot'}`` per
    snapshot whose instance on the active replica is available and which
    has an instance on ``replica_id``.
    """
    def _read(sess):
        share = share_records.get_share(share_id, session=sess)
        by_snapshot = {}
        for triple in snapshot_instances(share_id, session=sess):
            snapshot, instance, replica = triple
            entry = by_snapshot.setdefault(snapshot.id, {})
            if replica.active:
                if instance.status == constants.SNAPSHOT_AVAILABLE:
                    entry['active_replica_snapshot'] = (
                        snapshot_instance_view(share, triple))
            elif replica.id == replica_id:
                entry['share_replica_snapshot'] = snapshot_instance_view(
                    share, triple)
        return [entry for entry in by_snapshot.values()
                if len(entry) == 2]
    return db_session.run(_read, session)


def snapshot_instance_record(snapshot, instance, replica):
    return {
        'id': instance.id,
        'snapshot_id': snapshot.id,
        'share_id': snapshot.share_id,
        'share_instance_id': replica.id,
        'replica_state': replica.replica_state,
        'is_active_replica': bool(replica.active),
        'status': instance.status,
        'progress': instance.progress,
        'provider_location': instance.provider_location,
        'export_locations': driver_views.export_locations(
            instance.export_locations),
        'created_at': _iso(instance.created_at),
        'updated_at': _iso(instance.updated_at),
    }


def list_snapshot_instances(snapshot_id=None):
    """Every snapshot instance (of one snapshot), with its replica."""
    def _query(sess):
        stmt = sa.select(Snapshot, SnapshotInstance, Instance).join(
            SnapshotInstance, SnapshotInstance.snapshot_id == Snapshot.id
        ).join(Instance, Instance.id == SnapshotInstance.share_instance_id)
        if snapshot_id is not None:
            stmt = stmt.where(Snapshot.id == snapshot_id)
        return [tuple(r) for r in sess.execute(stmt.order_by(
            Snapshot.created_at, Instance.active.desc(), Instance.id))]
    return db_session.run(_query)


def get_snapshot_instance(instance_id):
    def _query(sess):
        return sess.execute(sa.select(
            Snapshot, SnapshotInstance, Instance).join(
            SnapshotInstance, SnapshotInstance.snapshot_id == Snapshot.id
        ).join(Instance, Instance.id == SnapshotInstance.share_instance_id
               ).where(SnapshotInstance.id == instance_id)).first()
    row = db_session.run(_query)
    if row is None:
        raise exception.NotFound('No share snapshot instance with id %r.' %
                                 instance_id)
    return tuple(row)
