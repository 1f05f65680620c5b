"""PoolState: capacity figures, limits, room, consume, describe."""

import datetime

import ddt
import testtools

from storagemgr import exception
from storagemgr.scheduler import pool_state
from storagemgr.tests.unit.scheduler import fakes


@ddt.ddt
class ThinTestCase(testtools.TestCase):

    @ddt.unpack
    @ddt.data((True, True), (False, False), ([True, False], True),
              ([False], False), ([True], True), ('True', True),
              ('false', False), (None, False), ([], False))
    def test_thin_capable(self, reported, expected):
        self.assertIs(expected, pool_state.thin_capable(reported))

    @ddt.unpack
    @ddt.data(({}, None), (None, None),
              ({'thin_provisioning': 'True'}, True),
              ({'thin_provisioning': '<is> True'}, True),
              ({'thin_provisioning': 'False'}, False),
              ({'thin_provisioning': '<is> False'}, False),
              ({'capabilities:thin_provisioning': '<is> True'}, True),
              ({'capabilities:thin_provisioning': 'false'}, False),
              ({'provisioning:type': 'thin'}, True),
              ({'provisioning:type': 'thick'}, False),
              ({'provisioning:type': 'Thick',
                'thin_provisioning': 'True'}, False))
    def test_thin_requested(self, specs, expected):
        self.assertIs(expected, pool_state.thin_requested(specs))

    @ddt.unpack
    @ddt.data((True, None, True), (True, True, True), (True, False, False),
              ([True, False], False, False), (False, True, False),
              (False, None, False))
    def test_is_thin(self, reported, requested, expected):
        pool = fakes.pool(thin_provisioning=reported)
        self.assertIs(expected, pool.is_thin(requested))

    def test_volume_drivers_report_thin_provisioning_support(self):
        pool = fakes.pool(kind='volume', thin_provisioning_support=True)
        self.assertTrue(pool.is_thin())


