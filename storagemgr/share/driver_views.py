"""What share drivers receive, built from database rows.

This is the only place that decides what a driver sees: Manila-shaped
views (``storagemgr.driver_view.DriverView``: ``share['id']`` and
``share.id`` alike) of plain values, never a row a driver could write
through. A share view is the view of a share *instance*: its ``id`` is
the instance's, ``share_id`` the user's share; ``name`` comes from
``[DEFAULT] share_name_template`` and is what drivers name backend
objects after; ``display_name`` is the user's text and never belongs in
a path or a command.
"""

from oslo_config import cfg

from storagemgr.driver_view import DriverView

CONF = cfg.CONF


def _iso(value):
    return value.isoformat() if value is not None else None


def export_locations(value):
    """Export locations as a list of {path, is_admin_only, metadata}."""
    return [dict(location) for location in (value or [])]


def share_view(share, instance):
    """Driver view of a share instance (``share``: its share row)."""
    locations = export_locations(instance.export_locations)
    return DriverView({
        'id': instance.id,
        'share_id': share.id,
        'instance_id': instance.id,
        'name': CONF.share_name_template % instance.id,
        'display_name': share.display_name,
        'size': share.size,
        'share_proto': share.share_proto,
        'host': instance.host,
        'status': instance.status,
        'export_locations': locations,
        'export_location': locations[0]['path'] if locations else None,
        'share_server_id': instance.share_server_id,
        'share_server': None,
        'share_network_id': instance.share_network_id,
        'share_type_id': instance.share_type_id or share.share_type_id,
        'availability_zone': instance.availability_zone,
        'replica_state': instance.replica_state,
        'access_rules_status': instance.access_rules_status,
        'cast_rules_to_readonly': bool(instance.cast_rules_to_readonly),
        'share_group_id': share.share_group_id,
        'source_share_group_snapshot_member_id':
            instance.source_share_group_snapshot_member_id,
        'metadata': dict(share.share_metadata or {}),
        'snapshot_id': share.snapshot_id,
        'project_id': None,
        'user_id': None,
        'is_public': False,
        'created_at': _iso(share.created_at),
    })


def snapshot_view(snapshot, snapshot_instance, share, share_instance):
    """Driver view of a snapshot instance and the share instance it is on."""
    share_dict = share_view(share, share_instance)
    return DriverView({
        'id': snapshot_instance.id,
        'snapshot_id': snapshot.id,
        'name': CONF.share_snapshot_name_template % snapshot_instance.id,
        'display_name': snapshot.display_name,
        'share_instance_id': share_instance.id,
        'share_id': share.id,
        'share': share_dict,
        'share_instance': share_dict,
        'share_name': share_dict['name'],
        'size': snapshot.size if snapshot.size is not None else share.size,
        'share_size': share.size,
        'share_proto': share.share_proto,
        'status': snapshot_instance.status,
        'progress': snapshot_instance.progress,
        'provider_location': snapshot_instance.provider_location,
        'export_locations': export_locations(
            snapshot_instance.export_locations),
        'created_at': _iso(snapshot.created_at),
    })


def access_view(rule):
    """Driver view of an access rule (a row of ``records.list_rules``)."""
    return DriverView({
        'id': rule.id,
        'access_id': rule.id,
        'access_type': rule.access_type,
        'access_to': rule.access_to,
        'access_level': rule.access_level,
        'access_key': rule.access_key,
        'state': rule.state,
    })


def share_group_view(group, share_type_ids=(), shares=()):
    """Driver view of a share group.

    ``shares``: driver views of its shares' instances (the new shares, for
    a group made from a group snapshot).
    """
    return DriverView({
        'id': group.id,
        'name': group.display_name,
        'description': group.description,
        'host': group.host,
        'status': group.status,
        'share_group_type_id': group.share_group_type_id,
        'share_types': [DriverView({'share_group_id': group.id,
                                    'share_type_id': type_id})
                        for type_id in share_type_ids],
        'source_share_group_snapshot_id':
            group.source_share_group_snapshot_id,
        'share_network_id': group.share_network_id,
        'share_server_id': group.share_server_id,
        'availability_zone': group.availability_zone,
        'availability_zone_id': group.availability_zone,
        'consistent_snapshot_support': group.consistent_snapshot_support,
        'shares': list(shares),
        'project_id': None,
        'user_id': None,
        'created_at': _iso(group.created_at),
    })


def share_group_snapshot_member_view(member, share, share_instance):
    """Driver view of one member of a group snapshot.

    It carries what a single snapshot's view carries (``share``,
    ``share_name``, ``name``, ``size``...), so a driver may hand it to
    its own snapshot code.
    """
    share_dict = share_view(share, share_instance)
    return DriverView({
        'id': member.id,
        'share_group_snapshot_id': member.share_group_snapshot_id,
        'snapshot_id': member.share_group_snapshot_id,
        'name': CONF.share_snapshot_name_template % member.id,
        'share_id': share.id,
        'share_instance_id': share_instance.id,
        'share': share_dict,
        'share_instance': share_dict,
        'share_name': share_dict['name'],
        'size': member.size,
        'share_size': share.size,
        'share_proto': member.share_proto or share.share_proto,
        'status': member.status,
        'provider_location': member.provider_location,
        'created_at': _iso(member.created_at),
    })


def share_group_snapshot_view(group_snapshot, group, members=()):
    """Driver view of a group snapshot (``group``: its group's view)."""
    return DriverView({
        'id': group_snapshot.id,
        'name': group_snapshot.display_name,
        'description': group_snapshot.description,
        'share_group_id': group_snapshot.share_group_id,
        'share_group': group,
        'status': group_snapshot.status,
        'share_group_snapshot_members': list(members),
        'project_id': None,
        'user_id': None,
        'created_at': _iso(group_snapshot.created_at),
    })
