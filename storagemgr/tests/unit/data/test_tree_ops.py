"""tree_ops: the entry-making steps the copy and the sync share."""

import errno
import os
import stat
from unittest import mock

from storagemgr.data import copy
from storagemgr.data import errors
from storagemgr.data import metadata
from storagemgr.data import paths
from storagemgr.data import sync
from storagemgr.data import tree_ops
from storagemgr.data import walk
from storagemgr.tests.unit.data import base


class TreeOpsTestCase(base.TreeTestCase):

    def setUp(self):
        super().setUp()
        self.src_tree = paths.Tree(self.src)
        self.dst_tree = paths.Tree(self.dst)
        self.addCleanup(self.src_tree.close)
        self.addCleanup(self.dst_tree.close)
        self.outside = self.write('outside', b'secret', root=self.state_path)
        os.chmod(self.outside, 0o600)

    def at(self, rel, root=None):
        return os.path.join(root or self.dst, rel)

    def assertOutsideUntouched(self):
        st = os.lstat(self.outside)
        self.assertEqual(0o600, stat.S_IMODE(st.st_mode))
        with open(self.outside, 'rb') as f:
            self.assertEqual(b'secret', f.read())


class ClearTestCase(TreeOpsTestCase):

    def test_file_tree_and_link_are_removed_never_followed(self):
        self.write('file', root=self.dst)
        self.write('dir/sub/file', root=self.dst)
        os.symlink(self.outside, self.at('link'))
        os.symlink(os.path.dirname(self.outside), self.at('dirlink'))
        for rel in ('file', 'dir', 'link', 'dirlink', 'missing'):
            tree_ops.remove(self.dst_tree, rel)
        self.assertEqual([], os.listdir(self.dst))
        self.assertOutsideUntouched()

    def test_hostile_name_is_refused(self):
        self.assertRaises(errors.UnsafePath, tree_ops.remove,
                          self.dst_tree, '../outside')
        self.assertOutsideUntouched()

    def test_prune_counts_what_it_removed_and_spares_ignored_names(self):
        self.write('keep', root=self.src)
        self.write('keep', root=self.dst)
        self.write('gone/a', root=self.dst)
        self.write('gone/b', root=self.dst)
        os.mkdir(self.at('was-a-dir-now-a-file', self.src))
        self.write('was-a-dir-now-a-file', root=self.dst)
        self.write('lost+found/x', root=self.dst)
        listing = walk.scan(self.src_tree)
        removed = tree_ops.prune(listing, self.dst_tree, ('lost+found',))
        self.assertEqual(2, removed)
        self.assertEqual(['keep', 'lost+found'], sorted(os.listdir(self.dst)))
        self.assertEqual(['x'], os.listdir(self.at('lost+found')))


class LookTestCase(TreeOpsTestCase):

    def test_entry_stat_of_what_is_not_there_is_none(self):
        self.write('file', b'abc', root=self.dst)
        os.symlink('file', self.at('link'))
        os.symlink(os.path.dirname(self.outside), self.at('dirlink'))
        self.assertEqual(3, tree_ops.entry_stat(self.dst_tree, 'file').st_size)
        self.assertTrue(stat.S_ISLNK(
            tree_ops.entry_stat(self.dst_tree, 'link').st_mode))
        for rel in ('missing', 'file/below', 'dirlink/outside'):
            self.assertIsNone(tree_ops.entry_stat(self.dst_tree, rel), rel)

    def test_open_entry_never_opens_through_a_link(self):
        os.symlink(self.outside, self.at('link'))
        os.symlink(os.path.dirname(self.outside), self.at('dirlink'))
        for rel in ('link', 'dirlink/outside'):
            self.assertIsNone(tree_ops.open_entry(self.dst_tree, rel,
                                                  os.O_RDONLY), rel)

    def test_open_entry_raises_other_errors(self):
        with mock.patch.object(self.dst_tree, 'open', side_effect=OSError(
                errno.EIO, 'I/O error', 'file')):
            self.assertRaises(OSError, tree_ops.open_entry, self.dst_tree,
                              'file', os.O_RDONLY)

    def test_changed_and_same_metadata(self):
        path = self.write('file', b'abc')
        os.chmod(path, 0o644)
        before = os.stat(path)
        self.assertFalse(tree_ops.changed(before, os.stat(path)))
        self.assertTrue(tree_ops.same_metadata(os.stat(path), before))
        with open(path, 'ab') as f:
            f.write(b'd')
        self.assertTrue(tree_ops.changed(before, os.stat(path)))
        os.chmod(path, 0o600)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        self.assertFalse(tree_ops.same_metadata(os.stat(path), before))
        os.chmod(path, 0o644)
        self.assertTrue(tree_ops.same_metadata(os.stat(path), before))