@ddt.ddt
class PoolStateTestCase(testtools.TestCase):

    def test_attributes(self):
        when = datetime.datetime(2024, 1, 2)
        pool = pool_state.PoolState(
            'h@b1#p1', 'share',
            {'total_capacity_gb': 100, 'free_capacity_gb': '80',
             'reserved_percentage': 5, 'max_over_subscription_ratio': '2.0',
             'thin_provisioning': [True, False],
             'replication_domain': 'd1'},
            allocated_capacity_gb=7, updated_at=when,
            availability_zone='az1')
        self.assertEqual(('h@b1#p1', 'b1', 'p1', 'share'),
                         (pool.host, pool.backend, pool.pool_name,
                          pool.kind))
        self.assertEqual((100.0, 80.0, 7, 5.0, 2.0),
                         (pool.total_capacity_gb, pool.free_capacity_gb,
                          pool.allocated_capacity_gb,
                          pool.reserved_percentage,
                          pool.max_over_subscription_ratio))
        self.assertEqual([True, False], pool.thin_provisioning)
        self.assertEqual(('az1', when, 'd1'),
                         (pool.availability_zone, pool.updated_at,
                          pool.replication_domain))

    @ddt.unpack
    @ddt.data(('unknown', 'unknown'), ('Infinite', 'infinite'),
              (None, None), ('lots', None), (True, None), (12, 12.0))
    def test_capacity_values(self, reported, expected):
        pool = fakes.pool(free_capacity_gb=reported)
        self.assertEqual(expected, pool.free_capacity_gb)

    def test_defaults(self):
        pool = pool_state.PoolState('h@b#p', 'volume', {})
        self.assertIsNone(pool.total_capacity_gb)
        self.assertEqual(0, pool.allocated_capacity_gb)
        self.assertEqual(0.0, pool.reserved_percentage)
        self.assertEqual(20.0, pool.max_over_subscription_ratio)
        self.assertFalse(pool.thin_provisioning)

    def test_database_allocation_wins_over_the_driver(self):
        pool = fakes.pool(allocated=3, allocated_capacity_gb=50,
                          provisioned_capacity_gb=60)
        self.assertEqual(3, pool.allocated_capacity_gb)

    @ddt.unpack
    @ddt.data(({'provisioned_capacity_gb': 60,
                'allocated_capacity_gb': 50}, 60),
              ({'allocated_capacity_gb': 50}, 50), ({}, 0))
    def test_driver_allocation_without_database_figure(self, caps, expected):
        pool = fakes.pool(allocated=None, **caps)
        self.assertEqual(expected, pool.allocated_capacity_gb)

    @ddt.data('h@b1', 'b1', 'b1#p1', '', None, 'h@b#p#q')
    def test_bad_host(self, host):
        self.assertRaises(exception.InvalidInput, pool_state.PoolState,
                          host, 'share', {})

    def test_bad_kind(self):
        error = self.assertRaises(exception.InvalidInput,
                                  pool_state.PoolState, 'h@b#p', 'disk', {})
        self.assertIn("'disk'", str(error))

    @ddt.unpack
    @ddt.data(
        # thin: total * ratio
        (dict(thin_provisioning=True, max_over_subscription_ratio=1.5),
         None, 150.0),
        (dict(thin_provisioning=True, max_over_subscription_ratio=1.5,
              reserved_percentage=10), None, 150.0),
        # the request asks thick: total less the reserve
        (dict(thin_provisioning=True, reserved_percentage=10), False, 90.0),
        (dict(thin_provisioning=False, reserved_percentage=10), None, 90.0),
        (dict(thin_provisioning=False, reserved_percentage=10), True, 90.0),
        (dict(thin_provisioning=False), None, 100.0),
        (dict(total_capacity_gb='unknown'), None, None),
        (dict(total_capacity_gb='infinite', thin_provisioning=True),
         None, None),
    )
    def test_limit_gb(self, caps, thin, expected):
        self.assertEqual(expected, fakes.pool(**caps).limit_gb(thin))

    @ddt.unpack
    @ddt.data(
        # thick: the smaller of limit - allocated and free - reserve
        (dict(), 0, None, (100, None)),
        (dict(), 30, None, (70, None)),
        (dict(free_capacity_gb=40), 30, None, (40, None)),
        (dict(reserved_percentage=10), 0, None, (90, None)),
        (dict(free_capacity_gb=50, reserved_percentage=10), 0, None,
         (40, None)),
        # thin: the smaller of total * ratio - allocated and
        # (free - reserve) * ratio
        (dict(thin_provisioning=True, max_over_subscription_ratio=2.0),
         150, None, (50, None)),
        (dict(thin_provisioning=True, max_over_subscription_ratio=2.0,
              free_capacity_gb=10), 0, None, (20, None)),
        (dict(thin_provisioning=True, max_over_subscription_ratio=1.0),
         100, None, (0, None)),
        (dict(thin_provisioning=True, max_over_subscription_ratio=2.0),
         150, False, (-50, None)),
        # unknown / infinite
        (dict(free_capacity_gb='unknown'), 30, None, (70, None)),
        (dict(total_capacity_gb='unknown', free_capacity_gb='unknown'), 0,
         None, (None, None)),
        (dict(total_capacity_gb='infinite', free_capacity_gb='infinite'), 0,
         None, (None, None)),
        (dict(total_capacity_gb='unknown', free_capacity_gb=20.7), 0, None,
         (20, None)),
        (dict(total_capacity_gb='unknown', reserved_percentage=5), 0, None,
         (None, 'cannot reserve 5% of an unknown total capacity')),
        # unusable
        (dict(total_capacity_gb=0), 0, None,
         (None, 'total capacity is 0 GiB')),
        (dict(free_capacity_gb=None), 0, None,
         (None, 'reports no usable capacity')),
        (dict(thin_provisioning=True, max_over_subscription_ratio=0.5), 0,
         None, (None, 'invalid max_over_subscription_ratio 0.5 (must be 1 '
                      'or more)')),
        (dict(thin_provisioning=True, max_over_subscription_ratio=0.5), 0,
         False, (100, None)),
    )
    def test_room_gb(self, caps, allocated, thin, expected):
        pool = fakes.pool(allocated=allocated, **caps)
        self.assertEqual(expected, pool.room_gb(thin))

    @ddt.unpack
    @ddt.data((dict(), None, 13, 90.0),
              (dict(thin_provisioning=True), None, 13, 100.0),
              (dict(thin_provisioning=True), False, 13, 90.0),
              (dict(free_capacity_gb='unknown'), None, 13, 'unknown'))
    def test_consume(self, caps, thin, allocated, free):
        pool = fakes.pool(allocated=3, **caps)
        pool.consume(10, thin)
        self.assertEqual((allocated, free),
                         (pool.allocated_capacity_gb, pool.free_capacity_gb))

    def test_consume_refreshes_stats(self):
        pool = fakes.pool(filter_function='x')
        self.assertEqual(0, pool.stats()['allocated_capacity_gb'])
        pool.consume(5)
        stats = pool.stats()
        self.assertEqual(5, stats['allocated_capacity_gb'])
        self.assertEqual(95.0, stats['free_capacity_gb'])
        self.assertEqual('h@b1#p1', stats['host'])
        self.assertNotIn('filter_function', stats)

    def test_describe(self):
        pool = fakes.pool(allocated=4, zone='az1', snapshot_support=True)
        described = pool.describe()
        self.assertEqual(
            {'name': 'h@b1#p1', 'host': 'h', 'backend': 'b1', 'pool': 'p1',
             'allocated_capacity_gb': 4},
            {k: v for k, v in described.items() if k != 'capabilities'})
        caps = described['capabilities']
        self.assertEqual((True, 100.0, 100.0, 4, 'az1'),
                         (caps['snapshot_support'], caps['total_capacity_gb'],
                          caps['free_capacity_gb'],
                          caps['allocated_capacity_gb'],
                          caps['availability_zone']))
        # describing changes nothing
        self.assertNotIn('allocated_capacity_gb', pool.capabilities)
