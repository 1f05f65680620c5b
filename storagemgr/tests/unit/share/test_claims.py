"""Claims and flows are one unit: nothing is left claimed with no flow.

Each test here failed before the claim moved into the transaction that
saves the flow, or before a failed revert kept its flow.
"""

import os
from unittest import mock

import ddt
from oslo_db import exception as db_exc

from storagemgr import coordination
from storagemgr.db import api as db_api
from storagemgr import exception
from storagemgr.flows import engine as flow_engine
from storagemgr.share import constants
from storagemgr.share import records
from storagemgr.tests.unit.share import base


class ClaimWithFlowTestCase(base.ShareTestCase):

    def test_lock_backend_failure_claims_nothing(self):
        # Before: the row was inserted, the flow lock then failed, and the
        # share stayed 'creating' for ever.
        self.flags(backend_url='nosuch://x', group='coordination')
        coordination.stop()
        error = self.assertRaises(exception.InvalidConfigValue,
                                  self.make_share, name='z')
        self.assertIn('backend_url', str(error))
        self.assertEqual([], records.list_shares())
        self.assertEqual([], flow_engine.find_unfinished_flows())

    def test_flow_save_failure_rolls_the_claim_back(self):
        share = self.make_share()
        with mock.patch.object(flow_engine.engines, 'load_from_factory',
                               side_effect=RuntimeError('disk full')):
            self.assertRaises(exception.ShareBackendException,
                              self.api.delete, share['id'])
            self.assertRaises(exception.ShareBackendException,
                              self.api.extend, share['id'], 2)
            self.assertRaises(exception.ShareBackendException,
                              self.api.create_snapshot, share['id'])
        self.assertEqual(constants.STATUS_AVAILABLE,
                         self.status_of(share['id']))
        self.assertEqual(1, self.share_row(share['id']).size)
        self.assertEqual([], records.list_snapshots())
        self.assertEqual([], flow_engine.find_unfinished_flows())

    def test_refused_claim_saves_no_flow(self):
        share = self.make_share()
        self.make_snapshot(share['id'])
        self.assertRaises(exception.InvalidShare, self.api.delete,
                          share['id'])
        self.assertEqual([], flow_engine.find_unfinished_flows())
        self.assertEqual(constants.STATUS_AVAILABLE,
                         self.status_of(share['id']))

    def test_condition_refusal_names_the_condition(self):
        share = self.make_share()
        rule = self.api.allow_access(share['id'], 'ip', '10.0.0.1')
        db_api.update(base.models.ShareInstanceAccessRule, db_api.get_by(
            base.models.ShareInstanceAccessRule, access_id=rule['id']).id,
            {'state': constants.ACCESS_STATE_QUEUED_TO_APPLY})
        error = self.assertRaises(exception.InvalidState, self.api.delete,
                                  share['id'])
        # Before: "is available; delete needs it to be available".
        self.assertNotIn('needs it to be available', str(error))
        self.assertIn('access rule', str(error))

    def test_no_lock_file_left_per_flow(self):
        for _i in range(5):
            share = self.make_share()
            self.make_snapshot(share['id'])
            # A refused claim saves no flow and leaves no lock either.
            self.assertRaises(exception.InvalidShare, self.api.delete,
                              share['id'])
        lock_dir = os.path.join(self.state_path, 'locks')
        flow_locks = [n for n in os.listdir(lock_dir) if 'flow-' in n]
        self.assertEqual([], flow_locks)


@ddt.ddt
class FailedRevertTestCase(base.ShareTestCase):

    def test_revert_that_cannot_record_keeps_the_flow(self):
        self.fault('create_share', raise_='builtins.RuntimeError')
        real = db_api.conditional_update
        calls = {'n': 0}

        def flaky(model, resource_id, values, **kwargs):
            if values.get('status') == constants.STATUS_ERROR and \
                    calls['n'] == 0:
                calls['n'] += 1
                raise db_exc.DBConnectionError('database went away')
            return real(model, resource_id, values, **kwargs)

        with mock.patch.object(db_api, 'conditional_update', flaky):
            self.assertRaises(exception.OutcomeNotRecorded,
                              self.make_share, name='x')
        share = self.only_share()
        # Before: the flow ended REVERTED and was forgotten, leaving the
        # share 'creating' with nothing to move it on.
        self.assertEqual(constants.STATUS_CREATING, share.status)
        self.assertEqual(1, len(flow_engine.find_unfinished_flows()))

        results = flow_engine.resume_unfinished_flows()
        self.assertEqual('REVERTED', results[0][1])
        self.assertEqual(constants.STATUS_ERROR, self.status_of(share.id))
        self.assertEqual([], flow_engine.find_unfinished_flows())

    @ddt.data('builtins.KeyboardInterrupt', 'builtins.SystemExit')
    def test_driver_interrupt_reverts_to_error(self, interrupt):
        # Before: the interrupt escaped taskflow and left the flow RUNNING
        # and the share 'creating'.
        self.fault('create_share', raise_=interrupt)
        self.assertRaises(exception.StorageManagerException,
                          self.make_share)
        self.assertEqual(constants.STATUS_ERROR, self.only_share().status)
        self.assertEqual([], flow_engine.find_unfinished_flows())


class RevertRaceTestCase(base.ShareTestCase):

    def test_snapshot_taken_after_the_check_refuses_the_revert(self):
        share = self.make_share()
        first = self.make_snapshot(share['id'])
        real = records.list_snapshots

        def snapshot_lands_after_the_read(*args, **filters):
            rows = real(*args, **filters)
            self.make_snapshot(share['id'])  # a concurrent snapshot
            return rows

        with mock.patch.object(records, 'list_snapshots',
                               side_effect=snapshot_lands_after_the_read):
            error = self.assertRaises(exception.InvalidState,
                                      self.api.revert, first['id'])
        self.assertIn('latest', str(error))
        self.assertEqual(constants.STATUS_AVAILABLE,
                         self.status_of(share['id']))
        self.assertNotIn('revert_to_snapshot', self.driver.calls)
