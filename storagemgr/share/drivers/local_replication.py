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
secondary up to date incrementally (``TreeSync``): a file whose size and
mtime match is skipped, as rsync does; a changed file is compared block by
block (``BLOCK_SIZE``) and only the blocks that differ are written; what
the active no longer has is removed; modes, owners (as root), extended
attributes and times follow. Every name of both trees is opened beneath
its root by the kernel with symlinks refused (``storagemgr.data.paths``):
a symlink a user put in the share is copied as a link, never followed.
File timestamps are coarse (one clock tick), so a file modified less than
``journal.RACY_NS`` before a sync started might change again within the
same mtime; such files are recorded and compared again by the next sync.

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

import contextlib
import errno
import os
import shutil
import stat
import time
import uuid

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr.backend import process_registry
from storagemgr import coordination
from storagemgr.data import journal
from storagemgr.data import metadata
from storagemgr.data import paths as tree_paths
from storagemgr.data import transfer
from storagemgr.data import walk
from storagemgr import exception
from storagemgr import hosts
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

# Changed files are compared, and rewritten, in blocks of this size.
BLOCK_SIZE = 128 * 1024

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

_SRC_FLAGS = os.O_RDONLY | os.O_NONBLOCK
_DST_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK
_DIR_READ = os.O_RDONLY | os.O_DIRECTORY


class LocalReplicationFailed(exception.ShareBackendException):
    msg_fmt = _('Replica %(replica_id)s: %(reason)s')


# -- the incremental tree copy ----------------------------------------------

class SyncResult(object):
    """What one ``TreeSync.run`` did."""

    def __init__(self):
        self.files_total = 0
        self.files_skipped = 0     # same size and mtime: not read
        self.files_copied = 0      # new (or replaced) files, copied whole
        self.files_updated = 0     # compared block by block, in place
        self.blocks_written = 0    # blocks of updated files rewritten
        self.bytes_written = 0     # by copies and block rewrites
        self.removed = 0           # entries the source no longer has
        self.links_made = 0
        self.racy = set()          # files the next sync compares anyway

    def __repr__(self):
        return ('SyncResult(files=%d skipped=%d copied=%d updated=%d '
                'blocks=%d bytes=%d removed=%d links=%d racy=%d)' % (
                    self.files_total, self.files_skipped, self.files_copied,
                    self.files_updated, self.blocks_written,
                    self.bytes_written, self.removed, self.links_made,
                    len(self.racy)))


