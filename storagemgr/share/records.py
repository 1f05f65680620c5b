"""Share database records: lookups by id or name, listings, guards.

A share's status, host and export locations are those of its active
instance; a snapshot's are those of its instance on that share instance;
an access rule's state is its state on that share instance. This module
is where those pairs are read together, so the service layer and the
flows never assemble them by hand. Every state change here is a
conditional update, and a refused one is turned into an error that says
what the row's status is and what the operation needed.
"""

from oslo_utils import uuidutils
import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.db import api as db_api
from storagemgr.db import bulk as db_bulk
from storagemgr.db.models import share as models
from storagemgr.db.models import share_group as group_models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr import hosts
from storagemgr.message import api as message_api
from storagemgr.share import constants
from storagemgr.share import driver_views
from storagemgr.types import api as types_api

Share = models.Share
Instance = models.ShareInstance
Snapshot = models.ShareSnapshot
SnapshotInstance = models.ShareSnapshotInstance
Rule = models.ShareAccessRule
RuleState = models.ShareInstanceAccessRule


def find_row(model, ref, what, session=None):
    """The row whose id, or else whose unique display name, is ``ref``."""
    if not isinstance(ref, str) or not ref:
        raise exception.InvalidInput(reason='a %s id or name is needed' %
                                     what)
    row = db_api.get_by(model, session=session, id=ref)
    if row is not None:
        return row
    rows = db_api.query(model, session=session, display_name=ref)
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        raise exception.InvalidInput(
            reason='%d %ss are named %r; use the id' % (
                len(rows), what, ref))
    raise exception.NotFound('No %s with id or name %r.' % (what, ref))


def find_share(ref):
    """The share whose id, or else whose unique name, is ``ref``."""
    return find_row(Share, ref, 'share')


def find_share_and_instance(ref):
    """``find_share`` and its active instance, read in one transaction."""
    def _read(session):
        share = find_row(Share, ref, 'share', session=session)
        return share, active_instance(share.id, session=session)
    return db_session.run(_read)


def find_snapshot(ref):
    return find_row(Snapshot, ref, 'share snapshot')


def get_share(share_id, session=None):
    return db_api.get(Share, share_id, session=session,
                      resource_name='Share')


def get_snapshot(snapshot_id, session=None):
    return db_api.get(Snapshot, snapshot_id, session=session,
                      resource_name='Share snapshot')


def get_rule(rule_id, session=None):
    return db_api.get(Rule, rule_id, session=session,
                      resource_name='Access rule')


def active_instance(share_id, session=None):
    """The share's active instance.

    :raises NotFound: the share (or its instance) is gone.
    """
    row = db_api.get_by(Instance, session=session, share_id=share_id,
                        active=True)
    if row is None:
        raise exception.NotFound('Share %s has no active instance.' %
                                 share_id)
    return row


def snapshot_instance(snapshot_id, session=None):
    """The snapshot's instance on its share's active instance."""
    def _query(sess):
        return sess.execute(
            sa.select(SnapshotInstance).join(
                Instance,
                Instance.id == SnapshotInstance.share_instance_id).where(
                SnapshotInstance.snapshot_id == snapshot_id,
                Instance.active.is_(True))).scalars().first()
    row = db_session.run(_query, session)
    if row is None:
        raise exception.NotFound('Share snapshot %s has no instance on its '
                                 'share\'s active instance.' % snapshot_id)
    return row


def list_shares(backend=None, status=None):
    """``(share, active instance)`` pairs, oldest first.

    :param backend: a backend name, or a host string: with a pool, only
        that pool's shares.
    :param status: a status or a list of them, of the active instance.
    """
    place = hosts.parse(backend) if backend is not None else None

    def _query(sess):
        query = sa.select(Share, Instance).join(
            Instance, sa.and_(Instance.share_id == Share.id,
                              Instance.active.is_(True)))
        if place is not None:
            query = query.where(Instance.backend == place.backend)
            if place.pool is not None:
                query = query.where(Instance.host.endswith(
                    '#' + place.pool, autoescape=True))
        if status is not None:
            statuses = [status] if isinstance(status, str) else list(status)
            query = query.where(Instance.status.in_(statuses))
        return [tuple(r) for r in sess.execute(
            query.order_by(Share.created_at))]
    return db_session.run(_query)


def list_snapshots(share_id=None):
    """``(snapshot, its instance on the active share instance)`` pairs."""
    def _query(sess):
        query = sa.select(Snapshot, SnapshotInstance).join(
            SnapshotInstance, SnapshotInstance.snapshot_id == Snapshot.id
        ).join(Instance, sa.and_(
            Instance.id == SnapshotInstance.share_instance_id,
            Instance.active.is_(True)))
        if share_id is not None:
            query = query.where(Snapshot.share_id == share_id)
        return [tuple(r) for r in sess.execute(
            query.order_by(Snapshot.created_at))]
    return db_session.run(_query)