class DirTestCase(TreeOpsTestCase):

    def test_new_directory_is_private_while_it_is_filled(self):
        tree_ops.make_dir(self.dst_tree, 'd')
        self.assertEqual(0o700, stat.S_IMODE(os.lstat(self.at('d')).st_mode))

    def test_read_only_directory_and_root_are_made_writable(self):
        os.mkdir(self.at('d'), 0o500)
        os.chmod(self.at('d'), 0o500)
        os.chmod(self.dst, 0o555)
        tree_ops.make_dir(self.dst_tree, '')
        tree_ops.make_dir(self.dst_tree, 'd')
        self.assertEqual(0o755, stat.S_IMODE(os.stat(self.dst).st_mode))
        self.assertEqual(0o700, stat.S_IMODE(os.stat(self.at('d')).st_mode))

    def test_file_or_link_in_the_way_is_replaced(self):
        self.write('file', root=self.dst)
        os.symlink(os.path.dirname(self.outside), self.at('link'))
        tree_ops.make_dir(self.dst_tree, 'file')
        tree_ops.make_dir(self.dst_tree, 'link')
        for rel in ('file', 'link'):
            self.assertTrue(stat.S_ISDIR(os.lstat(self.at(rel)).st_mode))
        self.assertOutsideUntouched()

    def test_finish_applies_metadata_deepest_first(self):
        os.makedirs(self.at('a/b', self.src))
        os.makedirs(self.at('a/b'))
        listing = walk.scan(self.src_tree)
        applier = mock.Mock()
        tree_ops.finish_dirs(self.src_tree, self.dst_tree, listing.dirs,
                             applier)
        self.assertEqual(['a/b', 'a', ''],
                         [c.args[3] for c in applier.apply_fd.mock_calls])

    def test_finish_skips_alike_only_when_asked_and_gone_sources(self):
        os.makedirs(self.at('a', self.src))
        os.makedirs(self.at('a'))
        listing = walk.scan(self.src_tree)
        applier = metadata.Applier(preserve=True)
        tree_ops.finish_dirs(self.src_tree, self.dst_tree, listing.dirs,
                             applier)
        with mock.patch.object(applier, 'apply_fd') as apply_fd:
            tree_ops.finish_dirs(self.src_tree, self.dst_tree, listing.dirs,
                                 applier, skip_same=True)
            self.assertEqual([], apply_fd.mock_calls)
            tree_ops.finish_dirs(self.src_tree, self.dst_tree, listing.dirs,
                                 applier)
            self.assertEqual(2, len(apply_fd.mock_calls))
            os.rmdir(self.at('a', self.src))
            apply_fd.reset_mock()
            tree_ops.finish_dirs(self.src_tree, self.dst_tree, listing.dirs,
                                 applier)
            self.assertEqual([''], [c.args[3] for c in apply_fd.mock_calls])


