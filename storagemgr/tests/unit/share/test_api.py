"""Shares through the service layer: create, delete, resize, revert.

Every driver call is exercised on its success path, on failures of
several exception classes, and on malformed returns; after each, the
share must be in the documented status and never left in a transition.
"""

from unittest import mock

import ddt

from storagemgr import exception
from storagemgr.share import constants
from storagemgr.share import records
from storagemgr.tests.unit.share import base

# Whatever a driver raises reaches the caller as one of these.
FAILED = exception.StorageManagerException


@ddt.ddt
class CreateShareTestCase(base.ShareTestCase):

    def test_create_available_with_export_locations(self):
        share = self.api.create('nfs', '2', name='data')
        self.assertEqual('available', share['status'])
        self.assertEqual(2, share['size'])
        self.assertEqual('NFS', share['share_proto'])
        self.assertEqual(base.BACKEND, share['backend'])
        self.assertEqual('data', share['name'])
        location = share['export_locations'][0]
        self.assertEqual({'path', 'is_admin_only', 'metadata'},
                         set(location))
        self.assertIn(share['instance_id'], location['path'])
        self.assertIn(share['instance_id'], self.driver.shares)
        self.assertEqual(share, self.api.get('data'))

    def test_default_backend_is_the_only_one(self):
        self.assertEqual(base.BACKEND, self.make_share()['backend'])

    @ddt.data(*base.DRIVER_FAILURES)
    def test_driver_failure_sets_error(self, failure):
        self.fault('create_share', raise_=failure)
        self.assertRaises(FAILED, self.make_share)
        share = self.only_share()
        self.assertEqual('error', share.status)

    def test_foreign_exception_is_wrapped_with_its_class(self):
        self.fault('create_share', raise_='builtins.KeyError')
        err = self.assertRaises(exception.ShareBackendException,
                                self.make_share)
        self.assertIn('KeyError', str(err))

    def test_malformed_return_sets_error_and_names_driver(self):
        self.fault('create_share', return_='malformed')
        err = self.assertRaises(exception.InvalidDriverReturn,
                                self.make_share)
        self.assertIn('FakeShareDriver', str(err))
        self.assertIn('create_share', str(err))
        self.assertEqual('error', self.only_share().status)

    def test_none_return_is_available_without_locations(self):
        self.fault('create_share', return_='none')
        share = self.make_share()
        self.assertEqual('available', share['status'])
        self.assertEqual([], share['export_locations'])

    def test_detail_data_locations_kept_on_failure(self):
        error = exception.ShareBackendException(
            msg='half done', detail_data={'export_locations': ['h:/half']})
        self.fault('create_share', raise_=error)
        self.assertRaises(exception.ShareBackendException, self.make_share)
        share = self.only_share()
        self.assertEqual('error', share.status)
        self.assertEqual('h:/half', share.export_locations[0]['path'])

    @ddt.unpack
    @ddt.data(
        ('NFS', 0, {}), ('NFS', -1, {}), ('NFS', 'abc', {}),
        ('NFS', '1.5', {}), ('NFS', True, {}), ('FTP', 1, {}),
        ('NFS', 1, {'backend': 'nope'}),
        ('NFS', 1, {'name': 'bad\nname'}),
        ('NFS', 1, {'snapshot_id': 'no-such-snapshot'}),
        # Before: oslo.db's DBError (an integer overflow in the database).
        ('NFS', '99999999999999999999', {}), ('NFS', 2 ** 63, {}),
        ('NFS', 1, {'name': 'n' * 256}),
    )
    def test_bad_input_refused_before_anything(self, proto, size, kwargs):
        self.assertRaises(exception.StorageManagerException,
                          self.api.create, proto, size, **kwargs)
        self.assertEqual([], records.list_shares())
        self.assertNotIn('create_share', self.driver.calls)


