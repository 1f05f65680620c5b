"""Model updates with keys beyond the ones an operation uses.

The contract is ``{'status': xxx, ......}``: known provider keys are
stored on the row, any other key is ignored (one warning per driver,
method and key), and only a malformed status or a wrong type fails.
Row by row, for every group method and the single-volume methods.
"""

import ddt
from unittest import mock

from storagemgr import driver_returns
from storagemgr import exception
from storagemgr.tests import base
from storagemgr.volume import group_updates as gu
from storagemgr.volume import volume_updates as vu

M = ['m1', 'm2']


def _create(returned):
    return gu.apply_create_group_update('drv', returned)


def _from_src(returned):
    return gu.apply_create_group_from_src_update('drv', M, returned)


def _delete(returned):
    return gu.apply_delete_group_update('drv', M, returned)


def _update(returned):
    return gu.apply_update_group_update('drv', ['m1'], ['m2'], returned)


def _snap(returned):
    return gu.apply_create_group_snapshot_update('drv', M, returned)


def _snap_delete(returned):
    return gu.apply_delete_group_snapshot_update('drv', M, returned)


NOW = '2017-01-01T00:00:00'

# id: (function, returned, group values expected, members expected)
ACCEPTED = {
    'create-updated_at': (
        _create, {'status': 'available', 'updated_at': NOW},
        {'status': 'available'}, {}),
    'create-provider_id': (
        _create, {'status': 'available', 'provider_id': 'cg-7'},
        {'status': 'available', 'provider_id': 'cg-7'}, {}),
    'create-numeric-provider_id': (
        _create, {'provider_id': 42},
        {'status': 'available', 'provider_id': '42'}, {}),
    'create-metadata': (
        _create, {'metadata': {'k': 'v'}, 'bogus': object()},
        {'status': 'available', 'provider_metadata': {'k': 'v'}}, {}),
    'from-src-entry-provider-keys': (
        _from_src, ({'status': 'available', 'updated_at': NOW},
                    [{'id': 'm1', 'provider_location': '/p',
                      'provider_auth': 'CHAP u s', 'updated_at': NOW},
                     {'id': 'm2', 'replication_status': 'enabled',
                      'attach_status': 'detached'}]),
        {'status': 'available'},
        {'m1': {'status': 'available', 'provider_location': '/p',
                'provider_auth': 'CHAP u s'},
         'm2': {'status': 'available', 'replication_status': 'enabled'}}),
    'delete-extra': (
        _delete, ({'status': 'deleting', 'updated_at': NOW},
                  [{'id': 'm1', 'status': 'deleted', 'deleted_at': NOW},
                   {'id': 'm2', 'status': 'deleted'}]),
        {'status': 'deleted'},
        {'m1': {'status': 'deleted'}, 'm2': {'status': 'deleted'}}),
    'update-extra': (
        _update, ({'status': 'available', 'provider_id': 'p'},
                  [{'id': 'm1', 'provider_id': 'lun-1', 'host': 'x'}],
                  [{'id': 'm2', 'updated_at': NOW}]),
        {'status': 'available', 'provider_id': 'p'},
        {'m1': {'provider_id': 'lun-1'}, 'm2': {}}),
    'cgsnapshot-extra': (
        _snap, ({'status': 'available', 'updated_at': NOW},
                [{'id': 'm1', 'status': 'available', 'provider_id': 's1',
                  'progress': '100%'},
                 {'id': 'm2', 'status': 'available'}]),
        {'status': 'available'},
        {'m1': {'status': 'available', 'provider_id': 's1'},
         'm2': {'status': 'available'}}),
    'cgsnapshot-delete-extra': (
        _snap_delete, ({'status': 'deleting', 'deleted': True}, None),
        {'status': 'deleted'},
        {'m1': {'status': 'deleted'}, 'm2': {'status': 'deleted'}}),
}

# id: (function, returned, words the reason names)
REFUSED = {
    'bad-status-with-extra-keys': (
        _create, {'status': 'exploded', 'updated_at': NOW}, ['exploded']),
    'provider-key-wrong-type': (
        _create, {'status': 'available', 'provider_id': ['a']},
        ['provider_id']),
    'metadata-not-a-dict': (
        _snap, (None, [{'id': 'm1', 'metadata': 'k=v'}]), ['metadata']),
    'provider-location-not-text': (
        _from_src, (None, [{'id': 'm1', 'provider_location': 7}]),
        ['provider_location']),
    'entry-bad-status-among-extras': (
        _delete, (None, [{'id': 'm1', 'status': 'gone', 'x': 1}]),
        ['gone']),
}


@ddt.ddt
class TestGroupExtraKeys(base.TestCase):

    def setUp(self):
        super().setUp()
        driver_returns._warned.clear()

    @ddt.named_data(*[(row_id, row_id) + row
                      for row_id, row in sorted(ACCEPTED.items())])
    def test_accepted(self, row_id, func, returned, group, members):
        outcome = func(returned)
        self.assertFalse(outcome['failed'], outcome['reason'])
        self.assertEqual(group, outcome['group'], row_id)
        self.assertEqual(members, outcome['members'], row_id)

    @ddt.named_data(*[(row_id, row_id) + row
                      for row_id, row in sorted(REFUSED.items())])
    def test_refused(self, row_id, func, returned, words):
        outcome = func(returned)
        self.assertTrue(outcome['failed'], row_id)
        self.assertEqual('error', outcome['group']['status'])
        for word in words + ['drv']:
            self.assertIn(word, outcome['reason'])

    def test_one_warning_per_driver_and_key(self):
        with mock.patch.object(driver_returns.LOG, 'warning') as warning:
            for _i in range(3):
                _create({'status': 'available', 'updated_at': NOW})
            gu.apply_create_group_update(
                'other', {'status': 'available', 'updated_at': NOW})
        self.assertEqual(2, warning.call_count)
        texts = [call[0][1] for call in warning.call_args_list]
        self.assertEqual(['drv', 'other'], [t['driver'] for t in texts])
        self.assertEqual({'updated_at'}, {t['key'] for t in texts})


@ddt.ddt
class TestVolumeExtraKeys(base.TestCase):

    @ddt.data(
        ({'provider_location': '/p', 'updated_at': NOW},
         {'provider_location': '/p'}),
        ({'provider_id': 'lun-1', 'provider_auth': 'CHAP u s',
          'status': 'available'},
         {'provider_id': 'lun-1', 'provider_auth': 'CHAP u s'}),
        ({'metadata': {'a': 'b'}, 'replication_status': 'disabled'},
         {'provider_metadata': {'a': 'b'},
          'replication_status': 'disabled'}),
        (None, {}),
    )
    @ddt.unpack
    def test_stored_and_ignored(self, returned, expected):
        self.assertEqual(expected, vu.check_volume_update(
            'drv', 'create_volume', returned))
        self.assertEqual(expected, vu.check_snapshot_update(
            'drv', 'create_snapshot', returned))

    @ddt.data({'provider_auth': {'u': 's'}}, {'metadata': ['x']},
              {'size': -1}, {'provider_location': 3})
    def test_wrong_type_fails_naming_the_key(self, returned):
        error = self.assertRaises(exception.InvalidDriverReturn,
                                  vu.check_volume_update, 'drv',
                                  'create_volume', returned)
        self.assertIn(list(returned)[0], str(error))
        self.assertIn('create_volume', str(error))
