"""Making one entry of a destination tree like the source's.

The steps ``copy.CopyJob`` (migration copy) and ``sync.TreeSync``
(replica resync) have in common: removing what is in the way, creating
and finishing directories, symlinks, hard links, FIFOs and device nodes.
What differs between the two (counters, cancel checks, which metadata
are compared first) stays with the caller: these functions report what
they did (``MADE``, ``SAME`` or ``GONE``) and take the choices as
arguments.

Both trees are ``paths.Tree``: every name is resolved beneath the tree's
root with symlinks refused, and every call on a last component is made
through its parent's descriptor without following links. A symlink a
share's user put (or swaps) into either tree is removed or copied as a
link; it is never written through.
"""

import contextlib
import errno
import os
import shutil
import stat

from storagemgr.data import walk

# What a make_* call did with one entry.
MADE = 'made'    # created, or replaced what was there
SAME = 'same'    # the destination already had it
GONE = 'gone'    # the source's entry vanished; nothing done

SRC_FLAGS = os.O_RDONLY | os.O_NONBLOCK
DIR_READ = os.O_RDONLY | os.O_DIRECTORY

# Opening an entry that is missing, or not what the name says any more
# (now a symlink, or under what is no longer a directory).
_GONE_ERRNOS = (errno.ENOENT, errno.ELOOP, errno.ENOTDIR)


class NodeRefused(PermissionError):
    """mknod was refused: device nodes need CAP_MKNOD."""


# -- removing -----------------------------------------------------------------

def clear(parent_fd, name):
    """Remove ``name`` under ``parent_fd``, a whole tree or not.

    An entry already gone is fine.
    """
    try:
        st = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISDIR(st.st_mode):
            # fd-based: a link swapped in while it runs is not followed.
            shutil.rmtree(name, dir_fd=parent_fd)
        else:
            os.unlink(name, dir_fd=parent_fd)


def remove(tree, rel):
    """Remove ``rel`` from ``tree`` (a ``paths.Tree``), if it is there."""
    parent_fd, name = tree.parent(rel)
    try:
        clear(parent_fd, name)
    finally:
        os.close(parent_fd)


def prune(listing, tree, ignore_top=()):
    """Remove from ``tree`` what ``listing`` lacks or has with another type.

    Top-level names in ``ignore_top`` (and what is under them) are left
    alone. Returns how many entries were removed (a directory counts
    once, with everything in it).
    """
    kinds = walk.walk_kinds(tree)
    removed = 0
    for rel in sorted(kinds):
        if rel.split('/', 1)[0] in ignore_top:
            continue
        if listing.kinds.get(rel) == kinds[rel]:
            continue
        parent = rel.rsplit('/', 1)[0] if '/' in rel else ''
        if parent and listing.kinds.get(parent) != kinds.get(parent):
            continue  # went with its parent
        remove(tree, rel)
        removed += 1
    return removed


# -- looking ------------------------------------------------------------------

def open_entry(tree, rel, flags, mode=0o600):
    """``tree.open(rel, flags, mode)``, or None when ``rel`` is not there.

    Not there: missing, below something that is no longer a directory,
    or reached through a symlink (the last component too, unless
    ``flags`` hold O_PATH | O_NOFOLLOW, which open the link itself).
    Other errors are raised.
    """
    try:
        return tree.open(rel, flags, mode)
    except OSError as e:
        if e.errno in _GONE_ERRNOS:
            return None
        raise


def entry_stat(tree, rel):
    """The lstat of ``rel`` in ``tree``; None when it is not there.

    A symlink is there (its own lstat); one on the way is not followed.
    """
    fd = open_entry(tree, rel, os.O_PATH | os.O_NOFOLLOW)
    if fd is None:
        return None
    try:
        return os.fstat(fd)
    finally:
        os.close(fd)


def same_metadata(have, want):
    """Mode, owner and mtime alike: nothing to apply (and no ctime moved).

    Owners only count as root: another user's copies are its own anyway.
    """
    if (have.st_mode, have.st_mtime_ns) != (want.st_mode, want.st_mtime_ns):
        return False
    return os.geteuid() != 0 or (have.st_uid, have.st_gid) == (
        want.st_uid, want.st_gid)


def changed(before, after):
    """Whether a file's size, mtime or ctime moved between two stats."""
    return (before.st_size, before.st_mtime_ns, before.st_ctime_ns) != (
        after.st_size, after.st_mtime_ns, after.st_ctime_ns)


# -- directories --------------------------------------------------------------

def make_dir(tree, rel):
    """Create directory ``rel`` (mode 0700 while it is filled).

    An existing directory (the root included: ``rel`` '') is made
    writable to us if an earlier run left it read-only, as the source
    was; anything else in its place is removed first.
    """
    if not rel:
        _make_writable(tree, rel)
        return
    parent_fd, name = tree.parent(rel)
    try:
        try:
            os.mkdir(name, 0o700, dir_fd=parent_fd)
            return
        except FileExistsError:
            pass
        try:
            _make_writable(tree, rel)
        except OSError as e:
            if e.errno not in (errno.ENOTDIR, errno.ELOOP):
                raise
            clear(parent_fd, name)  # a file, link or node in the way
            os.mkdir(name, 0o700, dir_fd=parent_fd)
    finally:
        os.close(parent_fd)


