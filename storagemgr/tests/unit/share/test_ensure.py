"""Ensuring shares when the manager starts."""

from unittest import mock

import ddt

from storagemgr.backend import process_registry
from storagemgr.service import manager as service_manager
from storagemgr.share import ensure
from storagemgr.tests.unit.share import base


@ddt.ddt
class EnsureTestCase(base.ShareTestCase):

    def setUp(self):
        super().setUp()
        self.kept = self.make_share()
        self.lost = self.make_share()
        # The backend lost one share (a restart of the fake loses all).
        del self.driver.shares[self.instance_id(self.lost['id'])]
        self.registry = process_registry.get_registry()
        self.manager = service_manager.Manager(self.registry)

    def ensure_all(self):
        return ensure.ensure_all(self.registry, self.manager.context)

    def test_ensure_shares_updates_statuses(self):
        self.assertEqual(2, self.ensure_all())
        self.assertEqual('available', self.status_of(self.kept['id']))
        self.assertEqual('error', self.status_of(self.lost['id']))
        self.assertIn('ensure_shares', self.driver.calls)

    def test_fallback_to_ensure_share(self):
        self.fault('ensure_shares', raise_=NotImplementedError)
        with mock.patch.object(self.driver, 'ensure_share',
                               return_value=['h:/moved']) as one:
            self.ensure_all()
        self.assertEqual(2, one.call_count)
        self.assertEqual('h:/moved', self.share_row(
            self.kept['id']).export_locations[0]['path'])

    def test_ensure_share_failure_changes_nothing(self):
        self.fault('ensure_shares', raise_=NotImplementedError)
        self.ensure_all()
        # The lost share raised ShareResourceNotFound; nothing changed.
        self.assertEqual('available', self.status_of(self.lost['id']))

    @ddt.data(*base.DRIVER_FAILURES)
    def test_ensure_shares_failure_changes_nothing(self, failure):
        self.fault('ensure_shares', raise_=failure)
        self.assertEqual(0, self.ensure_all())
        self.assertEqual('available', self.status_of(self.lost['id']))

    @ddt.data('malformed', 'unknown_status')
    def test_malformed_return_changes_nothing(self, kind):
        self.fault('ensure_shares', return_=kind)
        self.assertEqual(0, self.ensure_all())
        self.assertEqual('available', self.status_of(self.lost['id']))

    def test_manager_runs_it_once(self):
        self.manager.run_due_tasks()
        self.assertEqual('error', self.status_of(self.lost['id']))
        self.driver.calls[:] = []
        self.manager.run_due_tasks()
        self.assertNotIn('ensure_shares', self.driver.calls)