class LinkTestCase(TreeOpsTestCase):

    def link(self, rel, target, **kwargs):
        os.symlink(target, self.at(rel, self.src))
        st = os.lstat(self.at(rel, self.src))
        applier = kwargs.pop('applier', None) or mock.Mock()
        return tree_ops.make_symlink(self.src_tree, self.dst_tree, rel,
                                     target, st, applier, **kwargs), applier

    def test_symlink_is_made_as_a_link_and_then_same(self):
        outcome, applier = self.link('l', self.outside)
        self.assertEqual(tree_ops.MADE, outcome)
        self.assertEqual(self.outside, os.readlink(self.at('l')))
        self.assertEqual(1, len(applier.apply_link.mock_calls))
        st = os.lstat(self.at('l', self.src))
        applier = mock.Mock()
        self.assertEqual(tree_ops.SAME, tree_ops.make_symlink(
            self.src_tree, self.dst_tree, 'l', self.outside, st, applier))
        # Without skip_same the link's metadata are applied anyway.
        self.assertEqual(1, len(applier.apply_link.mock_calls))
        self.assertOutsideUntouched()

    def test_file_or_other_link_in_the_way_is_replaced(self):
        self.write('l', b'x', root=self.dst)
        os.symlink(self.outside, self.at('m'))
        self.assertEqual(tree_ops.MADE, self.link('l', 'elsewhere')[0])
        self.assertEqual(tree_ops.MADE, self.link('m', 'elsewhere')[0])
        self.assertEqual('elsewhere', os.readlink(self.at('l')))
        self.assertEqual('elsewhere', os.readlink(self.at('m')))
        self.assertOutsideUntouched()

    def test_skip_same_leaves_an_alike_link_alone(self):
        applier = metadata.Applier(preserve=True)
        self.link('l', 'target', applier=applier)
        st = os.lstat(self.at('l', self.src))
        with mock.patch.object(applier, 'apply_link') as apply_link:
            self.assertEqual(tree_ops.SAME, tree_ops.make_symlink(
                self.src_tree, self.dst_tree, 'l', 'target', st, applier,
                skip_same=True))
        self.assertEqual([], apply_link.mock_calls)

    def test_hardlink_made_same_and_gone(self):
        self.write('first', b'1', root=self.dst)
        self.write('second', b'other', root=self.dst)
        self.assertEqual(tree_ops.MADE, tree_ops.make_hardlink(
            self.dst_tree, 'second', 'first'))
        self.assertEqual(os.stat(self.at('first')).st_ino,
                         os.stat(self.at('second')).st_ino)
        self.assertEqual(tree_ops.SAME, tree_ops.make_hardlink(
            self.dst_tree, 'second', 'first'))
        self.assertEqual(tree_ops.GONE, tree_ops.make_hardlink(
            self.dst_tree, 'third', 'missing'))
        self.assertFalse(os.path.lexists(self.at('third')))

    def test_hardlink_never_links_through_a_symlink(self):
        os.symlink(self.outside, self.at('first'))
        self.assertEqual(tree_ops.MADE, tree_ops.make_hardlink(
            self.dst_tree, 'second', 'first'))
        self.assertTrue(stat.S_ISLNK(os.lstat(self.at('second')).st_mode))
        self.assertEqual(1, os.stat(self.outside).st_nlink)


