"""The dicts handed to share drivers, built from database rows.

This is the only place that decides what a driver sees: the keys agreed
with the driver contract, plain values only (a driver never gets a row it
could write through). ``name`` follows the reference's template and is what
drivers use for backend objects; ``display_name`` is the user's text and
never belongs in a path or a command.
"""

from storagemgr.share import constants


def _iso(value):
    return value.isoformat() if value is not None else None


def export_locations(value):
    """Export locations as a list of {path, is_admin_only, metadata}."""
    return [dict(location) for location in (value or [])]


def share_view(share):
    """Driver dict for a share row (or a dict with the same keys)."""
    return {
        'id': share.id,
        'name': constants.SHARE_NAME_TEMPLATE % share.id,
        'display_name': share.display_name,
        'size': share.size,
        'share_proto': share.share_proto,
        'host': share.backend,
        'status': share.status,
        'export_locations': export_locations(share.export_locations),
        'export_location': (share.export_locations or [{}])[0].get('path'),
        'share_group_id': None,
        'metadata': dict(share.share_metadata or {}),
        'snapshot_id': share.snapshot_id,
        'created_at': _iso(share.created_at),
    }


def snapshot_view(snapshot, share):
    """Driver dict for a snapshot row, with its share's driver dict."""
    share_dict = share_view(share)
    return {
        'id': snapshot.id,
        'name': constants.SNAPSHOT_NAME_TEMPLATE % snapshot.id,
        'display_name': snapshot.display_name,
        'share_id': share.id,
        'share': share_dict,
        'share_name': share_dict['name'],
        'size': snapshot.size if snapshot.size is not None else share.size,
        'share_size': share.size,
        'share_proto': share.share_proto,
        'status': snapshot.status,
        'provider_location': snapshot.provider_location,
        'export_locations': export_locations(snapshot.export_locations),
    }


def access_view(rule):
    """Driver dict for an access rule row."""
    return {
        'id': rule.id,
        'access_type': rule.access_type,
        'access_to': rule.access_to,
        'access_level': rule.access_level,
        'access_key': None,
        'state': rule.state,
    }
