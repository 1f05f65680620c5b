"""One test per row of doc/source/admin/share-group-rules.rst.

Each row names what a driver's share group method did (returned or
raised) and what the group, or group snapshot, and its members become.
The ``apply_*`` functions of ``storagemgr.share_group.updates`` are
called directly, with a driver label instead of a driver.
``test_every_row_is_tested`` keeps the page and these rows the same set.
"""

import json
import os
import re

import ddt

from storagemgr.share_group import updates
from storagemgr.tests import base

DRIVER = 'fake-group-driver'
MEMBERS = ['m1', 'm2']
# The new shares of a group made from a group snapshot, by the id of the
# share instance the driver knows each by.
NEW_SHARES = {'i1': 's1', 'i2': 's2'}


def _location(path):
    return {'path': path, 'is_admin_only': False, 'metadata': {}}


def _each(ids, status):
    return {member_id: {'status': status} for member_id in ids}


MEMBERS_AVAILABLE = _each(MEMBERS, 'available')
MEMBERS_ERROR = _each(MEMBERS, 'error')
MEMBERS_ERROR_DELETING = _each(MEMBERS, 'error_deleting')
MEMBERS_DELETED = _each(MEMBERS, 'deleted')
SHARES_AVAILABLE = _each(['s1', 's2'], 'available')
SHARES_ERROR = _each(['s1', 's2'], 'error')


class ForeignError(Exception):
    """A driver exception of no storagemgr family."""


def _create(returned=None, error=None):
    return updates.apply_create_group(DRIVER, returned, error)


def _from_snapshot(returned=None, error=None):
    return updates.apply_create_group_from_snapshot(
        DRIVER, NEW_SHARES, returned, error)


def _delete(returned=None, error=None):
    return updates.apply_delete_group(DRIVER, returned, error)


def _snapshot(returned=None, error=None):
    return updates.apply_create_group_snapshot(DRIVER, MEMBERS, returned,
                                               error)


def _snapshot_delete(returned=None, error=None):
    return updates.apply_delete_group_snapshot(DRIVER, MEMBERS, returned,
                                               error)


def _snapshot_force_delete(returned=None, error=None):
    return updates.apply_delete_group_snapshot(DRIVER, MEMBERS, returned,
                                               error, force=True)


AVAILABLE = {'status': 'available'}
ERROR = {'status': 'error'}
ERROR_DELETING = {'status': 'error_deleting'}
DELETED = {'status': 'deleted'}