class TreeSync(object):
    """Make ``target`` hold what ``source`` holds, writing what differs.

    :param racy: relative names to compare even when size and mtime
        match (the ``racy`` of an earlier run's result).
    :param reflink: try reflinks for whole-file copies.
    """

    def __init__(self, source, target, racy=(), reflink=True,
                 block_size=None):
        self.source = source
        self.target = target
        self.racy = frozenset(racy or ())
        self.block_size = block_size or BLOCK_SIZE
        self.mover = transfer.Mover(reflink=reflink)
        self.applier = metadata.Applier(preserve=True)
        self.result = SyncResult()
        self.src = self.dst = None

    def run(self):
        _refuse_nesting(self.source, self.target)
        started_ns = time.time_ns()
        with tree_paths.Tree(self.source) as src, \
                tree_paths.Tree(self.target) as dst:
            self.src, self.dst = src, dst
            listing = walk.scan(src)
            self._prune(listing)
            self._make_dirs(listing.dirs)
            for rel, st in listing.files:
                self._sync_file(rel, st, started_ns)
            self._make_hardlinks(listing.hardlinks)
            self._make_links(listing.links)
            self._make_specials(listing.specials)
            self._finish_dirs(listing.dirs)
        return self.result

    # -- removing -----------------------------------------------------------

    def _prune(self, listing):
        """Remove what the source lacks, or has with another type."""
        kinds = walk.walk_kinds(self.dst)
        for rel in sorted(kinds):
            if listing.kinds.get(rel) == kinds[rel]:
                continue
            parent = rel.rsplit('/', 1)[0] if '/' in rel else ''
            if parent and listing.kinds.get(parent) != kinds.get(parent):
                continue  # went with its parent
            self._remove(rel)
            self.result.removed += 1

    def _remove(self, rel):
        parent_fd, name = self.dst.parent(rel)
        try:
            _clear(parent_fd, name)
        finally:
            os.close(parent_fd)

    # -- directories ---------------------------------------------------------

    def _make_dirs(self, dirs):
        """Create missing directories; make existing ones writable to us."""
        for rel, _st in dirs:
            if rel:
                parent_fd, name = self.dst.parent(rel)
                try:
                    try:
                        os.mkdir(name, 0o700, dir_fd=parent_fd)
                        continue
                    except FileExistsError:
                        pass
                finally:
                    os.close(parent_fd)
            fd = self.dst.open(rel, _DIR_READ)
            try:
                mode = os.fstat(fd).st_mode
                if mode & 0o700 != 0o700:
                    # Left read-only by an earlier run, as the source was.
                    os.fchmod(fd, stat.S_IMODE(mode) | 0o700)
            finally:
                os.close(fd)

    def _finish_dirs(self, dirs):
        """Modes, owners and times of directories, deepest first."""
        for rel, st in reversed(dirs):
            try:
                src_fd = self.src.open(rel, _DIR_READ)
            except OSError:
                continue  # gone since listed; the next sync removes it
            try:
                dst_fd = self.dst.open(rel, _DIR_READ)
                try:
                    if not _same_metadata(os.fstat(dst_fd), st):
                        self.applier.apply_fd(src_fd, dst_fd, st, rel)
                finally:
                    os.close(dst_fd)
            finally:
                os.close(src_fd)

    # -- regular files -----------------------------------------------------

    def _target_stat(self, rel):
        try:
            fd = self.dst.open(rel, os.O_PATH | os.O_NOFOLLOW)
        except OSError as e:
            if e.errno in (errno.ENOENT, errno.ELOOP, errno.ENOTDIR):
                return None
            raise
        try:
            return os.fstat(fd)
        finally:
            os.close(fd)

    def _sync_file(self, rel, st, started_ns):
        self.result.files_total += 1
        have = self._target_stat(rel)
        if have is not None and not stat.S_ISREG(have.st_mode):
            self._remove(rel)
            have = None
        same = have is not None and (have.st_size, have.st_mtime_ns) == (
            st.st_size, st.st_mtime_ns)
        if same and rel not in self.racy:
            self.result.files_skipped += 1
            if not _same_metadata(have, st):
                self._apply_metadata(rel, st)  # a chmod, say: no data
            return
        try:
            src_fd = self.src.open(rel, _SRC_FLAGS)
        except OSError as e:
            if e.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
                return  # removed or replaced since listed: the next sync
            raise
        try:
            current = os.fstat(src_fd)
            if not stat.S_ISREG(current.st_mode):
                return
            # A file with other names at the target is never written in
            # place: the other names would change with it.
            dst_fd = None
            if have is not None and have.st_nlink == 1:
                try:
                    dst_fd = self.dst.open(rel, os.O_RDWR | os.O_NONBLOCK)
                except PermissionError:
                    dst_fd = None  # a read-only file; replaced below
            changed = False
            if dst_fd is not None:
                try:
                    changed = self._rewrite_blocks(src_fd, dst_fd,
                                                   current.st_size)
                    self._finish_file(src_fd, dst_fd, current, rel)
                finally:
                    os.close(dst_fd)
                self.result.files_updated += 1
            else:
                if have is not None:
                    self._remove(rel)
                dst_fd = self.dst.open(rel, _DST_FLAGS | os.O_EXCL, 0o600)
                try:
                    changed = self._copy_whole(src_fd, dst_fd, current)
                    self._finish_file(src_fd, dst_fd, current, rel)
                finally:
                    os.close(dst_fd)
                self.result.files_copied += 1
            after = os.fstat(src_fd)
        finally:
            os.close(src_fd)
        if changed or _changed(current, after) or (
                current.st_mtime_ns > started_ns - journal.RACY_NS):
            self.result.racy.add(rel)

    def _apply_metadata(self, rel, st):
        try:
            src_fd = self.src.open(rel, _SRC_FLAGS)
        except OSError as e:
            if e.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
                return
            raise
        try:
            dst_fd = self.dst.open(rel, os.O_RDONLY | os.O_NONBLOCK)
            try:
                self.applier.apply_fd(src_fd, dst_fd, st, rel)
            finally:
                os.close(dst_fd)
        finally:
            os.close(src_fd)

    def _rewrite_blocks(self, src_fd, dst_fd, size):
        """Write the blocks of ``dst_fd`` that differ; True if src shrank."""
        offset = 0
        block = self.block_size
        while offset < size:
            want = os.pread(src_fd, min(block, size - offset), offset)
            if not want:
                os.ftruncate(dst_fd, offset)
                return True  # shorter than it was a moment ago
            have = os.pread(dst_fd, len(want), offset)
            if have != want:
                _pwrite_all(dst_fd, want, offset)
                self.result.blocks_written += 1
                self.result.bytes_written += len(want)
            offset += len(want)
        if os.fstat(dst_fd).st_size != size:
            os.ftruncate(dst_fd, size)
        return False

    def _copy_whole(self, src_fd, dst_fd, st):
        """Copy a new file; True if the source shrank under the copy."""
        moved = [0]

        def step(nbytes):
            moved[0] += nbytes

        try:
            self.mover.copy(src_fd, dst_fd, st.st_size,
                            transfer.is_sparse(st), step)
        except transfer.SourceShrank:
            return True
        finally:
            self.result.bytes_written += moved[0]
        return False

    def _finish_file(self, src_fd, dst_fd, st, rel):
        self.applier.apply_fd(src_fd, dst_fd, st, rel)

    # -- links and special files -------------------------------------------

    def _make_links(self, links):
        """Symlinks as symlinks: the target text, never what it names."""
        for rel, target, st in links:
            dst_parent, name = self.dst.parent(rel)
            try:
                try:
                    same = os.readlink(name, dir_fd=dst_parent) == target
                except OSError:
                    same = False
                if not same:
                    _clear(dst_parent, name)
                    os.symlink(target, name, dir_fd=dst_parent)
                    self.result.links_made += 1
                elif _same_metadata(os.stat(name, dir_fd=dst_parent,
                                            follow_symlinks=False), st):
                    continue
                try:
                    src_parent, _name = self.src.parent(rel)
                except OSError:
                    continue
                try:
                    self.applier.apply_link(src_parent, dst_parent, name,
                                            st, rel)
                finally:
                    os.close(src_parent)
            finally:
                os.close(dst_parent)

    def _make_hardlinks(self, hardlinks):
        for rel, first, _st in hardlinks:
            first_parent, first_name = self.dst.parent(first)
            dst_parent, name = self.dst.parent(rel)
            try:
                try:
                    want = os.stat(first_name, dir_fd=first_parent,
                                   follow_symlinks=False)
                except FileNotFoundError:
                    continue  # its first name vanished from the source
                try:
                    have = os.stat(name, dir_fd=dst_parent,
                                   follow_symlinks=False)
                except FileNotFoundError:
                    have = None
                if have is None or (have.st_dev, have.st_ino) != (
                        want.st_dev, want.st_ino):
                    _clear(dst_parent, name)
                    os.link(first_name, name, src_dir_fd=first_parent,
                            dst_dir_fd=dst_parent, follow_symlinks=False)
                    self.result.links_made += 1
            finally:
                os.close(first_parent)
                os.close(dst_parent)

    def _make_specials(self, specials):
        """FIFOs (and devices, as root); sockets are not copied."""
        for rel, st in specials:
            dst_parent, name = self.dst.parent(rel)
            try:
                try:
                    have = os.stat(name, dir_fd=dst_parent,
                                   follow_symlinks=False)
                    if (stat.S_IFMT(have.st_mode), have.st_rdev) == (
                            stat.S_IFMT(st.st_mode), st.st_rdev):
                        continue
                except FileNotFoundError:
                    pass
                _clear(dst_parent, name)
                try:
                    os.mknod(name, stat.S_IFMT(st.st_mode) | 0o600,
                             st.st_rdev, dir_fd=dst_parent)
                except PermissionError:
                    LOG.warning('%s: device nodes need root; not copied.',
                                rel)
                    continue
                node = os.open(name, os.O_PATH | os.O_NOFOLLOW,
                               dir_fd=dst_parent)
                try:
                    # An O_PATH descriptor takes no fchmod; its /proc
                    # name reaches the node itself, never a link.
                    os.chmod('/proc/self/fd/%d' % node,
                             stat.S_IMODE(st.st_mode))
                finally:
                    os.close(node)
            finally:
                os.close(dst_parent)


