"""Copying an entry's metadata: owner, mode, extended attributes, times.

The order matters: ownership first (chown clears set-user-ID and
set-group-ID bits, which the mode then restores), then the mode, the
xattrs, and the times last (any later change to the entry would move its
ctime but not its mtime; reading it would move its atime).

Ownership: as root, a refused chown is an error (an NFS export squashing
root would otherwise leave every file owned by nobody, silently). As
another user, a file can only be given to that user, so EPERM is ignored
and the copies belong to the copier -- what ``cp -a`` does.

Extended attributes: a destination filesystem without them (ENOTSUP),
or a namespace this process may not write (``trusted.*`` without
CAP_SYS_ADMIN, ``security.*`` under an LSM), is skipped with one warning
per job and namespace; other failures fail the file.
"""

import errno
import os
import stat
import threading

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

_XATTR_SKIPPABLE = frozenset((errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM,
                              errno.EACCES))


class Applier(object):
    """Applies metadata for one job; remembers what it already warned."""

    def __init__(self, preserve):
        self.preserve = preserve
        self.is_root = os.geteuid() == 0
        self._warned = set()
        self._lock = threading.Lock()

    def _warn_once(self, key, msg, args):
        with self._lock:
            if key in self._warned:
                return
            self._warned.add(key)
        LOG.warning(msg, *args)

    def apply_fd(self, src_fd, dst_fd, st, relpath, with_times=True):
        """Regular files and directories: everything through descriptors.

        Mode is always copied (as cp does); the rest only when preserving.
        """
        if self.preserve:
            self._chown(lambda: os.fchown(dst_fd, st.st_uid, st.st_gid),
                        relpath)
        os.fchmod(dst_fd, stat.S_IMODE(st.st_mode))
        if self.preserve:
            self.copy_xattrs(src_fd, dst_fd, relpath)
            if with_times:
                os.utime(dst_fd, ns=(st.st_atime_ns, st.st_mtime_ns))

    def apply_times_fd(self, dst_fd, st):
        if self.preserve:
            os.utime(dst_fd, ns=(st.st_atime_ns, st.st_mtime_ns))

    def apply_link(self, src_parent_fd, dst_parent_fd, name, st, relpath):
        """A symlink: owner, xattrs and times of the link itself.

        Links have no mode of their own on Linux.
        """
        if not self.preserve:
            return
        self._chown(lambda: os.chown(name, st.st_uid, st.st_gid,
                                     dir_fd=dst_parent_fd,
                                     follow_symlinks=False), relpath)
        # No xattr call takes a dir_fd; the /proc path of the parent's
        # descriptor with follow_symlinks=False names the link itself.
        self.copy_xattrs(_proc_path(src_parent_fd, name),
                         _proc_path(dst_parent_fd, name), relpath,
                         follow_symlinks=False)
        os.utime(name, ns=(st.st_atime_ns, st.st_mtime_ns),
                 dir_fd=dst_parent_fd, follow_symlinks=False)

    def _chown(self, call, relpath):
        try:
            call()
        except PermissionError:
            if self.is_root:
                raise
            self._warn_once(('chown',), 'Not running as root: copied '
                            'files belong to this user, not to their '
                            'owners at the source (first: %s).', (relpath,))

    def copy_xattrs(self, src, dst, relpath, follow_symlinks=True):
        try:
            names = os.listxattr(src, follow_symlinks=follow_symlinks)
        except OSError as e:
            if e.errno in _XATTR_SKIPPABLE:
                return
            raise
        for name in names:
            try:
                value = os.getxattr(src, name,
                                    follow_symlinks=follow_symlinks)
                os.setxattr(dst, name, value,
                            follow_symlinks=follow_symlinks)
            except OSError as e:
                if e.errno == errno.ENODATA:  # removed meanwhile
                    continue
                if e.errno not in _XATTR_SKIPPABLE:
                    raise
                namespace = name.split('.', 1)[0]
                what = '%s.* (first: %s)' % (namespace, relpath)
                self._warn_once(('xattr', namespace, e.errno),
                                'Extended attributes %s are not copied: '
                                '%s.', (what, os.strerror(e.errno)))


def _proc_path(dir_fd, name):
    return '/proc/self/fd/%d/%s' % (dir_fd, name)
