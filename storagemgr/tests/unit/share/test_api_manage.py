"""Adopting and abandoning shares and snapshots (manage/unmanage)."""

import ddt

from storagemgr import exception
from storagemgr.share import records
from storagemgr.tests.unit.share import base

# Whatever a driver raises reaches the caller as one of these.
FAILED = exception.StorageManagerException


@ddt.ddt
class ManageShareTestCase(base.ShareTestCase):

    def manage(self, **kwargs):
        return self.api.manage(base.BACKEND, 'NFS', 'host:/exports/old',
                               name='old', **kwargs)

    def test_manage(self):
        share = self.manage(driver_options={'size': '7'})
        self.assertEqual(('available', 7), (share['status'], share['size']))
        # The driver's export locations replace the user's.
        self.assertIn(share['instance_id'],
                      share['export_locations'][0]['path'])

    def test_missing_size_is_manage_error(self):
        self.fault('manage_existing', return_='missing_size')
        err = self.assertRaises(exception.InvalidDriverReturn, self.manage)
        self.assertIn('manage_existing', str(err))
        self.assertIn("'size'", str(err))
        row = self.only_share()
        self.assertEqual(('manage_error', 0), (row.status, row.size))

    @ddt.data('malformed', 'none', 'empty')
    def test_malformed_return_is_manage_error(self, kind):
        self.fault('manage_existing', return_=kind)
        self.assertRaises(exception.InvalidDriverReturn, self.manage)
        self.assertEqual('manage_error', self.only_share().status)

    @ddt.data('storagemgr.exception.ManageInvalidShare',
              *base.DRIVER_FAILURES)
    def test_failure_is_manage_error(self, failure):
        self.fault('manage_existing', raise_=failure)
        self.assertRaises(FAILED, self.manage)
        self.assertEqual('manage_error', self.only_share().status)

    @ddt.data('', 'a\nb', None)
    def test_bad_export_path(self, path):
        self.assertRaises(exception.InvalidInput, self.api.manage,
                          base.BACKEND, 'NFS', path)
        self.assertEqual([], records.list_shares())

    @ddt.data('../../etc', 'host:/exports/../../etc', 'host:..',
              'host:/exports/old/..', '\\\\srv\\share\\..\\c$')
    def test_export_path_climbing_refused_before_any_record(self, path):
        err = self.assertRaises(exception.InvalidInput, self.api.manage,
                                base.BACKEND, 'NFS', path)
        self.assertIn(path, str(err))
        self.assertEqual([], records.list_shares())
        self.assertNotIn('manage_existing', self.driver.calls)

    def test_export_path_dots_inside_a_name_accepted(self):
        share = self.api.manage(base.BACKEND, 'NFS', 'host:/exports/a..b',
                                driver_options={'size': '1'})
        self.assertEqual('available', share['status'])

    def test_unmanage(self):
        share = self.manage()
        self.api.unmanage(share['id'])
        self.assertEqual([], records.list_shares())
        self.assertIn('unmanage', self.driver.calls)
        self.assertNotIn('delete_share', self.driver.calls)

    def test_unmanage_manage_error_share(self):
        self.fault('manage_existing', return_='missing_size')
        self.assertRaises(exception.InvalidDriverReturn, self.manage)
        self.api.unmanage('old')
        self.assertEqual([], records.list_shares())

    @ddt.data('storagemgr.exception.UnmanageInvalidShare',
              *base.DRIVER_FAILURES)
    def test_unmanage_failure_is_unmanage_error(self, failure):
        share = self.manage()
        self.fault('unmanage', raise_=failure)
        self.assertRaises(FAILED, self.api.unmanage, share['id'])
        self.assertEqual('unmanage_error', self.status_of(share['id']))

    def test_unmanage_with_snapshots_refused(self):
        share = self.manage()
        self.make_snapshot(share['id'])
        self.assertRaises(exception.InvalidShare, self.api.unmanage,
                          share['id'])
        self.assertEqual('available', self.status_of(share['id']))


@ddt.ddt
class ManageSnapshotTestCase(base.ShareTestCase):

    def setUp(self):
        super().setUp()
        self.share_id = self.make_share(size=4)['id']

    def test_manage_and_unmanage(self):
        snapshot = self.api.manage_snapshot(self.share_id, '/snaps/s1',
                                            name='adopted')
        self.assertEqual('available', snapshot['status'])
        self.api.unmanage_snapshot('adopted')
        self.assertEqual([], records.list_snapshots())
        self.assertNotIn('delete_snapshot', self.driver.calls)

    def test_missing_size_falls_back_to_share(self):
        self.fault('manage_existing_snapshot', return_='missing_size')
        snapshot = self.api.manage_snapshot(self.share_id, '/snaps/s1')
        self.assertEqual(('available', 4), (snapshot['status'],
                                            snapshot['size']))

    def test_malformed_return_is_manage_error(self):
        self.fault('manage_existing_snapshot', return_='malformed')
        self.assertRaises(exception.InvalidDriverReturn,
                          self.api.manage_snapshot, self.share_id, '/s')
        self.assertEqual('manage_error', self.snapshots()[0].status)

    @ddt.data('storagemgr.exception.ManageInvalidShareSnapshot',
              *base.DRIVER_FAILURES)
    def test_failure_is_manage_error(self, failure):
        self.fault('manage_existing_snapshot', raise_=failure)
        self.assertRaises(FAILED, self.api.manage_snapshot,
                          self.share_id, '/s')
        self.assertEqual('manage_error', self.snapshots()[0].status)

    @ddt.data('storagemgr.exception.UnmanageInvalidShareSnapshot',
              *base.DRIVER_FAILURES)
    def test_unmanage_failure_is_unmanage_error(self, failure):
        snapshot = self.make_snapshot(self.share_id)
        self.fault('unmanage_snapshot', raise_=failure)
        self.assertRaises(FAILED, self.api.unmanage_snapshot,
                          snapshot['id'])
        self.assertEqual('unmanage_error',
                         self.snapshot_status(snapshot['id']))

    def test_bad_provider_location(self):
        self.assertRaises(exception.InvalidInput, self.api.manage_snapshot,
                          self.share_id, 'a\nb')

    def test_provider_location_climbing_refused_before_any_record(self):
        err = self.assertRaises(exception.InvalidInput,
                                self.api.manage_snapshot, self.share_id,
                                '/snapshots/../../etc')
        self.assertIn('/snapshots/../../etc', str(err))
        self.assertEqual([], records.list_snapshots())
        self.assertNotIn('manage_existing_snapshot', self.driver.calls)