def list_rules(share_id, state=None, session=None):
    """The share's access rules, each with its state on the active instance.

    Rows read as rules (``id``, ``access_type``, ``access_to``,
    ``access_level``, ``access_key``, ``created_at``) plus ``state`` and
    ``share_instance_id``.
    """
    def _query(sess):
        query = sa.select(
            Rule.id, Rule.share_id, Rule.access_type, Rule.access_to,
            Rule.access_level, Rule.access_key, Rule.created_at,
            RuleState.state, RuleState.share_instance_id).join(
            RuleState, RuleState.access_id == Rule.id).join(
            Instance, sa.and_(Instance.id == RuleState.share_instance_id,
                              Instance.active.is_(True))).where(
            Rule.share_id == share_id)
        if state is not None:
            states = [state] if isinstance(state, str) else list(state)
            query = query.where(RuleState.state.in_(states))
        return list(sess.execute(query.order_by(Rule.created_at)))
    return db_session.run(_query, session)


def share_record(share, instance, type_names=None):
    """What the CLI and Python callers see of a share.

    ``type_names``: ``{type id: name}`` when the caller read them for many
    shares at once.
    """
    if type_names is None:
        type_names = types_api.share_types.names_of([share.share_type_id])
    return {
        'id': share.id,
        'name': share.display_name,
        'size': share.size,
        'share_proto': share.share_proto,
        'backend': instance.backend,
        'host': instance.host,
        'status': instance.status,
        'task_state': share.task_state,
        'progress': instance.progress,
        'export_locations': driver_views.export_locations(
            instance.export_locations),
        'instance_id': instance.id,
        'snapshot_id': share.snapshot_id,
        'share_type': type_names.get(share.share_type_id),
        'share_type_id': share.share_type_id,
        'availability_zone': instance.availability_zone,
        'share_group_id': share.share_group_id,
        'metadata': dict(share.share_metadata or {}),
        'failure_reason': message_api.failure_detail_of(
            message_api.SHARE, share.id, instance.status),
        'created_at': _iso(share.created_at),
        'updated_at': _iso(max(filter(None, (share.updated_at,
                                             instance.updated_at)),
                               default=None)),
    }


def snapshot_record(snapshot, instance):
    return {
        'id': snapshot.id,
        'name': snapshot.display_name,
        'share_id': snapshot.share_id,
        'size': snapshot.size,
        'status': instance.status,
        'progress': instance.progress,
        'provider_location': instance.provider_location,
        'export_locations': driver_views.export_locations(
            instance.export_locations),
        'instance_id': instance.id,
        'failure_reason': message_api.failure_detail_of(
            message_api.SHARE_SNAPSHOT, snapshot.id, instance.status),
        'created_at': _iso(snapshot.created_at),
        'updated_at': _iso(max(filter(None, (snapshot.updated_at,
                                             instance.updated_at)),
                               default=None)),
    }


def rule_record(rule):
    """``rule``: a row of ``list_rules``."""
    return {
        'id': rule.id,
        'share_id': rule.share_id,
        'access_type': rule.access_type,
        'access_to': rule.access_to,
        'access_level': rule.access_level,
        'state': rule.state,
        'created_at': _iso(rule.created_at),
    }


def _iso(value):
    return value.isoformat() if value is not None else None


def no_snapshots_criterion():
    """SQL, on a share instance: its share has no snapshots."""
    return ~sa.exists().where(Snapshot.share_id == Instance.share_id)


def no_group_snapshot_members_criterion():
    """SQL, on a share instance: its share is in no group snapshot."""
    member = group_models.ShareGroupSnapshotMember
    return ~sa.exists().where(member.share_id == Instance.share_id)


def no_rules_in_transition_criterion():
    """SQL, on a share instance: none of its rules is being changed."""
    return ~sa.exists().where(sa.and_(
        RuleState.share_instance_id == Instance.id,
        RuleState.state.in_(sorted(constants.ACCESS_TRANSITIONAL_STATES))))


def no_share_rules_in_transition_criterion():
    """SQL, on any instance of a share: none of the share's rules moves."""
    return ~sa.exists().where(sa.and_(
        Rule.share_id == Instance.share_id,
        RuleState.access_id == Rule.id,
        RuleState.state.in_(sorted(constants.ACCESS_TRANSITIONAL_STATES))))


