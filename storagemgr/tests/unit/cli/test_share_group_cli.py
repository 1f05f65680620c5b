"""``storagemgr share group ...`` and ``share group snapshot ...`` in
process: on the local driver for data, on the fake one for faults.
"""

import os

import ddt
import yaml

from storagemgr.tests.unit.cli import fixtures


class LocalGroupCliTestCase(fixtures.CLITestCase):
    """One local share backend, share types t1 and t2.

    Group type gt1 allows t1; gt2 allows t1 and t2.
    """

    enabled_backends = 'b1'
    sections = '[b1]\nshare_driver = local\n'

    def setUp(self):
        super().setUp()
        for name in ('t1', 't2'):
            self.ok('share', 'type', 'create', name, 'False')
        self.ok('share', 'group', 'type', 'create', 'gt1', 't1')
        self.ok('share', 'group', 'type', 'create', 'gt2', 't1', 't2')

    def make_group(self, name='g1', group_type='gt1'):
        return self.json('share', 'group', 'create', '--name', name,
                         '--share-group-type', group_type)

    def make_member(self, group='g1', name=None, data=None):
        args = ('share', 'create', 'NFS', '1', '--share-group', group)
        share = self.json(*(args + (('--name', name) if name else ())))
        if data is not None:
            with open(self.data_file(share), 'w') as f:
                f.write(data)
        return share

    def data_file(self, share):
        path = share['export_locations'][0]['path'].split(':', 1)[1]
        return os.path.join(path, 'data.txt')

    def read_data(self, share_id):
        with open(self.data_file(self.json('share', 'show', share_id))) as f:
            return f.read()