def _make_writable(tree, rel):
    fd = tree.open(rel, DIR_READ)
    try:
        mode = os.fstat(fd).st_mode
        if mode & 0o700 != 0o700:
            os.fchmod(fd, stat.S_IMODE(mode) | 0o700)
    finally:
        os.close(fd)


def finish_dirs(src, dst, dirs, applier, skip_same=False):
    """Modes, owners, xattrs and times of directories, deepest first.

    Last, so that filling a directory does not move its mtime afterwards.
    A directory gone from the source since it was listed is passed over
    (the next run removes it). With ``skip_same``, a directory whose
    ``same_metadata`` holds is not touched.
    """
    for rel, st in reversed(dirs):
        try:
            src_fd = src.open(rel, DIR_READ)
        except OSError:
            continue
        try:
            dst_fd = dst.open(rel, DIR_READ)
            try:
                if not (skip_same and same_metadata(os.fstat(dst_fd), st)):
                    applier.apply_fd(src_fd, dst_fd, st, rel)
            finally:
                os.close(dst_fd)
        finally:
            os.close(src_fd)


# -- links and special files --------------------------------------------------

def make_symlink(src, dst, rel, target, st, applier, skip_same=False):
    """A symlink as a symlink: its target text, never what it names.

    A link with another target (or anything else) at ``rel`` is replaced.
    Then the link's own metadata are applied, unless ``skip_same`` and
    the link was already there with ``same_metadata``. MADE or SAME.
    """
    dst_parent, name = dst.parent(rel)
    try:
        try:
            made = os.readlink(name, dir_fd=dst_parent) != target
        except OSError:
            made = True
        if made:
            clear(dst_parent, name)
            os.symlink(target, name, dir_fd=dst_parent)
        elif skip_same and same_metadata(
                os.stat(name, dir_fd=dst_parent, follow_symlinks=False), st):
            return SAME
        try:
            src_parent, _name = src.parent(rel)
        except OSError:
            pass  # gone from the source since listed
        else:
            try:
                applier.apply_link(src_parent, dst_parent, name, st, rel)
            finally:
                os.close(src_parent)
    finally:
        os.close(dst_parent)
    return MADE if made else SAME


def make_hardlink(dst, rel, first):
    """Make ``rel`` another name of ``first`` (both in ``dst``).

    ``first`` is the inode's first name, already copied. MADE, SAME
    (already that inode) or GONE (``first`` is missing: it vanished from
    the source).
    """
    first_parent, first_name = dst.parent(first)
    try:
        dst_parent, name = dst.parent(rel)
        try:
            try:
                want = os.stat(first_name, dir_fd=first_parent,
                               follow_symlinks=False)
            except FileNotFoundError:
                return GONE
            try:
                have = os.stat(name, dir_fd=dst_parent,
                               follow_symlinks=False)
            except FileNotFoundError:
                have = None
            if have is not None and (have.st_dev, have.st_ino) == (
                    want.st_dev, want.st_ino):
                return SAME
            clear(dst_parent, name)
            os.link(first_name, name, src_dir_fd=first_parent,
                    dst_dir_fd=dst_parent, follow_symlinks=False)
            return MADE
        finally:
            os.close(dst_parent)
    finally:
        os.close(first_parent)


def make_special(dst, rel, st, applier=None):
    """A FIFO or device node like ``st``: its type, device and mode.

    With an ``applier`` that preserves metadata, also its owner and
    times. An entry of the same type and device is left as it is (SAME);
    anything else there is replaced (MADE). Raises ``NodeRefused`` when
    the kernel refuses the node itself (devices need root).
    """
    dst_parent, name = dst.parent(rel)
    try:
        if _same_node(dst_parent, name, st):
            return SAME
        clear(dst_parent, name)
        try:
            os.mknod(name, stat.S_IFMT(st.st_mode) | 0o600, st.st_rdev,
                     dir_fd=dst_parent)
        except PermissionError as e:
            raise NodeRefused(e.errno, e.strerror, e.filename)
        preserve = applier is not None and applier.preserve
        if preserve:
            # First: chown clears set-user-ID and set-group-ID bits.
            applier._chown(lambda: os.chown(name, st.st_uid, st.st_gid,
                                            dir_fd=dst_parent,
                                            follow_symlinks=False), rel)
        node = os.open(name, os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC,
                       dir_fd=dst_parent)
        try:
            # An O_PATH descriptor takes no fchmod; its /proc name reaches
            # the node itself, never a link swapped in for it.
            os.chmod('/proc/self/fd/%d' % node, stat.S_IMODE(st.st_mode))
        finally:
            os.close(node)
        if preserve:
            os.utime(name, ns=(st.st_atime_ns, st.st_mtime_ns),
                     dir_fd=dst_parent, follow_symlinks=False)
        return MADE
    finally:
        os.close(dst_parent)


def _same_node(parent_fd, name, st):
    try:
        have = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
    except OSError:
        return False
    return (stat.S_IFMT(have.st_mode), have.st_rdev) == (
        stat.S_IFMT(st.st_mode), st.st_rdev)
