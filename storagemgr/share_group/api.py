"""The share group service layer: groups and group snapshots.

Every operation is a claim (conditional updates and inserts, one
transaction, saved with its flow) and a persisted flow that finishes it
(see ``storagemgr.share.api``). Writes that concern every member are one
statement for all of them.
"""

from oslo_utils import uuidutils
import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db import bulk
from storagemgr.db.models import share as share_models
from storagemgr.db.models import share_group as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr import input_checks
from storagemgr.scheduler import placement
from storagemgr.share import api as share_api
from storagemgr.share import constants as share_constants
from storagemgr.share import records as share_records
from storagemgr.share_group import constants
from storagemgr.share_group import placement as group_placement
from storagemgr.share_group import records
from storagemgr.types import api as types_api

Group = models.ShareGroup
GroupSnapshot = models.ShareGroupSnapshot
Member = models.ShareGroupSnapshotMember
Share = share_models.Share
Instance = share_models.ShareInstance


def _new_labels(name, description):
    """The values of a rename; an empty description clears it."""
    values = {}
    if name is not None:
        values['display_name'] = input_checks.display_name(name)
    if description is not None:
        values['description'] = input_checks.display_name(
            description, what='description') or None
    if not values:
        raise exception.InvalidInput(
            reason='nothing to change: give --name or --description')
    return values


def _raise_if_failed(record, operation):
    """``record`` of a group or group snapshot, unless it ended in error.

    The record stays, in error, for the user to see and delete; the
    operation (its words, naming what it was on) still has to fail.
    """
    if record['status'] in constants.ERROR_STATUSES:
        raise exception.ShareBackendException(
            msg='%s failed: %s' % (operation, record['failure_reason'] or
                                   'see its messages'))
    return record


def _insert_group(session, values, share_type_ids):
    """Insert a group with its share types, holding every type it uses."""
    types_api.share_group_types.hold(session, values['share_group_type_id'])
    for type_id in share_type_ids:
        types_api.share_types.hold(session, type_id)
    db_api.create(Group, values, session=session)
    bulk.insert(session, models.ShareGroupShareType,
                [{'share_group_id': values['id'], 'share_type_id': type_id}
                 for type_id in share_type_ids])


def _hold_group(group_id, expected, action, session):
    """Keep the group in ``expected`` until the claim commits (row lock)."""
    share_records.transition(Group, group_id, expected, {}, action,
                             'Share group', session=session)


