"""The filter scheduler: loading plugins, selecting, explaining refusals."""

import ddt
import fixtures
from oslo_config import cfg

from storagemgr import exception
from storagemgr.scheduler import filter_scheduler
from storagemgr.scheduler import opts
from storagemgr.tests import base
from storagemgr.tests.unit.scheduler import fakes

CONF = cfg.CONF


def spec(size=1, extra_specs=None, **more):
    more.update(size=size, resource_type={'name': 't',
                                          'extra_specs': extra_specs or {}})
    return more


@ddt.ddt
class LoadingTestCase(base.TestCase):

    @ddt.data('share', 'volume')
    def test_defaults(self, kind):
        scheduler = filter_scheduler.FilterScheduler(kind)
        self.assertEqual(CONF['scheduler_default_%s_filters' % kind],
                         [f.name for f in scheduler.filters])
        self.assertEqual(['CapacityWeigher', 'GoodnessWeigher'],
                         [w.name for w in scheduler.weighers])

    def test_order_follows_config(self):
        self.flags(scheduler_default_share_filters=[
            'CapacityFilter', 'AvailabilityZoneFilter'],
            scheduler_default_share_weighers=['GoodnessWeigher'])
        scheduler = filter_scheduler.FilterScheduler('share')
        self.assertEqual(['CapacityFilter', 'AvailabilityZoneFilter'],
                         [f.name for f in scheduler.filters])
        self.assertEqual(['GoodnessWeigher'],
                         [w.name for w in scheduler.weighers])

    @ddt.unpack
    @ddt.data(('scheduler_default_share_filters', 'CapacityFilter',
               'NoSuchFilter'),
              ('scheduler_default_volume_weighers', 'CapacityWeigher',
               'NoSuchWeigher'),
              ('scheduler_default_share_filters', 'CapacityFilter',
               'CapacityWeigher'))
    def test_unknown_name(self, option, known, name):
        self.flags(**{option: [known, name]})
        error = self.assertRaises(exception.ConfigurationError,
                                  filter_scheduler.FilterScheduler,
                                  option.split('_')[2])
        self.assertIn("%s names unknown '%s'; the known ones are: "
                      % (option, name), str(error))

    def test_bad_kind(self):
        self.assertRaises(exception.InvalidInput,
                          filter_scheduler.FilterScheduler, 'disk')

    def test_own_configuration_object(self):
        conf = cfg.ConfigOpts()
        conf([], project='storagemgr-test', default_config_files=[])
        scheduler = filter_scheduler.FilterScheduler('volume', conf=conf)
        self.assertEqual(len(opts.scheduler_opts[2].default),
                         len(scheduler.filters))

    def test_list_opts(self):
        names = [o.name for o in opts.list_opts()[0][1]]
        self.assertEqual('DEFAULT', opts.list_opts()[0][0])
        for name in ('scheduler_default_share_filters',
                     'scheduler_default_volume_weighers',
                     'capacity_weight_multiplier',
                     'goodness_weight_multiplier',
                     'scheduler_stats_refresh_interval',
                     'scheduler_stats_max_age'):
            self.assertIn(name, names)


