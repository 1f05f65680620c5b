"""One test per row of doc/source/admin/consistency-group-rules.rst.

Each row names a driver method, what the driver did (returned or raised)
and what the group and its members become. ``test_every_row_is_tested``
keeps the table and these rows the same set.
"""

import os
import re

import ddt

from storagemgr.tests import base
from storagemgr.volume import group_updates as gu

M = ['m1', 'm2']
ALL_ERROR = {'m1': {'status': 'error'}, 'm2': {'status': 'error'}}
ALL_AVAILABLE = {'m1': {'status': 'available'}, 'm2': {'status': 'available'}}
ALL_DELETED = {'m1': {'status': 'deleted'}, 'm2': {'status': 'deleted'}}


class ForeignError(Exception):
    """A driver exception of no storagemgr class."""


def _create(returned=None, error=None):
    return gu.apply_create_group_update('drv', returned, error)


def _from_src(returned=None, error=None):
    return gu.apply_create_group_from_src_update('drv', M, returned, error)


def _delete(returned=None, error=None):
    return gu.apply_delete_group_update('drv', M, returned, error)


def _update(returned=None, error=None):
    return gu.apply_update_group_update('drv', ['m1'], ['m2'], returned,
                                        error)


def _snap(returned=None, error=None):
    return gu.apply_create_group_snapshot_update('drv', M, returned, error)


def _snap_delete(returned=None, error=None):
    return gu.apply_delete_group_snapshot_update('drv', M, returned, error)


