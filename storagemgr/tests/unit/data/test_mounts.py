"""mounted(): local paths, and mount templates run without a shell."""

import os
from unittest import mock

from oslo_concurrency import processutils

from storagemgr.data import errors
from storagemgr.data import mounts
from storagemgr.tests.unit.data import base

NFS = {'mount': 'mount -vt nfs %(options)s server:/export %(path)s',
       'unmount': 'umount -v %(path)s'}


class MountsTestCase(base.TreeTestCase):

    def setUp(self):
        super().setUp()
        self.mounts = os.path.join(self.state_path, 'mnt dir; rm -rf x')
        self.flags(mount_tmp_location=self.mounts, group='data')

    def test_local_path_is_used_as_it_is(self):
        with mock.patch.object(processutils, 'execute') as execute:
            with mounts.mounted({'local_path': self.src}, 'inst') as path:
                self.assertEqual(self.src, path)
        execute.assert_not_called()

    def test_local_path_must_be_an_absolute_directory(self):
        for bad in ('relative/dir', os.path.join(self.src, 'missing')):
            with self.assertRaisesRegex(errors.DataCopyFailed, 'local_path'):
                with mounts.mounted({'local_path': bad}, 'inst'):
                    pass

    def test_template_words_are_split_before_substitution(self):
        argv = mounts.command(NFS['mount'], '/mnt/a b;c $(x)', '-o ro,soft')
        self.assertEqual(['mount', '-vt', 'nfs', '-o', 'ro,soft',
                          'server:/export', '/mnt/a b;c $(x)'], argv)
        self.assertEqual(['mount', '-vt', 'nfs', 'server:/export', '/p'],
                         mounts.command(NFS['mount'], '/p'))
        self.assertEqual(['mount', 'opt=/x y'],
                         mounts.command('mount opt=%(path)s', '/x y'))

    def test_mount_and_unmount_run_with_the_root_helper(self):
        self.flags(mount_root_helper='sudo -n', group='data')
        point = os.path.join(self.mounts, 'inst-1')
        with mock.patch.object(processutils, 'execute') as execute, \
                mock.patch('os.geteuid', return_value=1000):
            with mounts.mounted(NFS, 'inst-1') as path:
                self.assertEqual(point, path)
                self.assertTrue(os.path.isdir(point))
                execute.assert_called_once_with(
                    'mount', '-vt', 'nfs', 'server:/export', point,
                    run_as_root=True, root_helper='sudo -n')
        execute.assert_called_with('umount', '-v', point, run_as_root=True,
                                   root_helper='sudo -n')
        self.assertFalse(os.path.exists(point))

    def test_unmounted_when_the_copy_fails(self):
        with mock.patch.object(processutils, 'execute') as execute:
            self.assertRaises(RuntimeError, self._fail_inside)
        self.assertEqual('umount', execute.call_args_list[-1][0][0])

    def _fail_inside(self):
        with mounts.mounted(NFS, 'inst-2'):
            raise RuntimeError('copy failed')

    def test_failed_mount_names_the_command(self):
        failure = processutils.ProcessExecutionError(
            stderr='access denied by server', exit_code=32)
        with mock.patch.object(processutils, 'execute',
                               side_effect=failure) as execute:
            with self.assertRaisesRegex(errors.DataCopyFailed,
                                        'mount of share instance inst-3 '
                                        'failed.*access denied'):
                with mounts.mounted(NFS, 'inst-3'):
                    self.fail('mounted anyway')
        self.assertEqual(1, execute.call_count)  # no unmount

    def test_real_commands_get_one_argument_per_word(self):
        # A real run, no shell: the "mount" records its argv in a file.
        record = os.path.join(self.state_path, 'argv')
        self.flags(mount_root_helper='', group='data')
        info = {'unmount': 'true %(path)s'}
        info['mount'] = ("python3 -c 'import sys; open(sys.argv[1], "
                         "\"w\").write(\"\\0\".join(sys.argv[2:]))' "
                         "%s %%(path)s" % record)
        with mounts.mounted(info, 'a b;c') as path:
            with open(record) as f:
                self.assertEqual([path], f.read().split('\0'))
        self.assertIn('a b;c', path)

    def test_instance_id_cannot_leave_the_mount_directory(self):
        for bad in ('../x', 'a/b', '..', ''):
            self.assertRaises(errors.DataCopyFailed, mounts.mount_point, bad)
