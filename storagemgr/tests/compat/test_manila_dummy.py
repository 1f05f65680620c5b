"""Manila's own dummy share driver, unmodified, through storagemgr's CLI.

``manila/tests/share/drivers/dummy.py`` comes from the manila 9.1.5
(Train) source distribution. It imports ``manila.share.driver``,
``manila.share.configuration``, ``manila.share.manager``,
``manila.share.utils``, ``manila.common.constants``, ``manila.exception``
and ``manila.i18n``, all served by ``storagemgr.compat``; it assigns
``self.backend_name``, passes ``config_opts`` to the base class and keeps
its provider details in the driver private storage.

Every call is a ``storagemgr`` process, as a user would run it, in both
forms an operator can use: the extracted tree on ``PYTHONPATH`` with the
dotted path ``manila.tests.share.drivers.dummy.DummyDriver``, and the file
copied as a standalone module ``manila_dummy.DummyDriver``.

The share group scenarios call the service layer
(``storagemgr.share_group.api.API`` and the share API) instead, each call
in a process of its own configured as the CLI configures itself.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap

from storagemgr.tests.compat import base as compat_base
from storagemgr.tests.compat import sdists
from storagemgr.tests.compat import service_calls

MEMBER = 'manila/tests/share/drivers/dummy.py'
CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = dm\n'
          '[dm]\nshare_driver = %(driver)s\n'
          'driver_handles_share_servers = False\n'
          'share_backend_name = dm\n'
          'dummy_driver_default_driver_method_delay = 0\n'
          'dummy_driver_driver_methods_delays = %(delays)s\n')
NO_DELAYS = 'create_share:0'
STANDALONE_DRIVER = 'manila_dummy.DummyDriver'
SHARE_PREFIX = '10.0.0.10:/path/to/fake/share/share_'
SNAPSHOT_PREFIX = '/path/to/fake/snapshot/snapshot_'


def _paths(record):
    return [loc['path'] if isinstance(loc, dict) else loc
            for loc in record.get('export_locations') or []]


def _underscored(uuid):
    return uuid.replace('-', '_')


def _standalone_tree():
    return sdists.standalone_copy(sdists.MANILA, MEMBER, 'manila_dummy')


class _DummyBackend(object):
    """Backend ``dm`` on the dummy; subclasses say how its file is found."""

    driver = None

    def tree(self):
        """The directory to put on PYTHONPATH."""
        raise NotImplementedError()

    def setUp(self):
        super().setUp()
        self.set_delays(NO_DELAYS)
        self.use_driver_tree(self.tree())

    def set_delays(self, delays):
        """Rewrite ``dummy_driver_driver_methods_delays``; next call on."""
        self.write_config(CONFIG % {'driver': self.driver,
                                    'delays': delays})

    def private_data(self, entity_id):
        """What the driver keeps under ``entity_id``, read from the DB."""
        path = os.path.join(self.state_path, 'storagemgr.sqlite')
        with sqlite3.connect('file:%s?mode=ro' % path, uri=True) as db:
            rows = db.execute('SELECT key, value FROM driver_private_data '
                              'WHERE entity_uuid = ?', (entity_id,))
            return dict(rows.fetchall())


class _StandaloneBackend(_DummyBackend):
    """The dummy copied as a module of the operator's own naming."""

    driver = STANDALONE_DRIVER

    def tree(self):
        return _standalone_tree()


