"""Incremental tree sync: make one directory tree hold what another holds.

For replicas kept up to date by copying (the local share driver's
secondaries). ``TreeSync`` writes only what differs: a file whose size
and mtime match is skipped, as rsync does; a changed file is compared
block by block (``BLOCK_SIZE``) and only the blocks that differ are
rewritten; what the source no longer has is removed; modes, owners (as
root), extended attributes and times follow. Every name of both trees is
opened beneath its root by the kernel with symlinks refused
(``storagemgr.data.paths``): a symlink is copied as a link, never
followed. File timestamps are coarse (one clock tick), so a file modified
less than ``journal.RACY_NS`` before a sync started might change again
within the same mtime; such files are returned as ``racy`` and compared
again by the next sync that is given them.
"""

import contextlib
import errno
import os
import shutil
import stat
import time

from oslo_log import log as logging

from storagemgr.data import journal
from storagemgr.data import metadata
from storagemgr.data import paths as tree_paths
from storagemgr.data import transfer
from storagemgr.data import walk
from storagemgr import exception
from storagemgr.i18n import _

LOG = logging.getLogger(__name__)

# Changed files are compared, and rewritten, in blocks of this size.
BLOCK_SIZE = 128 * 1024

_SRC_FLAGS = os.O_RDONLY | os.O_NONBLOCK
_DST_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK
_DIR_READ = os.O_RDONLY | os.O_DIRECTORY


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
