"""``storagemgr share ...`` in process, on the local driver."""

import os
from unittest import mock

import ddt

from storagemgr.tests.unit.cli import fixtures


class ShareCliTestCase(fixtures.CLITestCase):
    """Runs commands against a config with one local share backend."""

    enabled_backends = 'b1'
    sections = '[b1]\nshare_driver = local\n'

    def path_of(self, share):
        return share['export_locations'][0]['path'].split(':', 1)[1]


@ddt.ddt
class ShareCommandsTestCase(ShareCliTestCase):

    def test_create_show_list_delete(self):
        share = self.json('share', 'create', 'NFS', '1', '--name', 'web',
                          '--property', 'team=a')
        self.assertEqual('available', share['status'])
        self.assertEqual({'team': 'a'}, share['metadata'])
        shown = self.json('share', 'show', 'web')
        self.assertEqual(share['id'], shown['id'])
        self.assertEqual(1, shown['size'])
        self.assertTrue(os.path.isdir(self.path_of(shown)))
        listed = self.json('share', 'list')
        self.assertEqual([share['id']], [s['id'] for s in listed])
        self.assertEqual({'id', 'name', 'size', 'share_proto', 'status',
                          'backend', 'host'}, set(listed[0]))
        self.ok('share', 'delete', 'web')
        self.assertEqual([], self.json('share', 'list'))
        self.assertFalse(os.path.exists(self.path_of(shown)))

    def test_resize(self):
        share = self.json('share', 'create', 'NFS', '2')
        self.ok('share', 'resize', share['id'], '3')
        self.assertEqual(3, self.json('share', 'show', share['id'])['size'])
        self.ok('share', 'resize', share['id'], '1')
        self.assertEqual(1, self.json('share', 'show', share['id'])['size'])

    def test_shrink_with_data_refused_share_available(self):
        share = self.json('share', 'create', 'NFS', '2')
        with open(os.path.join(self.path_of(share), 'big'), 'wb') as f:
            f.truncate(0)
            f.write(b'x' * (1024 * 1024))
        with mock.patch('storagemgr.share.drivers.local_files.GiB', 1024):
            err = self.refused('share', 'resize', share['id'], '1')
        self.assertIn('still available', err)
        self.assertEqual('available',
                         self.json('share', 'show', share['id'])['status'])

    @ddt.unpack
    @ddt.data(
        (('share', 'create', 'NFS', '0'), 'at least 1'),
        (('share', 'create', 'NFS', '-2'), 'at least 1'),
        (('share', 'create', 'NFS', 'big'), 'whole number'),
        (('share', 'create', 'FTP', '1'), 'FTP'),
        (('share', 'create', 'NFS', '1', '--backend', 'nope'), 'nope'),
        (('share', 'create', 'NFS', '1', '--property', 'novalue'),
         'novalue'),
        (('share', 'show', 'nope'), 'nope'),
        (('share', 'delete', 'nope'), 'nope'),
        (('share', 'resize', 'nope', '2'), 'nope'),
        (('share', 'revert', 'nope'), 'nope'),
        (('share', 'abandon', 'nope'), 'nope'),
        (('share', 'snapshot', 'create', 'nope'), 'nope'),
        (('share', 'access', 'list', 'nope'), 'nope'),
    )
    def test_user_errors_are_one_line(self, args, expect):
        self.refused(*args, expect=expect)

    def test_delete_several_reports_failures(self):
        share = self.json('share', 'create', 'NFS', '1')
        err = self.refused('share', 'delete', share['id'], 'nope')
        self.assertIn('1 of 2', err)
        self.assertEqual([], self.json('share', 'list'))

    def test_adopt_and_abandon(self):
        share = self.json('share', 'create', 'NFS', '1', '--name', 'orig')
        path = self.path_of(share)
        self.ok('share', 'abandon', 'orig')
        self.assertTrue(os.path.isdir(path))
        adopted = self.json('share', 'adopt', 'b1', 'NFS', path, '--name',
                            'again')
        self.assertEqual('available', adopted['status'])
        self.assertGreaterEqual(adopted['size'], 0)
        self.ok('share', 'delete', 'again')

    def test_adopt_outside_root_refused(self):
        err = self.refused('share', 'adopt', 'b1', 'NFS', '/etc')
        self.assertIn('manage_error', self.ok('share', 'list'))
        self.assertIn('/etc', err)


class SnapshotAndAccessCommandsTestCase(ShareCliTestCase):

    def test_snapshot_revert_clone(self):
        share = self.json('share', 'create', 'NFS', '1', '--name', 'src')
        data = os.path.join(self.path_of(share), 'data.txt')
        with open(data, 'w') as f:
            f.write('before')
        snap = self.json('share', 'snapshot', 'create', 'src', '--name',
                         's1')
        self.assertEqual('available', snap['status'])
        self.assertEqual([snap['id']], [s['id'] for s in self.json(
            'share', 'snapshot', 'list', '--share', 'src')])
        with open(data, 'w') as f:
            f.write('after')
        self.ok('share', 'revert', 's1')
        with open(data) as f:
            self.assertEqual('before', f.read())
        clone = self.json('share', 'create', 'NFS', '1', '--snapshot-id',
                          's1', '--name', 'clone')
        with open(os.path.join(self.path_of(clone), 'data.txt')) as f:
            self.assertEqual('before', f.read())
        self.refused('share', 'delete', 'src', expect='snapshot')
        self.ok('share', 'snapshot', 'delete', 's1')
        self.ok('share', 'delete', 'src', 'clone')

    def test_snapshot_adopt_abandon(self):
        self.json('share', 'create', 'NFS', '1', '--name', 'src')
        snap = self.json('share', 'snapshot', 'create', 'src')
        self.ok('share', 'snapshot', 'abandon', snap['id'])
        self.assertEqual([], self.json('share', 'snapshot', 'list'))
        adopted = self.json('share', 'snapshot', 'adopt', 'src',
                            snap['provider_location'], '--name', 'back')
        self.assertEqual('available', adopted['status'])
        self.assertEqual(adopted['id'], self.json(
            'share', 'snapshot', 'show', 'back')['id'])

    def test_access(self):
        self.json('share', 'create', 'NFS', '1', '--name', 'web')
        rule = self.json('share', 'access', 'create', 'web', 'ip',
                         '10.9.8.0/24', '--access-level', 'ro')
        self.assertEqual(('active', 'ro'), (rule['state'],
                                            rule['access_level']))
        rules = self.json('share', 'access', 'list', 'web')
        self.assertEqual(['10.9.8.0/24'], [r['access_to'] for r in rules])
        self.refused('share', 'access', 'create', 'web', 'ip',
                     '10.9.8.0/24', expect='exists')
        for bad in ('10.0.0.1 *(rw,no_root_squash)', '10.0.0.1\n/ *(rw)',
                    '300.1.1.1'):
            self.refused('share', 'access', 'create', 'web', 'ip', bad)
        self.refused('share', 'access', 'create', 'web', 'user', '--',
                     '-rf', expect='-rf')
        self.refused('share', 'access', 'create', 'web', 'ip', '10.0.0.1',
                     '--access-level', 'all')
        self.ok('share', 'access', 'delete', 'web', rule['id'])
        self.assertEqual([], self.json('share', 'access', 'list', 'web'))