@ddt.ddt
class CreateFromSnapshotTestCase(base.ShareTestCase):

    def setUp(self):
        super().setUp()
        self.parent = self.make_share(size=2)
        self.snapshot = self.make_snapshot(self.parent['id'], name='s1')

    def test_sync_create(self):
        share = self.api.create('NFS', 2, snapshot_id='s1')
        self.assertEqual('available', share['status'])
        self.assertEqual(self.snapshot['id'], share['snapshot_id'])
        self.assertEqual(self.parent['backend'], share['backend'])
        self.assertTrue(share['export_locations'])

    def test_smaller_than_snapshot_refused(self):
        self.assertRaises(exception.InvalidInput, self.api.create, 'NFS', 1,
                          snapshot_id='s1')

    def test_snapshot_not_available_refused(self):
        self.force_snapshot_status(self.snapshot['id'], 'deleting')
        self.assertRaises(exception.InvalidState, self.api.create, 'NFS', 2,
                          snapshot_id='s1')
        self.assertEqual(1, len(records.list_shares()))

    def test_async_create_then_polled(self):
        with mock.patch.object(self.driver, 'create_share_from_snapshot',
                               return_value={
                                   'status': 'creating_from_snapshot'}):
            share = self.api.create('NFS', 2, snapshot_id='s1')
        self.assertEqual('creating_from_snapshot', share['status'])
        self.assertEqual('0%', share['progress'])

    @ddt.data({'status': 'error'}, {'status': 'bogus'}, {}, None, 'x',
              {'status': 'available', 'export_locations': 'h:/x'})
    def test_bad_returns_set_error(self, value):
        with mock.patch.object(self.driver, 'create_share_from_snapshot',
                               return_value=value):
            err = self.assertRaises(exception.InvalidDriverReturn,
                                    self.api.create, 'NFS', 2,
                                    snapshot_id='s1')
        self.assertIn('create_share_from_snapshot', str(err))
        self.assertIn('FakeShareDriver', str(err))
        share = [s for s in self.shares() if s.snapshot_id][0]
        self.assertEqual('error', share.status)

    def test_fake_malformed_return(self):
        self.fault('create_share_from_snapshot', return_='malformed')
        self.assertRaises(exception.InvalidDriverReturn, self.api.create,
                          'NFS', 2, snapshot_id='s1')

    @ddt.data(*base.DRIVER_FAILURES)
    def test_driver_failure_sets_error(self, failure):
        self.fault('create_share_from_snapshot', raise_=failure)
        self.assertRaises(FAILED, self.api.create, 'NFS', 2,
                          snapshot_id='s1')
        share = [s for s in self.shares() if s.snapshot_id][0]
        self.assertEqual('error', share.status)
        self.assertEqual('available', self.snapshot_status(
            self.snapshot['id']))


@ddt.ddt
class DeleteShareTestCase(base.ShareTestCase):

    def test_delete(self):
        share = self.make_share(name='gone')
        self.api.allow_access('gone', 'ip', '10.0.0.1')
        self.api.delete('gone')
        self.assertEqual([], records.list_shares())
        self.assertEqual([], records.list_rules(share['id']))
        self.assertNotIn(share['instance_id'], self.driver.shares)
        self.assertRaises(exception.NotFound, self.api.get, share['id'])

    def test_delete_with_snapshots_refused_and_unchanged(self):
        share = self.make_share()
        self.make_snapshot(share['id'])
        err = self.assertRaises(exception.InvalidShare, self.api.delete,
                                share['id'])
        self.assertIn('snapshot', str(err))
        self.assertEqual('available', self.status_of(share['id']))
        self.assertNotIn('delete_share', self.driver.calls)

    @ddt.data(*base.DRIVER_FAILURES)
    def test_driver_failure_sets_error_deleting(self, failure):
        share = self.make_share()
        self.fault('delete_share', raise_=failure)
        self.assertRaises(FAILED, self.api.delete, share['id'])
        self.assertEqual('error_deleting', self.status_of(share['id']))
        # A retry once the backend recovers finishes the job.
        self.driver.clear_faults()
        self.api.delete(share['id'])
        self.assertEqual([], records.list_shares())

    @ddt.data(*base.DRIVER_FAILURES)
    def test_access_removal_failure_sets_error_deleting(self, failure):
        share = self.make_share()
        self.api.allow_access(share['id'], 'user', 'alice')
        self.fault('update_access', raise_=failure)
        self.assertRaises(FAILED, self.api.delete, share['id'])
        self.assertEqual('error_deleting', self.status_of(share['id']))
        self.assertNotIn('delete_share', self.driver.calls)

    def test_share_gone_from_backend_is_deleted(self):
        share = self.make_share()
        self.fault('delete_share', raise_=exception.ShareResourceNotFound(
            share_id=share['id']))
        self.api.delete(share['id'])
        self.assertEqual([], records.list_shares())

    def test_access_removal_falls_back_to_deny(self):
        share = self.make_share()
        self.api.allow_access(share['id'], 'user', 'alice')
        self.fault('update_access', raise_=NotImplementedError)
        self.api.delete(share['id'])
        self.assertIn('deny_access', self.driver.calls)
        self.assertEqual([], records.list_shares())

    @ddt.data('creating', 'deleting', 'extending', 'manage_starting')
    def test_busy_share_refused(self, status):
        share = self.make_share()
        self.force_share_status(share['id'], status, 'available')
        err = self.assertRaises(exception.InvalidState, self.api.delete,
                                share['id'])
        self.assertIn(status, str(err))
        self.assertEqual(status, self.status_of(share['id']))

    def test_unknown_share(self):
        err = self.assertRaises(exception.NotFound, self.api.delete, 'nope')
        self.assertIn('nope', str(err))

    def test_ambiguous_name(self):
        self.make_share(name='twin')
        self.make_share(name='twin')
        err = self.assertRaises(exception.InvalidInput, self.api.get,
                                'twin')
        self.assertIn('use the id', str(err))


