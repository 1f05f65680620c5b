"""Allocated capacity per pool: reservations never pass the limit."""

import threading

import testscenarios

from storagemgr.db import api as db_api
from storagemgr.db.models import pool_usage
from storagemgr.db.models import share as share_models
from storagemgr.db.models import volume as volume_models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.scheduler import capacity
from storagemgr.tests import base
from storagemgr.tests import db_backends

load_tests = testscenarios.load_tests_apply_scenarios

HOST = 'node@b1#p1'


def _allocated(host=HOST):
    return db_api.get(pool_usage.PoolUsage, host).allocated_capacity_gb


def _reserve(size, limit, host=HOST):
    with db_session.session_scope() as session:
        capacity.reserve(session, host, size, limit)


def _adjust(host, delta):
    with db_session.session_scope() as session:
        capacity.adjust(session, host, delta)


class CapacityTestCase(db_backends.DatabaseScenarios, base.TestCase):

    scenarios = db_backends.scenarios()

    def _share_on(self, host, size):
        share = db_api.create(share_models.Share,
                              {'size': size, 'share_proto': 'NFS'})
        db_api.create(share_models.ShareInstance, {
            'share_id': share.id, 'host': host, 'backend': 'b1',
            'status': 'available', 'active': True})

    def test_rows_are_made_from_what_the_pools_hold(self):
        self._share_on(HOST, 3)
        self._share_on(HOST, 4)
        self._share_on('node@b1#p2', 5)
        db_api.create(volume_models.Volume, {
            'size': 7, 'backend': 'v1', 'host': 'node@v1#v1',
            'status': 'available'})
        self.assertEqual({HOST: 7, 'node@b1#p9': 0},
                         capacity.allocated('share', [HOST, 'node@b1#p9']))
        self.assertEqual({'node@v1#v1': 7},
                         capacity.allocated('volume', ['node@v1#v1']))
        # Made once: later reads take the row, not the sums.
        self._share_on(HOST, 100)
        self.assertEqual({HOST: 7}, capacity.allocated('share', [HOST]))

    def test_reserve_up_to_the_limit_then_refuse(self):
        capacity.allocated('share', [HOST])
        for _ in range(5):
            _reserve(2, 10)
        e = self.assertRaises(exception.CapacityExceeded, _reserve, 1, 10)
        self.assertIn(HOST, str(e))
        self.assertIn('10 of 10 GiB', str(e))
        self.assertEqual(10, _allocated())

    def test_no_limit_always_reserves(self):
        capacity.allocated('share', [HOST])
        _reserve(10 ** 6, None)
        self.assertEqual(10 ** 6, _allocated())

    def test_refused_reservation_rolls_back_its_transaction(self):
        capacity.allocated('share', [HOST])
        _reserve(9, 10)

        def create_and_reserve():
            with db_session.session_scope() as session:
                db_api.create(share_models.Share,
                              {'id': 'lost', 'size': 2,
                               'share_proto': 'NFS'}, session=session)
                capacity.reserve(session, HOST, 2, 10)

        self.assertRaises(exception.CapacityExceeded, create_and_reserve)
        self.assertIsNone(db_api.get_by(share_models.Share, id='lost'))
        self.assertEqual(9, _allocated())

    def test_release_and_adjust_never_go_below_zero(self):
        capacity.allocated('share', [HOST])
        _reserve(4, None)
        _adjust(HOST, -3)
        self.assertEqual(1, _allocated())
        _adjust(HOST, -5)
        self.assertEqual(0, _allocated())
        _adjust(HOST, 6)
        self.assertEqual(6, _allocated())
        with db_session.session_scope() as session:
            capacity.release(session, HOST, 2)
        self.assertEqual(4, _allocated())

    def test_pool_without_row_is_not_written(self):
        _adjust('node@b1#nowhere', 5)
        self.assertIsNone(db_api.get_by(pool_usage.PoolUsage,
                                        host='node@b1#nowhere'))
        self.assertRaises(exception.CapacityExceeded, _reserve, 1, 10,
                          'node@b1#nowhere')

    def test_racing_reservations_never_pass_the_limit(self):
        capacity.allocated('share', [HOST])
        wins, barrier = [], threading.Barrier(6)

        def race():
            barrier.wait()
            try:
                _reserve(3, 10)
                wins.append(1)
            except exception.CapacityExceeded:
                pass

        threads = [threading.Thread(target=race) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(3, len(wins))
        self.assertEqual(9, _allocated())

    def test_reconcile_corrects_drift_to_what_the_pool_holds(self):
        self._share_on(HOST, 3)
        capacity.allocated('share', [HOST])
        _adjust(HOST, 5)                     # a count gone wrong
        self.assertEqual(-5, capacity.reconcile(HOST))
        self.assertEqual(3, _allocated())
        self.assertEqual(0, capacity.reconcile(HOST))
        self.assertIsNone(capacity.reconcile('node@b1#nowhere'))

    def test_reconcile_against_a_claim_in_flight_loses_nothing(self):
        """A claim reserving while reconcile runs is counted exactly once."""
        capacity.allocated('share', [HOST])
        reserved, done = threading.Event(), threading.Event()

        def claim():
            with db_session.session_scope() as session:
                share = db_api.create(share_models.Share, {
                    'size': 4, 'share_proto': 'NFS'}, session=session)
                db_api.create(share_models.ShareInstance, {
                    'share_id': share.id, 'host': HOST, 'backend': 'b1',
                    'status': 'creating', 'active': True}, session=session)
                capacity.reserve(session, HOST, 4, 100)
                reserved.set()
                done.wait(1.0)        # reconcile waits on the row meanwhile

        claimer = threading.Thread(target=claim)
        claimer.start()
        reserved.wait()
        reconciler = threading.Thread(target=capacity.reconcile,
                                      args=(HOST,))
        reconciler.start()
        done.set()
        claimer.join()
        reconciler.join()
        self.assertEqual(4, _allocated())

    def test_hosts_of(self):
        capacity.allocated('share', [HOST, 'other@b1#p1', 'node@b2#p1'])
        self.assertEqual([HOST], capacity.hosts_of(['node@b1#']))
