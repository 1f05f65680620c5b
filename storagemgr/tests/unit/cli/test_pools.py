"""``share pool list`` and ``volume pool list`` through the CLI."""

import ddt

from storagemgr.tests.unit.cli import fixtures


@ddt.ddt
class PoolListTestCase(fixtures.CLITestCase):

    enabled_backends = 'b1,b2,v1'
    sections = ('[b1]\nshare_driver = fake\nfake_total_capacity_gb = 100\n'
                '[b2]\nshare_driver = fake\n'
                'fake_capabilities = snapshot_support:false\n'
                '[v1]\nvolume_driver = fake\n')

    @ddt.data('json', 'yaml', 'table', 'value')
    def test_detail_in_every_format(self, fmt):
        out = self.ok('share', 'pool', 'list', '--detail', '-f', fmt)
        self.assertIn('test-host@b1#b1', out)
        self.assertIn('updated_at', out)

    def test_columns_and_figures(self):
        pools = self.json('share', 'pool', 'list')
        self.assertEqual(['test-host@b1#b1', 'test-host@b2#b2'],
                         [p['name'] for p in pools])
        first = pools[0]
        self.assertEqual(('test-host', 'b1', 'b1', 100.0, 0),
                         (first['host'], first['backend'], first['pool'],
                          first['total_capacity_gb'],
                          first['allocated_capacity_gb']))
        self.ok('share', 'create', 'NFS', '7', '--backend', 'b1')
        pools = self.json('share', 'pool', 'list', '--backend', 'b1')
        self.assertEqual([7], [p['allocated_capacity_gb'] for p in pools])

    def test_type_keeps_the_matching_pools(self):
        self.ok('share', 'type', 'create', 'snappy', 'False',
                '--extra-specs', 'snapshot_support=True')
        pools = self.json('share', 'pool', 'list', '--share-type', 'snappy')
        self.assertEqual(['test-host@b1#b1'], [p['name'] for p in pools])
        self.refused('share', 'pool', 'list', '--share-type', 'ghost',
                     expect='ghost')

    def test_volume_pools(self):
        pools = self.json('volume', 'pool', 'list')
        self.assertEqual(['test-host@v1#v1'], [p['name'] for p in pools])
        self.refused('volume', 'pool', 'list', '--backend', 'b1',
                     expect='b1')
