"""Share replication of the local share driver (a mixin).

A replica of a share is a share instance with a directory of its own on a
local backend: one *active* replica, writable, and secondaries that follow
it. The backends of one share's replicas are separate local backends of
this host (each its own root, on one filesystem or several), reached
through the process's backend registry like the migration mixin reaches
its destination.

How the share manager calls the methods here (Manila's hosts):
``create_replica``, ``delete_replica``, ``update_replica_state``,
``update_replicated_snapshot`` and ``promote_replica`` run on the backend
of the replica named; ``create_replicated_snapshot``,
``delete_replicated_snapshot`` and ``revert_to_replicated_snapshot`` on the
active replica's backend.

Data: ``create_replica`` copies the active replica's tree in full (into a
temporary sibling renamed into place); ``update_replica_state`` brings a
secondary up to date incrementally (``storagemgr.data.sync``: unchanged
files skipped by size and mtime, changed ones rewritten block by block,
every name opened beneath its root with symlinks refused, so a symlink a
user put in the share is copied as a link, never followed). Files
modified too recently to trust their mtime are recorded in the replica's
role (``racy``) and compared again by the next sync.

Roles live in each backend's state file, in the replica's share record
under ``replica``: ``{'role': 'active'|'secondary', 'type':
'readable'|'dr', 'source_backend', 'source_id', 'racy'}``. A record
without it is an ordinary share, exported as its rules say (the active
replica a share started with is one). Exports of a secondary: a
``readable`` one is rendered with every rule read-only (NFS ``ro``, Samba
``read only = yes``) whatever level its rules have; a ``dr`` one is not
rendered at all. The rendering applies this (``_exported_rules``), so
``update_access`` on a secondary cannot open it for writing.

Promotion: the old active's exports are turned read-only first, then a
last incremental sync from it carries every write made before the
promotion; only then does this replica become the writable primary. When
the old active cannot be reached, the promotion goes on without it and it
is reported ``out_of_sync``; the next ``update_replica_state`` on its
backend makes it a secondary of the new active.
"""

import os
import shutil
import uuid

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr import coordination
from storagemgr.data import sync
from storagemgr import exception
from storagemgr.i18n import _
from storagemgr import paths
from storagemgr.share.drivers import local_exports as exports
from storagemgr.share.drivers import local_files as files
from storagemgr.share.drivers import local_state as state

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

READABLE = 'readable'
DR = 'dr'
NONE = 'none'
REPLICATION_TYPES = (READABLE, DR, NONE)

REPLICA = 'replica'  # the key of a share record holding its replica role
ACTIVE = 'active'
SECONDARY = 'secondary'
IN_SYNC = 'in_sync'
OUT_OF_SYNC = 'out_of_sync'
RULES_ACTIVE = 'active'
RULES_ERROR = 'error'

replication_opts = [
    cfg.StrOpt('local_share_replication_type',
               default=READABLE,
               choices=[(READABLE, _('one writable active replica and '
                                     'read-only secondaries that can be '
                                     'promoted')),
                        (DR, _('secondaries are not exported until '
                               'promoted')),
                        (NONE, _('no replication'))],
               help=_('Replication type this local share backend offers '
                      'to share types with a replication_type extra spec. '
                      'Replicas go between local backends of this host '
                      'that share a replication_domain.')),
]


class LocalReplicationFailed(exception.ShareBackendException):
    msg_fmt = _('Replica %(replica_id)s: %(reason)s')


def copy_tree(source, target, reflink=True):
    """Create ``target`` as a full copy of ``source``, atomically.

    The copy is made in a temporary sibling (``<target>.tmp-*``, the
    names ``local_files.discard_copy`` cleans up) and renamed into place.
    :returns: the ``SyncResult``.
    """
    files.discard_copy(target)  # leftovers of a killed run
    tmp = '%s.tmp-%s' % (target, uuid.uuid4().hex[:8])
    os.mkdir(tmp, 0o700)
    try:
        result = sync.sync_tree(source, tmp, reflink=reflink)
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


# -- the driver side ------------------------------------------------------

def _fail(replica, reason):
    return LocalReplicationFailed(replica_id=replica.get('id'),
                                  reason=reason)


def _active_replica(replica_list, replica):
    """The active replica of ``replica_list``; a clear error without one."""
    for candidate in replica_list or []:
        if candidate.get('replica_state') == ACTIVE:
            return candidate
    raise _fail(replica, _('the share has no active replica'))


