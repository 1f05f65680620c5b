"""Weighers and the normalisation of their weights."""

import ddt
import fixtures
from oslo_config import cfg
import testtools

from storagemgr.scheduler import opts  # noqa: F401 - registers options
from storagemgr.scheduler import weighers
from storagemgr.scheduler.weighers import capacity
from storagemgr.scheduler.weighers import goodness
from storagemgr.tests import base
from storagemgr.tests.unit.scheduler import fakes

CONF = cfg.CONF


@ddt.ddt
class NormalizeTestCase(testtools.TestCase):

    @ddt.unpack
    @ddt.data(([], None, None, []),
              ([5], None, None, [0.0]),
              ([3, 3, 3], None, None, [0.0, 0.0, 0.0]),
              ([0, 5, 10], None, None, [0.0, 0.5, 1.0]),
              ([-10, 0, 10], None, None, [0.0, 0.5, 1.0]),
              ([1, 2], 0, 4, [0.25, 0.5]),
              ([1, 2], 0, None, [0.5, 1.0]))
    def test_normalize(self, weights, low, high, expected):
        self.assertEqual(expected, weighers.normalize(weights, low, high))


class _Fixed(weighers.BaseWeigher):
    def __init__(self, values, multiplier=1.0):
        super().__init__(None)
        self.values, self._multiplier = values, multiplier

    def multiplier(self):
        return self._multiplier

    def weigh(self, pool, request):
        return self.values[pool.host]


class WeighTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.pools = [fakes.pool(host='h@b#p%d' % i) for i in range(3)]

    def hosts(self, weighed):
        return [(round(w, 3), p.host) for w, p in weighed]

    def test_sum_of_normalised_weights_times_multipliers(self):
        first = _Fixed({'h@b#p0': 0, 'h@b#p1': 50, 'h@b#p2': 100})
        second = _Fixed({'h@b#p0': 1000, 'h@b#p1': 0, 'h@b#p2': 0}, 2.0)
        self.assertEqual(
            [(2.0, 'h@b#p0'), (1.0, 'h@b#p2'), (0.5, 'h@b#p1')],
            self.hosts(weighers.weigh([first, second], self.pools,
                                      fakes.request())))

    def test_negative_multiplier_reverses(self):
        fixed = _Fixed({'h@b#p0': 0, 'h@b#p1': 50, 'h@b#p2': 100}, -1.0)
        self.assertEqual(
            [(0.0, 'h@b#p0'), (-0.5, 'h@b#p1'), (-1.0, 'h@b#p2')],
            self.hosts(weighers.weigh([fixed], self.pools, fakes.request())))

    def test_best_is_the_first_of_weigh(self):
        for values in ({'h@b#p0': 0, 'h@b#p1': 50, 'h@b#p2': 100},
                       {'h@b#p0': 7, 'h@b#p1': 7, 'h@b#p2': 1},
                       {'h@b#p0': 1, 'h@b#p1': 9, 'h@b#p2': 9}):
            fixed = [_Fixed(values)]
            self.assertIs(
                weighers.weigh(fixed, self.pools, fakes.request())[0][1],
                weighers.best(fixed, self.pools, fakes.request()))

    def test_zero_multiplier_and_ties_keep_the_pool_order(self):
        fixed = _Fixed({'h@b#p0': 0, 'h@b#p1': 50, 'h@b#p2': 100}, 0.0)
        self.assertEqual(
            ['h@b#p0', 'h@b#p1', 'h@b#p2'],
            [p.host for _w, p in weighers.weigh([fixed], self.pools,
                                                fakes.request())])


@ddt.ddt
class CapacityWeigherTestCase(base.TestCase):

    def weigh(self, pools, request=None):
        weigher = capacity.CapacityWeigher(CONF)
        return weigher.weigh_all(pools, request or fakes.request())

    def test_room_left(self):
        pools = [fakes.pool(host='h@b#p1', allocated=30),
                 fakes.pool(host='h@b#p2', free_capacity_gb=50,
                            reserved_percentage=10),
                 fakes.pool(host='h@b#p3', thin_provisioning=True,
                            max_over_subscription_ratio=3.0,
                            allocated=100)]
        self.assertEqual([70, 40, 200], self.weigh(pools))

    def test_thick_request_on_thin_pool(self):
        pools = [fakes.pool(thin_provisioning=True,
                            max_over_subscription_ratio=3.0)]
        self.assertEqual([100], self.weigh(pools, fakes.request(
            extra_specs={'thin_provisioning': 'False'})))

    @ddt.unpack
    @ddt.data((1.0, [70, 39, 40, 39]), (-1.0, [70, 71, 40, 71]))
    def test_unknown_ranks_last(self, multiplier, expected):
        self.flags(capacity_weight_multiplier=multiplier)
        pools = [fakes.pool(host='h@b#p1', allocated=30),
                 fakes.pool(host='h@b#p2', total_capacity_gb='unknown',
                            free_capacity_gb='unknown'),
                 fakes.pool(host='h@b#p3', allocated=60),
                 fakes.pool(host='h@b#p4', total_capacity_gb=0)]
        self.assertEqual(expected, self.weigh(pools))
        best = weighers.weigh([capacity.CapacityWeigher(CONF)], pools,
                              fakes.request())
        self.assertEqual('h@b#p1' if multiplier > 0 else 'h@b#p3',
                         best[0][1].host)
        self.assertIn(best[-1][1].host, ('h@b#p2', 'h@b#p4'))

    def test_all_unknown(self):
        pools = [fakes.pool(host='h@b#p%d' % i, free_capacity_gb='unknown',
                            total_capacity_gb='unknown') for i in range(2)]
        self.assertEqual([0.0, 0.0], self.weigh(pools))

    def test_multiplier_from_config(self):
        self.flags(capacity_weight_multiplier=-2.5)
        self.assertEqual(-2.5, capacity.CapacityWeigher(CONF).multiplier())


@ddt.ddt
class GoodnessWeigherTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger())

    @ddt.unpack
    @ddt.data((None, 0.0), ('50', 50.0), ('100', 100.0), ('0', 0.0),
              ('true', 100.0), ('false', 0.0), ('101', 0.0), ('-1', 0.0),
              ("'text'", 0.0), ('stats.free_capacity_gb / 2', 50.0),
              ('share.size * 10', 30.0), ('stats.nope', 0.0), ('1 +', 0.0),
              ('1 / 0', 0.0), ('2 ^ 0.5 * 10', 2 ** 0.5 * 10))
    def test_goodness(self, function, expected):
        pool = fakes.pool(goodness_function=function)
        weigher = goodness.GoodnessWeigher(CONF)
        self.assertEqual(expected, weigher.weigh(pool, fakes.request(size=3)))

    def test_out_of_range_is_logged(self):
        goodness.GoodnessWeigher(CONF).weigh(
            fakes.pool(goodness_function='500'), fakes.request())
        self.assertIn('gave 500; a goodness is 0 to 100', self.log.output)

    def test_multiplier_from_config(self):
        self.flags(goodness_weight_multiplier=3.0)
        self.assertEqual(3.0, goodness.GoodnessWeigher(CONF).multiplier())
