"""The cinder.* modules storagemgr serves, module by module."""

import os
import sys

from storagemgr import compat
from storagemgr.compat.cinder import exception
from storagemgr.compat.cinder import objects
from storagemgr.compat.cinder.objects import fields
from storagemgr.compat.cinder import utils
from storagemgr.compat.cinder.volume import driver
from storagemgr.compat.cinder.volume.drivers import lvm
from storagemgr.compat.cinder.volume import utils as volume_utils
from storagemgr.compat.cinder.zonemanager import utils as fczm_utils
from storagemgr.conf import backend as backend_conf
from storagemgr.tests import base
from storagemgr.volume import driver_views


class TestServedNames(base.TestCase):

    def test_cinder_names_are_the_compat_modules(self):
        self.assertIn('cinder', compat.install())
        import cinder.exception  # noqa: F401 (the import is the test)
        import cinder.volume.drivers.lvm as served
        self.assertIs(lvm, served)
        self.assertIs(exception, sys.modules['cinder.exception'])


class TestExceptions(base.TestCase):

    def test_message_formats_with_keywords(self):
        error = exception.VolumeIsBusy(volume_name='volume-1')
        self.assertIn('volume-1', str(error))
        self.assertEqual(str(error), error.msg)

    def test_given_message_wins(self):
        self.assertEqual('as said', str(
            exception.VolumeBackendAPIException(message='as said')))

    def test_hierarchy_and_codes(self):
        self.assertTrue(issubclass(exception.VolumeNotFound,
                                   exception.NotFound))
        self.assertTrue(issubclass(exception.InvalidInput,
                                   exception.Invalid))
        self.assertEqual(404, exception.SnapshotNotFound(
            snapshot_id='s').code)
        self.assertEqual(400, exception.InvalidConfigurationValue(
            value='x', option='o').code)

    def test_a_format_mismatch_still_says_something(self):
        error = exception.InvalidInput(wrong='x')
        self.assertIn('Invalid input', str(error))


class TestFieldsAndObjects(base.TestCase):

    def test_cinder_values(self):
        self.assertEqual('available',
                         fields.ConsistencyGroupStatus.AVAILABLE)
        self.assertEqual('error_deleting',
                         fields.SnapshotStatus.ERROR_DELETING)
        self.assertEqual('in-use', fields.GroupStatus.IN_USE)
        self.assertIn('failed-over', fields.ReplicationStatus.ALL)

    def test_isinstance_follows_the_view_kind(self):
        volume = driver_views.VolumeView(id='v')
        self.assertIsInstance(volume, objects.Volume)
        self.assertNotIsInstance(volume, objects.Snapshot)
        self.assertNotIsInstance({'id': 'v'}, objects.Volume)
        self.assertIsInstance(driver_views.SnapshotView(id='s'),
                              objects.Snapshot)
        self.assertIsInstance([volume], objects.VolumeList)

    def test_calling_a_class_builds_a_view(self):
        view = objects.Volume(context=None, id='v', size=1)
        self.assertEqual(1, view.size)
        self.assertIsInstance(view, objects.Volume)


class TestUtils(base.TestCase):

    def test_trace_method_keeps_behaviour(self):
        @utils.trace_method
        def double(x):
            return 2 * x
        utils.setup_tracing(['method'])
        self.addCleanup(utils.setup_tracing, None)
        self.assertEqual(4, double(2))

    def test_execute_runs_a_command(self):
        out, _err = utils.execute('echo', 'hello')
        self.assertEqual('hello\n', out)

    def test_check_exclusive_options(self):
        utils.check_exclusive_options(a=None, b=1)
        self.assertRaises(exception.InvalidInput,
                          utils.check_exclusive_options, a=1, b=2)

    def test_extract_and_append_host(self):
        host = 'node@b1#pool'
        self.assertEqual('node', volume_utils.extract_host(host, 'host'))
        self.assertEqual('node@b1', volume_utils.extract_host(host))
        self.assertEqual('pool', volume_utils.extract_host(host, 'pool'))
        self.assertEqual('_pool0', volume_utils.extract_host(
            'node@b1', 'pool', default_pool_name=True))
        self.assertEqual('node@b1#p', volume_utils.append_host('node@b1',
                                                               'p'))
        self.assertEqual('abc', volume_utils.extract_id_from_volume_name(
            'volume-abc'))

    def test_fc_zone_decorators_return_unchanged(self):
        info = {'driver_volume_type': 'fibre_channel',
                'data': {'initiator_target_map': {'a': ['b']}}}

        @fczm_utils.add_fc_zone
        def connect():
            return info
        self.assertIs(info, connect())


