"""Provider keys and unknown keys in driver model updates."""

import ddt
from unittest import mock

from storagemgr import driver_returns
from storagemgr import exception
from storagemgr.tests import base


@ddt.ddt
class SplitKeysTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.checker = driver_returns.ReturnChecker(
            'vendor.Driver', 'create_consistencygroup_%s' % self.id())

    @ddt.data('provider_location', 'provider_id', 'provider_auth',
              'replication_status', 'metadata')
    def test_provider_key_is_kept_apart(self, key):
        used, provider = self.checker.split_keys(
            {'status': 'available', key: 'x'}, ('status',))
        self.assertEqual({'status': 'available'}, used)
        self.assertEqual({key: 'x'}, provider)

    def test_unknown_key_is_dropped_with_one_warning(self):
        with mock.patch.object(driver_returns.LOG, 'warning') as warning:
            for _ in range(3):
                used, provider = self.checker.split_keys(
                    {'status': 'available', 'updated_at': object()},
                    ('status',))
        self.assertEqual({'status': 'available'}, used)
        self.assertEqual({}, provider)
        self.assertEqual(1, warning.call_count)
        self.assertIn('updated_at', warning.call_args[0][1]['key'])

    def test_provider_value_must_be_plain_data(self):
        error = self.assertRaises(
            exception.InvalidDriverReturn, self.checker.split_keys,
            {'provider_id': object()}, ('status',))
        self.assertIn('provider_id', str(error))
        self.assertIn('vendor.Driver', str(error))

    def test_nested_plain_data_is_accepted(self):
        _, provider = self.checker.split_keys(
            {'metadata': {'a': [1, 2.5, None, True]}}, ())
        self.assertEqual({'metadata': {'a': [1, 2.5, None, True]}}, provider)
