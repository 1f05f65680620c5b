"""Every filter: which pools pass, and the reason given for the others."""

import ddt
import fixtures
import testtools

from storagemgr.scheduler.filters import availability_zone
from storagemgr.scheduler.filters import capabilities
from storagemgr.scheduler.filters import capacity
from storagemgr.scheduler.filters import create_from_snapshot
from storagemgr.scheduler.filters import driver
from storagemgr.scheduler.filters import share_replication
from storagemgr.tests.unit.scheduler import fakes


class FilterTestCase(testtools.TestCase):
    filter_class = None

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger())
        self.filter = self.filter_class(None)

    def reject(self, pool, request):
        """The filter's reason, checked against filter_all."""
        passing, removed = self.filter.filter_all([pool], request)
        if not self.filter.applies(request):
            self.assertEqual(([pool], []), (passing, removed))
            return None
        reason = self.filter.reject(pool, request)
        self.assertEqual(([], [(pool, reason)]) if reason else
                         ([pool], []), (passing, removed))
        return reason


@ddt.ddt
class AvailabilityZoneFilterTestCase(FilterTestCase):
    filter_class = availability_zone.AvailabilityZoneFilter

    @ddt.unpack
    @ddt.data(
        ('az1', None, {}, None),
        (None, None, {}, None),
        ('az1', 'az1', {}, None),
        ('az2', 'az1', {}, 'in availability zone az2, not az1'),
        (None, 'az1', {}, 'in availability zone (none), not az1'),
        ('az1', None, {'availability_zones': 'az1, az2'}, None),
        ('az3', None, {'availability_zones': 'az1,az2'},
         "availability zone az3 is not one of the type's (az1, az2)"),
        ('az2', 'az2', {'availability_zones': 'az1,az2'}, None),
        ('az2', 'az1', {'availability_zones': 'az1,az2'},
         'in availability zone az2, not az1'),
        ('az3', None, {'capabilities:availability_zones': 'az1'},
         "availability zone az3 is not one of the type's (az1)"),
    )
    def test_zones(self, pool_zone, requested, specs, reason):
        request = fakes.request(extra_specs=specs,
                                availability_zone=requested)
        self.assertEqual(reason, self.reject(fakes.pool(zone=pool_zone),
                                             request))

    def test_does_not_run_without_zones(self):
        self.assertFalse(self.filter.applies(fakes.request()))


