"""CopyJob: the tree, its metadata, hostile names, verify, resume, sync."""

import errno
import os
import stat
from unittest import mock

from storagemgr.data import copy
from storagemgr.data import journal
from storagemgr.data import transfer
from storagemgr.tests.unit.data import base


class CopyTestCase(base.TreeTestCase):

    def setUp(self):
        super().setUp()
        self.flags(copy_journal_checkpoint_interval=0, group='data')

    def job(self, job_id='job', **kwargs):
        kwargs.setdefault('workers', 3)
        return copy.CopyJob(job_id, self.src, self.dst, self.journals,
                            **kwargs)


class TreeCopyTestCase(CopyTestCase):

    def test_tree_is_copied_with_links_as_links(self):
        self.make_files(20)
        self.write('empty')
        self.write('deep/er/still/file', b'x' * 5)
        os.makedirs(os.path.join(self.src, 'empty-dir'))
        os.symlink('/etc/passwd', os.path.join(self.src, 'absolute'))
        os.symlink('../../outside', os.path.join(self.src, 'deep', 'up'))
        os.symlink('dangling', os.path.join(self.src, 'dangling-link'))
        result = self.job().run()
        self.assertSameTree(self.src, self.dst)
        self.assertEqual('/etc/passwd',
                         os.readlink(os.path.join(self.dst, 'absolute')))
        self.assertEqual((25, 25, 0), (result.files_total,
                                       result.files_copied,
                                       result.files_skipped))
        self.assertEqual(sum(3000 + i for i in range(20)) + 5,
                         result.bytes_total)
        self.assertTrue(result.verified)

    def test_mode_is_always_kept_times_only_when_preserving(self):
        path = self.write('script', b'#!/bin/sh\n')
        os.chmod(path, 0o751)
        os.chmod(os.path.join(self.src), 0o750)
        os.utime(path, ns=(1_000_000_001, 2_000_000_002))
        self.job().run()
        copied = os.stat(os.path.join(self.dst, 'script'))
        self.assertEqual(0o751, stat.S_IMODE(copied.st_mode))
        self.assertEqual(0o750, stat.S_IMODE(os.stat(self.dst).st_mode))
        self.assertNotEqual(2_000_000_002, copied.st_mtime_ns)

    def test_preserve_metadata_keeps_owner_times_and_xattrs(self):
        path = self.write('d/file', b'data')
        os.setxattr(path, 'user.origin', b'share-1')
        directory = os.path.join(self.src, 'd')
        os.chmod(directory, 0o555)  # read-only: filled before its mode
        os.utime(path, ns=(1_000_000_001, 2_000_000_002))
        os.utime(directory, ns=(3_000_000_003, 4_000_000_004))
        link = os.path.join(self.src, 'link')
        os.symlink('d/file', link)
        os.utime(link, ns=(5_000_000_005, 6_000_000_006),
                 follow_symlinks=False)
        if os.geteuid() == 0:
            os.chown(path, 1234, 5678)
        self.job(preserve_metadata=True).run()
        copied = os.stat(os.path.join(self.dst, 'd', 'file'))
        self.assertEqual((1_000_000_001, 2_000_000_002),
                         (copied.st_atime_ns, copied.st_mtime_ns))
        copied_dir = os.stat(os.path.join(self.dst, 'd'))
        # Set after the file was created inside it.
        self.assertEqual(4_000_000_004, copied_dir.st_mtime_ns)
        self.assertEqual(0o555, stat.S_IMODE(copied_dir.st_mode))
        self.assertEqual(6_000_000_006, os.lstat(
            os.path.join(self.dst, 'link')).st_mtime_ns)
        self.assertEqual(b'share-1', os.getxattr(
            os.path.join(self.dst, 'd', 'file'), 'user.origin'))
        if os.geteuid() == 0:
            self.assertEqual((1234, 5678), (copied.st_uid, copied.st_gid))

    def test_unsupported_xattrs_and_chown_as_non_root_are_tolerated(self):
        path = self.write('file', b'data')
        os.setxattr(path, 'user.k', b'v')
        job = self.job(preserve_metadata=True)
        with mock.patch('os.setxattr', side_effect=OSError(
                errno.ENOTSUP, 'no xattrs')), \
                mock.patch('os.fchown', side_effect=PermissionError(
                    errno.EPERM, 'not owner')), \
                mock.patch('os.geteuid', return_value=1000):
            job.run()
        self.assertEqual(b'data', open(os.path.join(self.dst, 'file'),
                                       'rb').read())

    def test_chown_refused_as_root_fails_the_copy(self):
        self.write('file', b'data')
        with mock.patch('os.fchown', side_effect=PermissionError(
                errno.EPERM, 'root squashed')), \
                mock.patch('os.geteuid', return_value=0):
            error = self.assertRaises(copy.DataCopyFailed,
                                      self.job(preserve_metadata=True).run)
        self.assertIn('file', str(error))

    def test_hardlinks_fifos_and_sparse_files(self):
        self.write('first', b'shared')
        os.link(os.path.join(self.src, 'first'),
                os.path.join(self.src, 'second'))
        os.mkfifo(os.path.join(self.src, 'pipe'), 0o640)
        sparse = os.path.join(self.src, 'sparse')
        with open(sparse, 'wb') as f:
            f.truncate(32 * 1024 * 1024)
            f.seek(16 * 1024 * 1024)
            f.write(b'z' * 4096)
        self.job().run()
        first = os.stat(os.path.join(self.dst, 'first'))
        self.assertEqual(first.st_ino,
                         os.stat(os.path.join(self.dst, 'second')).st_ino)
        self.assertTrue(stat.S_ISFIFO(
            os.lstat(os.path.join(self.dst, 'pipe')).st_mode))
        self.assertLessEqual(
            os.stat(os.path.join(self.dst, 'sparse')).st_blocks,
            os.stat(sparse).st_blocks)
        self.assertSameTree(self.src, self.dst)

    def test_progress_is_throttled_and_ends_at_the_total(self):
        self.make_files(30)
        calls = []
        job = self.job(progress=lambda *figures: calls.append(figures))
        job.progress_interval = 3600
        result = job.run()
        # The first file's report, then the final one.
        self.assertLessEqual(len(calls), 2)
        self.assertEqual((result.bytes_total, result.bytes_total, 30, 30),
                         calls[-1])


