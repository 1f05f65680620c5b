"""Moving one file's bytes, and hashing them.

Fastest first: a reflink (FICLONE: the destination shares the source's
extents, nothing is copied), then ``copy_file_range`` (the kernel copies
page cache to page cache, or the server does for NFS 4.2), then
``sendfile``, then ``pread``/``pwrite``. What a pair of filesystems refuses
is remembered per ``Mover`` so that a job does not try again for every
file.

A sparse source (fewer blocks than its size needs) is copied extent by
extent (SEEK_DATA/SEEK_HOLE); the holes are left unwritten, so they stay
holes. A dense source is copied in one range, as ``cp`` does.
"""

import errno
import fcntl
import os
import threading

import xxhash

FICLONE = 0x40049409  # _IOW(0x94, 9, int)

# Copy ranges this large between two checks of cancellation/progress.
CHUNK = 64 * 1024 * 1024
# Hash reads: large enough that the syscall cost vanishes, small enough to
# stay in the CPU caches while xxh3 runs over them (measured: 1 MiB).
HASH_READ = 1024 * 1024
# Files up to this size are hashed in one read and one call.
SMALL_FILE = 256 * 1024

# A filesystem pair that does not support an operation answers with one of
# these; anything else is a real error of this file.
_UNSUPPORTED = frozenset((errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV,
                          errno.EINVAL, errno.ENOSYS, errno.ENOTTY,
                          errno.EBADF, errno.EPERM))

_buffers = threading.local()


class SourceShrank(Exception):
    """The source ended before the size it had when the copy began."""


def _buffer():
    buf = getattr(_buffers, 'buf', None)
    if buf is None:
        buf = _buffers.buf = bytearray(HASH_READ)
    return buf


class Mover(object):
    """Copies file contents; learns which methods a filesystem pair has."""

    def __init__(self, reflink=True):
        self.reflink_ok = None if reflink else False
        self.range_ok = None
        self.sendfile_ok = None
        self.stats = {'reflink': 0, 'copy_file_range': 0, 'sendfile': 0,
                      'readwrite': 0}
        self._lock = threading.Lock()

    def _count(self, how):
        with self._lock:
            self.stats[how] += 1

    def copy(self, src_fd, dst_fd, size, sparse, step=None):
        """Copy ``size`` bytes; returns the method used.

        ``step(nbytes)`` is called as data moves (it may raise to stop).
        """
        if size == 0:
            return 'empty'
        if self.reflink_ok is not False:
            try:
                fcntl.ioctl(dst_fd, FICLONE, src_fd)
                self.reflink_ok = True
                self._count('reflink')
                if step is not None:
                    step(size)
                return 'reflink'
            except OSError as e:
                if e.errno not in _UNSUPPORTED:
                    raise
                self.reflink_ok = False
        how = None
        if sparse:
            for start, end in data_extents(src_fd, size):
                how = self._range(src_fd, dst_fd, start, end, step)
            # The tail may be a hole: the size comes from ftruncate.
            os.ftruncate(dst_fd, size)
        else:
            how = self._range(src_fd, dst_fd, 0, size, step)
        how = how or 'copy_file_range'
        self._count(how)
        return how

    def _range(self, src_fd, dst_fd, start, end, step):
        offset = start
        how = None
        while offset < end:
            count = min(CHUNK, end - offset)
            done, how = self._some(src_fd, dst_fd, offset, count)
            if done == 0:
                raise SourceShrank()
            offset += done
            if step is not None:
                step(done)
        return how

    def _some(self, src_fd, dst_fd, offset, count):
        if self.range_ok is not False:
            try:
                done = os.copy_file_range(src_fd, dst_fd, count, offset,
                                          offset)
                # Some filesystems (proc-like, old FUSE) answer 0 for data
                # they do have; only trust a 0 once the method has worked.
                if done or self.range_ok:
                    self.range_ok = True
                    return done, 'copy_file_range'
            except OSError as e:
                if e.errno not in _UNSUPPORTED or self.range_ok:
                    raise
            self.range_ok = False
        if self.sendfile_ok is not False:
            try:
                os.lseek(dst_fd, offset, os.SEEK_SET)
                done = os.sendfile(dst_fd, src_fd, offset, count)
                if done or self.sendfile_ok:
                    self.sendfile_ok = True
                    return done, 'sendfile'
            except OSError as e:
                if e.errno not in _UNSUPPORTED or self.sendfile_ok:
                    raise
            self.sendfile_ok = False
        data = os.pread(src_fd, min(count, CHUNK), offset)
        pwrite_all(dst_fd, data, offset)
        return len(data), 'readwrite'


def pwrite_all(fd, data, offset):
    """Write all of ``data`` at ``offset`` (pwrite may write less)."""
    view = memoryview(data)
    while view:
        done = os.pwrite(fd, view, offset)
        view = view[done:]
        offset += done


def is_sparse(st):
    """True when the file has fewer blocks than its size needs.

    st_blocks counts 512-byte units whatever the filesystem's block size.
    """
    return st.st_blocks * 512 < st.st_size


def data_extents(fd, size):
    """(start, end) of each region of ``fd`` holding data."""
    offset = 0
    while offset < size:
        try:
            start = os.lseek(fd, offset, os.SEEK_DATA)
        except OSError as e:
            if e.errno == errno.ENXIO:  # only a hole from here on
                return
            if e.errno in (errno.EINVAL, errno.EOPNOTSUPP):
                # No SEEK_DATA here: the whole file is data.
                yield offset, size
                return
            raise
        if start >= size:
            return
        end = min(os.lseek(fd, start, os.SEEK_HOLE), size)
        yield start, end
        offset = end


def hash_fd(fd, size, step=None):
    """xxh3-128 hex digest of the first ``size`` bytes of ``fd``.

    Small files: one read, one call. Larger ones are read into a
    per-thread buffer reused for every file: the hasher's update() releases
    the GIL, as os.preadv does, so the worker threads hash in parallel.
    """
    if size <= SMALL_FILE:
        data = os.pread(fd, size, 0)
        if len(data) != size:
            raise SourceShrank()
        return xxhash.xxh3_128_hexdigest(data)
    buf = _buffer()
    view = memoryview(buf)
    hasher = xxhash.xxh3_128()
    offset = 0
    while offset < size:
        done = os.preadv(fd, [view[:min(HASH_READ, size - offset)]],
                         offset)
        if done == 0:
            raise SourceShrank()
        hasher.update(view[:done])
        offset += done
        if step is not None and offset % CHUNK < HASH_READ:
            step(0)
    return hasher.hexdigest()