@ddt.ddt
class ShareGroupCommandsTestCase(LocalGroupCliTestCase):

    def test_create_with_every_option(self):
        group = self.json(
            'share', 'group', 'create', '--name', 'g1', '--description',
            'web tier', '--share-group-type', 'gt2', '--share-types', 't2',
            't1', '--backend', 'b1', '--availability-zone', 'nova')
        self.assertEqual(
            ('g1', 'web tier', 'available', 'gt2', ['t1', 't2'], 'b1',
             'nova', []),
            (group['name'], group['description'], group['status'],
             group['share_group_type'], sorted(group['share_types']),
             group['backend'], group['availability_zone'], group['shares']))
        self.assertEqual(2, len(group['share_type_ids']))

    def test_share_types_default_to_the_group_types(self):
        group = self.make_group(group_type='gt2')
        self.assertEqual(['t1', 't2'], sorted(group['share_types']))

    def test_show_lists_its_shares_in_every_format(self):
        group = self.make_group()
        shares = [self.make_member(name='m%d' % i)['id'] for i in range(2)]
        shown = self.json('share', 'group', 'show', 'g1')
        self.assertEqual(group['id'], shown['id'])
        self.assertEqual(sorted(shares), sorted(shown['shares']))
        as_yaml = yaml.safe_load(self.ok('share', 'group', 'show', 'g1',
                                         '-f', 'yaml'))
        self.assertEqual(sorted(shares), sorted(as_yaml['shares']))
        self.assertEqual(['t1'], as_yaml['share_types'])
        table = self.ok('share', 'group', 'show', group['id'])
        self.assertIn('["t1"]', table)
        self.assertIn(shares[0], table)
        for share_id in shares:
            self.assertEqual(group['id'], self.json(
                'share', 'show', share_id)['share_group_id'])

    def test_list_in_every_format(self):
        self.assertEqual([], self.json('share', 'group', 'list'))
        group = self.make_group()
        [row] = self.json('share', 'group', 'list')
        self.assertEqual(
            {'id': group['id'], 'name': 'g1', 'status': 'available',
             'description': None, 'share_group_type': 'gt1',
             'backend': 'b1', 'availability_zone': 'nova'}, row)
        self.assertEqual([row], yaml.safe_load(
            self.ok('share', 'group', 'list', '-f', 'yaml')))
        self.assertIn(group['id'], self.ok('share', 'group', 'list'))

    def test_set_name_and_description(self):
        group = self.make_group()
        self.assertEqual('', self.ok('share', 'group', 'set', 'g1',
                                     '--name', 'g2', '--description', 'd'))
        shown = self.json('share', 'group', 'show', group['id'])
        self.assertEqual(('g2', 'd'), (shown['name'], shown['description']))
        self.ok('share', 'group', 'set', 'g2', '--description', '')
        self.assertIsNone(
            self.json('share', 'group', 'show', 'g2')['description'])

    def test_set_nothing_refused(self):
        self.make_group()
        self.refused('share', 'group', 'set', 'g1', expect='--name')

    def test_delete_refused_without_force(self):
        group = self.make_group()
        share = self.make_member()
        self.json('share', 'group', 'snapshot', 'create', 'g1')
        err = self.refused('share', 'group', 'delete', 'g1')
        self.assertIn(group['id'], err)
        self.assertIn('--force', err)
        self.assertEqual('available',
                         self.json('share', 'group', 'show', 'g1')['status'])
        self.assertEqual('available',
                         self.json('share', 'show', share['id'])['status'])

    def test_forced_delete_takes_shares_and_snapshots(self):
        self.make_group()
        share = self.make_member(data='x')
        path = os.path.dirname(self.data_file(share))
        self.json('share', 'group', 'snapshot', 'create', 'g1')
        self.ok('share', 'group', 'delete', '--force', 'g1')
        self.assertEqual([], self.json('share', 'group', 'list'))
        self.assertEqual([], self.json('share', 'group', 'snapshot',
                                       'list'))
        self.assertEqual([], self.json('share', 'list'))
        self.assertFalse(os.path.exists(path))

    def test_delete_several_reports_each_failure(self):
        self.make_group('g1')
        self.make_group('g2')
        self.make_member('g2')
        err = self.refused('share', 'group', 'delete', 'g1', 'nope', 'g2')
        self.assertIn('2 of 3', err)
        self.assertIn("'nope'", err)
        self.assertEqual(['g2'], [g['name'] for g in self.json(
            'share', 'group', 'list')])

    def test_share_create_and_delete_in_a_group(self):
        self.make_group('g1')
        self.make_group('g2', group_type='gt2')
        share = self.make_member('g1')
        self.assertEqual('t1', share['share_type'])
        self.refused('share', 'create', 'NFS', '1', '--share-group', 'g1',
                     '--share-type', 't2', expect='t2')
        self.refused('share', 'create', 'NFS', '1', '--share-group', 'g2',
                     expect='--share-type')
        typed = self.json('share', 'create', 'NFS', '1', '--share-group',
                          'g2', '--share-type', 't2')
        self.assertEqual('t2', typed['share_type'])
        self.refused('share', 'delete', share['id'], '--share-group', 'g2',
                     expect='not in share group')
        self.assertEqual('available',
                         self.json('share', 'show', share['id'])['status'])
        self.ok('share', 'delete', share['id'], '--share-group', 'g1')
        self.ok('share', 'delete', typed['id'], '--share-group', 'g2')
        self.assertEqual([], self.json('share', 'list'))

    def test_share_in_a_group_snapshot_cannot_be_deleted(self):
        self.make_group()
        share = self.make_member()
        self.json('share', 'group', 'snapshot', 'create', 'g1')
        self.refused('share', 'delete', share['id'], expect=share['id'])

    @ddt.unpack
    @ddt.data(
        (('share', 'group', 'show', 'nope'), 'nope'),
        (('share', 'group', 'set', 'nope', '--name', 'x'), 'nope'),
        (('share', 'group', 'delete', 'nope'), 'nope'),
        (('share', 'group', 'create', '--share-group-type', 'nope'), 'nope'),
        (('share', 'group', 'create', '--share-group-type', 'gt1',
          '--share-types', 'nope'), 'nope'),
        (('share', 'group', 'create', '--share-group-type', 'gt1',
          '--share-types', 't2'), 't2'),
        (('share', 'group', 'create', '--share-group-type', 'gt1',
          '--backend', 'nope'), 'nope'),
        (('share', 'group', 'create', '--source-share-group-snapshot',
          'nope'), 'nope'),
        (('share', 'group', 'create', '--name', 'bad\nname'), 'name'),
        (('share', 'group', 'snapshot', 'create', 'nope'), 'nope'),
        (('share', 'group', 'snapshot', 'list', '--share-group', 'nope'),
         'nope'),
        (('share', 'group', 'snapshot', 'show', 'nope'), 'nope'),
        (('share', 'group', 'snapshot', 'set', 'nope', '--name', 'x'),
         'nope'),
        (('share', 'group', 'snapshot', 'delete', 'nope'), 'nope'),
        (('share', 'group', 'snapshot', 'members', 'list', 'nope'), 'nope'),
        (('share', 'create', 'NFS', '1', '--share-group', 'nope'), 'nope'),
        (('share', 'delete', 'nope', '--share-group', 'nope'), 'nope'),
    )
    def test_user_errors_are_one_line(self, args, expect):
        self.refused(*args, expect=expect)

    def test_help_names_every_option(self):
        text = self.ok('help', 'share', 'group', 'create')
        for option in ('--name', '--description', '--share-group-type',
                       '--share-types', '--source-share-group-snapshot',
                       '--backend', '--availability-zone'):
            self.assertIn(option, text)


