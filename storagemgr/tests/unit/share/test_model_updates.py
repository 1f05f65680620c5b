"""The checks of every share-driver return, row by row."""

import ddt

from storagemgr import exception
from storagemgr.share import model_updates as mu
from storagemgr.tests import base


class NamedDriver(object):
    """Only its class name matters: errors must name it."""


DRIVER = NamedDriver()
LOC = {'path': 'host:/x', 'is_admin_only': False, 'metadata': {}}


@ddt.ddt
class ChecksTestCase(base.TestCase):

    def assertInvalid(self, func, *args, method=None):
        err = self.assertRaises(exception.InvalidDriverReturn, func, *args)
        self.assertIn('NamedDriver', str(err))
        if method:
            self.assertIn(method, str(err))
        return err

    # export locations ----------------------------------------------------

    @ddt.unpack
    @ddt.data(
        (None, []),
        ([], []),
        (['host:/a'], [dict(LOC, path='host:/a')]),
        ([{'path': 'host:/x'}], [LOC]),
        ([{'path': 'host:/x', 'is_admin_only': True,
           'metadata': {'preferred': True}}],
         [{'path': 'host:/x', 'is_admin_only': True,
           'metadata': {'preferred': True}}]),
    )
    def test_create_share_good(self, value, expected):
        self.assertEqual(expected, mu.check_create_share(DRIVER, value))

    @ddt.data('host:/x', {'path': 'x'}, [1], [{'no_path': 'x'}],
              [{'path': ''}], [{'path': 'x', 'is_admin_only': 'no'}],
              [{'path': 'x', 'metadata': []}], [{'path': 3}])
    def test_create_share_malformed(self, value):
        self.assertInvalid(mu.check_create_share, DRIVER, value,
                           method='create_share')

    # create from snapshot ------------------------------------------------

    @ddt.unpack
    @ddt.data(
        ([LOC], 'available', [LOC], '100%'),
        ({'status': 'available', 'export_locations': [LOC]}, 'available',
         [LOC], '100%'),
        ({'status': 'creating_from_snapshot'}, 'creating_from_snapshot',
         None, '0%'),
        ({'status': 'creating_from_snapshot', 'progress': '40%'},
         'creating_from_snapshot', None, '40%'),
    )
    def test_from_snapshot_good(self, value, status, locations, progress):
        update = mu.check_create_share_from_snapshot(DRIVER, value)
        self.assertEqual({'status': status, 'export_locations': locations,
                          'progress': progress}, update)

    @ddt.data({}, {'export_locations': [LOC]}, {'status': 'error'},
              {'status': 'creating'}, {'status': 'bogus'}, 'available', 7,
              None, {'status': 'available', 'export_locations': 'x'})
    def test_from_snapshot_malformed(self, value):
        self.assertInvalid(mu.check_create_share_from_snapshot, DRIVER,
                           value, method='create_share_from_snapshot')

    # get_share_status ------------------------------------------------------

    @ddt.unpack
    @ddt.data(
        ({'status': 'available', 'export_locations': [LOC]}, 'available',
         '100%'),
        ({'status': 'creating_from_snapshot', 'progress': '50%'},
         'creating_from_snapshot', '50%'),
        ({'status': 'error'}, 'error', None),
    )
    def test_share_status_good(self, value, status, progress):
        update = mu.check_share_status(DRIVER, value)
        self.assertEqual((status, progress),
                         (update['status'], update['progress']))

    @ddt.data(None, [], {}, {'status': 'deleting'}, {'status': None})
    def test_share_status_malformed(self, value):
        self.assertInvalid(mu.check_share_status, DRIVER, value,
                           method='get_share_status')

    # snapshots -------------------------------------------------------------

    @ddt.unpack
    @ddt.data(
        (None, {'status': 'available', 'progress': '100%'}),
        ({}, {'status': 'available', 'progress': '100%'}),
        ({'provider_location': '/p', 'size': 2},
         {'status': 'available', 'progress': '100%',
          'provider_location': '/p', 'size': 2}),
        ({'status': 'creating'}, {'status': 'creating', 'progress': None}),
        ({'status': 'error'}, {'status': 'error', 'progress': None}),
        ({'export_locations': ['h:/s'], 'unknown_key': 1},
         {'status': 'available', 'progress': '100%',
          'export_locations': [dict(LOC, path='h:/s')]}),
    )
    def test_snapshot_good(self, value, expected):
        self.assertEqual(expected, mu.check_snapshot_update(DRIVER, value))

    @ddt.data('x', [], {'status': 'deleting'}, {'size': -1},
              {'size': '2'}, {'provider_location': 5},
              {'export_locations': 'x'})
    def test_snapshot_malformed(self, value):
        self.assertInvalid(mu.check_snapshot_update, DRIVER, value,
                           method='create_snapshot')

    # access ----------------------------------------------------------------

    @ddt.unpack
    @ddt.data(
        (None, {}),
        ({}, {}),
        ({'r1': {'state': 'active', 'access_key': None}},
         {'r1': {'state': 'active', 'access_key': None}}),
        ({'r1': {'state': 'error'}}, {'r1': {'state': 'error'}}),
        ({'r1': {'access_key': 'secret'}}, {'r1': {'access_key': 'secret'}}),
        ({'unknown': {'state': 'active'}}, {}),
    )
    def test_access_good(self, value, expected):
        self.assertEqual(expected,
                         mu.check_access_updates(DRIVER, value, ['r1']))

    @ddt.data('x', ['r1'], {'r1': 'active'}, {'r1': {'state': 'applying'}},
              {'r1': {'state': 'bogus'}}, {'r1': {'access_key': 5}})
    def test_access_malformed(self, value):
        self.assertInvalid(mu.check_access_updates, DRIVER, value, ['r1'],
                           method='update_access')

    # manage ----------------------------------------------------------------

    @ddt.unpack
    @ddt.data(
        ({'size': 3}, {'size': 3}),
        ({'size': 1, 'export_locations': ['h:/m']},
         {'size': 1, 'export_locations': [dict(LOC, path='h:/m')]}),
        ({'size': 2, 'other': 'ignored'}, {'size': 2}),
    )
    def test_manage_good(self, value, expected):
        self.assertEqual(expected, mu.check_manage_share(DRIVER, value))

    @ddt.data(None, {}, {'export_locations': []}, {'size': None},
              {'size': '3'}, {'size': -1}, {'size': 1.5}, 'x',
              {'size': 1, 'export_locations': 7})
    def test_manage_malformed(self, value):
        err = self.assertInvalid(mu.check_manage_share, DRIVER, value,
                                 method='manage_existing')
        if isinstance(value, dict) and 'size' not in value:
            self.assertIn("'size'", str(err))

    @ddt.unpack
    @ddt.data(
        (None, {'size': 5}),
        ({'size': 2, 'provider_location': '/p'},
         {'size': 2, 'provider_location': '/p'}),
        ({'status': 'error'}, {'size': 5}),
    )
    def test_manage_snapshot_good(self, value, expected):
        self.assertEqual(expected,
                         mu.check_manage_snapshot(DRIVER, value, 5))

    @ddt.data('x', {'size': -2}, {'provider_location': 1})
    def test_manage_snapshot_malformed(self, value):
        self.assertInvalid(mu.check_manage_snapshot, DRIVER, value, 5,
                           method='manage_existing_snapshot')

    # ensure ----------------------------------------------------------------

    @ddt.unpack
    @ddt.data(
        (None, {}),
        ({'s1': {'export_locations': [LOC], 'status': 'available'}},
         {'s1': {'export_locations': [LOC], 'status': 'available'}}),
        ({'s1': {'status': 'error'}}, {'s1': {'status': 'error'}}),
        ({'other': {'status': 'error'}}, {}),
    )
    def test_ensure_shares_good(self, value, expected):
        self.assertEqual(expected,
                         mu.check_ensure_shares(DRIVER, value, ['s1']))

    @ddt.data([], 'x', {'s1': 'ok'}, {'s1': {'status': 'creating'}},
              {'s1': {'export_locations': 'h:/x'}})
    def test_ensure_shares_malformed(self, value):
        self.assertInvalid(mu.check_ensure_shares, DRIVER, value, ['s1'],
                           method='ensure_shares')

    @ddt.data(({'x': 1},), 'x')
    def test_ensure_share_malformed(self, value):
        self.assertInvalid(mu.check_ensure_share, DRIVER, value,
                           method='ensure_share')

    # stats -----------------------------------------------------------------

    def test_stats(self):
        self.assertEqual({'pools': [{'pool_name': 'p'}]},
                         mu.check_stats(DRIVER, {'pools': [
                             {'pool_name': 'p'}]}))
        self.assertInvalid(mu.check_stats, DRIVER, [], method='stats')
        self.assertInvalid(mu.check_stats, DRIVER, {'pools': ['p']})