@ddt.ddt
class ResizeTestCase(base.ShareTestCase):

    def setUp(self):
        super().setUp()
        self.share = self.make_share(size=4)
        self.share_id = self.share['id']

    def test_extend(self):
        share = self.api.resize(self.share_id, '6')
        self.assertEqual((6, 'available'), (share['size'], share['status']))
        self.assertEqual(6, self.backend_share(self.share_id)['size'])

    def test_shrink(self):
        share = self.api.resize(self.share_id, 2)
        self.assertEqual((2, 'available'), (share['size'], share['status']))

    @ddt.data(*base.DRIVER_FAILURES)
    def test_extend_failure_sets_extending_error(self, failure):
        self.fault('extend_share', raise_=failure)
        self.assertRaises(FAILED, self.api.resize, self.share_id, 5)
        row = self.share_row(self.share_id)
        self.assertEqual(('extending_error', 4), (row.status, row.size))

    def test_shrink_possible_data_loss_stays_available(self):
        self.driver.set_used_size(self.instance_id(self.share_id), 3)
        err = self.assertRaises(exception.InvalidShare, self.api.resize,
                                self.share_id, 2)
        self.assertIn('still available', str(err))
        self.assertIn('lose data', str(err))
        row = self.share_row(self.share_id)
        self.assertEqual(('available', 4), (row.status, row.size))

    def test_shrink_not_implemented_stays_available(self):
        self.fault('shrink_share', raise_=NotImplementedError)
        self.assertRaises(exception.InvalidShare, self.api.resize,
                          self.share_id, 2)
        self.assertEqual('available', self.status_of(self.share_id))

    @ddt.data(*base.DRIVER_FAILURES)
    def test_shrink_failure_sets_shrinking_error(self, failure):
        self.fault('shrink_share', raise_=failure)
        self.assertRaises(FAILED, self.api.resize, self.share_id, 2)
        self.assertEqual('shrinking_error', self.status_of(self.share_id))

    @ddt.data(0, -3, 'x', 4, '99999999999999999999')
    def test_bad_sizes_refused(self, size):
        self.assertRaises(exception.InvalidInput, self.api.resize,
                          self.share_id, size)
        self.assertEqual('available', self.status_of(self.share_id))

    @ddt.data('error', 'creating', 'extending_error', 'deleting')
    def test_resize_refused_unless_available(self, status):
        self.force_share_status(self.share_id, status, 'available')
        self.assertRaises(exception.InvalidState, self.api.resize,
                          self.share_id, 8)
        row = self.share_row(self.share_id)
        self.assertEqual((status, 4), (row.status, row.size))
        self.assertNotIn('extend_share', self.driver.calls)


@ddt.ddt
class RevertTestCase(base.ShareTestCase):

    def setUp(self):
        super().setUp()
        self.share_id = self.make_share(size=2)['id']
        self.backend_share(self.share_id)['content'] = {'f': 'before'}
        self.snapshot_id = self.make_snapshot(self.share_id)['id']
        self.backend_share(self.share_id)['content'] = {'f': 'after'}

    def test_revert(self):
        self.api.resize(self.share_id, 3)
        share = self.api.revert(self.snapshot_id)
        self.assertEqual({'f': 'before'},
                         self.backend_share(self.share_id)['content'])
        self.assertEqual(('available', 2), (share['status'], share['size']))
        self.assertEqual('available', self.snapshot_status(
            self.snapshot_id))

    @ddt.data(*base.DRIVER_FAILURES)
    def test_failure_sets_reverting_error(self, failure):
        self.fault('revert_to_snapshot', raise_=failure)
        self.assertRaises(FAILED, self.api.revert, self.snapshot_id)
        self.assertEqual('reverting_error', self.status_of(self.share_id))
        self.assertEqual('available', self.snapshot_status(
            self.snapshot_id))

    def test_only_latest_snapshot(self):
        self.make_snapshot(self.share_id)
        err = self.assertRaises(exception.InvalidShareSnapshot,
                                self.api.revert, self.snapshot_id)
        self.assertIn('latest', str(err))
        self.assertEqual('available', self.status_of(self.share_id))

    def test_share_busy_refused(self):
        self.force_share_status(self.share_id, 'extending', 'available')
        self.assertRaises(exception.InvalidState, self.api.revert,
                          self.snapshot_id)
        self.assertEqual('available', self.snapshot_status(
            self.snapshot_id))


class StatsTestCase(base.ShareTestCase):

    def test_stats_and_pools(self):
        self.make_share(size=3)
        stats = self.api.get_stats()
        self.assertIn('total_capacity_gb', stats)
        pools = self.api.get_pools(base.BACKEND)
        self.assertEqual(base.BACKEND, pools[0]['pool_name'])

    def test_malformed_stats(self):
        with mock.patch.object(self.driver, 'get_share_stats',
                               return_value=['nope']):
            err = self.assertRaises(exception.InvalidDriverReturn,
                                    self.api.get_stats)
        self.assertIn('get_share_stats', str(err))


class ConstantsTestCase(base.ShareTestCase):

    def test_transitional_statuses_never_deletable(self):
        self.assertFalse(set(constants.SHARE_DELETABLE_STATUSES) &
                         constants.TRANSITIONAL_STATUSES)