class HostileTreeTestCase(CopyTestCase):

    def test_symlinked_directory_is_not_entered(self):
        outside = os.path.join(self.state_path, 'outside')
        os.makedirs(outside)
        self.write('secret', b'not for the copy', root=outside)
        os.symlink(outside, os.path.join(self.src, 'escape'))
        result = self.job().run()
        self.assertEqual(1, result.files_total)
        self.assertEqual(outside,
                         os.readlink(os.path.join(self.dst, 'escape')))
        self.assertFalse(os.path.exists(os.path.join(self.dst, 'secret')))

    def test_destination_symlinks_are_replaced_never_written_through(self):
        victim = self.write('victim', b'untouched', root=self.state_path)
        os.makedirs(os.path.join(self.dst, 'dir'))
        os.symlink(victim, os.path.join(self.dst, 'dir', 'file'))
        os.symlink(self.state_path, os.path.join(self.dst, 'sub'))
        self.write('dir/file', b'new content')
        self.write('sub/victim', b'new content')
        self.job().run()
        with open(victim, 'rb') as f:
            self.assertEqual(b'untouched', f.read())
        self.assertSameTree(self.src, self.dst)

    def test_nested_roots_are_refused(self):
        job = copy.CopyJob('job', self.src, os.path.join(self.src, 'in'),
                           self.journals)
        os.makedirs(os.path.join(self.src, 'in'))
        self.assertRaises(copy.DataCopyFailed, job.run)


