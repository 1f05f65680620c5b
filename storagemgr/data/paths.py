"""Opening names inside a tree without ever leaving it.

A share's content is written by its users, so a name inside it can be a
symlink to ``/etc`` or be swapped for one while the copy runs. Every open
of the copy goes through ``Tree``: relative to a descriptor of the tree's
root, refusing any symlink on the way (including the last component) and
any '..'. On Linux >= 5.6 that is one ``openat2`` call with
RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, checked by the kernel at the moment
of the open (no check-then-use race); elsewhere the name is walked one
component at a time with O_NOFOLLOW.
"""

import ctypes
import errno
import os

from storagemgr.data import errors

# openat2(2): the syscall number is the same on every architecture.
_SYS_OPENAT2 = 437
_RESOLVE_NO_MAGICLINKS = 0x02
_RESOLVE_NO_SYMLINKS = 0x04
_RESOLVE_BENEATH = 0x08
_RESOLVE = _RESOLVE_NO_MAGICLINKS | _RESOLVE_NO_SYMLINKS | _RESOLVE_BENEATH

_DIR_FLAGS = os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class _OpenHow(ctypes.Structure):
    _fields_ = [('flags', ctypes.c_uint64),
                ('mode', ctypes.c_uint64),
                ('resolve', ctypes.c_uint64)]


try:
    _libc = ctypes.CDLL(None, use_errno=True)
    _syscall = _libc.syscall
    _syscall.restype = ctypes.c_long
except (OSError, AttributeError):  # pragma: no cover - not glibc/musl
    _syscall = None

# None: not tried yet; False: the kernel (or a seccomp filter) refused it.
_openat2_works = None if _syscall is not None else False


def split(relpath):
    """The components of a relative name ('' is the root itself).

    Refuses anything that could leave the tree.
    """
    if relpath == '':
        return []
    if '\0' in relpath:
        raise errors.UnsafePath(path=relpath, reason='NUL byte')
    if relpath.startswith('/'):
        raise errors.UnsafePath(path=relpath, reason='absolute')
    parts = relpath.split('/')
    for part in parts:
        if part in ('', '.', '..'):
            raise errors.UnsafePath(path=relpath,
                                    reason='empty, "." or ".." component')
    return parts


def join(parent, name):
    return name if not parent else parent + '/' + name


def parent_and_name(relpath):
    parts = split(relpath)
    if not parts:
        raise errors.UnsafePath(path=relpath, reason='the root has no name')
    return '/'.join(parts[:-1]), parts[-1]


def _openat2(dir_fd, relpath, flags, mode):
    how = _OpenHow(flags | os.O_CLOEXEC, mode if flags & os.O_CREAT else 0,
                   _RESOLVE)
    fd = _syscall(ctypes.c_long(_SYS_OPENAT2), ctypes.c_long(dir_fd),
                  ctypes.c_char_p(os.fsencode(relpath)), ctypes.byref(how),
                  ctypes.c_size_t(ctypes.sizeof(how)))
    if fd < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), relpath)
    return fd


class Tree(object):
    """A directory tree opened once; ``open`` resolves names beneath it."""

    def __init__(self, root):
        self.root = os.path.realpath(root)
        self.fd = os.open(self.root, _DIR_FLAGS)

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def open(self, relpath, flags, mode=0o600):
        """A descriptor of ``relpath``: never through (or to) a symlink."""
        global _openat2_works
        parts = split(relpath)
        if not parts:
            return os.open('.', flags | os.O_CLOEXEC, mode, dir_fd=self.fd)
        if _openat2_works is not False:
            try:
                fd = _openat2(self.fd, relpath, flags, mode)
                _openat2_works = True
                return fd
            except OSError as e:
                if e.errno not in (errno.ENOSYS, errno.EPERM) or \
                        _openat2_works:
                    raise
                # Old kernel, or a seccomp profile that does not know it.
                _openat2_works = False
        return self._open_walking(parts, flags, mode)

    def _open_walking(self, parts, flags, mode):
        dir_fd = self.fd
        try:
            for part in parts[:-1]:
                next_fd = os.open(part, _DIR_FLAGS, dir_fd=dir_fd)
                if dir_fd != self.fd:
                    os.close(dir_fd)
                dir_fd = next_fd
            return os.open(parts[-1], flags | os.O_NOFOLLOW | os.O_CLOEXEC,
                           mode, dir_fd=dir_fd)
        finally:
            if dir_fd != self.fd:
                os.close(dir_fd)

    def open_dir(self, relpath):
        """An O_PATH descriptor of a directory, for the ``*at`` calls."""
        return self.open(relpath, _DIR_FLAGS)

    def parent(self, relpath):
        """(descriptor of the parent directory, last name) of relpath.

        The caller closes the descriptor. Calls made with it and
        ``follow_symlinks=False`` never leave the tree.
        """
        parent, name = parent_and_name(relpath)
        return self.open_dir(parent), name
