"""Volume claims are made in the transaction that saves their flow.

Before, each claim committed on its own and the flow was saved after it:
anything failing in between (the lock backend, the flow's save, a crash)
left the row creating/deleting/extending/updating with nothing to finish
or revert it. Each test here failed then.
"""

from unittest import mock

import ddt

from storagemgr import coordination
from storagemgr import exception
from storagemgr.flows import engine as flow_engine
from storagemgr.tests.unit.volume import fakes

TRANSITIONAL = {'creating', 'deleting', 'updating', 'extending'}


@ddt.ddt
class VolumeClaimWithFlowTestCase(fakes.GroupTestCase):

    with_cgsnapshot = with_plain = True

    def setUp(self):
        super().setUp()
        self.snapshot = self.api.create_snapshot('v', 's')

    def _state(self):
        rows = (self.api.list_volumes() + self.api.list_snapshots() +
                self.api.list_groups() + self.api.list_cgsnapshots())
        return sorted((r['id'], r['status'], r.get('size'),
                       r.get('consistencygroup_id')) for r in rows)

    _OPERATIONS = {
        'create volume': lambda api: api.create_volume('n', size=1),
        'clone volume': lambda api: api.create_volume('n', source_volume='v'),
        'delete volume': lambda api: api.delete_volume('plain'),
        'extend volume': lambda api: api.extend_volume('plain', 2),
        'create snapshot': lambda api: api.create_snapshot('plain', 'n'),
        'delete snapshot': lambda api: api.delete_snapshot('s'),
        'create group': lambda api: api.create_group('n'),
        'group from snapshot': lambda api: api.create_group_from_src(
            'n', cgsnapshot='cgs'),
        'add to group': lambda api: api.update_group(
            'g', add_volumes=['plain']),
        'delete group': lambda api: api.delete_group('g', force=True),
        'create group snapshot': lambda api: api.create_cgsnapshot('g', 'n'),
        'delete group snapshot': lambda api: api.delete_cgsnapshot('cgs'),
    }

    @ddt.data(*sorted(_OPERATIONS))
    def test_failed_flow_save_leaves_nothing_claimed(self, operation):
        before = self._state()
        with mock.patch.object(flow_engine.engines, 'load_from_factory',
                               side_effect=RuntimeError('disk full')):
            self.assertRaises(exception.StorageManagerException,
                              self._OPERATIONS[operation], self.api)
        self.assertEqual(before, self._state())
        self.assertEqual([], flow_engine.find_unfinished_flows())

    def test_lock_backend_failure_claims_nothing(self):
        before = self._state()
        self.flags(backend_url='nosuch://x', group='coordination')
        coordination.stop()
        self.assertRaises(exception.StorageManagerException,
                          self.api.create_volume, 'z', size=1)
        self.assertRaises(exception.StorageManagerException,
                          self.api.delete_volume, 'plain')
        self.assertEqual(before, self._state())