def _directory(path):
    return os.path.isdir(path) and not os.path.islink(path)


class LocalReplicationMixin(object):
    """Replication methods over the local driver's paths and state store."""

    # -- configuration and exports ------------------------------------------

    def _replication_type(self):
        value = self._config('local_share_replication_type', READABLE)
        return value or READABLE

    def _replication_capability(self):
        """The stats' ``replication_type``: None when it is off."""
        kind = self._replication_type()
        return None if kind == NONE else kind

    def _exported_rules(self, record):
        """The rules a share record is exported with; None: not at all.

        A readable secondary gets every rule read-only; a dr secondary is
        not exported. Everything else as recorded.
        """
        rules = record.get('access', [])
        replica = record.get(REPLICA) or {}
        if replica.get('role') != SECONDARY:
            return rules
        if replica.get('type') == DR:
            return None
        return [dict(rule, access_level='ro') for rule in rules]

    # -- helpers -----------------------------------------------------------

    def _replica_lock(self, replica):
        """One replica operation of a share at a time on this host."""
        share_id = replica.get('share_id') or replica.get('id')
        try:
            paths.safe_join(self.root, share_id)
        except exception.InvalidInput as e:
            raise _fail(replica, str(e))
        return coordination.get_lock('local-share-replica-%s' % share_id)

    def _replica_driver(self, context, replica):
        """The set-up local driver of the backend holding ``replica``."""
        return self._local_peer(context, replica.get('host'),
                                lambda reason: _fail(replica, reason))

    @staticmethod
    def _replica_path(drv, replica):
        """The existing directory of ``replica`` on ``drv``'s backend."""
        try:
            path = drv._share_path(replica['id'])
        except exception.InvalidInput as e:
            raise _fail(replica, str(e))
        if not _directory(path):
            raise exception.ShareResourceNotFound(share_id=replica['id'])
        return path

    def _checked_rules(self, proto, access_rules):
        """(rules that render, 'active' or 'error' if one was refused)."""
        kept, refused = self._renderable_rules('replica', proto,
                                               access_rules)
        return kept, RULES_ERROR if refused else RULES_ACTIVE

    def _set_role(self, replica_id, role, source=None, racy=None):
        """Record ``replica_id``'s role on this backend."""
        with self.store.locked():
            record = self.store.get(state.SHARES, replica_id) or {}
            replica = dict(record.get(REPLICA) or {}, role=role,
                           type=self._replication_type())
            if source is not None:
                replica['source_backend'], replica['source_id'] = source
            if racy is not None:
                replica['racy'] = sorted(racy)
            self.store.update(state.SHARES, replica_id, **{REPLICA: replica})

    def _copy_replica_snapshot(self, source_drv, source_snapshot_id,
                               snapshot_id, replica_id):
        """This backend's copy of another backend's snapshot, or None.

        :returns: the copy's path; None when the source copy is missing.
        """
        target = paths.safe_join(self._snapshot_root, snapshot_id)
        if not _directory(target):
            source = source_drv._snapshot_path(source_snapshot_id)
            if not _directory(source):
                return None
            copy_tree(source, target, reflink=self._use_reflink)
        self.store.update(state.SNAPSHOTS, snapshot_id, path=target,
                          share_id=replica_id)
        return target

    def _copy_snapshots(self, source_drv, replica, replica_snapshots):
        """Copy each available snapshot; False when one is missing."""
        complete = True
        for pair in replica_snapshots or []:
            active = pair['active_replica_snapshot']
            mine = pair['share_replica_snapshot']
            if self._copy_replica_snapshot(source_drv, active['id'],
                                           mine['id'], replica['id']) is None:
                LOG.warning('Replica %(replica)s: snapshot %(snap)s is '
                            'missing on the active replica.',
                            {'replica': replica['id'], 'snap': active['id']})
                complete = False
        return complete

    # -- replicas ---------------------------------------------------------

    def create_replica(self, context, replica_list, new_replica,
                       access_rules, replica_snapshots, share_server=None):
        """Copy the active replica here, whole, and record a secondary."""
        kind = self._replication_type()
        if kind == NONE:
            raise _fail(new_replica, _(
                'backend %s does not replicate (local_share_replication_'
                'type = none)') % self.backend_name)
        replica_id = new_replica['id']
        try:
            target = paths.safe_join(self.root, replica_id)
        except exception.InvalidInput as e:
            raise _fail(new_replica, str(e))
        with self._replica_lock(new_replica):
            active = _active_replica(replica_list, new_replica)
            source_drv = self._replica_driver(context, active)
            source = self._replica_path(source_drv, active)
            source_record = source_drv.store.get(state.SHARES,
                                                 active['id']) or {}
            proto = (new_replica.get('share_proto') or
                     source_record.get('proto') or exports.NFS).upper()
            if proto not in exports.ACCESS_TYPES:
                raise _fail(new_replica, _(
                    'the local driver exports NFS and CIFS shares, not '
                    '%s') % proto)
            if _directory(target):
                # An earlier run copied it and died before recording.
                result = sync.sync_tree(source, target,
                                        reflink=self._use_reflink)
            else:
                result = copy_tree(source, target, reflink=self._use_reflink)
            complete = self._copy_snapshots(source_drv, new_replica,
                                            replica_snapshots)
            rules, rules_status = self._checked_rules(proto, access_rules)
            self.store.update(
                state.SHARES, replica_id, path=target, proto=proto,
                size=new_replica.get('size') or source_record.get('size'),
                access=rules, **{REPLICA: {
                    'role': SECONDARY, 'type': kind,
                    'source_backend': source_drv.backend_name,
                    'source_id': active['id'],
                    'racy': sorted(result.racy)}})
            self._render_and_apply()
        LOG.info('Replica %(id)s of share %(share)s created from %(src)s: '
                 '%(result)s', {'id': replica_id, 'result': result,
                                'share': new_replica.get('share_id'),
                                'src': active['id']})
        return {'export_locations': self._export_locations(target),
                'replica_state': IN_SYNC if complete else OUT_OF_SYNC,
                'access_rules_status': rules_status}

    def update_replica_state(self, context, replica_list, replica,
                             access_rules, replica_snapshots,
                             share_server=None):
        """Bring this secondary up to date with the active replica.

        :returns: 'in_sync', or 'out_of_sync' when a snapshot of the
            active replica could not be copied.
        :raises: anything that stopped the sync (the manager sets the
            replica to error).
        """
        with self._replica_lock(replica):
            result, complete = self._update_from_active(context,
                                                        replica_list, replica,
                                                        replica_snapshots)
        LOG.debug('Replica %(id)s synced: %(result)s',
                  {'id': replica['id'], 'result': result})
        return IN_SYNC if complete else OUT_OF_SYNC

    def _update_from_active(self, context, replica_list, replica,
                            replica_snapshots):
        record = self.store.get(state.SHARES, replica['id'])
        if record is None:
            raise exception.ShareResourceNotFound(share_id=replica['id'])
        target = self._replica_path(self, replica)
        active = _active_replica(replica_list, replica)
        if active['id'] == replica['id']:
            raise _fail(replica, _('it is the active replica'))
        source_drv = self._replica_driver(context, active)
        source = self._replica_path(source_drv, active)
        role = record.get(REPLICA) or {}
        if role.get('role') != SECONDARY:
            # An active replica a promotion elsewhere could not reach:
            # read-only before a byte of it changes.
            self._set_role(replica['id'], SECONDARY)
            self._render_and_apply()
        result = sync.sync_tree(source, target, racy=role.get('racy'),
                                reflink=self._use_reflink)
        self._set_role(replica['id'], SECONDARY,
                       source=(source_drv.backend_name, active['id']),
                       racy=result.racy)
        complete = self._copy_snapshots(source_drv, replica,
                                        replica_snapshots)
        return result, complete

    def promote_replica(self, context, replica_list, replica, access_rules,
                        share_server=None):
        """Make this replica the writable primary, losing no write."""
        replica_id = replica['id']
        with self._replica_lock(replica):
            record = self.store.get(state.SHARES, replica_id)
            if record is None:
                raise exception.ShareResourceNotFound(share_id=replica_id)
            target = self._replica_path(self, replica)
            old = next((r for r in replica_list or [] if r.get(
                'replica_state') == ACTIVE and r['id'] != replica_id), None)
            old_state, old_drv, old_path = None, None, None
            if old is not None:
                try:
                    old_drv = self._replica_driver(context, old)
                    old_path = self._replica_path(old_drv, old)
                except exception.StorageManagerException as e:
                    LOG.warning('Promoting replica %(id)s without a last '
                                'sync from %(old)s, which is unreachable: '
                                '%(e)s', {'id': replica_id,
                                          'old': old['id'], 'e': e})
                    old_drv = None
                if old_drv is not None:
                    self._last_sync(old_drv, old, old_path, replica_id,
                                    target, record)
                    old_state = IN_SYNC
                else:
                    old_state = OUT_OF_SYNC
            rules, rules_status = self._checked_rules(
                record.get('proto', exports.NFS), access_rules)
            self.store.update(state.SHARES, replica_id, access=rules, **{
                REPLICA: {'role': ACTIVE, 'type': self._replication_type(),
                          'promoted_from': old['id'] if old else None}})
            self._render_and_apply()
        LOG.info('Replica %(id)s is the active replica of share %(share)s.',
                 {'id': replica_id, 'share': replica.get('share_id')})
        updated = []
        for entry in replica_list or []:
            entry = dict(entry)
            if entry['id'] == replica_id:
                entry.update(replica_state=ACTIVE,
                             export_locations=self._export_locations(target),
                             access_rules_status=rules_status)
            elif old is not None and entry['id'] == old['id']:
                entry['replica_state'] = old_state
                entry['access_rules_status'] = RULES_ACTIVE
                if old_drv is not None:
                    entry['export_locations'] = old_drv._export_locations(
                        old_path)
            updated.append(entry)
        return updated

    def _last_sync(self, old_drv, old, old_path, replica_id, target,
                   record):
        """Old active read-only, then the writes it has that we lack.

        When the sync fails, the old active is made writable again and
        the error raised: promoting without its last writes loses them.
        """
        before = old_drv.store.get(state.SHARES, old['id'])
        old_drv._set_role(old['id'], SECONDARY,
                          source=(self.backend_name, replica_id))
        old_drv._render_and_apply()
        try:
            racy = (record.get(REPLICA) or {}).get('racy')
            result = sync.sync_tree(old_path, target, racy=racy,
                                    reflink=self._use_reflink)
        except Exception:
            LOG.exception('The last sync of replica %(id)s from %(old)s '
                          'failed; %(old)s stays active.',
                          {'id': replica_id, 'old': old['id']})
            if before is not None:
                old_drv.store.put(state.SHARES, old['id'], before)
                old_drv._render_and_apply()
            raise
        # What changed at the old active during that sync is compared
        # again by its first sync from us.
        old_drv._set_role(old['id'], SECONDARY, racy=result.racy)
        LOG.info('Last sync of replica %(id)s from %(old)s: %(result)s',
                 {'id': replica_id, 'old': old['id'], 'result': result})

    def delete_replica(self, context, replica_list, replica_snapshots,
                       replica, share_server=None):
        """Remove the replica's data, snapshot copies, record and exports."""
        replica_id = replica['id']
        with self._replica_lock(replica):
            try:
                path = self._share_path(replica_id)
            except exception.InvalidInput as e:
                raise _fail(replica, str(e))
            snapshot_ids = {snap['id'] for snap in replica_snapshots or []
                            if snap.get('share_instance_id') in (
                                None, replica_id)}
            snapshot_ids.update(
                snapshot_id for snapshot_id, snap_record in
                self.store.list(state.SNAPSHOTS).items()
                if snap_record.get('share_id') == replica_id)
            for snapshot_id in sorted(snapshot_ids):
                self.delete_snapshot(context, {'id': snapshot_id})
            self.store.delete(state.SHARES, replica_id)
            self._render_and_apply()
            files.discard_copy(path)
        LOG.info('Replica %s deleted.', replica_id)

    # -- replicated snapshots ------------------------------------------------

    def create_replicated_snapshot(self, context, replica_list,
                                   replica_snapshots, share_server=None):
        """Snapshot the active replica; copy the snapshot to the others."""
        by_id = {r['id']: r for r in replica_list or []}
        active = _active_replica(replica_list, {})
        active_snapshot = next(
            (s for s in replica_snapshots or []
             if s.get('share_instance_id') == active['id']), None)
        if active_snapshot is None:
            raise _fail(active, _('no snapshot instance of the active '
                                  'replica was given'))
        with self._replica_lock(active):
            location = self.create_snapshot(context, {
                'id': active_snapshot['id'], 'share': active,
                'share_id': active.get('share_id')})['provider_location']
            updates = [{'id': active_snapshot['id'], 'status': 'available',
                        'provider_location': location}]
            for snap in replica_snapshots:
                if snap is active_snapshot:
                    continue
                updates.append(self._carry_snapshot(
                    context, by_id.get(snap.get('share_instance_id')), snap,
                    active_snapshot))
        return updates

    def _carry_snapshot(self, context, replica, snap, active_snapshot):
        """Copy the active's new snapshot to ``replica``'s backend."""
        if replica is None:
            return {'id': snap['id'], 'status': 'error'}
        try:
            drv = self._replica_driver(context, replica)
            path = drv._copy_replica_snapshot(self, active_snapshot['id'],
                                              snap['id'], replica['id'])
        except Exception as e:
            # update_replicated_snapshot tries again from its backend.
            LOG.warning('Snapshot %(snap)s not copied to replica '
                        '%(replica)s yet: %(e)s', {'snap': snap['id'],
                                                   'replica': replica['id'],
                                                   'e': e})
            return {'id': snap['id'], 'status': 'creating'}
        return {'id': snap['id'], 'status': 'available',
                'provider_location': path}

    def delete_replicated_snapshot(self, context, replica_list,
                                   replica_snapshots, share_server=None):
        """Delete every instance; an unreachable one is left 'deleting'."""
        by_id = {r['id']: r for r in replica_list or []}
        updates = []
        for snap in replica_snapshots or []:
            replica = by_id.get(snap.get('share_instance_id'))
            if replica is None:
                updates.append({'id': snap['id'], 'status': 'deleted'})
                continue
            if replica.get('replica_state') == ACTIVE:
                self.delete_snapshot(context, {'id': snap['id']})
                updates.append({'id': snap['id'], 'status': 'deleted'})
                continue
            try:
                drv = self._replica_driver(context, replica)
                drv.delete_snapshot(context, {'id': snap['id']})
            except Exception as e:
                # Its backend removes it in update_replicated_snapshot.
                LOG.warning('Snapshot %(snap)s of replica %(replica)s not '
                            'deleted yet: %(e)s', {'snap': snap['id'],
                                                   'replica': replica['id'],
                                                   'e': e})
                updates.append({'id': snap['id'], 'status': 'deleting'})
                continue
            updates.append({'id': snap['id'], 'status': 'deleted'})
        return updates

    def update_replicated_snapshot(self, context, replica_list,
                                   share_replica, replica_snapshots,
                                   replica_snapshot, share_server=None):
        """This replica's copy of a snapshot: made, reported or removed.

        :raises SnapshotResourceNotFound: the instance was being deleted
            and is gone now.
        """
        snapshot_id = replica_snapshot['id']
        if replica_snapshot.get('status') == 'deleting':
            self.delete_snapshot(context, {'id': snapshot_id})
            raise exception.SnapshotResourceNotFound(name=snapshot_id)
        path = self._snapshot_path(snapshot_id)
        if self.store.get(state.SNAPSHOTS, snapshot_id) and _directory(path):
            return {'status': 'available', 'provider_location': path}
        active = _active_replica(replica_list, share_replica)
        active_snapshot = next(
            (s for s in replica_snapshots or []
             if s.get('share_instance_id') == active['id'] and
             s.get('snapshot_id') == replica_snapshot.get('snapshot_id')),
            None)
        if active_snapshot is None:
            return {'status': 'error'}
        source_drv = self._replica_driver(context, active)
        with self._replica_lock(share_replica):
            path = self._copy_replica_snapshot(
                source_drv, active_snapshot['id'], snapshot_id,
                share_replica['id'])
        if path is not None:
            return {'status': 'available', 'provider_location': path}
        if active_snapshot.get('status') == 'creating':
            return {}  # the active's copy is still being made
        return {'status': 'error'}

    def revert_to_replicated_snapshot(self, context, active_replica,
                                      replica_list, active_replica_snapshot,
                                      replica_snapshots, share_access_rules,
                                      snapshot_access_rules,
                                      share_server=None):
        """Revert the active replica in place; secondaries follow by sync."""
        with self._replica_lock(active_replica):
            self.revert_to_snapshot(context, {
                'id': active_replica_snapshot['id'], 'share': active_replica,
                'share_id': active_replica.get('share_id')},
                share_access_rules, snapshot_access_rules)
