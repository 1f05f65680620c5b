"""Snapshot adopt never takes a directory that is not free to take.

Adopting a directory another snapshot record owns, and then deleting the
new record, used to delete the original snapshot's data.
"""

import os

from storagemgr import exception
from storagemgr.share.drivers import local
from storagemgr.share.drivers import local_state
from storagemgr.tests.unit.share.drivers import test_local

_share = test_local._share
_snapshot = test_local._snapshot


class SnapshotAdoptOwnershipTestCase(test_local.LocalDriverTestCase):

    def setUp(self):
        super().setUp()
        self.share, self.share_path = self.create()
        self.write(self.share_path, 'data', 'precious')
        update = self.driver.create_snapshot(
            self.context, _snapshot('orig', self.share))
        self.orig_path = update['provider_location']

    def adopt(self, snapshot_id, location):
        return self.driver.manage_existing_snapshot(
            _snapshot(snapshot_id, self.share),
            {'provider_location': location})

    def test_adopting_a_directory_another_snapshot_owns_is_refused(self):
        err = self.assertRaises(exception.ManageInvalidShareSnapshot,
                                self.adopt, 'intruder', self.orig_path)
        self.assertIn('orig', str(err))
        self.assertIsNone(self.driver.store.get(local_state.SNAPSHOTS,
                                                'intruder'))
        # The intruder has no record, so deleting it leaves the data.
        self.driver.delete_snapshot(self.context,
                                    _snapshot('intruder', self.share))
        self.assertEqual('precious', self.read(self.orig_path, 'data'))

    def test_owner_with_only_an_implicit_path_is_respected(self):
        # A record without a path owns <snapshot root>/<its id>.
        self.driver.store.put(local_state.SNAPSHOTS, 'orig',
                              {'share_id': self.share['id']})
        self.assertRaises(exception.ManageInvalidShareSnapshot,
                          self.adopt, 'intruder', self.orig_path)

    def test_adopting_again_under_the_same_id_is_idempotent(self):
        update = self.adopt('orig', self.orig_path)
        self.assertEqual(self.orig_path, update['provider_location'])

    def test_delete_keeps_data_another_record_still_owns(self):
        # A record written before the check existed shares the directory.
        self.driver.store.update(local_state.SNAPSHOTS, 'dup',
                                 path=self.orig_path,
                                 share_id=self.share['id'])
        self.driver.delete_snapshot(self.context,
                                    _snapshot('dup', self.share))
        self.assertEqual('precious', self.read(self.orig_path, 'data'))
        self.assertIsNone(self.driver.store.get(local_state.SNAPSHOTS,
                                                'dup'))

    def test_hostile_locations_are_refused(self):
        snap_root = self.driver._snapshot_root
        outside = os.path.join(self.state_path, 'outside')
        os.makedirs(outside)
        link = os.path.join(snap_root, 'link')
        os.symlink(outside, link)
        for location in (
                os.path.join(snap_root, '..', os.path.basename(
                    self.share_path)),
                os.path.join(snap_root, 'orig', '..', '..', '..'),
                link,
                'host:' + link,
                self.share_path,
                snap_root,
                '/etc',
                'relative/path',
                {'path': 42},
                ''):
            self.assertRaises(exception.ManageInvalidShareSnapshot,
                              self.adopt, 'intruder', location)
        self.assertIsNone(self.driver.store.get(local_state.SNAPSHOTS,
                                                'intruder'))

    def test_snapshot_dir_behind_a_symlink_is_refused(self):
        # The snapshot directory itself swapped for a link out of the root.
        outside = os.path.join(self.state_path, 'elsewhere')
        os.makedirs(os.path.join(outside, 'victim'))
        snap_root = self.driver._snapshot_root
        os.rename(snap_root, snap_root + '.old')
        os.symlink(outside, snap_root)
        self.assertRaises(exception.ManageInvalidShareSnapshot,
                          self.adopt, 'intruder',
                          os.path.join(snap_root, 'victim'))

    def test_share_adopt_of_driver_internals_is_refused(self):
        for name in (local.SNAPSHOT_DIR, local.STATE_FILE):
            self.assertRaises(exception.ManageInvalidShare,
                              self.driver.manage_existing, _share('m9'),
                              {'export_path': os.path.join(
                                  self.driver.root, name)})