class SpecialTestCase(TreeOpsTestCase):

    def fifo(self, rel, mode):
        os.mkfifo(self.at(rel, self.src))
        os.chmod(self.at(rel, self.src), mode)
        return os.lstat(self.at(rel, self.src))

    def test_fifo_gets_its_mode_and_then_is_same(self):
        st = self.fifo('pipe', 0o4751)
        self.assertEqual(tree_ops.MADE,
                         tree_ops.make_special(self.dst_tree, 'pipe', st))
        made = os.lstat(self.at('pipe'))
        self.assertTrue(stat.S_ISFIFO(made.st_mode))
        self.assertEqual(0o4751, stat.S_IMODE(made.st_mode))
        self.assertEqual(tree_ops.SAME,
                         tree_ops.make_special(self.dst_tree, 'pipe', st))

    def test_owner_and_times_only_with_a_preserving_applier(self):
        st = self.fifo('pipe', 0o640)
        os.utime(self.at('pipe', self.src), ns=(10 ** 9, 2 * 10 ** 9))
        st = os.lstat(self.at('pipe', self.src))
        tree_ops.make_special(self.dst_tree, 'pipe', st)
        self.assertNotEqual(st.st_mtime_ns,
                            os.lstat(self.at('pipe')).st_mtime_ns)
        os.unlink(self.at('pipe'))
        applier = metadata.Applier(preserve=True)
        with mock.patch.object(applier, '_chown') as chown:
            tree_ops.make_special(self.dst_tree, 'pipe', st, applier)
        self.assertEqual(1, len(chown.mock_calls))
        self.assertEqual(st.st_mtime_ns,
                         os.lstat(self.at('pipe')).st_mtime_ns)

    def test_link_in_the_way_is_replaced_never_chmodded_through(self):
        st = self.fifo('pipe', 0o777)
        os.symlink(self.outside, self.at('pipe'))
        tree_ops.make_special(self.dst_tree, 'pipe', st)
        self.assertTrue(stat.S_ISFIFO(os.lstat(self.at('pipe')).st_mode))
        self.assertOutsideUntouched()

    def test_refused_node_is_a_permission_error_naming_it(self):
        st = self.fifo('pipe', 0o600)
        with mock.patch('os.mknod', side_effect=PermissionError(
                errno.EPERM, 'Operation not permitted', 'pipe')):
            error = self.assertRaises(tree_ops.NodeRefused,
                                      tree_ops.make_special, self.dst_tree,
                                      'pipe', st)
        self.assertIsInstance(error, PermissionError)
        self.assertEqual((errno.EPERM, 'pipe'), (error.errno, error.filename))


class CallersTestCase(base.TreeTestCase):
    """Where the copy and the sync differ around the shared steps."""

    def setUp(self):
        super().setUp()
        self.flags(copy_journal_checkpoint_interval=0, group='data')
        os.mkfifo(os.path.join(self.src, 'pipe'))
        self.write('file', b'data')

    def refused(self):
        return mock.patch('os.mknod', side_effect=PermissionError(
            errno.EPERM, 'Operation not permitted', 'pipe'))

    def test_copy_fails_naming_a_refused_node(self):
        job = copy.CopyJob('job', self.src, self.dst, self.journals,
                           workers=1)
        with self.refused():
            error = self.assertRaises(copy.DataCopyFailed, job.run)
        self.assertIn('pipe', str(error))

    def test_sync_passes_over_a_refused_node(self):
        with self.refused(), mock.patch.object(sync.LOG, 'warning') as warn:
            result = sync.sync_tree(self.src, self.dst)
        self.assertEqual(1, result.files_copied)
        self.assertFalse(os.path.lexists(os.path.join(self.dst, 'pipe')))
        self.assertIn('device nodes need root', warn.call_args[0][0])

    def test_copy_counts_links_as_copied_then_skipped(self):
        os.symlink('file', os.path.join(self.src, 'link'))
        os.link(os.path.join(self.src, 'file'),
                os.path.join(self.src, 'again'))
        job = copy.CopyJob('job', self.src, self.dst, self.journals,
                           workers=1)
        first = job.run()
        self.assertEqual((4, 4, 0), (first.files_total, first.files_copied,
                                     first.files_skipped))
        second = job.run()
        self.assertEqual((4, 0, 4), (second.files_total,
                                     second.files_copied,
                                     second.files_skipped))
        self.assertSameTree(self.src, self.dst)

    def test_sync_counts_only_links_it_made(self):
        os.symlink('file', os.path.join(self.src, 'link'))
        os.link(os.path.join(self.src, 'file'),
                os.path.join(self.src, 'again'))
        self.assertEqual(2, sync.sync_tree(self.src, self.dst).links_made)
        self.assertEqual(0, sync.sync_tree(self.src, self.dst).links_made)
        self.assertSameTree(self.src, self.dst)
