"""Share snapshots through the service layer: create and delete."""

from unittest import mock

import ddt

from storagemgr import exception
from storagemgr.share import records
from storagemgr.tests.unit.share import base

# Whatever a driver raises reaches the caller as one of these.
FAILED = exception.StorageManagerException


@ddt.ddt
class SnapshotTestCase(base.ShareTestCase):

    def setUp(self):
        super().setUp()
        self.share_id = self.make_share(size=3, name='parent')['id']

    def test_create(self):
        snapshot = self.api.create_snapshot('parent', name='snap')
        self.assertEqual('available', snapshot['status'])
        self.assertEqual(3, snapshot['size'])
        self.assertEqual('fake-snapshot-%s' % snapshot['instance_id'],
                         snapshot['provider_location'])
        self.assertEqual([snapshot], self.api.list_snapshots('parent'))
        self.assertEqual(snapshot, self.api.get_snapshot('snap'))

    @ddt.data(*base.DRIVER_FAILURES)
    def test_create_failure_sets_error(self, failure):
        self.fault('create_snapshot', raise_=failure)
        self.assertRaises(FAILED, self.make_snapshot, self.share_id)
        snapshot = self.snapshots()[0]
        self.assertEqual('error', snapshot.status)
        self.assertEqual('available', self.status_of(self.share_id))

    @ddt.data('malformed', 'unknown_status')
    def test_malformed_return_sets_error(self, kind):
        self.fault('create_snapshot', return_=kind)
        err = self.assertRaises(exception.InvalidDriverReturn,
                                self.make_snapshot, self.share_id)
        self.assertIn('create_snapshot', str(err))
        self.assertEqual('error', self.snapshots()[0].status)

    @ddt.unpack
    @ddt.data(('error_status', 'error'), ('none', 'available'),
              ('empty', 'available'))
    def test_reported_status_is_recorded(self, kind, status):
        self.fault('create_snapshot', return_=kind)
        self.assertEqual(status, self.make_snapshot(self.share_id)['status'])

    def test_driver_may_leave_it_creating(self):
        with mock.patch.object(self.driver, 'create_snapshot',
                               return_value={'status': 'creating'}):
            snapshot = self.make_snapshot(self.share_id)
        self.assertEqual('creating', snapshot['status'])

    @ddt.data('creating', 'deleting', 'error', 'extending')
    def test_share_not_available_refused(self, status):
        self.force_share_status(self.share_id, status, 'available')
        self.assertRaises(exception.InvalidState, self.make_snapshot,
                          self.share_id)
        self.assertEqual([], records.list_snapshots())

    def test_delete(self):
        snapshot = self.make_snapshot(self.share_id)
        self.api.delete_snapshot(snapshot['id'])
        self.assertEqual([], records.list_snapshots())
        self.assertNotIn(snapshot['id'], self.driver.snapshots)
        # Now the share can go.
        self.api.delete(self.share_id)

    @ddt.data(*base.DRIVER_FAILURES)
    def test_delete_failure_sets_error_deleting(self, failure):
        snapshot = self.make_snapshot(self.share_id)
        self.fault('delete_snapshot', raise_=failure)
        self.assertRaises(FAILED, self.api.delete_snapshot,
                          snapshot['id'])
        self.assertEqual('error_deleting',
                         self.snapshot_status(snapshot['id']))
        self.driver.clear_faults()
        self.api.delete_snapshot(snapshot['id'])
        self.assertEqual([], records.list_snapshots())

    def test_delete_snapshot_gone_from_backend(self):
        snapshot = self.make_snapshot(self.share_id)
        self.fault('delete_snapshot',
                   raise_=exception.SnapshotResourceNotFound(name='x'))
        self.api.delete_snapshot(snapshot['id'])
        self.assertEqual([], records.list_snapshots())

    @ddt.data('creating', 'deleting', 'restoring', 'manage_starting')
    def test_delete_busy_refused(self, status):
        snapshot = self.make_snapshot(self.share_id)
        self.force_snapshot_status(snapshot['id'], status, 'available')
        self.assertRaises(exception.InvalidState, self.api.delete_snapshot,
                          snapshot['id'])
        self.assertEqual(status, self.snapshot_status(snapshot['id']))

    def test_unknown_snapshot(self):
        self.assertRaises(exception.NotFound, self.api.get_snapshot, 'nope')
