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

import os
import stat
import time

from oslo_log import log as logging

from storagemgr.data import journal
from storagemgr.data import metadata
from storagemgr.data import paths as tree_paths
from storagemgr.data import transfer
from storagemgr.data import tree_ops
from storagemgr.data import walk
from storagemgr import exception
from storagemgr.i18n import _

LOG = logging.getLogger(__name__)

# Changed files are compared, and rewritten, in blocks of this size.
BLOCK_SIZE = 128 * 1024

_SRC_FLAGS = tree_ops.SRC_FLAGS
_DST_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK


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
            self.result.removed += tree_ops.prune(listing, dst)
            for rel, _st in listing.dirs:
                tree_ops.make_dir(dst, rel)  # writable to us, root included
            for rel, st in listing.files:
                self._sync_file(rel, st, started_ns)
            self._make_hardlinks(listing.hardlinks)
            self._make_links(listing.links)
            self._make_specials(listing.specials)
            # Last, deepest first: filling a directory moves its mtime.
            tree_ops.finish_dirs(src, dst, listing.dirs, self.applier,
                                 skip_same=True)
        return self.result

    # -- regular files -----------------------------------------------------

    def _sync_file(self, rel, st, started_ns):
        self.result.files_total += 1
        have = tree_ops.entry_stat(self.dst, rel)
        if have is not None and not stat.S_ISREG(have.st_mode):
            tree_ops.remove(self.dst, rel)
            have = None
        same = have is not None and (have.st_size, have.st_mtime_ns) == (
            st.st_size, st.st_mtime_ns)
        if same and rel not in self.racy:
            self.result.files_skipped += 1
            if not tree_ops.same_metadata(have, st):
                self._apply_metadata(rel, st)  # a chmod, say: no data
            return
        src_fd = tree_ops.open_entry(self.src, rel, _SRC_FLAGS)
        if src_fd is None:
            return  # removed or replaced since listed: the next sync
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
                    tree_ops.remove(self.dst, rel)
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
        if changed or tree_ops.changed(current, after) or (
                current.st_mtime_ns > started_ns - journal.RACY_NS):
            self.result.racy.add(rel)

    def _apply_metadata(self, rel, st):
        src_fd = tree_ops.open_entry(self.src, rel, _SRC_FLAGS)
        if src_fd is None:
            return
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
                transfer.pwrite_all(dst_fd, want, offset)
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
            if tree_ops.make_symlink(self.src, self.dst, rel, target, st,
                                     self.applier, skip_same=True) == \
                    tree_ops.MADE:
                self.result.links_made += 1

    def _make_hardlinks(self, hardlinks):
        for rel, first, _st in hardlinks:
            if tree_ops.make_hardlink(self.dst, rel, first) == tree_ops.MADE:
                self.result.links_made += 1

    def _make_specials(self, specials):
        """FIFOs (and devices, as root); sockets are not copied.

        Their mode only: owners and times are not compared or applied.
        """
        for rel, st in specials:
            try:
                tree_ops.make_special(self.dst, rel, st)
            except tree_ops.NodeRefused:
                LOG.warning('%s: device nodes need root; not copied.', rel)


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