def transition(model, row_id, expected, values, action, what,
               criteria=(), session=None, conditions=None, shown_id=None):
    """Move a row from one of ``expected`` statuses, or refuse clearly.

    :param conditions: what ``criteria`` require, in words, for the
        refusal when the status fitted but a criterion did not.
    :param shown_id: the id a refusal names (default ``row_id``): the
        user's share for a change of one of its instances.
    :raises InvalidState: the row is in another status, or a criterion
        refused it (nothing changed).
    """
    if db_api.conditional_update(model, row_id, values,
                                 expected={'status': list(expected)},
                                 criteria=criteria, session=session):
        return
    current = db_api.get(model, row_id, session=session,
                         resource_name=what)
    shown_id = shown_id or row_id
    if current.status in expected:
        # The status fitted, so an extra criterion refused it.
        raise exception.ConditionNotMet(
            resource=what, id=shown_id, status=current.status,
            action=action, conditions=conditions or 'conditions that '
            'another operation changed meanwhile')
    raise exception.InvalidState(resource=what, id=shown_id,
                                 status=current.status, action=action,
                                 expected=' or '.join(expected))


def transition_share(share_id, expected, values, action, criteria=(),
                     session=None, conditions=None):
    """``transition`` of the share's active instance; returns its id.

    Refusals name the share (the user's id), not the instance.
    """
    instance = active_instance(share_id, session=session)
    transition(Instance, instance.id, expected, values, action, 'Share',
               criteria=criteria, session=session, conditions=conditions,
               shown_id=share_id)
    return instance.id


def transition_snapshot(snapshot_id, expected, values, action,
                        session=None, with_secondaries=False):
    """``transition`` of the snapshot's instance; returns its id.

    ``with_secondaries``: its instances on secondary replicas that are in
    one of ``expected`` move too, in the same transaction.
    """
    instance = snapshot_instance(snapshot_id, session=session)
    transition(SnapshotInstance, instance.id, expected, values, action,
               'Share snapshot', session=session, shown_id=snapshot_id)
    if with_secondaries:
        db_session.run(lambda sess: db_bulk.update_where(
            sess, SnapshotInstance, values,
            SnapshotInstance.snapshot_id == snapshot_id,
            SnapshotInstance.id != instance.id,
            SnapshotInstance.status.in_(list(expected))), session)
    return instance.id


def no_secondary_replicas_criterion():
    """SQL, on a share instance: its share has no secondary replica."""
    other = orm.aliased(Instance)
    return ~sa.exists().where(other.share_id == Instance.share_id,
                              other.active.is_(False),
                              other.replica_state.isnot(None))


def secondary_replica_ids(share_id, session=None):
    return db_session.run(lambda sess: list(sess.scalars(
        sa.select(Instance.id).where(
            Instance.share_id == share_id, Instance.active.is_(False),
            Instance.replica_state.isnot(None)).order_by(Instance.id))),
        session)


def add_secondary_snapshot_instances(session, share_id, snapshot_id,
                                     status):
    """Insert the snapshot's instances on the share's secondaries.

    One INSERT for all; only available secondaries get one (a replica
    still being created gets the snapshot when it is created).
    """
    replica_ids = list(session.scalars(sa.select(Instance.id).where(
        Instance.share_id == share_id, Instance.active.is_(False),
        Instance.replica_state.isnot(None),
        Instance.status == constants.STATUS_AVAILABLE)))
    if replica_ids:
        db_bulk.insert(session, SnapshotInstance, [
            {'id': uuidutils.generate_uuid(), 'snapshot_id': snapshot_id,
             'share_instance_id': replica_id, 'status': status}
            for replica_id in replica_ids])
    return replica_ids


def share_view(share_id, session=None):
    """Driver view of the share's active instance."""
    return db_session.run(lambda sess: driver_views.share_view(
        get_share(share_id, session=sess),
        active_instance(share_id, session=sess)), session)


def snapshot_view(snapshot_id, session=None):
    """Driver view of the snapshot's instance on the active instance."""
    def _read(sess):
        snapshot = get_snapshot(snapshot_id, session=sess)
        instance = snapshot_instance(snapshot_id, session=sess)
        return driver_views.snapshot_view(
            snapshot, instance, get_share(snapshot.share_id, session=sess),
            db_api.get(Instance, instance.share_instance_id, session=sess))
    return db_session.run(_read, session)


def get_share_record(share_id):
    # Rows read together; the record is built after the transaction,
    # since its failure reason reads the messages in a session of its own.
    return share_record(*db_session.run(lambda sess: (
        get_share(share_id, session=sess),
        active_instance(share_id, session=sess))))


def get_snapshot_record(snapshot_id):
    return snapshot_record(get_snapshot(snapshot_id),
                           snapshot_instance(snapshot_id))