class VerifyCancelTestCase(CopyTestCase):

    def test_mismatch_names_the_file(self):
        self.write('good', b'a' * 100)
        self.write('bad', b'b' * 100)
        real = transfer.hash_fd

        def corrupt(fd, size, step=None):
            digest = real(fd, size, step)
            name = os.readlink('/proc/self/fd/%d' % fd)
            if name == os.path.join(self.dst, 'bad'):
                return '0' * 32
            return digest

        self.patch(transfer, 'hash_fd', corrupt)
        error = self.assertRaises(copy.DataCopyFailed, self.job().run)
        self.assertIn('bad: verification failed', str(error))

    def test_verify_off_hashes_nothing(self):
        self.make_files(5)
        with mock.patch.object(transfer, 'hash_fd') as hash_fd:
            result = self.job(verify=False).run()
        hash_fd.assert_not_called()
        self.assertFalse(result.verified)

    def test_cancel_between_files(self):
        self.make_files(40)
        copied = []
        job = self.job(workers=1, cancelled=lambda: len(copied) >= 10)
        job.check_interval = 0
        real = job.mover.copy

        def counting(*args, **kwargs):
            copied.append(args)
            return real(*args, **kwargs)

        job.mover.copy = counting
        self.assertRaises(copy.DataCopyCancelled, job.run)
        self.assertEqual(10, len(copied))

    def test_cancel_inside_a_big_file(self):
        self.write('big', b'\0' * (3 * transfer.CHUNK // 2))
        steps = []
        self.patch(transfer, 'CHUNK', 1024 * 1024)
        job = self.job(verify=False, cancelled=lambda: len(steps) >= 2)
        job.check_interval = 0
        real = job._moved

        def counting(nbytes):
            steps.append(nbytes)
            real(nbytes)

        job._moved = counting
        self.assertRaises(copy.DataCopyCancelled, job.run)
        self.assertEqual(2, len(steps))


class ResumeSyncTestCase(CopyTestCase):

    def _interrupted_run(self, after):
        """A run whose worker fails while copying file number after+1."""
        job = self.job(workers=1)
        real = job.mover.copy
        calls = []

        def failing(src_fd, dst_fd, size, sparse, step=None):
            calls.append(size)
            if len(calls) > after:
                os.write(dst_fd, b'partial')  # the file in flight
                raise OSError(errno.EIO, 'disk went away')
            return real(src_fd, dst_fd, size, sparse, step)

        job.mover.copy = failing
        self.assertRaises(copy.DataCopyFailed, job.run)

    def _counting_job(self):
        job = self.job()
        real = job.mover.copy
        sizes = []

        def counting(src_fd, dst_fd, size, sparse, step=None):
            sizes.append(size)
            return real(src_fd, dst_fd, size, sparse, step)

        job.mover.copy = counting
        return job, sizes

    def test_resume_copies_only_what_was_not_finished(self):
        self.make_files(30)
        self._interrupted_run(after=12)
        job, sizes = self._counting_job()
        result = job.run()
        self.assertEqual((30, 18, 12), (result.files_total,
                                        result.files_copied,
                                        result.files_skipped))
        # Largest first: the 12 largest were done, the rest are copied,
        # the one in flight (partial) included.
        self.assertEqual(sorted((3000 + i for i in range(18)),
                                reverse=True), sorted(sizes, reverse=True))
        self.assertSameTree(self.src, self.dst)

    def test_changed_source_file_is_copied_again(self):
        self.make_files(5)
        self.job().run()
        changed = os.path.join(self.src, 'f', 'f002')
        with open(changed, 'ab') as f:
            f.write(b'more')
        job, sizes = self._counting_job()
        result = job.run()
        self.assertEqual([3006], sizes)
        self.assertEqual(4, result.files_skipped)
        self.assertSameTree(self.src, self.dst)

    def test_unverified_entries_are_not_trusted_by_a_verified_run(self):
        self.make_files(3)
        self.job(verify=False).run()
        job, sizes = self._counting_job()
        self.assertEqual(3, job.run().files_copied)

    def test_sync_copies_new_and_changed_and_removes_deleted(self):
        self.make_files(6)
        self.write('gone/file', b'bye')
        self.write('kept', b'same')
        old = 1_500_000_000 * 10 ** 9  # not racy: long before the copy
        for directory, _dirs, files in os.walk(self.src):
            for name in files:
                os.utime(os.path.join(directory, name), ns=(old, old))
        job = self.job()
        job.run()
        os.unlink(os.path.join(self.src, 'gone', 'file'))
        os.rmdir(os.path.join(self.src, 'gone'))
        self.write('new/file', b'hello')
        with open(os.path.join(self.src, 'f', 'f001'), 'r+b') as f:
            f.write(b'XYZ')  # same size, new mtime
        job, sizes = self._counting_job()
        result = job.sync()
        self.assertEqual(sorted([5, 3001]), sorted(sizes))
        self.assertEqual(2, result.files_copied)
        self.assertSameTree(self.src, self.dst)

    def test_sync_recopies_files_too_recent_to_trust(self):
        self.write('fresh', b'written just now')
        self.job().run()
        entries = journal.Journal(self.journals, 'job').load(
            os.path.realpath(self.src), os.path.realpath(self.dst))
        self.assertTrue(entries['fresh'].racy)
        job, sizes = self._counting_job()
        self.assertEqual(1, job.sync().files_copied)
        self.assertEqual(0, job.run().files_copied)

    def test_discard_forgets_the_journal(self):
        self.make_files(2)
        job = self.job()
        job.run()
        job.discard()
        self.assertEqual(2, self.job().run().files_copied)