# id: (function, returned, raised, group status, members, failed)
ROWS = {
    # create_consistencygroup
    'C1': (_create, None, None, 'available', {}, False),
    'C2': (_create, {'status': 'available'}, None, 'available', {}, False),
    'C3': (_create, {'status': 'error'}, None, 'error', {}, True),
    'C4': (_create, None, ForeignError('x'), 'error', {}, True),
    'C5': (_create, {'status': 'exploded'}, None, 'error', {}, True),
    'C6': (_create, ['not', 'a dict'], None, 'error', {}, True),
    # create_consistencygroup_from_src
    'S1': (_from_src, (None, None), None, 'available', ALL_AVAILABLE, False),
    'S2': (_from_src, None, None, 'available', ALL_AVAILABLE, False),
    'S3': (_from_src, (None, [{'id': 'm1', 'provider_location': '/p'}]),
           None, 'available',
           {'m1': {'status': 'available', 'provider_location': '/p'},
            'm2': {'status': 'available'}}, False),
    'S4': (_from_src, ({'status': 'error'}, None), None, 'error',
           ALL_ERROR, True),
    'S5': (_from_src, (None, [{'id': 'm1', 'status': 'error'},
                              {'id': 'm2', 'status': 'available'}]),
           None, 'error',
           {'m1': {'status': 'error'}, 'm2': {'status': 'available'}}, True),
    'S6': (_from_src, ({'status': 'error'},
                       [{'id': 'm1', 'status': 'available'}]), None,
           'error', {'m1': {'status': 'available'},
                     'm2': {'status': 'error'}}, True),
    'S7': (_from_src, None, RuntimeError('boom'), 'error', ALL_ERROR, True),
    'S8': (_from_src, (None, [{'status': 'available'}]), None, 'error',
           ALL_ERROR, True),
    'S9': (_from_src, (None, [{'id': 'm1', 'status': 'creating'}]), None,
           'available', ALL_AVAILABLE, False),
    # delete_consistencygroup
    'D1': (_delete, (None, None), None, 'deleted', ALL_DELETED, False),
    'D2': (_delete, (None, [{'id': 'm1', 'status': 'deleted'},
                            {'id': 'm2', 'status': 'deleted'}]), None,
           'deleted', ALL_DELETED, False),
    'D3': (_delete, (None, [{'id': 'm1', 'status': 'deleted'},
                            {'id': 'm2', 'status': 'error_deleting'}]),
           None, 'error',
           {'m1': {'status': 'deleted'}, 'm2': {'status': 'error_deleting'}},
           True),
    'D4': (_delete, ({'status': 'error'}, None), None, 'error', ALL_ERROR,
           True),
    'D5': (_delete, ({'status': 'error_deleting'},
                     [{'id': 'm1', 'status': 'deleted'}]), None, 'error',
           {'m1': {'status': 'deleted'}, 'm2': {'status': 'error'}}, True),
    'D6': (_delete, None, ValueError('bad'), 'error', ALL_ERROR, True),
    'D7': (_delete, (None, [{'id': 'm1', 'status': 'available'},
                            {'id': 'm2', 'status': 'deleted'}]), None,
           'error',
           {'m1': {'status': 'available'}, 'm2': {'status': 'deleted'}},
           True),
    'D8': (_delete, (None, [{'id': 'm1', 'status': 'exploded'}]), None,
           'error', ALL_ERROR, True),
    # update_consistencygroup (m1 added, m2 removed)
    'U1': (_update, (None, None, None), None, 'available', {}, False),
    'U2': (_update, ({'status': 'available'},
                     [{'id': 'm1', 'provider_location': '/x'}], None), None,
           'available', {'m1': {'provider_location': '/x'}}, False),
    'U3': (_update, ({'status': 'error'}, None, None), None, 'error',
           ALL_ERROR, True),
    'U4': (_update, None, KeyError('k'), 'error', ALL_ERROR, True),
    'U5': (_update, (None, [{'id': 'm1', 'status': 'error'}], None), None,
           'error', ALL_ERROR, True),
    'U6': (_update, (None, [{'id': 'm2'}], None), None, 'error', ALL_ERROR,
           True),
    # create_cgsnapshot
    'G1': (_snap, (None, None), None, 'available', ALL_AVAILABLE, False),
    'G2': (_snap, ({'status': 'available'},
                   [{'id': 'm1', 'status': 'available'},
                    {'id': 'm2', 'status': 'available'}]), None,
           'available', ALL_AVAILABLE, False),
    'G3': (_snap, (None, [{'id': 'm1', 'status': 'available'},
                          {'id': 'm2', 'status': 'error'}]), None, 'error',
           {'m1': {'status': 'available'}, 'm2': {'status': 'error'}}, True),
    'G4': (_snap, ({'status': 'error'}, None), None, 'error', ALL_ERROR,
           True),
    'G5': (_snap, ({'status': 'error'}, [{'id': 'm1',
                                          'status': 'available'}]), None,
           'error', {'m1': {'status': 'available'},
                     'm2': {'status': 'error'}}, True),
    'G6': (_snap, None, ForeignError('any class'), 'error', ALL_ERROR, True),
    'G7': (_snap, (None, ['not a dict']), None, 'error', ALL_ERROR, True),
    'G8': (_snap, (None, [{'id': 'nobody'}]), None, 'error', ALL_ERROR,
           True),
    'G9': (_snap, 'garbage', None, 'error', ALL_ERROR, True),
    'G10': (_snap, (None, [{'id': 'm1', 'status': 'creating'}]), None,
            'available', ALL_AVAILABLE, False),
    # delete_cgsnapshot
    'X1': (_snap_delete, (None, None), None, 'deleted', ALL_DELETED, False),
    'X2': (_snap_delete, (None, [{'id': 'm1', 'status': 'deleted'},
                                 {'id': 'm2', 'status': 'error'}]), None,
           'error', {'m1': {'status': 'deleted'}, 'm2': {'status': 'error'}},
           True),
    'X3': (_snap_delete, ({'status': 'error_deleting'}, None), None,
           'error', ALL_ERROR, True),
    'X4': (_snap_delete, None, OSError('io'), 'error', ALL_ERROR, True),
}

DOC = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'doc',
                   'source', 'admin', 'consistency-group-rules.rst')


@ddt.ddt
class TestGroupUpdateRules(base.TestCase):

    @ddt.named_data(*[(row_id, row_id) + row
                      for row_id, row in sorted(ROWS.items())])
    def test_rule(self, row_id, func, returned, raised, group_status,
                  members, failed):
        outcome = func(returned, raised)
        self.assertEqual(group_status, outcome['group']['status'], row_id)
        self.assertEqual(members, outcome['members'], row_id)
        self.assertIs(failed, outcome['failed'], row_id)
        if failed:
            self.assertTrue(outcome['reason'])
        if raised is not None:
            self.assertIn(type(raised).__name__, outcome['reason'])

    def test_every_row_is_tested(self):
        with open(DOC) as f:
            documented = set(re.findall(r'^\s*\* - ([A-Z]\d+)\s*$', f.read(),
                                        re.M))
        self.assertEqual(set(ROWS), documented)

    def test_update_success_moves_membership(self):
        outcome = _update((None, None, None))
        self.assertEqual(['m1'], outcome['add'])
        self.assertEqual(['m2'], outcome['remove'])

    def test_malformed_reason_names_driver_and_method(self):
        outcome = _snap((None, [{'status': 'available'}]))
        self.assertIn('drv', outcome['reason'])
        self.assertIn('create_cgsnapshot', outcome['reason'])
