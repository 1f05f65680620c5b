"""A backend whose setup failed is tried again, later and later.

Before, a backend in ``error`` stayed there until the process restarted.
The clock is injected: nothing here sleeps.
"""

from unittest import mock

from storagemgr.backend import registry
from storagemgr.backend import state_store
from storagemgr import exception
from storagemgr.tests import base
from storagemgr.tests.unit import fake_drivers

_PKG = 'storagemgr.tests.unit.fake_drivers.'


class FakeClock(object):

    def __init__(self, now=1000000.0):
        self.now = now

    def __call__(self):
        return self.now


class SetupRecoveryTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        fake_drivers.CALLS[:] = []
        self.addCleanup(setattr, fake_drivers.RecordingShareDriver,
                        'fail_setup_times', 0)
        self.write_config(
            '[DEFAULT]\nenabled_backends = flaky, steady\n'
            '[backend_defaults]\ndriver_setup_retries = 0\n'
            'driver_setup_backoff_initial = 10\n'
            'driver_setup_backoff_max = 25\n'
            '[flaky]\nshare_driver = %(p)sRecordingShareDriver\n'
            '[steady]\nshare_driver = %(p)sRecordingShareDriver\n'
            'driver_setup_backoff_initial = 3\n' % {'p': _PKG})
        self.clock = FakeClock()
        self.registry = registry.BackendRegistry(clock=self.clock)
        self.backend = self.registry.lookup('flaky')

    def attempts(self, name='flaky'):
        return fake_drivers.CALLS.count(('do_setup', name))

    def fail_next(self, times):
        fake_drivers.RecordingShareDriver.fail_setup_times = times

    def test_retried_with_backoff_until_it_recovers(self):
        start = self.clock.now
        self.fail_next(3)
        self.assertFalse(self.backend.setup())
        self.assertEqual('error', self.backend.state)
        self.assertEqual(start + 10, self.backend.next_attempt_at)

        # Before the next attempt time: refused at once, not retried.
        self.clock.now = start + 9
        err = self.assertRaises(exception.BackendUnavailable,
                                self.backend.require)
        self.assertIn('flaky', str(err))
        self.assertIn('setup failed on purpose', str(err))
        self.assertEqual(1, self.attempts())

        # Due: one attempt, which fails; the interval doubles.
        self.clock.now = start + 10
        self.assertFalse(self.backend.setup())
        self.assertEqual(2, self.attempts())
        self.assertEqual(start + 30, self.backend.next_attempt_at)

        # Doubling again would give 40; the maximum is 25.
        self.clock.now = start + 30
        self.assertFalse(self.backend.setup())
        self.assertEqual(start + 55, self.backend.next_attempt_at)

        # The fourth attempt succeeds: up, and the error is gone.
        self.clock.now = start + 55
        driver = self.backend.require()
        self.assertIs(self.backend.driver, driver)
        self.assertEqual('up', self.backend.state)
        self.assertIsNone(self.backend.error)
        self.assertIsNone(self.backend.next_attempt_at)
        described = self.backend.describe()
        self.assertEqual('up', described['state'])
        self.assertIsNone(described['last_error'])
        self.assertIsNone(described['next_attempt_at'])

    def test_backoff_is_per_backend(self):
        self.fail_next(2)
        steady = self.registry.lookup('steady')
        self.assertFalse(self.backend.setup())
        self.assertFalse(steady.setup())
        self.assertEqual(self.clock.now + 3, steady.next_attempt_at)
        self.assertEqual(self.clock.now + 10, self.backend.next_attempt_at)

    def test_describe_and_stored_state_show_error_and_next_attempt(self):
        self.fail_next(1)
        self.registry.setup_all()
        described = self.backend.describe()
        self.assertIn('setup failed on purpose', described['last_error'])
        self.assertTrue(described['state'].startswith('error: '))
        self.assertEqual(
            registry.format_time(self.clock.now + 10),
            described['next_attempt_at'])
        stored = state_store.load_all()['flaky']
        self.assertEqual('error', stored['state'])
        self.assertIn('setup failed on purpose', stored['error'])
        self.assertEqual(described['next_attempt_at'],
                         registry.format_time(stored['next_attempt_at']))

        # The manager's periodic stats task retries once it is due.
        from storagemgr.service import backend_tasks
        manager = mock.Mock(registry=self.registry, context=None)
        self.clock.now += 10
        backend_tasks.refresh_backend_stats(manager)
        stored = state_store.load_all()['flaky']
        self.assertEqual('up', stored['state'])
        self.assertIsNone(stored['error'])
        self.assertIsNone(stored['next_attempt_at'])
        self.assertEqual(1, len(stored['stats']['pools']))

    def test_first_setup_still_retries_quickly_with_sleep(self):
        # driver_setup_retries keeps its meaning for the first setup.
        self.flags(group='flaky', driver_setup_retries=2)
        self.fail_next(2)
        sleeps = []
        self.assertTrue(self.backend.setup(sleep=sleeps.append))
        self.assertEqual(2, len(sleeps))