def _clear(parent_fd, name):
    """Remove ``name`` under ``parent_fd`` (a tree or not); gone is fine."""
    try:
        st = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        # fd-based: a link swapped in while it runs is not followed.
        shutil.rmtree(name, dir_fd=parent_fd)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name, dir_fd=parent_fd)


def _pwrite_all(fd, data, offset):
    view = memoryview(data)
    while view:
        done = os.pwrite(fd, view, offset)
        view = view[done:]
        offset += done


def _same_metadata(have, want):
    """Mode, owner and mtime alike: nothing to apply (and no ctime moved).

    Owners only count as root: another user's copies are its own anyway.
    """
    if (have.st_mode, have.st_mtime_ns) != (want.st_mode, want.st_mtime_ns):
        return False
    return os.geteuid() != 0 or (have.st_uid, have.st_gid) == (
        want.st_uid, want.st_gid)


def _changed(before, after):
    return (before.st_size, before.st_mtime_ns, before.st_ctime_ns) != (
        after.st_size, after.st_mtime_ns, after.st_ctime_ns)


def _refuse_nesting(source, target):
    source = os.path.realpath(source)
    target = os.path.realpath(target)
    if os.path.commonpath([source, target]) in (source, target):
        raise exception.ShareBackendException(msg=_(
            'cannot copy %(source)s to %(target)s: one holds the '
            'other') % {'source': source, 'target': target})


