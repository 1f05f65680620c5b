"""Share groups of the local share driver (a mixin of LocalShareDriver).

A group is a record in the driver's state file. A group snapshot copies
every member share while this process holds the group's lock
(``share-group-<group id>``, a tooz lock, so other processes wait too);
every operation of the driver that changes a member's files or existence
takes the same lock (``member_lock``), so none of them lands between two
member copies. The copies are back to back, not one atomic moment:
writers from outside storagemgr are not paused, which is why the driver
reports ``consistent_snapshot_support = None``.
"""

import contextlib
import os

from oslo_log import log as logging

from storagemgr import coordination
from storagemgr import exception
from storagemgr.i18n import _
from storagemgr import paths
from storagemgr.share.driver_groups import member_snapshot
from storagemgr.share.drivers import local_state as state

LOG = logging.getLogger(__name__)


def _plain_id(value, what):
    """``value`` if it is a plain name (it becomes a lock name)."""
    try:
        paths.safe_join('/', value)
    except exception.InvalidInput:
        raise exception.InvalidShareGroup(reason=_(
            '%(what)s id %(id)r is not a plain name') % {'what': what,
                                                         'id': value})
    return value


def _checked_members(snap_dict):
    """A group snapshot's members, each with what the driver reads."""
    members = snap_dict.get('share_group_snapshot_members') or []
    for member in members:
        share = member.get('share') or {}
        missing = ([] if member.get('id') else ['id']) + [
            'share.' + key for key in ('id', 'size', 'share_proto')
            if share.get(key) is None]
        if missing:
            raise exception.InvalidShareGroup(reason=_(
                'member %(member)s of share group snapshot %(snap)s lacks '
                '%(keys)s') % {'member': member.get('id'),
                               'snap': snap_dict.get('id'),
                               'keys': ', '.join(missing)})
    return members


def _share_group_lock(share_group_id):
    return coordination.get_lock('share-group-%s' % share_group_id)


def member_lock(share):
    """The lock of the group ``share`` (a driver view) is in, if any.

    A group snapshot holds it while it copies the members, and each
    operation here that changes a member's files or existence takes it, so
    none of them lands between two member copies.
    """
    share_group_id = share.get('share_group_id')
    if not share_group_id:
        return contextlib.nullcontext()
    return _share_group_lock(share_group_id)


