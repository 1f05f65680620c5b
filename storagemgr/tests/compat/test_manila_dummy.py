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

MEMBER = 'manila/tests/share/drivers/dummy.py'
CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = dm\n'
          '[dm]\nshare_driver = %s\n'
          'driver_handles_share_servers = False\n'
          'share_backend_name = dm\n'
          'dummy_driver_default_driver_method_delay = 0\n'
          'dummy_driver_driver_methods_delays = create_share:0\n')
SHARE_PREFIX = '10.0.0.10:/path/to/fake/share/share_'
SNAPSHOT_PREFIX = '/path/to/fake/snapshot/snapshot_'


def _paths(record):
    return [loc['path'] if isinstance(loc, dict) else loc
            for loc in record.get('export_locations') or []]


def _underscored(uuid):
    return uuid.replace('-', '_')


class _DummyDriverTests(object):
    """The scenarios; subclasses say how the driver file is found."""

    driver = None

    def tree(self):
        """The directory to put on PYTHONPATH."""
        raise NotImplementedError()

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG % self.driver)
        self.use_driver_tree(self.tree())

    def private_data(self, entity_id):
        """What the driver keeps under ``entity_id``, read from the DB."""
        path = os.path.join(self.state_path, 'storagemgr.sqlite')
        with sqlite3.connect('file:%s?mode=ro' % path, uri=True) as db:
            rows = db.execute('SELECT key, value FROM driver_private_data '
                              'WHERE entity_uuid = ?', (entity_id,))
            return dict(rows.fetchall())

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


class StandaloneModuleTestCase(_DummyDriverTests,
                               compat_base.DriverCLITestCase):
    """The file copied as a module of the operator's own naming."""

    driver = 'manila_dummy.DummyDriver'

    def tree(self):
        return sdists.standalone_copy(sdists.MANILA, MEMBER, 'manila_dummy')
