"""Share groups and group snapshots built from single-share operations.

A backend without native share groups still gets them: a group is only a
record, a group snapshot is one snapshot per member share, and a group
created from a group snapshot is one share per member snapshot. Drivers
with native support override these methods.

Members are independent, so each operation runs them in parallel on
the shared member pool (``storagemgr.fanout``, capped per backend by
``group_member_workers``), where the reference goes one by one.

Two weaknesses of the reference fallback are fixed too: the snapshot
dicts handed to the driver carry every key a single snapshot has
(``share_name``, ``name``, ``provider_location``...), and a failed member
has the members already snapshotted deleted again whatever the exception
class, then the original error is raised even when a clean-up fails too.
"""

from oslo_log import log as logging

from storagemgr import exception
from storagemgr import fanout
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
        # A driver set up in this process has reported no stats yet (the
        # scheduler read the ones stored by the manager): ask it now.
        stats = self._stats or self.get_share_stats(refresh=True)
        if not stats.get('snapshot_support'):
            raise exception.ShareGroupSnapshotNotSupported(
                share_group=snap_dict.get('share_group_id'))
        if not members:
            LOG.warning('Share group snapshot %s has no members.',
                        snap_dict['id'])
            return None, None
        results = self._per_member(
            lambda member: self.create_snapshot(
                context, member_snapshot(member), share_server=share_server),
            members)
        failed = []
        for member, returned, error in results:
            error = error or _bad_member_return(type(self).__name__, member,
                                                returned)
            if error is not None:
                failed.append((member, error))
        if failed:
            # A member that returned badly may have its snapshot too.
            taken = [member_snapshot(m) for m, _r, e in results
                     if e is None]
            LOG.error('Snapshots of %(n)d of the %(total)d members of '
                      'group snapshot %(group)s failed (first: share '
                      '%(share)s); deleting the %(taken)d taken.',
                      {'n': len(failed), 'total': len(members),
                       'group': snap_dict['id'],
                       'share': failed[0][0].get('share_id'),
                       'taken': len(taken)})
            self._cleanup_group_share_snapshots(context, taken,
                                                share_server)
            raise failed[0][1]
        return None, [dict(update, id=member['id'])
                      for member, update, _e in results if update]

    def _per_member(self, func, members):
        """``fanout.run_per_member`` capped by this backend's option."""
        return fanout.run_for_driver(self, func, members)

    def _cleanup_group_share_snapshots(self, context, share_snapshots,
                                       share_server):
        """Best-effort removal of member snapshots; failures are logged."""
        for snapshot, _r, error in self._per_member(
                lambda snapshot: self.delete_snapshot(
                    context, snapshot, share_server=share_server),
                share_snapshots):
            if error is not None:
                LOG.error('Could not delete snapshot %(snap)s of share '
                          '%(share)s while cleaning up a group snapshot: '
                          '%(error)s', {'snap': snapshot['id'],
                                        'share': snapshot['share_id'],
                                        'error': error})

    def delete_share_group_snapshot(self, context, snap_dict,
                                    share_server=None):
        """Delete every member snapshot, one ``delete_snapshot`` each.

        A member snapshot the backend no longer has counts as deleted.

        :returns: ``(None, None)``.
        :raises: the first member's error, after every member was tried.
        """
        members = snap_dict.get('share_group_snapshot_members') or []

        def _delete(member):
            try:
                self.delete_snapshot(
                    context, member_snapshot(
                        member,
                        provider_location=member.get('provider_location')),
                    share_server=share_server)
            except exception.SnapshotResourceNotFound:
                LOG.debug('Member snapshot %s was already gone.',
                          member['id'])
        errors = [e for _m, _r, e in self._per_member(_delete, members)
                  if e is not None]
        if errors:
            raise errors[0]
        LOG.debug('Share group snapshot %s deleted.', snap_dict['id'])
        return None, None

    def create_share_group_from_share_group_snapshot(
            self, context, share_group_dict, share_group_snapshot_dict,
            share_server=None):
        """Create each new member share from its member snapshot.

        :param share_group_dict: the new group, with ``shares``; each share
            names its source in ``source_share_group_snapshot_member_id``.
        :returns: ``(None, share_updates)`` where each update is
            ``{'id': share id, 'export_locations': ...}``, or the dict
            ``create_share_from_snapshot`` returned with the ``id`` added;
            ``(None, None)`` when the group snapshot has no members.
        :raises InvalidShareGroup: a new share matches no member.
        :raises: the first member's error (the manager puts every new
            share in ``error``; the ones made are deleted with them).
        """
        if not share_group_snapshot_dict.get(
                'share_group_snapshot_members'):
            return None, None
        kwargs = {}
        if self.driver_handles_share_servers:
            kwargs['share_server'] = share_server

        def _clone(pair):
            member = pair['snapshot']
            return self.create_share_from_snapshot(
                context, pair['share'], member_snapshot(
                    member, provider_location=member.get(
                        'provider_location')), **kwargs)
        pairs = self._collate_share_group_snapshot_info(
            share_group_dict, share_group_snapshot_dict)
        share_updates = []
        for pair, returned, error in self._per_member(_clone, pairs):
            if error is not None:
                raise error
            share_updates.append(_clone_update(pair['share']['id'],
                                               returned))
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
            pairs.append({'id': share['id'], 'share': share,
                          'snapshot': member})
        return pairs


def _bad_member_return(driver_name, member, returned):
    """The error a member's create_snapshot return stands for, or None.

    Not a dict (or None), or a dict whose status is ``error``: that
    member failed, and the group snapshot with it.
    """
    if returned is not None and not isinstance(returned, dict):
        return exception.InvalidDriverReturn(
            driver=driver_name, method='create_snapshot',
            reason='member %s: expected None or a dict, got %r' % (
                member['id'], returned))
    if isinstance(returned, dict) and returned.get('status') == 'error':
        return exception.ShareBackendException(
            msg='the snapshot of member %s ended in error' % member['id'])
    return None


def _clone_update(share_id, returned):
    """A new member's entry from what create_share_from_snapshot returned.

    A list is its export locations; a dict (``status``,
    ``export_locations``...) is passed on for the manager to check.
    """
    if isinstance(returned, dict):
        return dict(returned, id=share_id)
    return {'id': share_id, 'export_locations': returned}
