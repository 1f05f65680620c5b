"""Cinder's fake drivers, unmodified, through storagemgr's CLI.

``FakeGateDriver`` and ``FakeLoggingVolumeDriver`` come from the cinder
10.0.8 (Ocata) source distribution, with the ``fake_lvm`` module they
import. Both extend Cinder's LVM driver, which storagemgr serves with its
local volume driver, so the gate driver's volumes are real files. Every
call is a ``storagemgr`` process, as a user would run it, with the
extracted tree on ``PYTHONPATH`` and the backend section naming the
driver by its dotted path.
"""

import os
import shutil

from storagemgr.tests.compat import base as compat_base
from storagemgr.tests.compat import sdists

MEMBERS = ('cinder/tests/fake_driver.py',
           'cinder/tests/unit/brick/fake_lvm.py')
GATE = 'cinder.tests.fake_driver.FakeGateDriver'
LOGGING = 'cinder.tests.fake_driver.FakeLoggingVolumeDriver'
CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = c1\n'
          '[c1]\nvolume_driver = %s\n')


class CinderFakeDriverTestCase(compat_base.DriverCLITestCase):
    """The CLI with the driver of ``driver`` on backend ``c1``.

    The two files are copied into a private tree, so nothing else in the
    extraction cache (such as a ``cinder/__init__.py`` another test
    extracted, which would make the compat layer step aside) changes what
    is imported.
    """

    driver = GATE

    def setUp(self):
        super().setUp()
        root = sdists.extract(sdists.CINDER, list(MEMBERS))
        self.tree = os.path.join(self.state_path, 'tree')
        for member in MEMBERS:
            target = os.path.join(self.tree, member)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(root, member), target)
        self.write_config(CONFIG % self.driver)
        self.use_driver_tree(self.tree)

    def volume_root(self):
        return os.path.join(self.state_path, 'volumes', 'c1')

    def volume_file(self, volume_id):
        return os.path.join(self.volume_root(), volume_id)

    def files(self):
        found = []
        for directory, _dirs, names in os.walk(self.volume_root()):
            found.extend(os.path.join(directory, n) for n in names)
        return sorted(found)

    def statuses(self, noun):
        return {row['name']: row['status']
                for row in self.ok(*(noun + ('list',)))}


