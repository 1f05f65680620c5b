"""The share group service on the fake driver: the whole life cycle."""

from storagemgr import exception
from storagemgr.share_group import constants
from storagemgr.tests.unit.share_group import base


class GroupLifecycleTestCase(base.ShareGroupTestCase):

    def test_create_snapshot_clone_delete(self):
        group, members = self.group_with_members(3)
        self.assertEqual('available', group['status'])
        self.assertEqual(['t1'], group['share_types'])
        self.assertEqual('gt1', group['share_group_type'])
        for member in members:
            self.assertEqual('available', member['status'])
            self.assertEqual(group['id'], member['share_group_id'])
        snap = self.groups.create_snapshot('g1', name='gs1')
        self.assertEqual('available', snap['status'])
        found = self.groups.list_snapshot_members('gs1')
        self.assertEqual(sorted(m['id'] for m in members),
                         sorted(m['share_id'] for m in found))
        self.assertEqual({'available'}, {m['status'] for m in found})
        clone = self.groups.create(name='g2',
                                   source_share_group_snapshot='gs1')
        self.assertEqual('available', clone['status'])
        new = self.groups.share_ids('g2')
        self.assertEqual(3, len(new))
        for share_id in new:
            self.assertEqual('available', self.status_of(share_id))
        self.assertRaises(exception.InvalidShareGroup, self.groups.delete,
                          'g1')
        self.groups.delete_snapshot('gs1')
        self.groups.delete('g2', force=True)
        for member in members:
            self.api.delete(member['id'])
        self.groups.delete('g1')
        self.assertEqual([], self.groups.list())
        self.assertEqual([], self.shares())
        self.assertEqual(constants.STATUS_AVAILABLE, 'available')