class API(object):
    """Share groups and share group snapshots of every share backend."""

    def __init__(self, registry=None, context=None):
        self.shares = share_api.API(registry, context)

    # -- groups -------------------------------------------------------------

    def _types_of_new_group(self, share_group_type, share_types):
        """``(group type record, [share type records])`` of a new group.

        Share types named must be among the group type's; none named
        means the group type's, or else the default share type.
        """
        group_type = types_api.share_group_types.resolve(share_group_type)
        allowed = {t['id']: t for t in group_type['share_types']}
        if share_types:
            chosen = [types_api.share_types.get(ref) for ref in
                      dict.fromkeys(share_types)]
            outside = [t['name'] for t in chosen if t['id'] not in allowed]
            if group_type['id'] is not None and outside:
                raise exception.InvalidInput(
                    reason='share type(s) %s are not in share group type '
                           '%s (it allows %s)' % (
                               ', '.join(outside), group_type['name'],
                               ', '.join(sorted(
                                   t['name'] for t in allowed.values()))))
            return group_type, chosen
        if allowed:
            return group_type, sorted(allowed.values(),
                                      key=lambda t: t['name'])
        return group_type, [types_api.share_types.resolve(None)]

    def create(self, name=None, description=None, share_group_type=None,
               share_types=None, source_share_group_snapshot=None,
               backend=None, availability_zone=None):
        """Create a share group, empty or from a group snapshot."""
        from storagemgr.share_group.flows import group as group_flows

        values = {'id': uuidutils.generate_uuid(),
                  'display_name': input_checks.display_name(name),
                  'description': input_checks.display_name(
                      description, what='description'),
                  'status': constants.STATUS_CREATING}
        if source_share_group_snapshot is not None:
            if share_group_type or share_types or backend:
                raise exception.InvalidInput(
                    reason='a group made from a group snapshot takes its '
                           'group type, share types and backend from the '
                           'snapshot\'s group')
            return self._create_from_snapshot(values,
                                              source_share_group_snapshot)
        group_type, kinds = self._types_of_new_group(share_group_type,
                                                     share_types)
        if any(k['id'] is None for k in kinds):
            raise exception.InvalidInput(
                reason='a share group needs share types: name them with '
                       '--share-types or a --share-group-type, or set '
                       'default_share_type')
        pool = group_placement.choose_pool(
            kinds, group_type, availability_zone,
            backend=backend)
        values.update(
            host=group_placement.group_host(pool), backend=pool.backend,
            share_group_type_id=group_type['id'],
            availability_zone=pool.availability_zone,
            consistent_snapshot_support=(
                group_placement.consistent_snapshot_support(pool)))
        type_ids = [k['id'] for k in kinds]

        def claim(session):
            _insert_group(session, values, type_ids)

        self._run(group_flows.create_group_flow,
                  {'group_id': values['id'], 'backend': pool.backend},
                  {'share_group': values['id']},
                  'create of share group %s' % values['id'], claim)
        return _raise_if_failed(self.get(values['id']),
                                'create of share group %s' % values['id'])

    def _create_from_snapshot(self, values, snapshot_ref):
        """Claim a group and one new share per member, then create them."""
        from storagemgr.share_group.flows import group as group_flows

        snapshot = records.find_group_snapshot(snapshot_ref)
        source = db_api.get(Group, snapshot.share_group_id)
        type_ids = records.share_type_ids(source.id)
        sources = db_session.run(
            lambda s: records.members_of(snapshot.id, s))
        values.update(host=source.host, backend=source.backend,
                      share_group_type_id=source.share_group_type_id,
                      availability_zone=source.availability_zone,
                      consistent_snapshot_support=(
                          source.consistent_snapshot_support),
                      source_share_group_snapshot_id=snapshot.id)
        shares, instances = [], []
        for member, share, instance in sources:
            share_id = uuidutils.generate_uuid()
            shares.append({'id': share_id, 'share_proto': share.share_proto,
                           'size': member.size,
                           'share_type_id': share.share_type_id,
                           'share_group_id': values['id'],
                           'share_metadata': {}})
            instances.append({
                'id': uuidutils.generate_uuid(), 'share_id': share_id,
                'active': True, 'host': instance.host,
                'backend': instance.backend,
                'status': share_constants.STATUS_CREATING,
                'share_type_id': share.share_type_id,
                'availability_zone': instance.availability_zone,
                'source_share_group_snapshot_member_id': member.id})
        pools = placement.pools_at('share', source.backend)
        # What each pool gains, counted against the limit of the type of
        # its first new share (read now: the claim opens no session).
        growth = {}
        for share, instance in zip(shares, instances):
            growth.setdefault(instance['host'], [0, share['share_type_id']])
            growth[instance['host']][0] += share['size']
        specs = {type_id: types_api.share_types.specs_of(type_id)
                 for _size, type_id in growth.values()}

        def claim(session):
            share_records.transition(
                GroupSnapshot, snapshot.id, [constants.STATUS_AVAILABLE], {},
                'create a share group from it', 'Share group snapshot',
                session=session)
            _insert_group(session, values, type_ids)
            bulk.insert(session, Share, shares)
            bulk.insert(session, Instance, instances)
            for host, (size, type_id) in sorted(growth.items()):
                placement.reserve_on(session, host, size, pools.get(host),
                                     specs[type_id])

        self._run(group_flows.create_group_from_snapshot_flow,
                  {'group_id': values['id'], 'backend': source.backend,
                   'group_snapshot_id': snapshot.id,
                   'share_ids': [s['id'] for s in shares]},
                  {'share_group': values['id']},
                  'create of share group %s' % values['id'], claim)
        return _raise_if_failed(self.get(values['id']),
                                'create of share group %s' % values['id'])

    def _run(self, factory, store, resource, operation, claim):
        self.shares._run(factory, store, resource, operation, claim=claim)

    def get(self, ref):
        return records.group_record(records.find_group(ref))

    def list(self):
        return records.group_records(
            db_api.query(Group, order_by=Group.created_at))

    def update(self, ref, name=None, description=None):
        """Rename a group or change its description."""
        group = records.find_group(ref)
        db_api.update(Group, group.id, _new_labels(name, description))
        return self.get(group.id)

    def share_ids(self, ref):
        """The ids of the shares in a group."""
        group = records.find_group(ref)
        return [share.id for share, _ in db_session.run(
            lambda s: records.member_shares(group.id, s))]

    def delete(self, ref, force=False):
        """Delete an empty group, or with ``force`` everything in it.

        ``force`` deletes its group snapshots and shares first, each as
        its own delete would; all are claimed with the group, or none is.
        """
        from storagemgr.share_group.flows import group as group_flows

        group = records.find_group(ref)
        claim = (self._claim_with_dependants if force else
                 self._claim_empty)
        self._run(group_flows.delete_group_flow,
                  {'group_id': group.id, 'backend': group.backend},
                  {'share_group': group.id},
                  'delete of share group %s' % group.id,
                  lambda session: claim(group.id, session))
        self._raise_if_kept(group.id)

    def _claim_with_dependants(self, group_id, session):
        share_records.transition(
            Group, group_id, constants.DELETABLE_STATUSES,
            {'status': constants.STATUS_DELETING}, 'delete', 'Share group',
            session=session)
        return {'group_snapshot_ids': self._claim_group_snapshots(
                    group_id, session),
                'share_ids': self._claim_member_shares(group_id, session)}

    @staticmethod
    def _claim_empty(group_id, session):
        empty = [~sa.exists().where(Share.share_group_id == group_id),
                 ~sa.exists().where(GroupSnapshot.share_group_id ==
                                    group_id)]
        try:
            share_records.transition(
                Group, group_id, constants.DELETABLE_STATUSES,
                {'status': constants.STATUS_DELETING}, 'delete',
                'Share group', criteria=empty, session=session,
                conditions='no shares and no group snapshots')
        except exception.ConditionNotMet:
            raise exception.InvalidShareGroup(reason=(
                'share group %s has %d share(s) and %d group snapshot(s); '
                'delete them first, or use --force to delete them with '
                'it' % (group_id,
                        db_api.count(Share, session=session,
                                     share_group_id=group_id),
                        db_api.count(GroupSnapshot, session=session,
                                     share_group_id=group_id))))

    @staticmethod
    def _claim_group_snapshots(group_id, session):
        """Every group snapshot of the group ``deleting``, or refuse."""
        ids = list(session.scalars(sa.select(GroupSnapshot.id).where(
            GroupSnapshot.share_group_id == group_id)))
        if not ids:
            return []
        claimed = bulk.update_where(
            session, GroupSnapshot, {'status': constants.STATUS_DELETING},
            GroupSnapshot.id.in_(ids),
            GroupSnapshot.status.in_(constants.DELETABLE_STATUSES))
        if claimed != len(ids):
            raise exception.InvalidShareGroup(reason=(
                'share group %s has a group snapshot being created or '
                'deleted; try again when it is done' % group_id))
        bulk.update_where(session, Member,
                          {'status': constants.STATUS_DELETING},
                          Member.share_group_snapshot_id.in_(ids))
        return ids

    @staticmethod
    def _claim_member_shares(group_id, session):
        """Every share of the group ``deleting``, or refuse."""
        ids = list(session.scalars(sa.select(Share.id).where(
            Share.share_group_id == group_id).order_by(Share.id)))
        if not ids:
            return []
        claimed = bulk.update_where(
            session, Instance, {'status': share_constants.STATUS_DELETING},
            Instance.share_id.in_(ids), Instance.active.is_(True),
            Instance.status.in_(share_constants.SHARE_DELETABLE_STATUSES),
            share_records.no_snapshots_criterion(),
            share_records.no_rules_in_transition_criterion())
        if claimed != len(ids):
            raise exception.InvalidShareGroup(reason=(
                'not every share of share group %s can be deleted now: '
                'each must be in a deletable status, have no snapshots '
                'of its own and no access rule being changed' % group_id))
        return ids

    @staticmethod
    def _raise_if_kept(group_id):
        group = db_api.get_by(Group, id=group_id)
        if group is not None:
            _raise_if_failed(records.group_record(group),
                             'delete of share group %s' % group_id)

    # -- group snapshots ----------------------------------------------------

    def create_snapshot(self, group_ref, name=None, description=None):
        """Snapshot every share of the group, together."""
        from storagemgr.share_group.flows import snapshot as snapshot_flows

        group = records.find_group(group_ref)
        pools = placement.pools_at('share', group.host).values()
        if pools and not any(p.capabilities.get('snapshot_support')
                             for p in pools):
            raise exception.InvalidShareGroup(reason=(
                'share group %s is on %s, which does not support '
                'snapshots' % (group.id, group.host)))
        values = {'id': uuidutils.generate_uuid(),
                  'share_group_id': group.id,
                  'display_name': input_checks.display_name(name),
                  'description': input_checks.display_name(
                      description, what='description'),
                  'status': constants.STATUS_CREATING}

        def claim(session):
            _hold_group(group.id, [constants.STATUS_AVAILABLE], 'snapshot',
                        session)
            shares = session.execute(
                sa.select(Share.id, Share.size, Share.share_proto,
                          Instance.id, Instance.status).join(
                    Instance, sa.and_(Instance.share_id == Share.id,
                                      Instance.active.is_(True))).where(
                    Share.share_group_id == group.id).order_by(
                    Share.id).with_for_update()).all()
            busy = ['%s (%s)' % (row[0], row[4]) for row in shares
                    if row[4] != share_constants.STATUS_AVAILABLE]
            if busy:
                raise exception.InvalidShareGroup(reason=(
                    'every share of share group %s must be available to '
                    'snapshot it; these are not: %s' % (
                        group.id, ', '.join(busy))))
            db_api.create(GroupSnapshot, values, session=session)
            bulk.insert(session, Member, [{
                'id': uuidutils.generate_uuid(),
                'share_group_snapshot_id': values['id'],
                'share_id': share_id, 'share_instance_id': instance_id,
                'size': size, 'share_proto': proto,
                'status': constants.STATUS_CREATING}
                for share_id, size, proto, instance_id, _s in shares])

        self._run(snapshot_flows.create_group_snapshot_flow,
                  {'group_snapshot_id': values['id'],
                   'backend': group.backend},
                  {'share_group_snapshot': values['id']},
                  'snapshot of share group %s' % group.id, claim)
        return _raise_if_failed(
            self.get_snapshot(values['id']), 'snapshot %s of share group %s'
            % (values['id'], group.id))

    def get_snapshot(self, ref):
        return records.group_snapshot_record(
            records.find_group_snapshot(ref))

    def list_snapshots(self, group_ref=None):
        filters = {}
        if group_ref is not None:
            filters['share_group_id'] = records.find_group(group_ref).id
        return [records.group_snapshot_record(s) for s in db_api.query(
            GroupSnapshot, order_by=GroupSnapshot.created_at, **filters)]

    def update_snapshot(self, ref, name=None, description=None):
        """Rename a group snapshot or change its description."""
        snapshot = records.find_group_snapshot(ref)
        db_api.update(GroupSnapshot, snapshot.id,
                      _new_labels(name, description))
        return self.get_snapshot(snapshot.id)

    def list_snapshot_members(self, ref):
        snapshot = records.find_group_snapshot(ref)
        return [records.member_record(m) for m in db_api.query(
            Member, share_group_snapshot_id=snapshot.id,
            order_by=Member.id)]

    def delete_snapshot(self, ref, force=False):
        """Delete a group snapshot and its members' backend snapshots.

        ``force``: the records go even when the driver fails (what the
        backend may still hold is logged).
        """
        from storagemgr.share_group.flows import snapshot as snapshot_flows

        snapshot = records.find_group_snapshot(ref)
        group = db_api.get(Group, snapshot.share_group_id)

        def claim(session):
            share_records.transition(
                GroupSnapshot, snapshot.id, constants.DELETABLE_STATUSES,
                {'status': constants.STATUS_DELETING}, 'delete',
                'Share group snapshot', session=session)
            bulk.update_where(session, Member,
                              {'status': constants.STATUS_DELETING},
                              Member.share_group_snapshot_id == snapshot.id)

        self._run(snapshot_flows.delete_group_snapshot_flow,
                  {'group_snapshot_id': snapshot.id,
                   'backend': group.backend, 'force': bool(force)},
                  {'share_group_snapshot': snapshot.id},
                  'delete of share group snapshot %s' % snapshot.id, claim)
        kept = db_api.get_by(GroupSnapshot, id=snapshot.id)
        if kept is not None:
            _raise_if_failed(records.group_snapshot_record(kept),
                             'delete of share group snapshot %s' % kept.id)
