"""Placement by type through the installed CLI, on real local backends."""

from storagemgr.tests.functional import base

TWO = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = b1,b2\n'
       '[b1]\nshare_driver = %s\n%s'
       '[b2]\nshare_driver = local\nlocal_share_root = @STATE@/r2\n')


class SchedulerCLITestCase(base.FunctionalTestCase):

    def backend_of(self, share):
        host = share['host']
        self.assertRegex(host, r'^[^@#]+@[^@#]+#[^@#]+$')
        return host.split('@')[1].split('#')[0]

    def create(self, *args):
        share = self.cli_json('share', 'create', 'NFS', *args)
        self.assertEqual('available', share['status'], share)
        return share

    def assertNothingCreating(self):
        self.assertEqual([], [s for s in self.cli_json('share', 'list')
                              if s['status'] == 'creating'])


class TestPlacement(SchedulerCLITestCase):

    def test_snapshot_support_lands_on_the_only_capable_backend(self):
        self.write_config(TWO % (
            'fake', 'fake_capabilities = snapshot_support:false\n'))
        self.assertEqual(0, self.cli('share', 'type', 'create', 'snappy',
                                     'False', '--extra-specs',
                                     'snapshot_support=True').rc)
        for _ in range(4):
            share = self.create('1', '--share-type', 'snappy')
            self.assertEqual('b2', self.backend_of(share))
            self.assertEqual('snappy', share['share_type'])

    def test_capability_refusal_names_the_filter_and_pools(self):
        self.write_config(TWO % ('local', 'local_share_root = @STATE@/r1\n'))
        self.cli('share', 'type', 'create', 'nowhere', 'False',
                 '--extra-specs', 'share_backend_name=b9')
        result = self.cli('share', 'create', 'NFS', '1', '--share-type',
                          'nowhere')
        self.assertRefused(result, 'No valid host', 'CapabilitiesFilter',
                           '@b1#', '@b2#')
        self.assertNothingCreating()

    def test_capacity_refusal_is_one_clear_line(self):
        self.write_config(TWO % ('local', 'local_share_root = @STATE@/r1\n'))
        result = self.cli('share', 'create', 'NFS', '99999999')
        self.assertRefused(result, 'No valid host', 'CapacityFilter')
        self.assertNothingCreating()

    def test_driver_filter_refusal(self):
        config = TWO % ('fake', 'filter_function = "share.size < 5"\n')
        self.write_config(config.replace(
            '[b2]\n', '[b2]\nfilter_function = "share.size < 3"\n'))
        self.assertEqual('b1', self.backend_of(self.create('4')))
        result = self.cli('share', 'create', 'NFS', '6')
        self.assertRefused(result, 'No valid host', 'DriverFilter')
        self.assertNothingCreating()

    def test_capacity_is_accounted_to_the_limit(self):
        self.write_config(TWO % (
            'fake', 'fake_total_capacity_gb = 10\n'
            'max_over_subscription_ratio = 1.0\n'))
        self.cli('share', 'type', 'create', 'fake', 'False',
                 '--extra-specs', 'share_backend_name=b1')
        made = [self.create('2', '--share-type', 'fake') for _ in range(5)]
        result = self.cli('share', 'create', 'NFS', '2', '--share-type',
                          'fake')
        self.assertRefused(result, 'No valid host', 'CapacityFilter')
        self.assertNothingCreating()
        # A delete gives its space back.
        self.assertEqual(0, self.cli('share', 'delete', made[0]['id']).rc)
        self.create('2', '--share-type', 'fake')
        pools = self.cli_json('share', 'pool', 'list', '--backend', 'b1')
        self.assertEqual([10], [p['allocated_capacity_gb'] for p in pools])

    def test_backend_pin_still_runs_the_filters(self):
        self.write_config(TWO % ('local', 'local_share_root = @STATE@/r1\n'))
        pools = self.cli_json('share', 'pool', 'list')
        names = sorted(p['name'] for p in pools)
        self.assertEqual(2, len(names))
        self.assertEqual('b2', self.backend_of(
            self.create('1', '--backend', 'b2')))
        self.assertEqual('b2', self.backend_of(
            self.create('1', '--backend', names[1])))
        self.assertRefused(self.cli('share', 'create', 'NFS', '99999999',
                                    '--backend', 'b1'),
                           'CapacityFilter', '--backend')

    def test_type_in_use_cannot_be_deleted(self):
        self.write_config(TWO % ('local', 'local_share_root = @STATE@/r1\n'))
        self.cli('share', 'type', 'create', 'gold', 'False')
        share = self.create('1', '--share-type', 'gold')
        self.assertRefused(self.cli('share', 'type', 'delete', 'gold'),
                           'gold')
        self.assertEqual(0, self.cli('share', 'delete', share['id']).rc)
        self.assertEqual(0, self.cli('share', 'type', 'delete', 'gold').rc)
