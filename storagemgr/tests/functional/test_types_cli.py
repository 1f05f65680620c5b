"""Share, volume and share group types through the installed CLI."""

from storagemgr.tests.functional import base

CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = b1,b2,v1\n'
          '[b1]\nshare_driver = local\nlocal_share_root = @STATE@/r1\n'
          '[b2]\nshare_driver = local\nlocal_share_root = @STATE@/r2\n'
          '[v1]\nvolume_driver = local\n')


class TypesCLITestCase(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)

    def names(self, *noun):
        return [t['name'] for t in self.cli_json(*(noun + ('list',)))]

    def test_share_type_lifecycle_with_a_share(self):
        gold = self.cli_json('share', 'type', 'create', 'gold', 'False',
                             '--extra-specs', 'share_backend_name=b2',
                             'snapshot_support=true')
        self.assertEqual({'share_backend_name': 'b2',
                          'snapshot_support': 'True'},
                         gold['optional_extra_specs'])
        self.assertEqual(['gold'], self.names('share', 'type'))

        share = self.cli_json('share', 'create', 'NFS', '1', '--share-type',
                              'gold', '--name', 's')
        shown = self.cli_json('share', 'show', share['id'])
        self.assertEqual(('b2', gold['id']),
                         (shown['backend'], shown['share_type_id']))

        self.assertRefused(self.cli('share', 'type', 'delete', 'gold'),
                           "share type 'gold' is in use by 1 share",
                           share['id'])
        result = self.cli('share', 'delete', 's')
        self.assertEqual(0, result.rc, result.err)
        self.assertEqual([], self.cli_json('share', 'list'))
        result = self.cli('share', 'type', 'delete', 'gold')
        self.assertEqual(0, result.rc, result.err)
        self.assertEqual([], self.names('share', 'type'))

    def test_bad_input_is_refused_in_one_line(self):
        for args, culprit in (
                (('share', 'type', 'create', 'x', 'maybe'), 'maybe'),
                (('share', 'type', 'create', 'x', 'true', '--extra-specs',
                  'replication_type=sometimes'), 'replication_type'),
                (('share', 'type', 'show', 'ghost'), 'ghost'),
                (('volume', 'type', 'create', 'v', '--property', 'k'),
                 "'k'"),
                (('share', 'group', 'type', 'create', 'g', 'ghost'),
                 "No share type 'ghost'")):
            result = self.cli(*args)
            self.assertRefused(result, culprit)
            self.assertEqual(1, len(result.err.strip().splitlines()),
                             result.err)

    def test_volume_types(self):
        fast = self.cli_json('volume', 'type', 'create', 'fast',
                             '--property', 'volume_backend_name=v1')
        self.assertEqual({'volume_backend_name': 'v1'}, fast['extra_specs'])
        result = self.cli('volume', 'type', 'set', 'fast', '--property',
                          'k=v', '--description', 'Fast')
        self.assertEqual(0, result.rc, result.err)
        [listed] = self.cli_json('volume', 'type', 'list')
        self.assertEqual(({'volume_backend_name': 'v1', 'k': 'v'}, 'Fast'),
                         (listed['extra_specs'], listed['description']))
        result = self.cli('volume', 'type', 'delete', 'fast')
        self.assertEqual(0, result.rc, result.err)
        self.assertEqual([], self.names('volume', 'type'))

    def test_share_group_types(self):
        for name in ('a', 'b'):
            self.cli_json('share', 'type', 'create', name, 'false')
        grp = self.cli_json('share', 'group', 'type', 'create', 'grp', 'a',
                            'b', '--group-specs', 'k=v')
        self.assertEqual((['a', 'b'], {'k': 'v'}),
                         (grp['share_types'], grp['group_specs']))
        self.assertRefused(self.cli('share', 'type', 'delete', 'a'),
                           'share group type (grp)')
        result = self.cli('share', 'group', 'type', 'delete', 'grp')
        self.assertEqual(0, result.rc, result.err)
        result = self.cli('share', 'type', 'delete', 'a', 'b')
        self.assertEqual(0, result.rc, result.err)

    def test_default_share_type_from_config(self):
        self.write_config(CONFIG.replace(
            '[DEFAULT]\n', '[DEFAULT]\ndefault_share_type = gold\n'))
        self.assertRefused(self.cli('share', 'create', 'NFS', '1'),
                           "'gold' (named by the default_share_type "
                           "option)")
        self.cli_json('share', 'type', 'create', 'gold', 'false',
                      '--extra-specs', 'share_backend_name=b1')
        [listed] = self.cli_json('share', 'type', 'list')
        self.assertTrue(listed['is_default'])
        share = self.cli_json('share', 'create', 'NFS', '1')
        self.assertEqual(('b1', listed['id']),
                         (share['backend'], share['share_type_id']))
        self.assertRefused(self.cli('share', 'type', 'delete', 'gold'),
                           'default_share_type')