class ShareGroupSnapshotCommandsTestCase(LocalGroupCliTestCase):

    def setUp(self):
        super().setUp()
        self.group = self.make_group()
        self.shares = {self.make_member(name='m%d' % i,
                                        data='before-%d' % i)['id']:
                       'before-%d' % i for i in range(2)}

    def test_create_list_show_set_delete(self):
        snapshot = self.json('share', 'group', 'snapshot', 'create', 'g1',
                             '--name', 'gs1', '--description', 'nightly')
        self.assertEqual(
            ('gs1', 'nightly', 'available', self.group['id']),
            (snapshot['name'], snapshot['description'], snapshot['status'],
             snapshot['share_group_id']))
        self.assertEqual(sorted(self.shares), sorted(snapshot['shares']))
        [row] = self.json('share', 'group', 'snapshot', 'list')
        self.assertEqual(
            {'id': snapshot['id'], 'name': 'gs1', 'status': 'available',
             'description': 'nightly', 'share_group_id': self.group['id']},
            row)
        self.assertEqual([row], self.json('share', 'group', 'snapshot',
                                          'list', '--share-group', 'g1'))
        self.make_group('other')
        self.assertEqual([], self.json('share', 'group', 'snapshot', 'list',
                                       '--share-group', 'other'))
        self.assertEqual(snapshot, self.json(
            'share', 'group', 'snapshot', 'show', 'gs1'))
        self.assertIn(snapshot['id'], self.ok(
            'share', 'group', 'snapshot', 'show', 'gs1'))
        self.assertEqual('', self.ok('share', 'group', 'snapshot', 'set',
                                     'gs1', '--name', 'gs2',
                                     '--description', 'weekly'))
        shown = self.json('share', 'group', 'snapshot', 'show',
                          snapshot['id'])
        self.assertEqual(('gs2', 'weekly'),
                         (shown['name'], shown['description']))
        self.refused('share', 'group', 'snapshot', 'set', 'gs2',
                     expect='--name')
        self.ok('share', 'group', 'snapshot', 'delete', 'gs2')
        self.assertEqual([], self.json('share', 'group', 'snapshot', 'list'))
        # The shares are free to go once no group snapshot holds them.
        self.ok('share', 'delete', *self.shares)

    def test_members_list(self):
        self.json('share', 'group', 'snapshot', 'create', 'g1', '--name',
                  'gs1')
        members = self.json('share', 'group', 'snapshot', 'members', 'list',
                            'gs1')
        self.assertEqual(sorted(self.shares),
                         sorted(m['share_id'] for m in members))
        for member in members:
            self.assertEqual((1, 'NFS', 'available'), (
                member['size'], member['share_proto'], member['status']))
            self.assertEqual({'id', 'share_id', 'size', 'share_proto',
                              'status'}, set(member))
        table = self.ok('share', 'group', 'snapshot', 'members', 'list',
                        'gs1')
        for share_id in self.shares:
            self.assertIn(share_id, table)

    def test_group_from_snapshot_holds_snapshot_time_data(self):
        snapshot = self.json('share', 'group', 'snapshot', 'create', 'g1',
                             '--name', 'gs1')
        for share_id in self.shares:
            with open(self.data_file(self.json('share', 'show',
                                               share_id)), 'w') as f:
                f.write('after')
        clone = self.json('share', 'group', 'create', '--name', 'g2',
                          '--source-share-group-snapshot', 'gs1')
        self.assertEqual(('available', snapshot['id'], ['t1']), (
            clone['status'], clone['source_share_group_snapshot_id'],
            clone['share_types']))
        self.assertEqual(2, len(clone['shares']))
        self.assertEqual(sorted(self.shares.values()),
                         sorted(self.read_data(s) for s in clone['shares']))
        for share_id in self.shares:
            self.assertEqual('after', self.read_data(share_id))

    def test_group_from_snapshot_takes_no_types(self):
        self.json('share', 'group', 'snapshot', 'create', 'g1', '--name',
                  'gs1')
        self.refused('share', 'group', 'create',
                     '--source-share-group-snapshot', 'gs1',
                     '--share-group-type', 'gt1', expect='group snapshot')
        self.assertEqual(['g1'], [g['name'] for g in self.json(
            'share', 'group', 'list')])

    def test_delete_several_reports_each_failure(self):
        self.json('share', 'group', 'snapshot', 'create', 'g1', '--name',
                  'gs1')
        err = self.refused('share', 'group', 'snapshot', 'delete', 'gs1',
                           'nope')
        self.assertIn('1 of 2', err)
        self.assertEqual([], self.json('share', 'group', 'snapshot', 'list'))


