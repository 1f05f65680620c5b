"""A test case with the share group service on one fake share backend."""

from storagemgr.share_group import api as group_api
from storagemgr.tests.unit.share import base as share_base
from storagemgr.types import api as types_api


class ShareGroupTestCase(share_base.ShareTestCase):
    """``self.groups`` and ``self.api`` on the fake backend ``fake1``.

    Share type ``t1`` (no share servers) and group type ``gt1`` allowing
    it exist.
    """

    def setUp(self):
        super().setUp()
        self.groups = group_api.API()
        types_api.share_types.create(
            't1', {'driver_handles_share_servers': 'False'})
        types_api.share_group_types.create('gt1', ['t1'])

    def make_group(self, name='g1', **kwargs):
        kwargs.setdefault('share_group_type', 'gt1')
        return self.groups.create(name=name, **kwargs)

    def make_member(self, group, name=None, size=1):
        return self.api.create('NFS', size, name=name, share_group=group)

    def group_with_members(self, count=3, name='g1'):
        group = self.make_group(name)
        members = [self.make_member(group['id'], 'm%d' % i)
                   for i in range(count)]
        return group, members