class _DummyDriverTests(_DummyBackend):
    """The scenarios of single shares, through the CLI."""

    def create_share(self, proto='NFS', size='1'):
        share = self.ok('share', 'create', proto, size, '--backend', 'dm')
        self.assertEqual('available', share['status'], share)
        return share

    # -- the scenarios ----------------------------------------------------

    def test_backend_is_up_with_the_dummys_stats(self):
        backend = self.ok('backend', 'show', 'dm')
        self.assertEqual('up', backend['state'], backend)
        self.assertEqual(self.driver, backend['driver'])
        self.assertEqual(['fake_pool_for_dm'],
                         [p['pool_name'] for p in backend['pools']])

    def test_share_lifecycle(self):
        share = self.create_share()
        shown = self.ok('share', 'show', share['id'])
        self.assertEqual('available', shown['status'])
        self.assertEqual(1, int(shown['size']))
        paths = _paths(shown)
        # share_<share id>_<instance id>, on the three addresses.
        name = _underscored(share['id']) + '_'
        self.assertEqual(3, len(paths), paths)
        self.assertTrue(paths[0].startswith(SHARE_PREFIX + name), paths)
        self.assertEqual(
            ['10.0.0.10', '10.0.0.20', '11.0.0.11'],
            [p.split(':')[0] for p in paths])
        instance_id = shown['instance_id']
        self.assertTrue(paths[0].endswith(_underscored(instance_id)))
        kept = self.private_data(instance_id)
        self.assertEqual(paths[0].split(':', 1)[1],
                         kept['fake_provider_location'])

        snapshot = self.ok('share', 'snapshot', 'create', share['id'])
        snapshot = self.ok('share', 'snapshot', 'show', snapshot['id'])
        self.assertEqual('available', snapshot['status'], snapshot)
        self.assertTrue(snapshot['provider_location'].startswith(
            SNAPSHOT_PREFIX + _underscored(snapshot['id'])), snapshot)

        self.run_ok('share', 'access', 'create', share['id'], 'ip',
                    '10.0.0.0/24')
        rules = self.ok('share', 'access', 'list', share['id'])
        self.assertEqual([('ip', '10.0.0.0/24', 'active')],
                         [(r['access_type'], r['access_to'], r['state'])
                          for r in rules])
        self.run_ok('share', 'access', 'delete', share['id'],
                    rules[0]['id'])
        self.assertEqual([], self.ok('share', 'access', 'list',
                                     share['id']))

        for size in ('2', '1'):
            self.run_ok('share', 'resize', share['id'], size)
            shown = self.ok('share', 'show', share['id'])
            self.assertEqual((int(size), 'available'),
                             (int(shown['size']), shown['status']))

        self.run_ok('share', 'revert', snapshot['id'])
        self.assertEqual('available',
                         self.ok('share', 'show', share['id'])['status'])

        self.run_ok('share', 'snapshot', 'delete', snapshot['id'])
        self.run_ok('share', 'delete', share['id'])
        self.assertNotIn(share['id'],
                         [s['id'] for s in self.ok('share', 'list')])
        # The instance is deleted: its private data goes with it.
        self.assertEqual({}, self.private_data(instance_id))

    def test_abandon_then_adopt_a_share(self):
        share = self.create_share()
        path = _paths(share)[0]
        self.run_ok('share', 'abandon', share['id'])
        # Abandoned, not deleted: the dummy keeps the export it needs to
        # adopt the share again under the instance's id.
        self.assertEqual(path, self.private_data(
            share['instance_id'])['export_location'])
        self.assertNotIn(share['id'],
                         [s['id'] for s in self.ok('share', 'list')])
        adopted = self.ok('share', 'adopt', 'dm', 'NFS', path,
                          '--name', 'back')
        adopted = self.ok('share', 'show', adopted['id'])
        self.assertEqual('available', adopted['status'], adopted)
        self.assertEqual(1, int(adopted['size']))
        # The dummy names the adopted share after its new ids.
        self.assertTrue(_paths(adopted)[0].startswith(
            SHARE_PREFIX + _underscored(adopted['id'])), adopted)
        self.run_ok('share', 'delete', adopted['id'])

    def test_abandon_then_adopt_a_snapshot(self):
        share = self.create_share()
        snapshot = self.ok('share', 'snapshot', 'create', share['id'])
        location = self.ok('share', 'snapshot', 'show',
                           snapshot['id'])['provider_location']
        self.run_ok('share', 'snapshot', 'abandon', snapshot['id'])
        adopted = self.ok('share', 'snapshot', 'adopt', share['id'],
                          location)
        adopted = self.ok('share', 'snapshot', 'show', adopted['id'])
        self.assertEqual('available', adopted['status'], adopted)
        self.assertEqual(location, adopted['provider_location'])
        # The dummy forgot the old snapshot when it adopted it: a second
        # adopt of the same location fails, as it does under Manila.
        result = self.cli('share', 'snapshot', 'adopt', share['id'],
                          location)
        self.assertNotEqual(0, result.rc)
        self.assertIn('could not be found', result.err)
        statuses = {s['id']: s['status']
                    for s in self.ok('share', 'snapshot', 'list')}
        self.assertIn('manage_error', statuses.values())
        self.run_ok('share', 'snapshot', 'delete', adopted['id'])

    def test_wrong_access_type_sets_the_rule_to_error(self):
        share = self.create_share(proto='CIFS')
        result = self.cli('share', 'access', 'create', share['id'], 'ip',
                          '10.0.0.0/24')
        self.assertNotEqual(0, result.rc)
        self.assertIn("Unsupported 'ip' access type provided for 'cifs'",
                      result.err)
        rules = self.ok('share', 'access', 'list', share['id'])
        self.assertEqual(['error'], [r['state'] for r in rules])
        self.assertEqual('available',
                         self.ok('share', 'show', share['id'])['status'])

    def test_adopt_of_an_unknown_export_is_a_manage_error(self):
        path = SHARE_PREFIX + _underscored(
            '00000000-0000-4000-8000-000000000001') + '_' + _underscored(
            '00000000-0000-4000-8000-000000000002')
        result = self.cli('share', 'adopt', 'dm', 'NFS', path)
        self.assertNotEqual(0, result.rc)
        failed = [s for s in self.ok('share', 'list')
                  if s['status'] == 'manage_error']
        self.assertEqual(1, len(failed), failed)

    def test_reads_another_backends_section_from_the_global_conf(self):
        # No CLI command migrates shares; this runs the dummy's migration
        # check in a process configured exactly as the CLI configures
        # itself. The dummy reads CONF.list_all_sections() and builds a
        # Configuration of the destination's section.
        code = textwrap.dedent('''
            import json, sys
            from storagemgr import common_setup
            from storagemgr.backend import registry
            common_setup.parse_config([], config_files=[sys.argv[1]])
            driver = registry.BackendRegistry().get('dm').driver
            print(json.dumps(driver.migration_check_compatibility(
                None, {'id': 's1'}, {'host': 'host@dm#fake_pool_for_dm'})))
            ''')
        process = subprocess.run(
            [sys.executable, '-c', code, self.conf], capture_output=True,
            text=True, timeout=120, env=self.env, cwd=self.state_path)
        self.assertEqual(0, process.returncode, process.stderr[-2000:])
        result = json.loads(process.stdout)
        self.assertTrue(result['compatible'], result)
        self.assertTrue(result['preserve_snapshots'], result)

    def test_unsupported_protocol(self):
        # As with Manila: the API takes GLUSTERFS, the dummy refuses it
        # (InvalidShareAccess) and the share goes to error, saying why.
        result = self.cli('share', 'create', 'GLUSTERFS', '1',
                          '--backend', 'dm')
        self.assertNotEqual(0, result.rc)
        [share] = self.ok('share', 'list')
        self.assertEqual('error', share['status'])
        shown = self.ok('share', 'show', share['id'])
        self.assertIn('GLUSTERFS', shown['failure_reason'])