class LocalShareGroupsMixin(object):
    """Native share group methods, over the driver's own share methods."""

    def create_share_group(self, context, share_group_dict,
                           share_server=None):
        """Record the group in the state file; recording it again is fine.

        :returns: None: nothing to update on the group.
        """
        share_group_id = _plain_id(share_group_dict.get('id'), 'share group')
        self.store.update(
            state.SHARE_GROUPS, share_group_id,
            share_group_type_id=share_group_dict.get('share_group_type_id'),
            source_share_group_snapshot_id=share_group_dict.get(
                'source_share_group_snapshot_id'))

    def delete_share_group(self, context, share_group_dict,
                           share_server=None):
        """Forget the group's record; a group never recorded is fine."""
        self.store.delete(state.SHARE_GROUPS, share_group_dict['id'])

    def create_share_group_snapshot(self, context, snap_dict,
                                    share_server=None):
        """Copy every member share while holding the group's lock.

        This thread holds ``share-group-<group id>`` while the members are
        copied in parallel on the shared member pool (``_per_member``);
        each operation of this driver that changes a member's files or
        existence waits for that lock, so none lands between two copies.
        The copies are back to back, not one atomic moment: writers from
        outside storagemgr are not paused.

        A member's copy is named and recorded after the member id, as a
        single snapshot is after its id. A copy under that name left by a
        killed earlier run is replaced, so every copy is from this run.
        When a member fails, every member's copy and record is removed
        (missing ones are fine) and the first error is raised, whatever
        its class.

        :returns: ``(None, [{'id': member id, 'status': 'available',
            'provider_location': path}, ...])``.
        :raises InvalidShareGroup: the group id or a member is malformed.
        """
        share_group_id = _plain_id(snap_dict.get('share_group_id'),
                                   'share group')
        snapshots = [member_snapshot(member)
                     for member in _checked_members(snap_dict)]
        with _share_group_lock(share_group_id):
            results = self._per_member(
                lambda snapshot: self._copy_to_snapshot(
                    snapshot, replace=True,
                    share_group_snapshot_id=snap_dict['id']),
                snapshots)
            failed = [(s, e) for s, _r, e in results if e is not None]
            if failed:
                LOG.error('Copies of %(n)d of the %(total)d members of '
                          'share group snapshot %(snap)s failed (first: '
                          'member %(member)s: %(error)s); removing every '
                          'member copy.',
                          {'n': len(failed), 'total': len(snapshots),
                           'snap': snap_dict['id'],
                           'member': failed[0][0]['id'],
                           'error': failed[0][1]})
                self._discard_member_snapshots(context, snapshots)
                raise failed[0][1]
        return None, [{'id': snapshot['id'], 'status': 'available',
                       'provider_location': update['provider_location']}
                      for snapshot, update, _e in results]

    def _discard_member_snapshots(self, context, snapshots):
        """Remove each member copy and record; failures are only logged."""
        for snapshot, _r, error in self._per_member(
                lambda snapshot: self.delete_snapshot(context, snapshot),
                snapshots):
            if error is not None:
                LOG.error('Could not remove the copy of group snapshot '
                          'member %(id)s: %(error)s',
                          {'id': snapshot['id'], 'error': error})

    def delete_share_group_snapshot(self, context, snap_dict,
                                    share_server=None):
        """Remove every member's copy and record; missing ones are fine.

        The copies are found through their records (or the default path),
        never through a ``provider_location`` handed in.

        :returns: ``(None, None)``.
        :raises: the first member's error, after every member was tried.
        """
        results = self._per_member(
            lambda member: self.delete_snapshot(context, member_snapshot(
                member, provider_location=member.get('provider_location'))),
            _checked_members(snap_dict))
        errors = [e for _m, _r, e in results if e is not None]
        if errors:
            raise errors[0]
        return None, None

    def create_share_group_from_share_group_snapshot(
            self, context, share_group_dict, share_group_snapshot_dict,
            share_server=None):
        """Create each new share from its member's copy, in parallel.

        Each share is made exactly as ``create_share_from_snapshot``
        makes one. When one fails, the new shares this call made are
        removed (directory and record) and the first error is raised; a
        share that already existed before the call (a crashed earlier
        run's) is left for the manager to delete.

        :returns: ``(None, [{'id': share instance id, 'status':
            'available', 'export_locations': [...]}, ...])``.
        :raises InvalidShareGroup: a new share matches no member, or a
            member is malformed.
        """
        _checked_members(share_group_snapshot_dict)
        # Each pair carries its new share's id, for the member pool's log.
        pairs = [dict(pair, id=pair['share']['id'])
                 for pair in self._collate_share_group_snapshot_info(
                     share_group_dict, share_group_snapshot_dict)]
        existed = {pair['share']['id'] for pair in pairs
                   if self._share_exists(pair['share']['id'])}

        def _clone(pair):
            member = pair['snapshot']
            return self.create_share_from_snapshot(
                context, pair['share'], member_snapshot(
                    member,
                    provider_location=member.get('provider_location')))
        results = self._per_member(_clone, pairs)
        failed = [(p, e) for p, _r, e in results if e is not None]
        if failed:
            LOG.error('%(n)d of the %(total)d shares of share group '
                      '%(group)s failed (first: share %(share)s: '
                      '%(error)s); removing the ones made.',
                      {'n': len(failed), 'total': len(pairs),
                       'group': share_group_dict['id'],
                       'share': failed[0][0]['share']['id'],
                       'error': failed[0][1]})
            self._discard_new_shares([pair['share']['id'] for pair in pairs
                                      if pair['share']['id'] not in existed])
            raise failed[0][1]
        return None, [{'id': pair['share']['id'], 'status': 'available',
                       'export_locations': locations}
                      for pair, locations, _e in results]

    def _share_exists(self, share_id):
        return bool(self.store.get(state.SHARES, share_id) or
                    os.path.lexists(paths.safe_join(self.root, share_id)))

    def _discard_new_shares(self, share_ids):
        """Remove each share's directory and record; failures are logged."""
        for share_id, _r, error in self._per_member(self._remove_share,
                                                    share_ids):
            if error is not None:
                LOG.error('Could not remove new share %(id)s: %(error)s',
                          {'id': share_id, 'error': error})
