"""Share groups and group snapshots built from single-share operations.

A backend without native share groups still gets them: a group is only a
record, a group snapshot is one snapshot per member share, and a group
created from a group snapshot is one share per member snapshot. Drivers
with native support override these methods.

Two weaknesses of the reference fallback are fixed here: the snapshot
dicts handed to the driver carry every key a single snapshot has
(``share_name``, ``name``, ``provider_location``...), and a failed member
cleans up the members already snapshotted whatever the exception class,
then raises the original error even when a clean-up fails too.
"""

from oslo_log import log as logging

from storagemgr import exception
from storagemgr.i18n import _

LOG = logging.getLogger(__name__)


def member_snapshot(member, provider_location=None):
    """The single-snapshot dict for one member of a group snapshot."""
    share = member['share']
    return {
        'id': member['id'],
        'snapshot_id': member.get('share_group_snapshot_id'),
        'share_group_snapshot_id': member.get('share_group_snapshot_id'),
        'share_id': member.get('share_id', share['id']),
        'share_instance_id': share['id'],
        'share': share,
        'share_name': member.get('share_name') or share.get('name'),
        'name': member.get('name') or 'share-snapshot-%s' % member['id'],
        'display_name': member.get('display_name'),
        'size': share['size'],
        'share_size': share['size'],
        'share_proto': share['share_proto'],
        'status': member.get('status'),
        'provider_location': provider_location,
    }


class ShareGroupFallbackMixin(object):
    """Share group operations in terms of the driver's share operations."""

    def create_share_group(self, context, share_group_dict,
                           share_server=None):
        """Create a share group; a no-op without native groups.

        :returns: None, or a dict of values to update on the group.
        """
        LOG.debug('Share group %s created (no backend object).',
                  share_group_dict['id'])

    def delete_share_group(self, context, share_group_dict,
                           share_server=None):
        """Delete a share group; a no-op without native groups.

        :returns: None, or a dict of values to update on the group.
        """
        LOG.debug('Share group %s deleted (no backend object).',
                  share_group_dict['id'])

    def create_share_group_snapshot(self, context, snap_dict,
                                    share_server=None):
        """Snapshot every member share, one ``create_snapshot`` each.

        :param snap_dict: the group snapshot, with
            ``share_group_snapshot_members`` (each with ``id``, ``share``,
            ``share_id``, ``share_name``, ``name``...).
        :returns: ``(group_snapshot_update, member_updates)``: None and a
            list of the members' non-empty updates, each with its ``id``;
            ``(None, None)`` when the group has no members.
        :raises ShareGroupSnapshotNotSupported: the backend reports no
            snapshot support.
        """
        members = snap_dict.get('share_group_snapshot_members') or []
        if not self._stats.get('snapshot_support'):
            raise exception.ShareGroupSnapshotNotSupported(
                share_group=snap_dict.get('share_group_id'))
        if not members:
            LOG.warning('Share group snapshot %s has no members.',
                        snap_dict['id'])
            return None, None
        created = []
        member_updates = []
        for member in members:
            share_snapshot = member_snapshot(member)
            try:
                update = self.create_snapshot(context, share_snapshot,
                                              share_server=share_server)
            except Exception:
                LOG.exception('Snapshot of share %(share)s failed for '
                              'group snapshot %(group)s; removing the '
                              '%(n)d member snapshots already taken.',
                              {'share': share_snapshot['share_id'],
                               'group': snap_dict['id'],
                               'n': len(created)})
                self._cleanup_group_share_snapshots(context, created,
                                                    share_server)
                raise
            created.append(share_snapshot)
            if update:
                update = dict(update, id=member['id'])
                member_updates.append(update)
        return None, member_updates

    def _cleanup_group_share_snapshots(self, context, share_snapshots,
                                       share_server):
        """Best-effort removal of member snapshots; failures are logged."""
        for share_snapshot in share_snapshots:
            try:
                self._cleanup_group_share_snapshot(context, share_snapshot,
                                                   share_server)
            except Exception:
                # Already logged; the caller raises the original error.
                pass

    def _cleanup_group_share_snapshot(self, context, share_snapshot,
                                      share_server):
        """Delete one member snapshot; log and re-raise on failure."""
        try:
            self.delete_snapshot(context, share_snapshot,
                                 share_server=share_server)
        except Exception:
            LOG.error('Could not delete snapshot %(snap)s of share '
                      '%(share)s while cleaning up a group snapshot.',
                      {'snap': share_snapshot['id'],
                       'share': share_snapshot['share_id']})
            raise

    def delete_share_group_snapshot(self, context, snap_dict,
                                    share_server=None):
        """Delete every member snapshot, one ``delete_snapshot`` each.

        :returns: ``(None, None)``.
        """
        for member in snap_dict.get('share_group_snapshot_members') or []:
            share_snapshot = member_snapshot(
                member, provider_location=member.get('provider_location'))
            self.delete_snapshot(context, share_snapshot,
                                 share_server=share_server)
        LOG.debug('Share group snapshot %s deleted.', snap_dict['id'])
        return None, None

    def create_share_group_from_share_group_snapshot(
            self, context, share_group_dict, share_group_snapshot_dict,
            share_server=None):
        """Create each new member share from its member snapshot.

        :param share_group_dict: the new group, with ``shares``; each share
            names its source in ``source_share_group_snapshot_member_id``.
        :returns: ``(None, share_updates)`` where each update is
            ``{'id': share id, 'export_locations': ...}`` (whatever
            ``create_share_from_snapshot`` returned); ``(None, None)`` when
            the group snapshot has no members.
        :raises InvalidShareGroup: a new share matches no member.
        """
        if not share_group_snapshot_dict.get(
                'share_group_snapshot_members'):
            return None, None
        share_updates = []
        for clone in self._collate_share_group_snapshot_info(
                share_group_dict, share_group_snapshot_dict):
            share, member = clone['share'], clone['snapshot']
            kwargs = {}
            if self.driver_handles_share_servers:
                kwargs['share_server'] = share_server
            snapshot = member_snapshot(
                member, provider_location=member.get('provider_location'))
            export_locations = self.create_share_from_snapshot(
                context, share, snapshot, **kwargs)
            share_updates.append({'id': share['id'],
                                  'export_locations': export_locations})
        return None, share_updates

    def _collate_share_group_snapshot_info(self, share_group_dict,
                                           share_group_snapshot_dict):
        """Pair each new share with the group snapshot member it copies.

        :returns: a list of ``{'share': share, 'snapshot': member}``.
        :raises InvalidShareGroup: a share names no member of the snapshot.
        """
        members = {m['id']: m for m in
                   share_group_snapshot_dict['share_group_snapshot_members']}
        pairs = []
        for share in share_group_dict.get('shares') or []:
            member = members.get(
                share.get('source_share_group_snapshot_member_id'))
            if member is None:
                raise exception.InvalidShareGroup(reason=_(
                    'share %(share)s matches no member of share group '
                    'snapshot %(snap)s') % {
                        'share': share['id'],
                        'snap': share_group_snapshot_dict['id']})
            pairs.append({'share': share, 'snapshot': member})
        return pairs
