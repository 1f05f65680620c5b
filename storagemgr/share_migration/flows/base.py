"""What the migration flows' tasks share: the driver views of both sides.

A migration's store holds only ids (``share_id``, ``migration_id``); each
task reads the rows it needs, so a flow resumed by another process sees
what the database says now.
"""

import collections

from oslo_log import log as logging

from storagemgr.db import api as db_api
from storagemgr.db.models import share as share_models
from storagemgr.db import session as db_session
from storagemgr.share import driver_views
from storagemgr.share import records as share_records
from storagemgr.share_migration import records

LOG = logging.getLogger(__name__)

Instance = share_models.ShareInstance
SnapshotInstance = share_models.ShareSnapshotInstance

Sides = collections.namedtuple('Sides', [
    'migration', 'share', 'source', 'destination', 'source_view',
    'destination_view', 'source_snapshots', 'snapshot_mappings'])


def sides(migration_id, context=None):
    """Both instances of a migration and the driver views of them.

    ``source_snapshots``: views of the source's snapshot instances;
    ``snapshot_mappings``: source snapshot instance id -> view of the
    destination snapshot instance made for it (preserved snapshots).
    """
    with db_session.session_scope() as session:
        migration = records.get(migration_id, session=session)
        share = db_api.get(share_models.Share, migration.share_id,
                           session=session)
        source = db_api.get(Instance, migration.source_instance_id,
                            session=session)
        destination = session.get(Instance,
                                  migration.destination_instance_id)
        snapshots = {s.id: s for s in db_api.query(
            share_models.ShareSnapshot, session=session,
            share_id=share.id)}
        by_instance = collections.defaultdict(dict)
        ids = [source.id] + ([destination.id] if destination else [])
        for row in db_api.query(SnapshotInstance, session=session,
                                share_instance_id=ids):
            by_instance[row.share_instance_id][row.snapshot_id] = row
    source_snapshots, mappings = [], {}
    for snapshot_id, row in sorted(by_instance[source.id].items()):
        snapshot = snapshots[snapshot_id]
        source_snapshots.append(driver_views.snapshot_view(
            snapshot, row, share, source))
        target = by_instance[destination.id].get(snapshot_id) \
            if destination else None
        if target is not None:
            mappings[row.id] = driver_views.snapshot_view(
                snapshot, target, share, destination)
    return Sides(
        migration, share, source, destination,
        driver_views.share_view(share, source),
        driver_views.share_view(share, destination) if destination
        else None, source_snapshots, mappings)


def cast_rules(driver, context, share_id, share_view, read_only):
    """Re-apply every rule of the share, all read-only or as granted.

    The reference's way of freezing a share during a copy: the same rules,
    each cast to ``ro``; casting back re-applies them as the user made
    them.
    """
    rules = []
    for rule in share_records.list_rules(share_id):
        view = driver_views.access_view(rule)
        if read_only:
            view['access_level'] = 'ro'
        rules.append(view)
    if not rules:
        return
    driver.update_access(context, share_view, rules, [], [],
                         share_server=None)


def restore_rules_quietly(driver, context, share_id, share_view):
    """``cast_rules(read_only=False)`` from a cleanup: errors are logged."""
    try:
        cast_rules(driver, context, share_id, share_view, False)
    except Exception as e:  # any driver exception, any class
        LOG.warning('Could not restore the access rules of share %(id)s '
                    'after its migration: %(type)s: %(e)s',
                    {'id': share_id, 'type': type(e).__name__, 'e': e})