# id: (function, returned, raised, group, members, failed)
ROWS = {
    # create_share_group
    'G1': (_create, None, None, AVAILABLE, {}, False),
    'G2': (_create, {'status': 'available'}, None, AVAILABLE, {}, False),
    'G3': (_create, {'provider_location': 'pl-1'}, None,
           {'status': 'available',
            'provider_data': {'provider_location': 'pl-1'}}, {}, False),
    'G4': (_create, {'updated_at': '2020-01-01'}, None, AVAILABLE, {},
           False),
    'G5': (_create, {'status': 'error'}, None, ERROR, {}, True),
    'G6': (_create, None, ForeignError('array offline'), ERROR, {}, True),
    'G7': (_create, {'status': 'exploded'}, None, ERROR, {}, True),
    'G8': (_create, {'status': 'creating'}, None, ERROR, {}, True),
    'G9': (_create, ['not', 'a dict'], None, ERROR, {}, True),
    'G10': (_create, (None, None), None, ERROR, {}, True),
    # create_share_group_from_share_group_snapshot
    'F1': (_from_snapshot, (None, None), None, AVAILABLE, SHARES_AVAILABLE,
           False),
    'F2': (_from_snapshot, None, None, AVAILABLE, SHARES_AVAILABLE, False),
    'F3': (_from_snapshot,
           (None, [{'id': 'i1', 'export_locations': ['h:/s1']},
                   {'id': 'i2', 'export_locations': [{'path': 'h:/s2'}]}]),
           None, AVAILABLE,
           {'s1': {'status': 'available', 'progress': '100%',
                   'export_locations': [_location('h:/s1')]},
            's2': {'status': 'available', 'progress': '100%',
                   'export_locations': [_location('h:/s2')]}}, False),
    'F4': (_from_snapshot,
           (None, [{'id': 'i1', 'status': 'creating_from_snapshot',
                    'export_locations': []}]), None, AVAILABLE,
           {'s1': {'status': 'creating_from_snapshot', 'progress': '0%'},
            's2': {'status': 'available'}}, False),
    'F14': (_from_snapshot,
            (None, [{'id': 'i1', 'status': 'creating_from_snapshot'}]),
            None, AVAILABLE,
            {'s1': {'status': 'creating_from_snapshot', 'progress': '0%'},
             's2': {'status': 'available'}}, False),
    'F5': (_from_snapshot,
           (None, [{'id': 'i1', 'export_locations': ['h:/s1'],
                    'provider_id': 'lun-7', 'created_at': 'now'}]), None,
           AVAILABLE,
           {'s1': {'status': 'available', 'progress': '100%',
                   'export_locations': [_location('h:/s1')],
                   'provider_data': {'provider_id': 'lun-7'}},
            's2': {'status': 'available'}}, False),
    'F6': (_from_snapshot, ({'status': 'error'}, None), None, ERROR,
           SHARES_ERROR, True),
    'F7': (_from_snapshot, None, RuntimeError('clone failed'), ERROR,
           SHARES_ERROR, True),
    'F8': (_from_snapshot, (None, [{'id': 'i1', 'status': 'available'}]),
           None, ERROR, SHARES_ERROR, True),
    'F9': (_from_snapshot,
           (None, [{'id': 'i1', 'status': 'error',
                    'export_locations': []}]), None, ERROR, SHARES_ERROR,
           True),
    'F10': (_from_snapshot, (None, [{'export_locations': ['h:/s1']}]),
            None, ERROR, SHARES_ERROR, True),
    'F11': (_from_snapshot,
            (None, [{'id': 'i9', 'export_locations': ['h:/s9']}]), None,
            ERROR, SHARES_ERROR, True),
    'F12': (_from_snapshot, {'status': 'available'}, None, ERROR,
            SHARES_ERROR, True),
    'F13': (_from_snapshot,
            (None, [{'id': 'i1', 'export_locations': [{'path': ' '}]}]),
            None, ERROR, SHARES_ERROR, True),
    # delete_share_group
    'D1': (_delete, None, None, DELETED, {}, False),
    'D2': (_delete, {}, None, DELETED, {}, False),
    'D3': (_delete, {'status': 'error'}, None, ERROR_DELETING, {}, True),
    'D4': (_delete, None, OSError('busy'), ERROR_DELETING, {}, True),
    'D5': (_delete, {'status': 'exploded'}, None, ERROR_DELETING, {}, True),
    'D6': (_delete, 'garbage', None, ERROR_DELETING, {}, True),
    # create_share_group_snapshot
    'S1': (_snapshot, (None, None), None, AVAILABLE, MEMBERS_AVAILABLE,
           False),
    'S2': (_snapshot, None, None, AVAILABLE, MEMBERS_AVAILABLE, False),
    'S3': (_snapshot,
           (None, [{'id': 'm1', 'provider_location': '/snap/m1',
                    'size': 2}]), None, AVAILABLE,
           {'m1': {'status': 'available', 'provider_location': '/snap/m1',
                   'size': 2},
            'm2': {'status': 'available'}}, False),
    'S4': (_snapshot,
           (None, [{'id': 'm1', 'status': 'available',
                    'export_locations': ['h:/snap']}]), None, AVAILABLE,
           MEMBERS_AVAILABLE, False),
    'S5': (_snapshot,
           (None, [{'id': 'm1', 'provider_id': 'snap-7',
                    'updated_at': 'now'}]), None, AVAILABLE,
           {'m1': {'status': 'available',
                   'provider_data': {'provider_id': 'snap-7'}},
            'm2': {'status': 'available'}}, False),
    'S6': (_snapshot, ({'status': 'error'}, None), None, ERROR,
           MEMBERS_ERROR, True),
    'S7': (_snapshot, (None, [{'id': 'm1', 'status': 'available'},
                              {'id': 'm2', 'status': 'error'}]), None,
           ERROR, {'m1': {'status': 'available'},
                   'm2': {'status': 'error'}}, True),
    'S8': (_snapshot, ({'status': 'error'},
                       [{'id': 'm1', 'status': 'available'}]), None,
           ERROR, {'m1': {'status': 'available'},
                   'm2': {'status': 'error'}}, True),
    'S9': (_snapshot, None, ForeignError('any class'), ERROR,
           MEMBERS_ERROR, True),
    'S10': (_snapshot, (None, [{'status': 'available'}]), None, ERROR,
            MEMBERS_ERROR, True),
    'S11': (_snapshot, (None, [{'id': 'nobody'}]), None, ERROR,
            MEMBERS_ERROR, True),
    'S12': (_snapshot, (None, ['not a dict']), None, ERROR, MEMBERS_ERROR,
            True),
    'S13': (_snapshot, 'garbage', None, ERROR, MEMBERS_ERROR, True),
    'S14': (_snapshot, (None, [{'id': 'm1', 'status': 'creating'}]), None,
            ERROR, MEMBERS_ERROR, True),
    'S15': (_snapshot, (None, [{'id': 'm1', 'size': -1}]), None, ERROR,
            MEMBERS_ERROR, True),
    'S16': (_snapshot, (None, [{'id': 'm1', 'provider_location': 5}]),
            None, ERROR, MEMBERS_ERROR, True),
    # delete_share_group_snapshot
    'X1': (_snapshot_delete, (None, None), None, DELETED, MEMBERS_DELETED,
           False),
    'X2': (_snapshot_delete, None, None, DELETED, MEMBERS_DELETED, False),
    'X3': (_snapshot_delete, ({'status': 'error'}, None), None,
           ERROR_DELETING, MEMBERS_ERROR_DELETING, True),
    'X4': (_snapshot_delete, (None, [{'id': 'm1', 'status': 'error'}]),
           None, ERROR_DELETING, MEMBERS_ERROR_DELETING, True),
    'X5': (_snapshot_delete, None, OSError('io'), ERROR_DELETING,
           MEMBERS_ERROR_DELETING, True),
    'X6': (_snapshot_delete, 'garbage', None, ERROR_DELETING,
           MEMBERS_ERROR_DELETING, True),
    'X7': (_snapshot_delete, (None, [{'id': 'm1', 'status': 'available'}]),
           None, DELETED, MEMBERS_DELETED, False),
    'X8': (_snapshot_force_delete, None, RuntimeError('busy'), DELETED,
           MEMBERS_DELETED, False),
    'X9': (_snapshot_force_delete, ({'status': 'error'}, None), None,
           DELETED, MEMBERS_DELETED, False),
    'X10': (_snapshot_force_delete, (None, None), None, DELETED,
            MEMBERS_DELETED, False),
}