class TestFakeGateDriver(CinderFakeDriverTestCase):

    def test_every_operation(self):
        backend = self.ok('backend', 'show', 'c1')
        self.assertEqual('up', backend['state'])
        self.assertEqual(GATE, backend['driver'])
        # FakeGateDriver's own stats on top of the LVM base's pool.
        self.assertTrue(backend['pools'][0]['consistencygroup_support'])
        self.assertTrue(backend['pools'][0]['replication_enabled'])

        # Volume create/delete: a real file of the volume's size.
        volume = self.ok('volume', 'create', '--size', '1', 'v')
        self.assertEqual('available', volume['status'])
        self.assertEqual(1024 ** 3,
                         os.path.getsize(self.volume_file(volume['id'])))
        self.assertEqual(self.volume_file(volume['id']),
                         volume['provider_location'])

        # Snapshot create/delete.
        with open(self.volume_file(volume['id']), 'r+b') as f:
            f.write(b'first')
        snapshot = self.ok('volume', 'snapshot', 'create', '--volume', 'v',
                           's')
        self.assertEqual('available', snapshot['status'])
        self.assertTrue(os.path.isfile(snapshot['provider_location']))

        # Consistency group create: the driver's model_update carries
        # updated_at, which is ignored.
        group = self.ok('consistency', 'group', 'create', '--backend', 'c1',
                        'cg')
        self.assertEqual('available', group['status'])
        members = [self.ok('volume', 'create', '--size', '1',
                           '--consistency-group', 'cg', name)['id']
                   for name in ('m1', 'm2')]

        # Update: add then remove a volume.
        shown = self.ok('consistency', 'group', 'add', 'volume', 'cg', 'v')
        self.assertEqual('available', shown['status'])
        self.assertIn(volume['id'], shown['volumes'])
        shown = self.ok('consistency', 'group', 'remove', 'volume', 'cg',
                        'v')
        self.assertEqual('available', shown['status'])
        self.assertEqual(sorted(members), sorted(shown['volumes']))

        # Group snapshot create.
        with open(self.volume_file(members[0]), 'r+b') as f:
            f.write(b'member-data')
        cgsnapshot = self.ok('consistency', 'group', 'snapshot', 'create',
                             '--consistency-group', 'cg', 'cgs')
        self.assertEqual('available', cgsnapshot['status'])
        self.assertEqual(2, len(cgsnapshot['snapshots']))
        with open(self.volume_file(members[0]), 'r+b') as f:
            f.write(b'overwritten')

        # Group from the group snapshot: the member's data at that time.
        copy = self.ok('consistency', 'group', 'create',
                       '--consistency-group-snapshot', 'cgs', 'cg2')
        self.assertEqual('available', copy['status'])
        self.assertEqual(2, len(copy['volumes']))
        contents = set()
        for volume_id in copy['volumes']:
            with open(self.volume_file(volume_id), 'rb') as f:
                contents.add(f.read(11))
        self.assertIn(b'member-data', contents)

        # Group from a source group.
        clone = self.ok('consistency', 'group', 'create',
                        '--consistency-group-source', 'cg', 'cg3')
        self.assertEqual('available', clone['status'])
        self.assertEqual(2, len(clone['volumes']))
        for volume_id in clone['volumes']:
            self.assertTrue(os.path.isfile(self.volume_file(volume_id)))

        # Deletes: group snapshot, groups (with their volumes), snapshot,
        # volume. Nothing is left, on the backend or in the records.
        self.run_ok('consistency', 'group', 'snapshot', 'delete', 'cgs')
        for name in ('cg3', 'cg2', 'cg'):
            self.run_ok('consistency', 'group', 'delete', '--force', name)
        self.run_ok('volume', 'snapshot', 'delete', 's')
        self.run_ok('volume', 'delete', 'v')
        self.assertEqual([], self.files())
        for noun in (('volume',), ('volume', 'snapshot'),
                     ('consistency', 'group'),
                     ('consistency', 'group', 'snapshot')):
            self.assertEqual([], self.ok(*(noun + ('list',))), noun)

    def test_group_snapshot_member_failure_is_cinders_error(self):
        # The driver reports {'status': 'error'} and one 'error' entry
        # when a member cannot be snapshotted (its file is gone): the
        # group snapshot and that member are error, the other available.
        self.ok('consistency', 'group', 'create', 'cg')
        good = self.ok('volume', 'create', '--size', '1',
                       '--consistency-group', 'cg', 'good')
        bad = self.ok('volume', 'create', '--size', '1',
                      '--consistency-group', 'cg', 'bad')
        os.unlink(self.volume_file(bad['id']))
        result = self.cli('consistency', 'group', 'snapshot', 'create',
                          '--consistency-group', 'cg', 'cgs')
        self.assertNotEqual(0, result.rc)
        self.assertEqual({'cgs': 'error'},
                         self.statuses(('consistency', 'group', 'snapshot')))
        cgsnapshot = self.ok('consistency', 'group', 'snapshot', 'show',
                             'cgs')
        members = {}
        for snapshot_id in cgsnapshot['snapshots']:
            shown = self.ok('volume', 'snapshot', 'show', snapshot_id)
            members[shown['volume_id']] = shown['status']
        self.assertEqual({good['id']: 'available', bad['id']: 'error'},
                         members)

    def test_group_delete_member_failure_is_cinders_error(self):
        # A member the driver cannot delete comes back 'error' with the
        # group's model_update 'error': the group is error, the member
        # deleted before it is gone, the failed one stays, in error.
        self.ok('consistency', 'group', 'create', 'cg')
        first = self.ok('volume', 'create', '--size', '1',
                        '--consistency-group', 'cg', 'a')
        second = self.ok('volume', 'create', '--size', '1',
                         '--consistency-group', 'cg', 'b')
        stuck = self.volume_file(second['id'])
        os.unlink(stuck)
        os.mkdir(stuck)  # unlink() of a directory fails
        result = self.cli('consistency', 'group', 'delete', '--force', 'cg')
        self.assertNotEqual(0, result.rc)
        self.assertEqual({'cg': 'error'},
                         self.statuses(('consistency', 'group')))
        volumes = {row['id']: row['status']
                   for row in self.ok('volume', 'list')}
        self.assertEqual({second['id']: 'error'}, volumes)
        self.assertFalse(os.path.exists(self.volume_file(first['id'])))

    def test_create_from_group_snapshot_failure(self):
        # The driver raises when a snapshot's file is missing: the new
        # group and every volume in it are error, as in Cinder.
        self.ok('consistency', 'group', 'create', 'cg')
        self.ok('volume', 'create', '--size', '1', '--consistency-group',
                'cg', 'm')
        cgsnapshot = self.ok('consistency', 'group', 'snapshot', 'create',
                             '--consistency-group', 'cg', 'cgs')
        for snapshot_id in cgsnapshot['snapshots']:
            os.unlink(os.path.join(self.volume_root(), 'snapshots',
                                   snapshot_id))
        result = self.cli('consistency', 'group', 'create',
                          '--consistency-group-snapshot', 'cgs', 'cg2')
        self.assertNotEqual(0, result.rc)
        self.assertEqual('error', self.statuses(('consistency',
                                                 'group'))['cg2'])
        group_id = self.ok('consistency', 'group', 'show', 'cg2')['id']
        in_new_group = [row['status'] for row in
                        self.ok('volume', 'list', '--long')
                        if row['consistencygroup_id'] == group_id]
        self.assertEqual(['error'], in_new_group)

    def test_snapshot_failure_is_error(self):
        volume = self.ok('volume', 'create', '--size', '1', 'v')
        os.unlink(self.volume_file(volume['id']))
        result = self.cli('volume', 'snapshot', 'create', '--volume', 'v',
                          's')
        self.assertNotEqual(0, result.rc)
        self.assertEqual({'s': 'error'},
                         self.statuses(('volume', 'snapshot')))


