"""Pool states from the backends' stats, and placement with its retries."""

import datetime
import time
from unittest import mock

import ddt

from storagemgr.backend import process_registry
from storagemgr.backend import state_store
from storagemgr import exception
from storagemgr.scheduler import capacity
from storagemgr.scheduler import host_manager
from storagemgr.scheduler import placement
from storagemgr.tests import base

CONFIG = ('[DEFAULT]\nenabled_backends = b1,b2,v1\n'
          '[backend_defaults]\ndriver_setup_retries = 0\n'
          '[b1]\nshare_driver = fake\nfake_total_capacity_gb = 100\n'
          '[b2]\nshare_driver = fake\nfake_total_capacity_gb = 50\n'
          '[v1]\nvolume_driver = fake\n')
# b2's setup fails: its check_for_setup_error refuses the ratio.
BROKEN_B2 = CONFIG.replace('fake_total_capacity_gb = 50',
                           'max_over_subscription_ratio = 0.5')


class Clock(object):
    """Real time to start with (saved records carry real times), then set."""

    def __init__(self, now=None):
        self.now = time.time() if now is None else now

    def __call__(self):
        return self.now


@ddt.ddt
class PoolsOfTestCase(base.TestCase):

    @ddt.unpack
    @ddt.data(
        ({}, 'share', ['b']),
        ({'share_backend_name': 'gold'}, 'share', ['gold']),
        ({'volume_backend_name': 'v'}, 'volume', ['v']),
        ({'share_backend_name': 'gold'}, 'volume', ['b']),
        ({'pool_name': 'p', 'share_backend_name': 'gold'}, 'share', ['p']),
        ({'pools': [{'pool_name': 'a'}, {'pool_name': 'c'}]}, 'share',
         ['a', 'c']),
        # A pool without a name is no pool; none left: the backend is one.
        ({'pools': [{'free_capacity_gb': 1}]}, 'share', ['b']),
    )
    def test_names(self, stats, kind, names):
        self.assertEqual(names, [n for n, _ in host_manager.pools_of(
            stats, 'b', kind)])

    def test_pool_keys_win_and_pools_are_not_repeated(self):
        [(_, caps)] = host_manager.pools_of(
            {'snapshot_support': True, 'qos': False,
             'pools': [{'pool_name': 'p', 'qos': True}]}, 'b', 'share')
        self.assertEqual({'snapshot_support': True, 'qos': True,
                          'pool_name': 'p'}, caps)


class HostManagerTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.registry = process_registry.get_registry()
        self.clock = Clock()
        self.manager = host_manager.HostManager(self.registry, 'share',
                                                clock=self.clock)
        for backend in self.registry:
            backend._clock = self.clock

    def test_every_enabled_backend_of_the_kind_gives_its_pools(self):
        pools, dropped = self.manager.pool_states()
        self.assertEqual({}, dropped)
        self.assertEqual(['test-host@b1#b1', 'test-host@b2#b2'],
                         sorted(p.host for p in pools))
        self.assertEqual({'nova'}, {p.availability_zone for p in pools})
        self.assertEqual({0}, {p.allocated_capacity_gb for p in pools})

    def test_restricted_to_a_backend_or_a_pool(self):
        pools, _ = self.manager.pool_states('b2')
        self.assertEqual(['test-host@b2#b2'], [p.host for p in pools])
        pools, _ = self.manager.pool_states('test-host@b2#b2')
        self.assertEqual(['test-host@b2#b2'], [p.host for p in pools])
        pools, dropped = self.manager.pool_states('test-host@b2#nope')
        self.assertEqual([], pools)
        self.assertIn('nope', dropped['b2'])

    def test_fresh_stats_are_not_asked_for_again(self):
        self.manager.pool_states()
        driver = self.registry.lookup('b1').driver
        with mock.patch.object(driver, 'get_share_stats') as stats:
            self.manager.pool_states()
            self.clock.now += 59
            self.manager.pool_states()
            stats.assert_not_called()
            self.clock.now += 2
            self.manager.pool_states()
            self.assertEqual(1, stats.call_count)

    def test_another_processes_fresh_record_is_used(self):
        self.manager.pool_states()
        record = state_store.load_all()['b1']
        self.assertEqual(100, record['stats']['total_capacity_gb'])
        # A new process (new registry) reads the saved record instead of
        # setting the backend up.
        process_registry.use_registry(None)
        registry = process_registry.get_registry()
        now = record['updated_at'] or record['created_at']
        clock = Clock(now.replace(
            tzinfo=datetime.timezone.utc).timestamp() + 5)
        manager = host_manager.HostManager(registry, 'share', clock=clock)
        pools, dropped = manager.pool_states('b1')
        self.assertEqual(['test-host@b1#b1'], [p.host for p in pools])
        self.assertIsNone(registry.lookup('b1').driver)

    def test_backend_that_is_down_is_left_out_and_named(self):
        self.write_config(BROKEN_B2)
        pools, dropped = self.manager.pool_states()
        self.assertEqual(['test-host@b1#b1'], [p.host for p in pools])
        self.assertIn('backend b2 is down', dropped['b2'])

    def test_backend_whose_stats_are_too_old_is_dropped(self):
        self.manager.pool_states()
        b1 = self.registry.lookup('b1')
        self.clock.now += 400
        with mock.patch.object(b1.driver, 'get_share_stats',
                               side_effect=RuntimeError('array gone')):
            pools, dropped = self.manager.pool_states()
        self.assertEqual(['test-host@b2#b2'], [p.host for p in pools])
        self.assertIn('reported no stats for 300 s', dropped['b1'])

    def test_allocated_comes_from_the_usage_rows(self):
        capacity.allocated('share', ['test-host@b1#b1'])
        from storagemgr.db import session as db_session
        with db_session.session_scope() as session:
            capacity.reserve(session, 'test-host@b1#b1', 30, 100)
        pools, _ = self.manager.pool_states('b1')
        self.assertEqual(30, pools[0].allocated_capacity_gb)


class PlacementTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.spec = {'size': 10, 'resource_type': {'name': None,
                                                   'extra_specs': {}}}

    def test_refusal_names_filters_and_left_out_backends(self):
        self.write_config(BROKEN_B2)
        self.spec['size'] = 1000
        e = self.assertRaises(exception.NoValidHost, placement.choose,
                              'share', self.spec)
        self.assertIn('CapacityFilter', str(e))
        self.assertIn('test-host@b1#b1', str(e))
        self.assertIn('backend b2 is down', str(e))

    def test_pinned_backend_named_in_the_refusal(self):
        self.spec['size'] = 1000
        e = self.assertRaises(exception.NoValidHost, placement.choose,
                              'share', self.spec, backend='b1')
        self.assertIn('only b1 was considered', str(e))

    def test_pinned_backend_of_the_other_kind_or_unknown(self):
        self.assertRaises(exception.BackendKindMismatch, placement.choose,
                          'share', self.spec, backend='v1')
        self.assertRaises(exception.BackendNotFound, placement.choose,
                          'share', self.spec, backend='b9')

    def test_lost_race_schedules_again(self):
        tried = []

        def claim(pool):
            tried.append(pool.host)
            if len(tried) == 1:
                raise exception.CapacityExceeded(host=pool.host, size=10,
                                                 allocated=95, limit=100)
            return 'claimed %s' % pool.host

        result = placement.place('share', self.spec, claim)
        self.assertEqual(2, len(tried))
        self.assertEqual('claimed %s' % tried[-1], result)

    def test_gives_up_after_the_last_attempt(self):
        def claim(pool):
            raise exception.CapacityExceeded(host=pool.host, size=10,
                                             allocated=95, limit=100)

        self.assertRaises(exception.CapacityExceeded, placement.place,
                          'share', self.spec, claim)


class ReconcileTaskTestCase(base.TestCase):

    def test_manager_corrects_only_its_own_pools(self):
        from storagemgr.db import session as db_session
        from storagemgr.service import backend_tasks
        self.write_config(CONFIG)
        process_registry.use_registry(None)
        mine, theirs = 'test-host@b1#b1', 'other-host@b1#b1'
        capacity.allocated('share', [mine, theirs])
        with db_session.session_scope() as session:
            capacity.adjust(session, mine, 9)
            capacity.adjust(session, theirs, 9)
        manager = mock.Mock(registry=process_registry.get_registry())
        backend_tasks.reconcile_pool_usage(manager)
        self.assertEqual({mine: 0, theirs: 9},
                         capacity.allocated('share', [mine, theirs]))