@ddt.ddt
class CapacityFilterTestCase(FilterTestCase):
    filter_class = capacity.CapacityFilter

    @ddt.unpack
    @ddt.data(
        # thick
        (dict(), 0, 100, {}, None),
        (dict(), 0, 101, {},
         'needs 101 GiB, 100 GiB left: 0 of 100 GiB allocated, 100 GiB '
         'free, thick'),
        (dict(), 95, 6, {},
         'needs 6 GiB, 5 GiB left: 95 of 100 GiB allocated, 100 GiB free, '
         'thick'),
        (dict(free_capacity_gb=10), 0, 11, {},
         'needs 11 GiB, 10 GiB left: 0 of 100 GiB allocated, 10 GiB free, '
         'thick'),
        (dict(reserved_percentage=10), 0, 91, {},
         'needs 91 GiB, 90 GiB left: 0 of 100 GiB allocated, 100 GiB free, '
         'thick, 10% reserved'),
        (dict(reserved_percentage=10), 0, 90, {}, None),
        # thin, over-subscribed
        (dict(thin_provisioning=True, max_over_subscription_ratio=2.0), 0,
         200, {}, None),
        (dict(thin_provisioning=True, max_over_subscription_ratio=2.0), 150,
         51, {},
         'needs 51 GiB, 50 GiB left: 150 of 100 GiB allocated, 100 GiB '
         'free, thin, max_over_subscription_ratio 2'),
        (dict(thin_provisioning=True, max_over_subscription_ratio=2.0,
              free_capacity_gb=10), 0, 21, {},
         'needs 21 GiB, 20 GiB left: 0 of 100 GiB allocated, 10 GiB free, '
         'thin, max_over_subscription_ratio 2'),
        (dict(thin_provisioning=[True, False],
              max_over_subscription_ratio=2.0), 0, 150, {}, None),
        # the type asks thick: no over-subscription
        (dict(thin_provisioning=True, max_over_subscription_ratio=2.0), 0,
         150, {'thin_provisioning': '<is> False'},
         'needs 150 GiB, 100 GiB left: 0 of 100 GiB allocated, 100 GiB '
         'free, thick'),
        (dict(thin_provisioning=True, max_over_subscription_ratio=2.0), 0,
         150, {'thin_provisioning': '<is> True'}, None),
        (dict(thin_provisioning=True, max_over_subscription_ratio=2.0), 0,
         150, {'provisioning:type': 'thick'},
         'needs 150 GiB, 100 GiB left: 0 of 100 GiB allocated, 100 GiB '
         'free, thick'),
        # the type asks thin of a thick pool: thick rules
        (dict(), 0, 150, {'thin_provisioning': 'True'},
         'needs 150 GiB, 100 GiB left: 0 of 100 GiB allocated, 100 GiB '
         'free, thick'),
        (dict(thin_provisioning=True, max_over_subscription_ratio=0.9), 0,
         1, {}, 'invalid max_over_subscription_ratio 0.9 (must be 1 or '
                'more)'),
        # unknown, infinite, empty
        (dict(free_capacity_gb='unknown'), 0, 50, {}, None),
        (dict(free_capacity_gb='unknown'), 60, 50, {},
         'needs 50 GiB, 40 GiB left: 60 of 100 GiB allocated, unknown GiB '
         'free, thick'),
        (dict(total_capacity_gb='unknown', free_capacity_gb='unknown'), 0,
         10 ** 6, {}, None),
        (dict(total_capacity_gb='infinite', free_capacity_gb='infinite'), 0,
         10 ** 6, {}, None),
        # free space unknown: assumed able, whatever the reserve (as
        # Cinder's FakeLoggingVolumeDriver needs: infinite, 100% reserved)
        (dict(total_capacity_gb='unknown', free_capacity_gb='unknown',
              reserved_percentage=1), 0, 1, {}, None),
        (dict(total_capacity_gb='infinite', free_capacity_gb='infinite',
              reserved_percentage=100), 0, 1, {}, None),
        (dict(total_capacity_gb='unknown', free_capacity_gb=50,
              reserved_percentage=1), 0, 1, {},
         'cannot reserve 1% of an unknown total capacity'),
        (dict(total_capacity_gb=0, free_capacity_gb=0), 0, 1, {},
         'total capacity is 0 GiB'),
        (dict(total_capacity_gb=0, free_capacity_gb=0), 0, 0, {},
         'total capacity is 0 GiB'),
        (dict(free_capacity_gb=None), 0, 1, {}, 'reports no usable capacity'),
        (dict(), 100, 0, {}, None),
    )
    def test_capacity(self, caps, allocated, size, specs, reason):
        pool = fakes.pool(allocated=allocated, **caps)
        self.assertEqual(reason, self.reject(
            pool, fakes.request(size=size, extra_specs=specs)))

    def test_fifty_creates_stop_at_the_limit(self):
        pool = fakes.pool(thin_provisioning=True,
                          max_over_subscription_ratio=1.0)
        request = fakes.request(size=2)
        placed = 0
        while self.filter.reject(pool, request) is None:
            pool.consume(request.size, request.thin)
            placed += 1
        self.assertEqual(50, placed)
        self.assertEqual(100, pool.allocated_capacity_gb)
        self.assertEqual(pool.limit_gb(), pool.allocated_capacity_gb)


