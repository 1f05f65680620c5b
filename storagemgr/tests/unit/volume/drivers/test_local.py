"""The local volume driver on real files in the test's state_path."""

import os
import shutil
import stat
import tempfile
import threading

from storagemgr import coordination
from storagemgr import exception
from storagemgr.tests import base
from storagemgr.tests.unit.volume import fakes
from storagemgr.volume.drivers import local

GiB = local.GiB


def _volume(volume_id, size=1, group=None):
    return {'id': volume_id, 'size': size, 'consistencygroup_id': group}


class TestLocalVolumeDriver(base.TestCase):

    def setUp(self):
        super().setUp()
        self.api, self.driver = fakes.make_api(self, driver='local')

    def _write(self, volume_id, offset, data):
        with open(self.driver._volume_path(volume_id), 'r+b') as f:
            f.seek(offset)
            f.write(data)

    def _read(self, path, offset, length):
        with open(path, 'rb') as f:
            f.seek(offset)
            return f.read(length)

    def test_create_is_sparse_and_idempotent(self):
        update = self.driver.create_volume(_volume('v1', 2))
        path = update['provider_location']
        self.assertEqual(os.path.join(self.driver.root, 'v1'), path)
        self.assertEqual(2 * GiB, os.path.getsize(path))
        self.assertLess(os.stat(path).st_blocks * 512, GiB)
        self._write('v1', 10, b'keep')
        self.driver.create_volume(_volume('v1', 2))
        self.assertEqual(b'keep', self._read(path, 10, 4))

    def test_delete_is_idempotent(self):
        self.driver.create_volume(_volume('v1'))
        self.driver.delete_volume(_volume('v1'))
        self.driver.delete_volume(_volume('v1'))
        self.assertFalse(os.path.exists(self.driver._volume_path('v1')))

    def test_snapshot_and_volume_from_it_keep_data(self):
        self.driver.create_volume(_volume('v1'))
        self._write('v1', 4096, b'payload')
        self.driver.create_snapshot({'id': 's1', 'volume_id': 'v1'})
        self._write('v1', 4096, b'CHANGED')
        update = self.driver.create_volume_from_snapshot(
            _volume('v2', 2), {'id': 's1'})
        self.assertEqual(b'payload',
                         self._read(update['provider_location'], 4096, 7))
        self.assertEqual(2 * GiB, os.path.getsize(update['provider_location']))

    def test_clone_and_extend(self):
        self.driver.create_volume(_volume('v1'))
        self._write('v1', 0, b'abc')
        update = self.driver.create_cloned_volume(_volume('v2'),
                                                  _volume('v1'))
        self.assertEqual(b'abc', self._read(update['provider_location'], 0,
                                            3))
        self.driver.extend_volume(_volume('v2'), 3)
        self.assertEqual(3 * GiB, os.path.getsize(update['provider_location']))

    def test_hostile_ids_refused(self):
        for bad in ('../x', '.hidden', 'a/b', '-rf', ''):
            self.assertRaises(exception.InvalidInput,
                              self.driver.create_volume, _volume(bad))

    def test_group_snapshot_waits_for_group_writers(self):
        self.driver.create_volume(_volume('v1', group='g1'))
        lock = coordination.get_lock('group-g1')
        lock.acquire()
        done = threading.Event()

        def snapshot():
            self.driver.create_cgsnapshot(
                None, {'id': 'c1', 'consistencygroup_id': 'g1'},
                [{'id': 's1', 'volume_id': 'v1'}])
            done.set()
        worker = threading.Thread(target=snapshot)
        worker.start()
        self.assertFalse(done.wait(0.3))
        lock.release()
        worker.join(10)
        self.assertTrue(done.is_set())
        self.assertTrue(os.path.exists(self.driver._snapshot_path('s1')))

    def test_stats(self):
        stats = self.driver.get_volume_stats(refresh=True)
        self.assertTrue(stats['consistencygroup_support'])
        self.assertGreaterEqual(stats['total_capacity_gb'],
                                stats['free_capacity_gb'])

    def test_group_lifecycle_through_api(self):
        group = self.api.create_group('g')
        volume = self.api.create_volume('v', size=1, group=group['id'])
        self._write(volume['id'], 0, b'data')
        self.api.create_cgsnapshot('g', 'cgs')
        copy = self.api.create_group_from_src('g2', cgsnapshot='cgs')
        [copy_id] = self.api.group_volume_ids(copy['id'])
        self.assertEqual(b'data', self._read(
            self.api.get_volume(copy_id)['provider_location'], 0, 4))
        self.api.delete_group('g2', force=True)
        self.api.delete_group('g', force=True)
        self.assertEqual(['snapshots'], os.listdir(self.driver.root))
        self.assertEqual([], os.listdir(os.path.join(self.driver.root,
                                                     'snapshots')))


class TestLocalVolumePermissions(base.TestCase):
    """Defect 8: volume data is private to the user running storagemgr."""

    def setUp(self):
        super().setUp()
        self.outside = tempfile.mkdtemp(prefix='sm-volroot-')
        self.addCleanup(shutil.rmtree, self.outside, True)
        # A permissive umask, as an operator's shell may have.
        old_umask = os.umask(0o002)
        self.addCleanup(os.umask, old_umask)

    def _driver(self, root):
        api, driver = fakes.make_api(
            self, driver='local', extra='local_volume_root=%s\n' % root)
        return api, driver

    def _mode(self, path):
        return stat.S_IMODE(os.stat(path).st_mode)

    def test_root_outside_state_path_is_private(self):
        root = os.path.join(self.outside, 'deep', 'volumes')
        api, driver = self._driver(root)
        self.assertEqual(0o700, self._mode(root))
        self.assertEqual(0o700, self._mode(os.path.join(root, 'snapshots')))

    def test_existing_root_is_made_private(self):
        root = os.path.join(self.outside, 'existing')
        os.mkdir(root, 0o755)
        os.chmod(root, 0o755)
        self._driver(root)
        self.assertEqual(0o700, self._mode(root))

    def test_files_are_private_whatever_the_umask(self):
        root = os.path.join(self.outside, 'v')
        api, driver = self._driver(root)
        os.umask(0)
        api.create_volume('v', size=1)
        api.create_snapshot('v', 's')
        api.create_volume('from-snap', snapshot='s')
        api.create_volume('clone', source_volume='v')
        group = api.create_group('g')
        api.create_volume('m', size=1, group=group['id'])
        api.create_cgsnapshot('g', 'cgs')
        api.create_group_from_src('g2', cgsnapshot='cgs')
        files = []
        for directory, _dirs, names in os.walk(root):
            files.extend(os.path.join(directory, n) for n in names)
        # five volumes, a snapshot and a group snapshot's member
        self.assertEqual(7, len(files))
        self.assertEqual({0o600}, {self._mode(f) for f in files})

    def test_snapshot_dir_created_on_demand_is_private(self):
        root = os.path.join(self.outside, 'v')
        api, driver = self._driver(root)
        api.create_volume('v', size=1)
        shutil.rmtree(os.path.join(root, 'snapshots'))
        api.create_snapshot('v', 's')
        self.assertEqual(0o700, self._mode(os.path.join(root, 'snapshots')))
        self.assertEqual(0o600, self._mode(
            api.get_snapshot('s')['provider_location']))
