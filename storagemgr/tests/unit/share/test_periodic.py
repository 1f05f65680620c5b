"""Polling shares created asynchronously from a snapshot."""

from unittest import mock

import ddt

from storagemgr.backend import process_registry
from storagemgr.service import manager as service_manager
from storagemgr.share import periodic
from storagemgr.share import records
from storagemgr.tests.unit.share import base


@ddt.ddt
class PollCreatingFromSnapshotTestCase(base.ShareTestCase):

    extra_config = 'fake_async_create_from_snapshot = true\n' \
                   'fake_async_polls = 2\n'

    def setUp(self):
        super().setUp()
        parent = self.make_share()
        snapshot = self.make_snapshot(parent['id'])
        self.share = self.api.create('NFS', 1, snapshot_id=snapshot['id'])
        self.registry = process_registry.get_registry()

    def poll(self):
        return periodic.poll_creating_from_snapshot(self.registry,
                                                    self.api.context)

    def test_async_create_completes_after_polls(self):
        self.assertEqual('creating_from_snapshot', self.share['status'])
        self.assertEqual(1, self.poll())
        row = self.share_row(self.share['id'])
        self.assertEqual(('creating_from_snapshot', '50%'),
                         (row.status, row.progress))
        self.poll()
        share = self.api.get(self.share['id'])
        self.assertEqual(('available', '100%'), (share['status'],
                                                 share['progress']))
        self.assertTrue(share['export_locations'])
        self.assertEqual(0, self.poll())

    def test_driver_reports_error(self):
        with mock.patch.object(self.driver, 'get_share_status',
                               return_value={'status': 'error'}):
            self.poll()
        self.assertEqual('error', self.status_of(self.share['id']))

    @ddt.data(*base.DRIVER_FAILURES)
    def test_driver_failure_sets_error(self, failure):
        self.fault('get_share_status', raise_=failure)
        self.poll()
        row = self.share_row(self.share['id'])
        self.assertEqual(('error', None), (row.status, row.progress))

    @ddt.data('malformed', 'unknown_status', 'none')
    def test_malformed_return_sets_error(self, kind):
        self.fault('get_share_status', return_=kind)
        self.poll()
        self.assertEqual('error', self.status_of(self.share['id']))

    def test_manager_runs_the_poll(self):
        manager = service_manager.Manager(self.registry)
        for _ in range(2):
            manager.run_due_tasks(force=True)
        self.assertEqual('available', self.status_of(self.share['id']))
        self.assertEqual({}, {k: v for k, v in manager.failures.items()
                              if 'share' in k})

    def test_unknown_backend_is_skipped(self):
        records.transition_share(self.share['id'],
                                 ['creating_from_snapshot'],
                                 {'backend': 'gone'}, 't')
        self.assertEqual(0, self.poll())