class FaultyBackendGroupCliTestCase(fixtures.CLITestCase):
    """Fake backends: f1 fails group snapshots, f2 group creates."""

    enabled_backends = 'f1,f2'
    sections = ('[backend_defaults]\ndriver_setup_retries = 0\n'
                '[f1]\nshare_driver = fake\n'
                'fake_raise = create_share_group_snapshot:'
                'builtins.RuntimeError,delete_share_group_snapshot:'
                'builtins.RuntimeError\n'
                '[f2]\nshare_driver = fake\n'
                'fake_raise = create_share_group:builtins.RuntimeError\n')

    def setUp(self):
        super().setUp()
        self.ok('share', 'type', 'create', 't1', 'False')
        self.ok('share', 'group', 'type', 'create', 'gt1', 't1')

    def test_failed_create_is_one_line_and_leaves_the_group_in_error(self):
        err = self.refused('share', 'group', 'create', '--name', 'bad',
                           '--share-group-type', 'gt1', '--backend', 'f2',
                           expect='RuntimeError')
        group = self.json('share', 'group', 'show', 'bad')
        self.assertEqual('error', group['status'])
        self.assertIn(group['id'], err)
        self.ok('share', 'group', 'delete', 'bad')
        self.assertEqual([], self.json('share', 'group', 'list'))

    def test_snapshot_failures_then_forced_delete(self):
        group = self.json('share', 'group', 'create', '--name', 'g1',
                          '--share-group-type', 'gt1', '--backend', 'f1')
        self.refused('share', 'group', 'snapshot', 'create', 'g1',
                     '--name', 'gs1', expect=group['id'])
        self.assertEqual('error', self.json(
            'share', 'group', 'snapshot', 'show', 'gs1')['status'])
        self.refused('share', 'group', 'snapshot', 'delete', 'gs1',
                     expect='RuntimeError')
        self.assertEqual('error_deleting', self.json(
            'share', 'group', 'snapshot', 'show', 'gs1')['status'])
        self.ok('share', 'group', 'snapshot', 'delete', '--force', 'gs1')
        self.assertEqual([], self.json('share', 'group', 'snapshot', 'list'))

    def test_table_renders_lists_and_an_empty_one(self):
        self.json('share', 'group', 'create', '--name', 'g1',
                  '--share-group-type', 'gt1', '--backend', 'f1')
        rows = {}
        for line in self.ok('share', 'group', 'show', 'g1').splitlines():
            if line.startswith('|'):
                _, field, value, _ = line.split('|')
                rows[field.strip()] = value.strip()
        self.assertEqual(('', '["t1"]'),
                         (rows['shares'], rows['share_types']))
