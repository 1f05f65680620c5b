"""Moving a file's bytes: fallbacks, holes, hashes."""

import errno
import os
from unittest import mock

import xxhash

from storagemgr.data import transfer
from storagemgr.tests.unit.data import base


class MoverTestCase(base.TreeTestCase):

    def _fds(self, data=None, sparse=False):
        src = os.path.join(self.src, 'file')
        with open(src, 'wb') as f:
            if sparse:
                # 64 MiB with two small islands of data, and a tail hole.
                f.truncate(64 * 1024 * 1024)
                f.seek(8 * 1024 * 1024)
                f.write(b'a' * 8192)
                f.seek(40 * 1024 * 1024)
                f.write(b'b' * 4096)
            else:
                f.write(data)
        src_fd = os.open(src, os.O_RDONLY)
        dst_fd = os.open(os.path.join(self.dst, 'file'),
                         os.O_RDWR | os.O_CREAT, 0o600)
        self.addCleanup(os.close, src_fd)
        self.addCleanup(os.close, dst_fd)
        return src_fd, dst_fd, os.fstat(src_fd)

    def _assert_same(self, src_fd, dst_fd):
        size = os.fstat(src_fd).st_size
        self.assertEqual(size, os.fstat(dst_fd).st_size)
        self.assertEqual(os.pread(src_fd, size, 0), os.pread(dst_fd, size, 0))

    def test_sparse_source_stays_sparse(self):
        src_fd, dst_fd, st = self._fds(sparse=True)
        self.assertTrue(transfer.is_sparse(st))
        transfer.Mover().copy(src_fd, dst_fd, st.st_size, True)
        self._assert_same(src_fd, dst_fd)
        copied = os.fstat(dst_fd)
        # Two 4-8 KiB islands; a dense copy would hold 64 MiB of blocks.
        self.assertLessEqual(copied.st_blocks, st.st_blocks + 16)
        self.assertLess(copied.st_blocks * 512, 1024 * 1024)

    def test_unsupported_reflink_falls_back_silently_once(self):
        src_fd, dst_fd, st = self._fds(os.urandom(100000))
        mover = transfer.Mover()
        with mock.patch('fcntl.ioctl', side_effect=OSError(
                errno.EOPNOTSUPP, 'no')) as ioctl:
            self.assertEqual('copy_file_range',
                             mover.copy(src_fd, dst_fd, st.st_size, False))
            mover.copy(src_fd, dst_fd, st.st_size, False)
        self.assertEqual(1, ioctl.call_count)  # remembered
        self._assert_same(src_fd, dst_fd)

    def test_reflink_used_when_it_works(self):
        src_fd, dst_fd, st = self._fds(b'x' * 10)
        with mock.patch('fcntl.ioctl') as ioctl:
            self.assertEqual('reflink', transfer.Mover().copy(
                src_fd, dst_fd, st.st_size, False))
        ioctl.assert_called_once_with(dst_fd, transfer.FICLONE, src_fd)

    def test_reflink_real_error_is_raised(self):
        src_fd, dst_fd, st = self._fds(b'x' * 10)
        with mock.patch('fcntl.ioctl', side_effect=OSError(errno.EIO, 'io')):
            self.assertRaises(OSError, transfer.Mover().copy, src_fd, dst_fd,
                              st.st_size, False)

    def test_cross_device_falls_back_to_sendfile_then_read_write(self):
        data = os.urandom(300000)
        src_fd, dst_fd, st = self._fds(data)
        mover = transfer.Mover(reflink=False)
        exdev = OSError(errno.EXDEV, 'cross-device')
        with mock.patch('os.copy_file_range', side_effect=exdev):
            self.assertEqual('sendfile',
                             mover.copy(src_fd, dst_fd, st.st_size, False))
            self._assert_same(src_fd, dst_fd)
            os.ftruncate(dst_fd, 0)
            with mock.patch('os.sendfile', side_effect=OSError(
                    errno.EINVAL, 'no')):
                mover.sendfile_ok = None
                self.assertEqual('readwrite', mover.copy(
                    src_fd, dst_fd, st.st_size, False))
        self._assert_same(src_fd, dst_fd)

    def test_hash_of_small_and_large_files(self):
        for size in (0, 1000, transfer.SMALL_FILE + 1,
                     3 * transfer.HASH_READ + 5):
            data = os.urandom(size)
            src_fd, _dst_fd, _st = self._fds(data)
            self.assertEqual(xxhash.xxh3_128_hexdigest(data),
                             transfer.hash_fd(src_fd, size))

    def test_hash_of_a_shrunk_file_says_so(self):
        src_fd, _dst_fd, _st = self._fds(b'x' * 100)
        self.assertRaises(transfer.SourceShrank, transfer.hash_fd, src_fd,
                          200)

    def test_short_writes_are_finished(self):
        _src_fd, dst_fd, _st = self._fds(b'')
        real = os.pwrite
        calls = []

        def pwrite(fd, data, offset):
            calls.append(offset)
            return real(fd, bytes(data[:3]), offset)

        with mock.patch('os.pwrite', side_effect=pwrite):
            transfer.pwrite_all(dst_fd, b'0123456789', 5)
        self.assertEqual([5, 8, 11, 14], calls)
        self.assertEqual(b'\0' * 5 + b'0123456789', os.pread(dst_fd, 100, 0))
