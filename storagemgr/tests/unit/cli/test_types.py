"""``storagemgr share type``, ``volume type`` and ``share group type``."""

import ddt

from storagemgr.db import api as db_api
from storagemgr.db.models import share as share_models
from storagemgr.db.models import volume as volume_models
from storagemgr.tests.unit.cli import fixtures

SHARE_COLUMNS = ['id', 'name', 'visibility', 'is_default',
                 'required_extra_specs', 'optional_extra_specs',
                 'description']
VOLUME_COLUMNS = ['id', 'name', 'visibility', 'is_default', 'extra_specs',
                  'description']
GROUP_COLUMNS = ['id', 'name', 'visibility', 'is_default', 'group_specs',
                 'share_types', 'description']


class TypesCliTestCase(fixtures.CLITestCase):
    """No backends: types live in the database only."""


class ShareTypeCliTestCase(TypesCliTestCase):

    def test_create_list_show(self):
        created = self.json('share', 'type', 'create', 'gold', 'false',
                            '--extra-specs', 'share_backend_name=b2',
                            'snapshot_support=yes', '--extra-specs',
                            'replication_type=dr', '--description', 'Gold')
        self.assertEqual(sorted(SHARE_COLUMNS), sorted(created))
        self.assertEqual(
            ('gold', 'public', False, 'Gold',
             {'driver_handles_share_servers': 'False'},
             {'share_backend_name': 'b2', 'snapshot_support': 'True',
              'replication_type': 'dr'}),
            (created['name'], created['visibility'], created['is_default'],
             created['description'], created['required_extra_specs'],
             created['optional_extra_specs']))
        [listed] = self.json('share', 'type', 'list')
        self.assertEqual(SHARE_COLUMNS, list(listed))
        self.assertEqual(created, listed)
        self.assertEqual(created, self.json('share', 'type', 'show', 'gold'))
        self.assertEqual(created, self.json('share', 'type', 'show',
                                            created['id']))

    def test_table_output(self):
        self.ok('share', 'type', 'create', 'gold', 'true')
        out = self.ok('share', 'type', 'list')
        self.assertIn('{"driver_handles_share_servers": "True"}', out)
        for column in SHARE_COLUMNS:
            self.assertIn(column, out)

    def test_private_then_public(self):
        self.ok('share', 'type', 'create', 'gold', '0', '--private')
        self.assertEqual('private', self.json('share', 'type', 'show',
                                              'gold')['visibility'])
        self.ok('share', 'type', 'set', 'gold', '--public')
        self.assertEqual('public', self.json('share', 'type', 'show',
                                             'gold')['visibility'])

    def test_set_and_unset(self):
        self.ok('share', 'type', 'create', 'gold', 'false')
        self.assertEqual('', self.ok(
            'share', 'type', 'set', 'gold', '--extra-specs', 'a=1', 'b=x=y',
            '--description', 'D', '--name', 'platinum'))
        shown = self.json('share', 'type', 'show', 'platinum')
        self.assertEqual(({'a': '1', 'b': 'x=y'}, 'D'),
                         (shown['optional_extra_specs'],
                          shown['description']))
        self.ok('share', 'type', 'unset', 'platinum', 'a', 'b')
        self.assertEqual({}, self.json('share', 'type', 'show',
                                       'platinum')['optional_extra_specs'])

    def test_refusals_are_one_line_naming_the_culprit(self):
        self.ok('share', 'type', 'create', 'gold', 'false')
        for args, culprit in (
                (('create', 'gold', 'false'), "'gold' already exists"),
                (('create', 'x', 'maybe'), "'maybe' is not a boolean"),
                (('create', 'x', 'true', '--extra-specs',
                  'driver_handles_share_servers=true'),
                 'driver_handles_share_servers is the positional'),
                (('create', 'x', 'true', '--extra-specs', 'novalue'),
                 "--extra-specs takes KEY=VALUE, not 'novalue'"),
                (('create', 'x', 'true', '--extra-specs',
                  'replication_type=sync'), 'replication_type'),
                (('show', 'nope'), "No share type 'nope'."),
                (('set', 'nope', '--extra-specs', 'a=b'),
                 "No share type 'nope'."),
                (('unset', 'gold', 'zz'), "'gold' has no extra spec zz"),
                (('unset', 'gold', 'driver_handles_share_servers'),
                 'required by every share type'),
                (('delete', 'nope'), "No share type 'nope'.")):
            self.refused('share', 'type', *args, expect=culprit)

    def test_delete_several(self):
        for name in ('a', 'b', 'c'):
            self.ok('share', 'type', 'create', name, 'false')
        self.ok('share', 'type', 'delete', 'a', 'b')
        self.assertEqual(['c'], [t['name'] for t in self.json(
            'share', 'type', 'list')])

    def test_delete_refused_while_a_share_uses_it(self):
        gold = self.json('share', 'type', 'create', 'gold', 'false')
        share = db_api.create(share_models.Share, {
            'size': 1, 'share_proto': 'NFS', 'share_type_id': gold['id']})
        err = self.refused('share', 'type', 'delete', 'gold',
                           expect="share type 'gold' is in use by 1 share")
        self.assertIn(share.id, err)
        self.assertEqual(['gold'], [t['name'] for t in self.json(
            'share', 'type', 'list')])

    def test_default_from_config(self):
        self.ok('share', 'type', 'create', 'gold', 'false')
        self.flags(default_share_type='gold')
        self.assertTrue(self.json('share', 'type', 'show',
                                  'gold')['is_default'])