class TestBaseDriver(base.TestCase):

    def _configuration(self):
        self.flags(state_path=self.state_path)
        return backend_conf.BackendConfiguration('c1')

    def test_cinder_keywords(self):
        built = driver.VolumeDriver(configuration=self._configuration(),
                                    db='db', host='h@c1', cluster_name=None,
                                    is_vol_db_empty=True,
                                    active_backend_id=None)
        self.assertEqual('db', built.db)
        self.assertEqual('h@c1', built.host)
        self.assertIs(utils.execute, built._execute)
        self.assertRaises(NotImplementedError, built.create_volume, {})
        self.assertRaises(NotImplementedError,
                          built.create_consistencygroup, None, {})
        self.assertEqual(0, built.configuration.reserved_percentage)

    def test_iscsi_properties_from_provider_location(self):
        built = driver.ISCSIDriver(configuration=self._configuration())
        info = built.initialize_connection(
            {'id': 'v', 'provider_location': '10.0.0.1:3260,1 iqn.x 2',
             'provider_auth': 'CHAP user secret'}, {'initiator': 'i'})
        self.assertEqual('iscsi', info['driver_volume_type'])
        self.assertEqual('10.0.0.1:3260', info['data']['target_portal'])
        self.assertEqual(2, info['data']['target_lun'])
        self.assertEqual('secret', info['data']['auth_password'])
        self.assertRaises(exception.InvalidConnectorException,
                          built.validate_connector, {})


class TestLVMOnLocalFiles(base.TestCase):

    def setUp(self):
        super().setUp()
        self.flags(state_path=self.state_path)
        self.driver = lvm.LVMVolumeDriver(
            configuration=backend_conf.BackendConfiguration('c1'))
        self.driver.do_setup(None)
        self.driver.check_for_setup_error()

    def test_volume_snapshot_clone_are_files(self):
        volume = {'id': 'v1', 'size': 1, 'name': 'volume-v1'}
        update = self.driver.create_volume(volume)
        path = self.driver.local_path(volume)
        self.assertEqual(path, update['provider_location'])
        self.assertEqual(1024 ** 3, os.path.getsize(path))
        with open(path, 'r+b') as f:
            f.write(b'data')
        self.driver.create_snapshot({'id': 's1', 'volume_id': 'v1'})
        self.driver.create_volume_from_snapshot({'id': 'v2', 'size': 2},
                                                {'id': 's1'})
        with open(self.driver.local_path({'id': 'v2'}), 'rb') as f:
            self.assertEqual(b'data', f.read(4))
        self.driver.extend_volume(volume, 2)
        self.assertEqual(2 * 1024 ** 3, os.path.getsize(path))
        for name in ('v1', 'v2'):
            self.driver.delete_volume({'id': name})
        self.driver.delete_snapshot({'id': 's1'})
        self.assertFalse(os.path.exists(path))

    def test_stats_from_the_volume_directory(self):
        self.driver.create_volume({'id': 'v1', 'size': 1})
        stats = self.driver.get_volume_stats(refresh=True)
        pool, = stats['pools']
        self.assertEqual('LVM', pool['pool_name'])
        self.assertEqual(1, pool['total_volumes'])
        self.assertGreater(pool['total_capacity_gb'], 0)
        self.assertFalse(pool['consistencygroup_support'])

    def test_exports_need_nothing_and_connect_locally(self):
        volume = {'id': 'v1', 'size': 1}
        self.driver.create_volume(volume)
        self.assertIsNone(self.driver.remove_export(None, volume))
        info = self.driver.initialize_connection(volume, {})
        if info.get('driver_volume_type') == 'local':
            self.assertEqual(self.driver.local_path(volume),
                             info['data']['device_path'])