@ddt.ddt
class SelectTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.FakeLogger())
        self.scheduler = filter_scheduler.FilterScheduler('share')

    def two_backends(self):
        return [fakes.pool(host='h@b1#p1', share_backend_name='b1',
                           snapshot_support=False, free_capacity_gb=90),
                fakes.pool(host='h@b2#p1', share_backend_name='b2',
                           snapshot_support=True, free_capacity_gb=10)]

    def test_capabilities_decide_every_time(self):
        pools = self.two_backends()
        for _ in range(20):
            pool = self.scheduler.select(pools, spec(
                extra_specs={'snapshot_support': 'True'}))
            self.assertEqual('h@b2#p1', pool.host)
            pool.consume(0)

    def test_most_room_wins_without_specs(self):
        self.assertEqual('h@b1#p1',
                         self.scheduler.select(self.two_backends(),
                                               spec()).host)

    def test_stacking(self):
        self.flags(capacity_weight_multiplier=-1.0)
        self.assertEqual('h@b2#p1',
                         self.scheduler.select(self.two_backends(),
                                               spec()).host)

    def test_goodness_can_outweigh_capacity(self):
        self.flags(goodness_weight_multiplier=2.0)
        pools = self.two_backends()
        pools[1].capabilities['goodness_function'] = '100'
        self.assertEqual('h@b2#p1', self.scheduler.select(pools,
                                                          spec()).host)

    def test_no_pools(self):
        error = self.assertRaises(exception.NoValidHost,
                                  self.scheduler.select, [], spec())
        self.assertEqual('No valid host was found. no enabled backend '
                         'reports pools', str(error))

    def test_capability_refusal(self):
        error = self.assertRaises(
            exception.NoValidHost, self.scheduler.select,
            self.two_backends()[:1], spec(extra_specs={
                'share_backend_name': 'b2'}))
        self.assertEqual(
            'No valid host was found. CapabilitiesFilter removed h@b1#p1 '
            '(share_backend_name: b1 does not match b2)', str(error))

    def test_capacity_refusal(self):
        error = self.assertRaises(
            exception.NoValidHost, self.scheduler.select,
            self.two_backends(), spec(size=999999))
        self.assertEqual(
            'No valid host was found. CapacityFilter removed h@b1#p1 (needs '
            '999999 GiB, 90 GiB left: 0 of 100 GiB allocated, 90 GiB free, '
            'thick), h@b2#p1 (needs 999999 GiB, 10 GiB left: 0 of 100 GiB '
            'allocated, 10 GiB free, thick)', str(error))

    def test_driver_filter_refusal(self):
        pools = self.two_backends()
        for pool in pools:
            pool.capabilities['filter_function'] = 'share.size < 5'
        error = self.assertRaises(exception.NoValidHost,
                                  self.scheduler.select, pools, spec(size=7))
        self.assertEqual(
            "No valid host was found. DriverFilter removed h@b1#p1 "
            "(filter_function 'share.size < 5' is false), h@b2#p1 "
            "(filter_function 'share.size < 5' is false)", str(error))

    def test_several_filters_in_one_line(self):
        pools = self.two_backends()
        error = self.assertRaises(
            exception.NoValidHost, self.scheduler.select, pools,
            spec(size=50, extra_specs={'snapshot_support': 'True'}))
        self.assertEqual(
            'No valid host was found. CapacityFilter removed h@b2#p1 (needs '
            '50 GiB, 10 GiB left: 0 of 100 GiB allocated, 10 GiB free, '
            'thick); CapabilitiesFilter removed h@b1#p1 (snapshot_support: '
            'False does not match True)', str(error))

    def test_large_sizes_read_plainly(self):
        error = self.assertRaises(exception.NoValidHost,
                                  self.scheduler.select, [fakes.pool()],
                                  spec(size=12345678))
        self.assertIn('needs 12345678 GiB, 100 GiB left', str(error))

    def test_many_pools_are_shortened(self):
        pools = [fakes.pool(host='h@b#p%02d' % i) for i in range(40)]
        error = self.assertRaises(exception.NoValidHost,
                                  self.scheduler.select, pools,
                                  spec(size=101))
        message = str(error)
        self.assertNotIn('\n', message)
        self.assertIn('h@b#p02 (needs 101 GiB', message)
        self.assertNotIn('h@b#p03', message)
        self.assertTrue(message.endswith(' and 37 more'), message)

    def test_reasons_are_one_line(self):
        report = [('F', [('h@b#p', 'two\nlines\r\n here')])]
        self.assertEqual('F removed h@b#p (two lines here)',
                         filter_scheduler.format_report(report))

    def test_filter_report(self):
        pools = self.two_backends()
        passing, report = self.scheduler.filter(
            pools, spec(size=20, availability_zone=None))
        self.assertEqual([pools[0]], passing)
        self.assertEqual(
            [('AvailabilityZoneFilter', []),
             ('CapacityFilter', [('h@b2#p1', 'needs 20 GiB, 10 GiB left: '
                                  '0 of 100 GiB allocated, 10 GiB free, '
                                  'thick')]),
             ('CapabilitiesFilter', []), ('DriverFilter', []),
             ('ShareReplicationFilter', []),
             ('CreateFromSnapshotFilter', [])], report)

    def test_filters_stop_when_no_pool_is_left(self):
        passing, report = self.scheduler.filter(self.two_backends(),
                                                spec(size=500))
        self.assertEqual([], passing)
        self.assertEqual(['AvailabilityZoneFilter', 'CapacityFilter'],
                         [name for name, _removed in report])

    def test_fifty_creates_on_a_100_gib_pool(self):
        pool = fakes.pool(thin_provisioning=True,
                          max_over_subscription_ratio=1.0)
        chosen = self.scheduler.select_many([pool], spec(size=2), 50)
        self.assertEqual([pool] * 50, chosen)
        error = self.assertRaises(exception.NoValidHost,
                                  self.scheduler.select, [pool], spec(size=2))
        self.assertIn('needs 2 GiB, 0 GiB left: 100 of 100 GiB allocated',
                      str(error))

    def test_select_many_spreads(self):
        pools = [fakes.pool(host='h@b#p%d' % i) for i in range(4)]
        chosen = self.scheduler.select_many(pools, spec(size=10), 8)
        self.assertEqual(['h@b#p0', 'h@b#p1', 'h@b#p2', 'h@b#p3'] * 2,
                         [p.host for p in chosen])
        self.assertEqual([20] * 4, [p.allocated_capacity_gb for p in pools])

    def test_zone_and_snapshot_and_replica(self):
        pools = [fakes.pool(host='h@b1#p1', zone='az1',
                            replication_domain='d1', replication_type='dr'),
                 fakes.pool(host='h@b2#p1', zone='az1',
                            replication_domain='d1', replication_type='dr'),
                 fakes.pool(host='h@b3#p1', zone='az2',
                            replication_domain='d1', replication_type='dr')]
        request = spec(extra_specs={'replication_type': 'dr'},
                       availability_zone='az1', snapshot_host='h@b1#p1',
                       replication={'active_replica_host': 'h@b1#p1',
                                    'replica_hosts': ['h@b1#p1'],
                                    'replication_domain': 'd1'})
        self.assertEqual('h@b2#p1',
                         self.scheduler.select(pools, request).host)

    @ddt.unpack
    @ddt.data(({'size': -1}, 'size must be a whole number'),
              ({'size': '1'}, 'size must be a whole number'),
              ({'size': True}, 'size must be a whole number'),
              ({}, 'size must be a whole number'),
              ({'size': 1, 'resource_type': 'gold'},
               'resource_type must be a dict'),
              ({'size': 1, 'resource_type': {'extra_specs': ['a']}},
               'extra_specs must be a dict'),
              ({'size': 1, 'snapshot_host': 'h@b#p#x'}, 'not a valid host'))
    def test_bad_request_spec(self, request_spec, words):
        error = self.assertRaises(exception.InvalidInput,
                                  self.scheduler.select, [fakes.pool()],
                                  request_spec)
        self.assertIn(words, str(error))

    def test_volume_scheduler(self):
        scheduler = filter_scheduler.FilterScheduler('volume')
        pools = [fakes.pool(host='h@lvm#lvm', kind='volume',
                            volume_backend_name='lvm',
                            thin_provisioning_support=True),
                 fakes.pool(host='h@nfs#nfs', kind='volume',
                            volume_backend_name='nfs')]
        self.assertEqual('h@lvm#lvm', scheduler.select(pools, spec(
            size=150, extra_specs={'volume_backend_name': 'lvm'})).host)
        error = self.assertRaises(
            exception.NoValidHost, scheduler.select, pools,
            spec(size=150, extra_specs={'provisioning:type': 'thick'}))
        self.assertIn('CapacityFilter removed h@lvm#lvm (needs 150 GiB',
                      str(error))