class VolumeTypeCliTestCase(TypesCliTestCase):

    def test_create_list_show(self):
        created = self.json('volume', 'type', 'create', 'fast',
                            '--property', 'volume_backend_name=b1',
                            '--extra-specs', 'thin=<is> True',
                            '--private')
        self.assertEqual(sorted(VOLUME_COLUMNS), sorted(created))
        self.assertEqual(
            ('fast', 'private', {'volume_backend_name': 'b1',
                                 'thin': '<is> True'}),
            (created['name'], created['visibility'],
             created['extra_specs']))
        [listed] = self.json('volume', 'type', 'list')
        self.assertEqual(VOLUME_COLUMNS, list(listed))
        self.assertEqual(created, listed)
        self.assertEqual(created, self.json('volume', 'type', 'show',
                                            'fast'))

    def test_a_plain_type(self):
        self.assertEqual({}, self.json('volume', 'type', 'create',
                                       'plain')['extra_specs'])

    def test_unset_positional_or_property(self):
        self.ok('volume', 'type', 'create', 'fast', '--property', 'a=1',
                '--property', 'b=2', '--property', 'c=3')
        self.ok('volume', 'type', 'unset', 'fast', 'a', '--property', 'b')
        self.assertEqual({'c': '3'}, self.json('volume', 'type', 'show',
                                               'fast')['extra_specs'])
        self.refused('volume', 'type', 'unset', 'fast',
                     expect='name at least one extra spec')

    def test_delete_refused_while_a_volume_uses_it(self):
        fast = self.json('volume', 'type', 'create', 'fast')
        db_api.create(volume_models.Volume, {
            'size': 1, 'backend': 'b', 'status': 'available',
            'volume_type_id': fast['id']})
        self.refused('volume', 'type', 'delete', 'fast',
                     expect="volume type 'fast' is in use by 1 volume")


@ddt.ddt
class ShareGroupTypeCliTestCase(TypesCliTestCase):

    def setUp(self):
        super().setUp()
        for name in ('b', 'a'):
            self.ok('share', 'type', 'create', name, 'false')

    def test_create_list_show(self):
        created = self.json('share', 'group', 'type', 'create', 'grp', 'b',
                            'a', '--group-specs',
                            'consistent_snapshot_support=pool')
        self.assertEqual(sorted(GROUP_COLUMNS), sorted(created))
        self.assertEqual(
            ('grp', ['a', 'b'], {'consistent_snapshot_support': 'pool'}),
            (created['name'], created['share_types'],
             created['group_specs']))
        [listed] = self.json('share', 'group', 'type', 'list')
        self.assertEqual(GROUP_COLUMNS, list(listed))
        self.assertEqual(created, listed)
        self.assertEqual(created, self.json('share', 'group', 'type', 'show',
                                            'grp'))

    def test_set_unset_delete(self):
        self.ok('share', 'group', 'type', 'create', 'grp', 'a')
        self.ok('share', 'group', 'type', 'set', 'grp', '--group-specs',
                'k=v', '--private')
        shown = self.json('share', 'group', 'type', 'show', 'grp')
        self.assertEqual(({'k': 'v'}, 'private'),
                         (shown['group_specs'], shown['visibility']))
        self.ok('share', 'group', 'type', 'unset', 'grp', 'k')
        self.refused('share', 'group', 'type', 'unset', 'grp', 'k',
                     expect="'grp' has no group spec k")
        self.refused('share', 'type', 'delete', 'a',
                     expect='in use by 1 share group type (grp)')
        self.ok('share', 'group', 'type', 'delete', 'grp')
        self.ok('share', 'type', 'delete', 'a')

    @ddt.unpack
    @ddt.data((('grp', 'a', 'ghost'), "No share type 'ghost'."),
              (('grp', 'a', '--group-specs', '=v'),
               "--group-specs takes KEY=VALUE, not '=v'"))
    def test_create_refusals(self, args, culprit):
        self.refused('share', 'group', 'type', 'create', *args,
                     expect=culprit)
        self.assertEqual([], self.json('share', 'group', 'type', 'list'))