DOC = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'doc',
                   'source', 'admin', 'share-group-rules.rst')


@ddt.ddt
class TestShareGroupRules(base.TestCase):

    @ddt.named_data(*[(row_id, row_id) + row
                      for row_id, row in sorted(ROWS.items())])
    def test_rule(self, row_id, func, returned, raised, group, members,
                  failed):
        outcome = func(returned, raised)
        self.assertEqual(group, outcome['group'], row_id)
        self.assertEqual(members, outcome['members'], row_id)
        self.assertIs(failed, outcome['failed'], row_id)
        if failed:
            self.assertTrue(outcome['reason'], row_id)
        if raised is not None:
            self.assertIn(type(raised).__name__, outcome['reason'])
            self.assertIn(str(raised), outcome['reason'])

    def test_every_row_is_tested(self):
        with open(DOC) as f:
            documented = re.findall(r'^\s*\* - ([A-Z]\d+)\s*$', f.read(),
                                    re.M)
        self.assertEqual(len(documented), len(set(documented)),
                         'a row id is used twice in the page')
        self.assertEqual(set(ROWS), set(documented))

    @ddt.data(('G9', 'create_share_group'),
              ('F10', 'create_share_group_from_share_group_snapshot'),
              ('D6', 'delete_share_group'),
              ('S11', 'create_share_group_snapshot'),
              ('X6', 'delete_share_group_snapshot'))
    @ddt.unpack
    def test_malformed_reason_names_driver_and_method(self, row_id, method):
        func, returned, raised = ROWS[row_id][:3]
        reason = func(returned, raised)['reason']
        self.assertIn(DRIVER, reason)
        self.assertIn(method, reason)

    def test_malformed_entry_reason_names_the_culprit(self):
        reason = _snapshot((None, [{'id': 'nobody'}]))['reason']
        self.assertIn("'nobody'", reason)

    def test_forced_delete_names_the_failure_it_went_past(self):
        outcome = _snapshot_force_delete(None, RuntimeError('busy'))
        self.assertIn('forced past a driver failure', outcome['reason'])

    def test_outcomes_hold_only_plain_data(self):
        # A flow stores its outcome in its persisted detail.
        for row_id, (func, returned, raised, *_rest) in ROWS.items():
            outcome = func(returned, raised)
            self.assertEqual(outcome, json.loads(json.dumps(outcome)),
                             row_id)