class TestFakeLoggingVolumeDriver(CinderFakeDriverTestCase):
    """Its volume methods only log: records change, no file is made."""

    driver = LOGGING

    def test_every_operation(self):
        backend = self.ok('backend', 'show', 'c1')
        self.assertEqual('up', backend['state'])
        self.assertEqual('fake', backend['pools'][0]['pool_name'])
        self.assertEqual('infinite',
                         backend['pools'][0]['total_capacity_gb'])

        volume = self.ok('volume', 'create', '--size', '1', 'v')
        self.assertEqual('available', volume['status'])
        self.assertIsNone(volume['provider_location'])
        self.assertEqual('available', self.ok(
            'volume', 'snapshot', 'create', '--volume', 'v', 's')['status'])
        self.assertEqual('available', self.ok(
            'consistency', 'group', 'create', 'cg')['status'])
        self.ok('volume', 'create', '--size', '1', '--consistency-group',
                'cg', 'm')
        self.assertEqual('available', self.ok(
            'consistency', 'group', 'add', 'volume', 'cg', 'v')['status'])
        self.assertEqual('available', self.ok(
            'consistency', 'group', 'remove', 'volume', 'cg',
            'v')['status'])
        # No native group methods: storagemgr's generic code calls the
        # driver's create_snapshot / create_volume_from_snapshot /
        # create_cloned_volume / delete_* for each member.
        self.assertEqual('available', self.ok(
            'consistency', 'group', 'snapshot', 'create',
            '--consistency-group', 'cg', 'cgs')['status'])
        self.assertEqual('available', self.ok(
            'consistency', 'group', 'create', '--consistency-group-snapshot',
            'cgs', 'cg2')['status'])
        self.assertEqual('available', self.ok(
            'consistency', 'group', 'create', '--consistency-group-source',
            'cg', 'cg3')['status'])
        self.run_ok('consistency', 'group', 'snapshot', 'delete', 'cgs')
        for name in ('cg3', 'cg2', 'cg'):
            self.run_ok('consistency', 'group', 'delete', '--force', name)
        self.run_ok('volume', 'snapshot', 'delete', 's')
        self.run_ok('volume', 'delete', 'v')
        self.assertEqual([], self.ok('volume', 'list'))
        self.assertEqual([], self.files())
