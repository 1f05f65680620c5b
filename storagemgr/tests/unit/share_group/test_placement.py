"""Where share groups go, and where their shares follow."""

import ddt

from storagemgr import exception
from storagemgr import hosts
from storagemgr.tests.unit.share_group import base
from storagemgr.types import api as types_api


@ddt.ddt
class GroupPlacementTestCase(base.ShareGroupTestCase):

    def test_pool_scoped_backend_pins_the_pool(self):
        # The fake driver's group snapshots are consistent per pool.
        group = self.make_group()
        self.assertEqual('pool', group['consistent_snapshot_support'])
        self.assertEqual('fake1', hosts.backend_of(group['host']))
        self.assertIsNotNone(hosts.pool_of(group['host']))
        share = self.make_member(group['id'])
        self.assertEqual(group['host'], share['host'])

    @ddt.data(('pool', True), ('host', False), ('<in> pool host', True))
    @ddt.unpack
    def test_group_specs_against_group_stats(self, wanted, placed):
        types_api.share_group_types.create(
            'gt-specs', ['t1'],
            extra_specs={'consistent_snapshot_support': wanted})
        if placed:
            self.assertEqual('available', self.make_group(
                'g', share_group_type='gt-specs')['status'])
            return
        error = self.assertRaises(exception.NoValidHost, self.make_group,
                                  'g', share_group_type='gt-specs')
        self.assertIn('gt-specs', str(error))
        self.assertIn('consistent_snapshot_support', str(error))
        self.assertEqual([], self.groups.list())

    def test_every_share_type_must_suit_the_pool(self):
        types_api.share_types.create(
            't-nowhere', {'driver_handles_share_servers': 'False',
                          'share_backend_name': 'elsewhere'})
        error = self.assertRaises(
            exception.NoValidHost, self.groups.create, name='g',
            share_types=['t1', 't-nowhere'])
        self.assertIn('t-nowhere', str(error))
        self.assertEqual([], self.groups.list())

    def test_share_types_outside_the_group_type_are_refused(self):
        types_api.share_types.create(
            't2', {'driver_handles_share_servers': 'False'})
        error = self.assertRaises(exception.InvalidInput, self.make_group,
                                  'g', share_types=['t2'])
        self.assertIn('t2', str(error))
        self.assertIn('gt1', str(error))

    def test_group_type_share_types_are_the_default(self):
        group = self.make_group()
        self.assertEqual(['t1'], group['share_types'])

    def test_member_type_defaults_to_the_groups_only_type(self):
        group = self.make_group()
        share = self.make_member(group['id'])
        self.assertEqual('t1', share['share_type'])

    def test_member_of_another_type_is_refused(self):
        types_api.share_types.create(
            't2', {'driver_handles_share_servers': 'False'})
        group = self.make_group()
        error = self.assertRaises(exception.InvalidInput, self.api.create,
                                  'NFS', 1, share_type='t2',
                                  share_group=group['id'])
        self.assertIn('t2', str(error))
        self.assertEqual([], self.shares())