@ddt.ddt
class CapabilitiesFilterTestCase(FilterTestCase):
    filter_class = capabilities.CapabilitiesFilter

    CAPS = {
        'share_backend_name': 'b1', 'snapshot_support': True,
        'create_share_from_snapshot_support': False,
        'replication_type': 'readable', 'thin_provisioning': [True, False],
        'driver_handles_share_servers': False, 'storage_protocol': 'NFS_CIFS',
        'share_group_stats': {'consistent_snapshot_support': 'pool'},
        'max_files': 1000, 'vendor_name': 'storagemgr', 'qos': False,
    }

    @ddt.unpack
    @ddt.data(
        ({}, None),
        ({'share_backend_name': 'b1'}, None),
        ({'share_backend_name': 'b2'},
         'share_backend_name: b1 does not match b2'),
        ({'volume_backend_name': 'b1'}, 'volume_backend_name: not reported'),
        ({'snapshot_support': 'True'}, None),
        ({'snapshot_support': 'true'}, None),
        ({'snapshot_support': '<is> True'}, None),
        ({'snapshot_support': 'False'},
         'snapshot_support: True does not match False'),
        ({'create_share_from_snapshot_support': 'True'},
         'create_share_from_snapshot_support: False does not match True'),
        ({'create_share_from_snapshot_support': '<is> False'}, None),
        ({'driver_handles_share_servers': 'False'}, None),
        ({'thin_provisioning': 'True'}, None),
        ({'thin_provisioning': 'False'}, None),
        ({'thin_provisioning': '<is> True'}, None),
        ({'replication_type': 'readable'}, None),
        ({'replication_type': 'dr'},
         'replication_type: readable does not match dr'),
        ({'replication_type': '<or> dr <or> readable'}, None),
        ({'capabilities:replication_type': 'readable'}, None),
        ({'capabilities:replication_type': 'writable'},
         'capabilities:replication_type: readable does not match writable'),
        ({'storage_protocol': '<in> cifs'}, None),
        ({'max_files': '>= 500'}, None),
        ({'max_files': '<= 500'}, 'max_files: 1000 does not match <= 500'),
        ({'vendor_name': 's== StorageMgr'}, None),
        ({'capabilities:share_group_stats:consistent_snapshot_support':
          'pool'}, None),
        ({'capabilities:share_group_stats:missing': 'x'},
         'capabilities:share_group_stats:missing: not reported'),
        ({'capabilities:vendor_name:x': 'y'},
         'capabilities:vendor_name:x: not reported'),
        # other scopes and non-capability specs are ignored
        ({'provisioning:type': 'thick', 'vendor:option': 'x',
          'availability_zones': 'az9',
          'capabilities:availability_zones': 'az9'}, None),
        ({'qos': 'False'}, None),
        # the first unmet spec (in key order) is the reason
        ({'snapshot_support': 'False', 'share_backend_name': 'b2'},
         'share_backend_name: b1 does not match b2'),
    )
    def test_specs(self, specs, reason):
        self.assertEqual(reason, self.reject(
            fakes.pool(**self.CAPS), fakes.request(extra_specs=specs)))

    @ddt.unpack
    @ddt.data((['nfs', 'cifs'], '<all-in> nfs cifs', None),
              (['nfs'], '<all-in> nfs cifs',
               "protocols: ['nfs'] does not match <all-in> nfs cifs"),
              (['nfs', 'cifs'], 'cifs', None),
              (['nfs', 'cifs'], '<in> cif', None),
              ([True], 'False', 'protocols: [True] does not match False'))
    def test_list_capabilities(self, value, spec, reason):
        self.assertEqual(reason, self.reject(
            fakes.pool(protocols=value),
            fakes.request(extra_specs={'protocols': spec})))

    def test_verdicts_are_kept_per_type(self):
        pool = fakes.pool(share_backend_name='b1')
        for _ in range(2):
            self.assertIsNone(self.reject(pool, fakes.request(
                extra_specs={'share_backend_name': 'b1'})))
            self.assertEqual(
                'share_backend_name: b1 does not match b2',
                self.reject(pool, fakes.request(
                    extra_specs={'share_backend_name': 'b2'})))
        self.assertEqual(2, len(pool.memo))

    def test_volume_backend_name(self):
        pool = fakes.pool(kind='volume', volume_backend_name='lvm')
        request = fakes.request(kind='volume', extra_specs={
            'volume_backend_name': 'lvm'})
        self.assertIsNone(self.reject(pool, request))

    def test_does_not_run_without_specs(self):
        self.assertFalse(self.filter.applies(fakes.request()))
        self.assertFalse(self.filter.applies(fakes.request(
            extra_specs={'provisioning:type': 'thin'})))


@ddt.ddt
class DriverFilterTestCase(FilterTestCase):
    filter_class = driver.DriverFilter

    @ddt.unpack
    @ddt.data(
        (None, None),
        ('', None),
        ('true', None),
        ('share.size < 10', None),
        ('share.size > 10', "filter_function 'share.size > 10' is false"),
        ('stats.free_capacity_gb >= 100 and extra.tier == gold', None),
        ('stats.allocated_capacity_gb == 3', None),
        ('capabilities.vendor_name == storagemgr', None),
        ("share.share_proto == 'NFS'", None),
        ('share.size * 0', "filter_function 'share.size * 0' is false"),
        ('stats.nope > 1',
         "filter_function 'stats.nope > 1' failed: unknown variable "
         "stats.nope"),
        ('volume.size > 1',
         "filter_function 'volume.size > 1' failed: unknown variable "
         "volume.size"),
        ('share.size >', "filter_function 'share.size >' failed: cannot "
                         "parse at column 13 (end)"),
        ('1 / 0', "filter_function '1 / 0' failed: division by zero"),
        ("__import__('os')", "filter_function \"__import__('os')\" failed: "
                             "cannot parse at column 11 (\"('os')\")"),
        ('1 + ' * 30 + 'x > 1',
         "filter_function '" + '1 + ' * 19 + "1..." + "' failed: 'x' is "
         "not a number"),
    )
    def test_filter_function(self, function, reason):
        pool = fakes.pool(allocated=3, filter_function=function,
                          vendor_name='storagemgr')
        request = fakes.request(size=5, extra_specs={'tier': 'gold'},
                                share_proto='NFS')
        self.assertEqual(reason, self.reject(pool, request))

    def test_failure_is_logged(self):
        pool = fakes.pool(filter_function='1 +')
        self.assertIn('failed', self.reject(pool, fakes.request()))
        self.assertIn("filter_function of pool h@b1#p1, '1 +', cannot be "
                      "evaluated: cannot parse at column 4 (end)",
                      self.log.output)

    def test_volume_requests_see_volume(self):
        pool = fakes.pool(kind='volume', filter_function='volume.size < 3')
        self.assertIsNone(self.reject(pool, fakes.request(size=2,
                                                          kind='volume')))

    def test_resource_properties(self):
        pool = fakes.pool(filter_function='share.project == p1')
        self.assertIsNone(self.reject(pool, fakes.request(
            resource_properties={'project': 'p1'})))

    def test_sees_consumed_figures(self):
        pool = fakes.pool(filter_function='stats.allocated_capacity_gb < 10')
        request = fakes.request()
        self.assertIsNone(self.reject(pool, request))
        pool.consume(10)
        self.assertIn('is false', self.reject(pool, request))


