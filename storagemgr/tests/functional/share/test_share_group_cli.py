"""Share groups through the installed CLI, on real directories."""

import os

from storagemgr.tests.functional.share import test_cli


class ShareGroupCLITestCase(test_cli.ShareCLITestCase):
    """The local share backend b1, share type t1 and group type gt1."""

    def setUp(self):
        super().setUp()
        for args in (('share', 'type', 'create', 't1', 'False'),
                     ('share', 'group', 'type', 'create', 'gt1', 't1')):
            result = self.cli(*args)
            self.assertEqual(0, result.rc, result.err)

    def write(self, share, text):
        with open(os.path.join(self.path_of(share), 'data.txt'), 'w') as f:
            f.write(text)

    def read(self, share):
        with open(os.path.join(self.path_of(share), 'data.txt')) as f:
            return f.read()

    def visible_files(self):
        """Files left under the backend's root, its own hidden ones aside."""
        root = os.path.dirname(self.root)
        return [os.path.join(d, f) for d, _, files in os.walk(root)
                for f in files if not f.startswith('.')]

    def group_with_data(self, count=3):
        group = self.cli_json('share', 'group', 'create', '--name', 'g1',
                              '--share-group-type', 'gt1', '--share-types',
                              't1')
        self.assertEqual('available', group['status'])
        shares = []
        for i in range(count):
            share = self.cli_json('share', 'create', 'NFS', '1',
                                  '--share-type', 't1', '--share-group',
                                  'g1', '--name', 'm%d' % i)
            self.assertEqual((group['id'], 'available'),
                             (share['share_group_id'], share['status']))
            self.write(share, 'before-%d' % i)
            shares.append(share)
        return group, shares


class TestShareGroupLifecycle(ShareGroupCLITestCase):

    def test_snapshot_clone_guarded_delete_cleanup(self):
        group, shares = self.group_with_data()
        snapshot = self.cli_json('share', 'group', 'snapshot', 'create',
                                 'g1', '--name', 'gs1')
        self.assertEqual('available', snapshot['status'])
        self.assertEqual(sorted(s['id'] for s in shares),
                         sorted(snapshot['shares']))
        for share in shares:
            self.write(share, 'after')

        clone = self.cli_json('share', 'group', 'create', '--name', 'g2',
                              '--source-share-group-snapshot', 'gs1')
        self.assertEqual(('available', snapshot['id']), (
            clone['status'], clone['source_share_group_snapshot_id']))
        clones = [self.cli_json('share', 'show', share_id)
                  for share_id in clone['shares']]
        self.assertEqual(['before-0', 'before-1', 'before-2'],
                         sorted(self.read(s) for s in clones))
        self.assertEqual({clone['id']},
                         {s['share_group_id'] for s in clones})
        self.assertEqual(['after'] * 3, [self.read(s) for s in shares])

        self.assertRefused(self.cli('share', 'group', 'delete', 'g1'),
                           group['id'], '--force')
        self.assertEqual(
            'available',
            self.cli_json('share', 'group', 'show', 'g1')['status'])

        deletes = (('share', 'group', 'snapshot', 'delete', 'gs1'),
                   ('share', 'delete') + tuple(
                       s['id'] for s in shares + clones),
                   ('share', 'group', 'delete', 'g2', 'g1'))
        for args in deletes:
            result = self.cli(*args)
            self.assertEqual(0, result.rc, result.err)
        self.assertEqual([], self.cli_json('share', 'list'))
        self.assertEqual([], self.cli_json('share', 'group', 'list'))
        self.assertEqual([], self.share_dirs())
        self.assertEqual([], self.visible_files())


class TestForcedShareGroupDelete(ShareGroupCLITestCase):

    def test_force_takes_shares_and_group_snapshots(self):
        _group, shares = self.group_with_data(count=2)
        self.cli_json('share', 'group', 'snapshot', 'create', 'g1')
        result = self.cli('share', 'group', 'delete', '--force', 'g1')
        self.assertEqual(0, result.rc, result.err)
        self.assertEqual([], self.cli_json('share', 'group', 'list'))
        self.assertEqual([], self.cli_json('share', 'group', 'snapshot',
                                           'list'))
        self.assertEqual([], self.cli_json('share', 'list'))
        self.assertEqual([], self.share_dirs())
        self.assertEqual([], self.visible_files())
