"""Listing a tree through directory descriptors, never following links.

Each directory is opened beneath the tree's root (``paths.Tree``) and
listed with ``os.scandir(fd)``: the names come from the kernel (no '/', no
'..'), the types from lstat, and a symlink is reported, not entered.
"""

import collections
import os
import stat

from storagemgr.data import paths

DIR = 'dir'
FILE = 'file'
LINK = 'link'
SPECIAL = 'special'    # fifo, character or block device
SOCKET = 'socket'      # not copied, like cp

_DIR_OPEN = os.O_RDONLY | os.O_DIRECTORY | os.O_NONBLOCK


def kind_of(mode):
    if stat.S_ISDIR(mode):
        return DIR
    if stat.S_ISREG(mode):
        return FILE
    if stat.S_ISLNK(mode):
        return LINK
    if stat.S_ISSOCK(mode):
        return SOCKET
    return SPECIAL


class Listing(object):
    """Everything under a root, parents listed before their children."""

    def __init__(self):
        self.dirs = []        # (relpath, stat); '' is the root
        self.files = []       # (relpath, stat), first name of each inode
        self.hardlinks = []   # (relpath, first relpath, stat)
        self.links = []       # (relpath, target, stat)
        self.specials = []    # (relpath, stat)
        self.kinds = {}       # relpath -> kind, for pruning

    @property
    def bytes_total(self):
        return sum(st.st_size for _rel, st in self.files)


def scan(tree, ignore_top=()):
    """List ``tree`` (a ``paths.Tree``).

    Top-level names in ``ignore_top`` (e.g. lost+found) are left out.
    """
    listing = Listing()
    root_st = os.stat(tree.fd)
    listing.dirs.append(('', root_st))
    first_of_inode = {}
    pending = collections.deque([''])
    while pending:
        rel = pending.popleft()
        for name, st, dir_fd in _entries(tree, rel):
            if not rel and name in ignore_top:
                continue
            child = paths.join(rel, name)
            kind = kind_of(st.st_mode)
            listing.kinds[child] = kind
            if kind == DIR:
                listing.dirs.append((child, st))
                pending.append(child)
            elif kind == FILE:
                if st.st_nlink > 1:
                    key = (st.st_dev, st.st_ino)
                    first = first_of_inode.setdefault(key, child)
                    if first != child:
                        listing.hardlinks.append((child, first, st))
                        continue
                listing.files.append((child, st))
            elif kind == LINK:
                target = os.readlink(name, dir_fd=dir_fd)
                listing.links.append((child, target, st))
            elif kind == SPECIAL:
                listing.specials.append((child, st))
    return listing


def _entries(tree, rel):
    """(name, lstat, directory fd) of each entry of directory ``rel``."""
    fd = tree.open(rel, _DIR_OPEN)
    try:
        with os.scandir(fd) as it:
            for entry in it:
                try:
                    st = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue  # removed while we list
                yield entry.name, st, fd
    finally:
        os.close(fd)


def walk_kinds(tree):
    """{relpath: kind} of everything under ``tree`` (for pruning)."""
    kinds = {}
    pending = collections.deque([''])
    while pending:
        rel = pending.popleft()
        for name, st, _fd in _entries(tree, rel):
            child = paths.join(rel, name)
            kinds[child] = kind_of(st.st_mode)
            if kinds[child] == DIR:
                pending.append(child)
    return kinds
