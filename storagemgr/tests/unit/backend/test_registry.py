"""Backend set-up: order of calls, retries, isolation of failures."""

from unittest import mock

from storagemgr.backend import registry
from storagemgr import exception
from storagemgr.tests import base
from storagemgr.tests.unit import fake_drivers

_PKG = 'storagemgr.tests.unit.fake_drivers.'


class RegistryTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        fake_drivers.CALLS[:] = []
        self.addCleanup(setattr, fake_drivers.RecordingShareDriver,
                        'fail_setup_times', 0)
        self.write_config(
            '[DEFAULT]\nenabled_backends = good, bad, vol\n'
            '[backend_defaults]\ndriver_setup_retries = 2\n'
            'driver_setup_retry_interval = 0.25\n'
            '[good]\nshare_driver = %(p)sRecordingShareDriver\n'
            'recording_pool_count = 2\n'
            '[bad]\nshare_driver = %(p)sBrokenShareDriver\n'
            '[vol]\nvolume_driver = %(p)sRecordingVolumeDriver\n' % {
                'p': _PKG})
        self.registry = registry.BackendRegistry()
        self.sleeps = []

    def test_setup_calls_in_reference_order(self):
        self.registry.lookup('good').setup(sleep=self.sleeps.append)
        self.assertEqual([('init', 'good'), ('do_setup', 'good'),
                          ('check_for_setup_error', 'good')],
                         fake_drivers.CALLS)

    def test_retries_with_backoff_then_up(self):
        fake_drivers.RecordingShareDriver.fail_setup_times = 2
        backend = self.registry.lookup('good')
        self.assertTrue(backend.setup(sleep=self.sleeps.append))
        self.assertEqual([0.25, 0.5], self.sleeps)
        self.assertEqual('up', backend.state)

    def test_failure_of_any_class_is_reported_and_isolated(self):
        bad = self.registry.lookup('bad')
        self.assertFalse(bad.setup(sleep=self.sleeps.append))
        self.assertEqual(3, len([c for c in fake_drivers.CALLS
                                 if c == ('init', 'bad')]))
        self.assertEqual('error', bad.state)
        self.assertIn('KeyError', bad.describe()['state'])
        err = self.assertRaises(exception.BackendUnavailable,
                                self.registry.get, 'bad')
        self.assertIn('no such array', str(err))
        # The other backends keep working.
        self.assertEqual('good', self.registry.get('good').name)

    def test_describe_splits_pools_from_capabilities(self):
        backend = self.registry.get('good')
        backend.refresh_stats()
        described = backend.describe()
        self.assertEqual('share', described['kind'])
        self.assertEqual('up', described['state'])
        self.assertEqual(2, len(described['pools']))
        self.assertNotIn('pools', described['capabilities'])
        self.assertEqual('good',
                         described['capabilities']['share_backend_name'])

    def test_lookup_errors(self):
        err = self.assertRaises(exception.BackendNotFound,
                                self.registry.lookup, 'nope')
        self.assertIn('good, bad, vol', str(err))
        self.assertRaises(exception.BackendKindMismatch,
                          self.registry.lookup, 'vol', kind='share')

    def test_default_backend(self):
        self.assertEqual('vol', self.registry.default_backend('volume'))
        self.assertRaises(exception.InvalidInput,
                          self.registry.default_backend, 'share')

    def test_setup_all_records_state(self):
        with mock.patch('time.sleep'):
            self.registry.setup_all()
        from storagemgr.backend import state_store
        states = state_store.load_all()
        self.assertEqual('up', states['good']['state'])
        self.assertEqual('error', states['bad']['state'])
        self.assertEqual(2, len(states['good']['stats']['pools']))