GROUP_SCRIPT = service_calls.script(
    (('shares', 'share_api.API(backends, admin)'),
     ('groups', 'group_api.API(backends, admin)'),
     ('share_types', 'types_api.share_types'),
     ('share_group_types', 'types_api.share_group_types')),
    imports=('from storagemgr.share import api as share_api',
             'from storagemgr.share_group import api as group_api',
             'from storagemgr.types import api as types_api'))


class _ShareGroupTests(service_calls.ServiceCalls, _DummyBackend):
    """Share groups on the dummy through the service layer.

    The dummy has no share group methods of its own (its consistency
    group methods belong to an API Manila retired), so storagemgr's
    fallbacks run: a group is only a record, a group snapshot is one
    ``create_snapshot`` of the dummy per member share, and a group made
    from it one ``create_share_from_snapshot`` per member. Its faults
    come from its own option: a negative delay makes ``time.sleep`` in
    the named method raise ValueError.
    """

    script = GROUP_SCRIPT

    def make_types(self, group_specs=None):
        """Share type ``st`` and group type ``gt`` allowing only it."""
        self.run_calls(
            ('share_types.create', ['st'],
             {'extra_specs': {'driver_handles_share_servers': 'False'}}),
            ('share_group_types.create', ['gt', ['st']],
             {'extra_specs': group_specs}))

    def group_with_shares(self, name='g1'):
        """An available group on ``dm`` with an NFS and a CIFS share."""
        self.make_types()
        group = self.api('groups.create', name=name, share_group_type='gt')
        self.assertEqual('available', group['status'], group)
        shares = [self.api('shares.create', proto, size,
                           name='%s-%s' % (name, proto),
                           share_group=name)
                  for proto, size in (('NFS', 1), ('CIFS', 2))]
        for share in shares:
            self.assertEqual((group['id'], 'available'),
                             (share['share_group_id'], share['status']),
                             share)
        return group, shares

    def members(self, group_snapshot_id):
        return {m['share_id']: m for m in self.api(
            'groups.list_snapshot_members', group_snapshot_id)}

    def assert_made_by_the_dummy(self, share):
        """Exports and private data as the dummy's _create_share sets them."""
        paths = _paths(share)
        mountpoint = '/path/to/fake/share/share_%s_%s' % (
            _underscored(share['id']), _underscored(share['instance_id']))
        self.assertEqual(['10.0.0.10:' + mountpoint,
                          '10.0.0.20:' + mountpoint,
                          '11.0.0.11:' + mountpoint], paths)
        self.assertEqual(mountpoint, self.private_data(
            share['instance_id'])['fake_provider_location'])

    # -- the scenarios ----------------------------------------------------

    def test_group_follows_the_dummys_pool_scoped_snapshots(self):
        # The dummy reports consistent_snapshot_support 'pool': the group
        # is pinned to its pool, and a group type asking for 'pool'
        # finds it.
        self.make_types({'consistent_snapshot_support': 'pool'})
        group = self.api('groups.create', name='g1', share_group_type='gt')
        self.assertEqual(
            ('available', 'dm', 'pool', ['st'], 'gt'),
            (group['status'], group['backend'],
             group['consistent_snapshot_support'], group['share_types'],
             group['share_group_type']), group)
        self.assertTrue(group['host'].endswith('@dm#fake_pool_for_dm'),
                        group)
        self.api('groups.delete', 'g1')
        self.assertEqual([], self.api('groups.list'))

    def test_group_type_asking_host_scope_finds_no_pool(self):
        self.make_types({'consistent_snapshot_support': 'host'})
        error, message = self.refused('groups.create', name='g1',
                                      share_group_type='gt')
        self.assertEqual('NoValidHost', error)
        self.assertIn('share group type gt', message)
        self.assertIn('consistent_snapshot_support', message)
        self.assertEqual([], self.api('groups.list'))

    def test_group_snapshot_and_a_group_made_from_it(self):
        group, shares = self.group_with_shares()
        for share in shares:
            self.assert_made_by_the_dummy(share)
        self.assertEqual(sorted(s['id'] for s in shares),
                         sorted(self.api('groups.share_ids', 'g1')))

        snapshot = self.api('groups.create_snapshot', 'g1', name='gs1')
        self.assertEqual(('available', group['id']),
                         (snapshot['status'], snapshot['share_group_id']))
        members = self.members(snapshot['id'])
        self.assertEqual(sorted(s['id'] for s in shares), sorted(members))
        for share in shares:
            member = members[share['id']]
            self.assertEqual(
                ('available', share['size'], share['share_proto'],
                 share['instance_id']),
                (member['status'], member['size'], member['share_proto'],
                 member['share_instance_id']), member)
            # The fallback called the dummy's create_snapshot with the
            # group snapshot as snapshot_id and the member as id.
            location = SNAPSHOT_PREFIX + '%s_%s' % (
                _underscored(snapshot['id']), _underscored(member['id']))
            self.assertEqual(location, member['provider_location'])
            self.assertEqual(location, self.private_data(
                member['id'])['fake_provider_location'])

        # A share in a group snapshot stays.
        error, message = self.refused('shares.delete', shares[0]['id'],
                                      share_group='g1')
        self.assertEqual('InvalidShare', error)
        self.assertIn('is in 1 share group snapshot(s)', message)

        clone = self.api('groups.create', name='g2',
                         source_share_group_snapshot='gs1')
        self.assertEqual(
            ('available', snapshot['id'], group['host'], ['st']),
            (clone['status'], clone['source_share_group_snapshot_id'],
             clone['host'], clone['share_types']), clone)
        copies = [self.api('shares.get', share_id)
                  for share_id in self.api('groups.share_ids', 'g2')]
        self.assertEqual(
            sorted((s['share_proto'], s['size']) for s in shares),
            sorted((c['share_proto'], c['size']) for c in copies))
        for copy in copies:
            self.assertEqual(('available', clone['id']),
                             (copy['status'], copy['share_group_id']), copy)
            self.assert_made_by_the_dummy(copy)

        error, message = self.refused('groups.delete', 'g1')
        self.assertEqual('InvalidShareGroup', error)
        self.assertIn('2 share(s) and 1 group snapshot(s)', message)

        self.api('groups.delete', 'g2', force=True)
        self.api('groups.delete_snapshot', 'gs1')
        for member in members.values():
            self.assertEqual({}, self.private_data(member['id']))
        for share in shares:
            self.api('shares.delete', share['id'], share_group='g1')
        self.api('groups.delete', 'g1')
        self.assertEqual(([], []), (self.api('groups.list'),
                                    self.api('shares.list')))
        for share in shares + copies:
            self.assertEqual({}, self.private_data(share['instance_id']))

    def test_failed_member_snapshots_leave_the_group_snapshot_in_error(self):
        group, shares = self.group_with_shares()
        self.set_delays('create_snapshot:-1')
        error, message = self.refused('groups.create_snapshot', 'g1',
                                      name='gs1')
        self.assertEqual('ShareBackendException', error)
        self.assertIn('sleep length must be non-negative', message)
        [snapshot] = self.api('groups.list_snapshots', 'g1')
        self.assertEqual('error', snapshot['status'])
        self.assertIn('ValueError', snapshot['failure_reason'])
        self.assertEqual({'error'}, {m['status'] for m in self.members(
            snapshot['id']).values()})
        # Nothing else moved.
        self.assertEqual('available', self.api('groups.get', 'g1')['status'])
        self.assertEqual({'available'}, {
            self.api('shares.get', s['id'])['status'] for s in shares})

        self.set_delays(NO_DELAYS)
        self.api('groups.delete_snapshot', 'gs1')
        self.assertEqual([], self.api('groups.list_snapshots', 'g1'))
        self.api('groups.delete', 'g1', force=True)
        self.assertEqual(([], []), (self.api('groups.list'),
                                    self.api('shares.list')))

    def test_failed_clones_leave_the_new_group_and_shares_in_error(self):
        self.group_with_shares()
        self.api('groups.create_snapshot', 'g1', name='gs1')
        self.set_delays('create_share_from_snapshot:-1')
        error, message = self.refused('groups.create', name='g2',
                                      source_share_group_snapshot='gs1')
        self.assertEqual('ShareBackendException', error)
        self.assertIn('sleep length must be non-negative', message)
        # The group is kept, in error, for the user to see and delete.
        clone = self.api('groups.get', 'g2')
        self.assertEqual('error', clone['status'], clone)
        self.assertIn('ValueError', clone['failure_reason'])
        copies = self.api('groups.share_ids', 'g2')
        self.assertEqual(2, len(copies))
        self.assertEqual({'error'}, {
            self.api('shares.get', c)['status'] for c in copies})

        self.set_delays(NO_DELAYS)
        self.api('groups.delete', 'g2', force=True)
        self.assertEqual(['g1'], [g['name'] for g in self.api('groups.list')])
        self.assertEqual(2, len(self.api('shares.list')))

    def test_failed_group_snapshot_delete_then_forced(self):
        self.group_with_shares()
        snapshot = self.api('groups.create_snapshot', 'g1', name='gs1')
        members = self.members(snapshot['id'])
        self.set_delays('delete_snapshot:-1')
        error, message = self.refused('groups.delete_snapshot', 'gs1')
        self.assertEqual('ShareBackendException', error)
        self.assertIn('sleep length must be non-negative', message)
        kept = self.api('groups.get_snapshot', 'gs1')
        self.assertEqual('error_deleting', kept['status'])
        self.assertEqual({'error_deleting'}, {
            m['status'] for m in self.members(snapshot['id']).values()})

        # Forced: the records go although the dummy fails again.
        self.api('groups.delete_snapshot', 'gs1', force=True)
        self.assertEqual([], self.api('groups.list_snapshots'))
        for member in members.values():
            self.assertEqual({}, self.private_data(member['id']))
        self.set_delays(NO_DELAYS)
        self.api('groups.delete', 'g1', force=True)
        self.assertEqual([], self.api('shares.list'))


class DottedPathTestCase(_DummyDriverTests, compat_base.DriverCLITestCase):
    """The release's tree on PYTHONPATH; the driver by its dotted path."""

    driver = 'manila.tests.share.drivers.dummy.DummyDriver'

    def tree(self):
        # Only dummy.py, copied into a private tree: a manila/__init__.py
        # in the shared cache would make the compat layer step aside.
        root = sdists.extract(sdists.MANILA, [MEMBER])
        tree = os.path.join(self.state_path, 'tree')
        target = os.path.join(tree, MEMBER)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(root, MEMBER), target)
        return tree


class StandaloneModuleTestCase(_DummyDriverTests, _StandaloneBackend,
                               compat_base.DriverCLITestCase):
    """The file copied as a module of the operator's own naming."""


class ShareGroupTestCase(_ShareGroupTests, _StandaloneBackend,
                         compat_base.DriverCLITestCase):
    """Share groups on the dummy, copied as a standalone module.

    How the file is found does not change how groups behave; the tests
    above cover both forms.
    """
