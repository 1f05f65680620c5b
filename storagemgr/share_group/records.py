"""Share group records: lookups, what callers see, what drivers see.

Lookups take an id or a unique name, like the share ones. Driver views are
built here from rows read in one transaction, so flows never assemble
them by hand.
"""

import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db.models import share as share_models
from storagemgr.db.models import share_group as models
from storagemgr.db import session as db_session
from storagemgr.message import api as message_api
from storagemgr.share import driver_views
from storagemgr.share import records as share_records
from storagemgr.types import api as types_api

Group = models.ShareGroup
GroupShareType = models.ShareGroupShareType
GroupSnapshot = models.ShareGroupSnapshot
Member = models.ShareGroupSnapshotMember
Share = share_models.Share
Instance = share_models.ShareInstance


def find_group(ref, session=None):
    """The group whose id, or else whose unique name, is ``ref``."""
    return share_records.find_row(Group, ref, 'share group', session)


def find_group_snapshot(ref, session=None):
    return share_records.find_row(GroupSnapshot, ref,
                                  'share group snapshot', session)


def share_type_ids(group_id, session=None):
    """The ids of the share types the group's shares may be of."""
    return db_session.run(lambda s: list(s.scalars(
        sa.select(GroupShareType.share_type_id).where(
            GroupShareType.share_group_id == group_id).order_by(
            GroupShareType.share_type_id))), session)


def member_shares(group_id, session):
    """``(share, active instance)`` of every share in the group."""
    return list(session.execute(
        sa.select(Share, Instance).join(
            Instance, sa.and_(Instance.share_id == Share.id,
                              Instance.active.is_(True))).where(
            Share.share_group_id == group_id).order_by(Share.created_at,
                                                       Share.id)))


def members_of(group_snapshot_id, session):
    """``(member, share, instance)`` of every member of a group snapshot."""
    return list(session.execute(
        sa.select(Member, Share, Instance).join(
            Share, Share.id == Member.share_id).join(
            Instance, Instance.id == Member.share_instance_id).where(
            Member.share_group_snapshot_id == group_snapshot_id).order_by(
            Member.id)))


def group_view(group_id, with_shares=False):
    """Driver view of a group; with its shares' instances when asked."""
    def _read(session):
        group = db_api.get(Group, group_id, session=session,
                           resource_name='Share group')
        shares = ([driver_views.share_view(share, instance)
                   for share, instance in member_shares(group_id, session)]
                  if with_shares else ())
        return driver_views.share_group_view(
            group, share_type_ids(group_id, session), shares)
    return db_session.run(_read)


def group_snapshot_view(group_snapshot_id):
    """Driver view of a group snapshot with its members and its group."""
    def _read(session):
        snapshot = db_api.get(GroupSnapshot, group_snapshot_id,
                              session=session,
                              resource_name='Share group snapshot')
        group = db_api.get(Group, snapshot.share_group_id,
                           session=session, resource_name='Share group')
        members = [driver_views.share_group_snapshot_member_view(
            member, share, instance) for member, share, instance in
            members_of(group_snapshot_id, session)]
        return driver_views.share_group_snapshot_view(
            snapshot, driver_views.share_group_view(
                group, share_type_ids(group.id, session)), members)
    return db_session.run(_read)


def _iso(value):
    return value.isoformat() if value is not None else None


def group_records(groups):
    """``group_record`` of each group, its types read once for all."""
    ids = [group.id for group in groups]
    type_ids = {group_id: [] for group_id in ids}
    for group_id, type_id in db_session.run(lambda s: s.execute(
            sa.select(GroupShareType.share_group_id,
                      GroupShareType.share_type_id).where(
                GroupShareType.share_group_id.in_(ids)).order_by(
                GroupShareType.share_type_id)).all()):
        type_ids[group_id].append(type_id)
    names = types_api.share_group_types.names_of(
        {g.share_group_type_id for g in groups})
    share_names = types_api.share_types.names_of(
        {i for found in type_ids.values() for i in found})
    return [group_record(group, type_ids[group.id], names, share_names)
            for group in groups]


def group_record(group, share_type_ids_=None, names=None,
                 share_names=None):
    """What the CLI and Python callers see of a group.

    ``names`` and ``share_names``: ``{type id: name}`` of group types and
    share types when the caller read them for many groups at once.
    """
    if share_type_ids_ is None:
        share_type_ids_ = share_type_ids(group.id)
    if share_names is None:
        share_names = types_api.share_types.names_of(share_type_ids_)
    return {
        'id': group.id,
        'name': group.display_name,
        'description': group.description,
        'status': group.status,
        'host': group.host,
        'backend': group.backend,
        'share_group_type_id': group.share_group_type_id,
        'share_group_type': (names if names is not None else
                             types_api.share_group_types.names_of(
                                 [group.share_group_type_id])).get(
            group.share_group_type_id),
        'share_types': [share_names.get(i, i) for i in share_type_ids_],
        'share_type_ids': list(share_type_ids_),
        'source_share_group_snapshot_id':
            group.source_share_group_snapshot_id,
        'availability_zone': group.availability_zone,
        'consistent_snapshot_support': group.consistent_snapshot_support,
        'share_network_id': group.share_network_id,
        'failure_reason': message_api.failure_detail_of(
            message_api.SHARE_GROUP, group.id, group.status),
        'created_at': _iso(group.created_at),
        'updated_at': _iso(group.updated_at),
    }


def group_snapshot_record(snapshot):
    return {
        'id': snapshot.id,
        'name': snapshot.display_name,
        'description': snapshot.description,
        'share_group_id': snapshot.share_group_id,
        'status': snapshot.status,
        'failure_reason': message_api.failure_detail_of(
            message_api.SHARE_GROUP_SNAPSHOT, snapshot.id, snapshot.status),
        'created_at': _iso(snapshot.created_at),
        'updated_at': _iso(snapshot.updated_at),
    }


def member_record(member):
    return {
        'id': member.id,
        'share_group_snapshot_id': member.share_group_snapshot_id,
        'share_id': member.share_id,
        'share_instance_id': member.share_instance_id,
        'size': member.size,
        'share_proto': member.share_proto,
        'status': member.status,
        'provider_location': member.provider_location,
        'created_at': _iso(member.created_at),
    }
