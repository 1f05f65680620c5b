"""Database rows to the plain dicts drivers see (the one place that does).

Drivers never get rows: a row is bound to a session and carries columns no
driver should rely on. The keys are listed in ``storagemgr.volume.driver``.
"""


def volume_view(row):
    return {
        'id': row.id,
        'name': row.name,
        'size': row.size,
        'status': row.status,
        'backend': row.backend,
        'provider_location': row.provider_location,
        'consistencygroup_id': row.consistencygroup_id,
        'snapshot_id': row.snapshot_id,
        'source_volid': row.source_volid,
    }


def snapshot_view(row, volume_row=None):
    view = {
        'id': row.id,
        'name': row.name,
        'status': row.status,
        'volume_id': row.volume_id,
        'cgsnapshot_id': row.cgsnapshot_id,
        'size': row.size,
        'volume_size': row.size,
        'provider_location': row.provider_location,
    }
    if volume_row is not None:
        view['volume_size'] = volume_row.size
        view['volume'] = volume_view(volume_row)
    return view


def group_view(row):
    return {
        'id': row.id,
        'name': row.name,
        'status': row.status,
        'backend': row.backend,
        'cgsnapshot_id': row.cgsnapshot_id,
        'source_cgid': row.source_cgid,
    }


def cgsnapshot_view(row):
    return {
        'id': row.id,
        'name': row.name,
        'status': row.status,
        'consistencygroup_id': row.consistencygroup_id,
    }