@ddt.ddt
class ShareReplicationFilterTestCase(FilterTestCase):
    filter_class = share_replication.ShareReplicationFilter

    REPLICA = {'active_replica_host': 'h@b1#p1',
               'replica_hosts': ['h@b1#p1', 'h@b2#p1'],
               'replication_domain': 'd1'}

    @ddt.unpack
    @ddt.data(
        # not a replicated type: anything goes
        ('h@b3#p1', None, {}, None, None),
        ('h@b3#p1', 'd1', {}, REPLICA, None),
        # a new replicated share: needs a domain
        ('h@b3#p1', 'd1', {'replication_type': 'dr'}, None, None),
        ('h@b3#p1', None, {'replication_type': 'dr'}, None,
         'replication is not enabled (no replication_domain)'),
        # a new replica: same domain, no replica there yet
        ('h@b3#p1', 'd1', {'replication_type': 'dr'}, REPLICA, None),
        ('h@b3#p1', 'd2', {'replication_type': 'dr'}, REPLICA,
         "replication domain d2 differs from the active replica's (d1 on "
         "h@b1#p1)"),
        ('h@b2#p1', 'd1', {'replication_type': 'dr'}, REPLICA,
         'already holds a replica of this share'),
        ('h@b1#p1', 'd1', {'replication_type': 'dr'}, REPLICA,
         'already holds a replica of this share'),
        ('h@b3#p1', None, {'replication_type': 'dr'}, REPLICA,
         'replication is not enabled (no replication_domain)'),
    )
    def test_replication(self, host, domain, specs, replication, reason):
        pool = fakes.pool(host=host, replication_domain=domain)
        request = fakes.request(extra_specs=specs, replication=replication)
        self.assertEqual(reason, self.reject(pool, request))


@ddt.ddt
class CreateFromSnapshotFilterTestCase(FilterTestCase):
    filter_class = create_from_snapshot.CreateFromSnapshotFilter

    @ddt.unpack
    @ddt.data(
        ('h@b1#p2', None, None, None),
        ('h@b1#p1', 'h@b1#p1', None, None),
        ('h@b1#p2', 'h@b1#p1', None, None),
        ('h@b2#p1', 'h@b1#p1', None,
         "neither on the snapshot's backend (b1) nor in its replication "
         "domain (none)"),
        ('other@b1#p1', 'h@b1#p1', None,
         "neither on the snapshot's backend (b1) nor in its replication "
         "domain (none)"),
        ('h@b2#p1', 'h@b1#p1', 'd1', None),
        ('h@b2#p1', 'h@b1#p1', 'd2',
         "neither on the snapshot's backend (b1) nor in its replication "
         "domain (d2)"),
    )
    def test_snapshot(self, host, snapshot_host, snapshot_domain, reason):
        pool = fakes.pool(host=host, replication_domain='d1')
        spec = {'snapshot_host': snapshot_host}
        if snapshot_domain:
            spec['snapshot_replication_domain'] = snapshot_domain
        self.assertEqual(reason, self.reject(pool, fakes.request(**spec)))

    def test_domain_read_from_the_snapshot_pool(self):
        source = fakes.pool(host='h@b1#p1', replication_domain='d1')
        other = fakes.pool(host='h@b2#p1', replication_domain='d1')
        request = fakes.request(snapshot_host='h@b1#p1',
                                pools=[source, other])
        self.assertEqual('d1', request.snapshot_replication_domain)
        self.assertIsNone(self.reject(other, request))