def sync_tree(source, target, racy=(), reflink=True):
    """``TreeSync(source, target, racy, reflink).run()``."""
    return TreeSync(source, target, racy=racy, reflink=reflink).run()


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
        result = sync_tree(source, tmp, reflink=reflink)
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
        try:
            place = hosts.parse(replica.get('host'))
            if place.backend == self.backend_name:
                drv = self
            else:
                drv = process_registry.driver_for(place.backend, 'share',
                                                  context)
        except exception.StorageManagerException as e:
            raise _fail(replica, str(e))
        if not isinstance(drv, LocalReplicationMixin) or drv.root is None:
            raise _fail(replica, _('backend %s is not a local share '
                                   'backend') % place.backend)
        host = drv._config('backend_host') or CONF.host
        if place.host is not None and place.host != host:
            raise _fail(replica, _(
                'backend %(backend)s is on host %(host)s, not %(given)s') % {
                    'backend': place.backend, 'host': host,
                    'given': place.host})
        return drv

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
        kept, status = [], RULES_ACTIVE
        for rule in access_rules or []:
            try:
                exports.check_rule(rule, proto)
            except exception.InvalidShareAccess as e:
                LOG.warning('Replica rule refused: %s', e)
                status = RULES_ERROR
                continue
            kept.append({key: rule.get(key) for key in
                         ('id', 'access_type', 'access_to', 'access_level')})
        return kept, status

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
                result = sync_tree(source, target, reflink=self._use_reflink)
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
        result = sync_tree(source, target, racy=role.get('racy'),
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
            result = sync_tree(old_path, target, racy=racy,
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
