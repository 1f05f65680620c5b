"""The migration state machine, row by row.

``ROWS`` mirrors the transitions table of
doc/source/admin/share-migration-rules.rst; the first tests check that it
is ``constants.TRANSITIONS`` exactly and that the page has each row, so
the page, this list and the code cannot drift apart.
"""

import os
import re

import ddt

from storagemgr.db import api as db_api
from storagemgr import exception
from storagemgr.share import records as share_records
from storagemgr.share_migration import constants as c
from storagemgr.share_migration import records
from storagemgr.tests.unit.share import base

RULES_DOC = os.path.join(
    os.path.dirname(__file__), '..', '..', '..', '..', 'doc', 'source',
    'admin', 'share-migration-rules.rst')

# (row id, to state, from state); None: a share never migrated.
ROWS = [
    ('T1', c.STARTING, None),
    ('T2', c.STARTING, c.SUCCESS),
    ('T3', c.STARTING, c.ERROR),
    ('T4', c.STARTING, c.CANCELLED),
    ('T5', c.IN_PROGRESS, c.STARTING),
    ('T7', c.DRIVER_STARTING, c.STARTING),
    ('T8', c.DRIVER_IN_PROGRESS, c.DRIVER_STARTING),
    ('T9', c.DRIVER_PHASE1_DONE, c.DRIVER_IN_PROGRESS),
    ('T10', c.COPY_STARTING, c.IN_PROGRESS),
    ('T11', c.COPY_IN_PROGRESS, c.COPY_STARTING),
    ('T12', c.COPY_COMPLETING, c.COPY_IN_PROGRESS),
    ('T13', c.COPY_COMPLETED, c.COPY_COMPLETING),
    ('T14', c.COMPLETING, c.DRIVER_PHASE1_DONE),
    ('T15', c.COMPLETING, c.COPY_COMPLETED),
    ('T16', c.SUCCESS, c.COMPLETING),
    ('T18', c.CANCEL_IN_PROGRESS, c.DRIVER_IN_PROGRESS),
    ('T19', c.CANCEL_IN_PROGRESS, c.DRIVER_PHASE1_DONE),
    ('T20', c.CANCEL_IN_PROGRESS, c.COPY_COMPLETED),
    ('T21', c.CANCEL_IN_PROGRESS, c.COPY_STARTING),
    ('T22', c.CANCEL_IN_PROGRESS, c.COPY_IN_PROGRESS),
    ('T23', c.CANCELLED, c.CANCEL_IN_PROGRESS),
    ('T24', c.ERROR, c.STARTING),
    ('T25', c.ERROR, c.IN_PROGRESS),
    ('T26', c.ERROR, c.DRIVER_STARTING),
    ('T27', c.ERROR, c.DRIVER_IN_PROGRESS),
    ('T28', c.ERROR, c.COPY_STARTING),
    ('T29', c.ERROR, c.COPY_IN_PROGRESS),
    ('T30', c.ERROR, c.COPY_COMPLETING),
    ('T31', c.ERROR, c.COMPLETING),
    ('T32', c.ERROR, c.CANCEL_IN_PROGRESS),
    ('T33', c.CANCEL_IN_PROGRESS, c.STARTING),
    ('T34', c.CANCEL_IN_PROGRESS, c.IN_PROGRESS),
    ('T35', c.CANCEL_IN_PROGRESS, c.DRIVER_STARTING),
]

_DOC_ROW = re.compile(
    r'^\s*\* - (T\d+)\n\s+- ``(\w+)``\n\s+- (?:``(\w+)``|\(none\))\n',
    re.MULTILINE)


def _refused_from(to_state):
    """Every from-state the table does not allow for ``to_state``."""
    return [from_state for from_state in (None,) + c.ALL_STATES
            if from_state not in c.TRANSITIONS[to_state]]


def _doc_rows():
    with open(RULES_DOC) as f:
        text = f.read()
    return [(m.group(1), m.group(2), m.group(3))
            for m in _DOC_ROW.finditer(text)]


class TableTestCase(base.base.TestCase):
    """The rows are the code's table and the page's."""

    def test_rows_are_the_transitions_table(self):
        pairs = sorted((to_state, str(from_state))
                       for to_state, froms in c.TRANSITIONS.items()
                       for from_state in froms)
        self.assertEqual(pairs, sorted((to_state, str(from_state))
                                       for _, to_state, from_state in ROWS))
        self.assertEqual(len(ROWS), len({row[0] for row in ROWS}))

    def test_page_has_every_row_and_no_other(self):
        self.assertEqual(ROWS, _doc_rows())

    def test_every_state_is_reachable_and_known(self):
        reached = set(c.TRANSITIONS)
        self.assertEqual(set(c.ALL_STATES), reached)
        for froms in c.TRANSITIONS.values():
            self.assertTrue(set(froms) <= set(c.ALL_STATES) | {None})


@ddt.ddt
class AdvanceTestCase(base.base.TestCase):
    """``records.advance`` over every allowed and every refused pair.

    The share is a bare row: ``advance`` reads and writes nothing else.
    """

    def setUp(self):
        super().setUp()
        self.share_id = db_api.create(share_records.Share, {
            'display_name': 'before', 'size': 1,
            'share_proto': 'NFS'}).id

    def put(self, task_state):
        db_api.update(share_records.Share, self.share_id,
                      {'task_state': task_state})

    def row(self):
        return share_records.get_share(self.share_id)

    @ddt.data(*ROWS)
    @ddt.unpack
    def test_allowed(self, row_id, to_state, from_state):
        self.put(from_state)
        records.advance(self.share_id, to_state,
                        extra={'display_name': row_id})
        share = self.row()
        self.assertEqual(to_state, share.task_state, row_id)
        self.assertEqual(row_id, share.display_name)

    @ddt.data(*c.ALL_STATES)
    def test_refused(self, to_state):
        """Each from-state not in the row of ``to_state``, None included."""
        refused = _refused_from(to_state)
        self.assertEqual(None not in c.TRANSITIONS[to_state],
                         None in refused)
        for from_state in refused:
            self.put(from_state)
            before = self.row()
            e = self.assertRaises(exception.InvalidState, records.advance,
                                  self.share_id, to_state,
                                  extra={'display_name': 'changed'})
            after = self.row()
            self.assertEqual(from_state, after.task_state, to_state)
            self.assertEqual('before', after.display_name)
            self.assertEqual(before.updated_at, after.updated_at)
            self.assertIn('task state %s' % from_state, str(e))
            self.assertIn(self.share_id, str(e))

    def test_refused_by_a_criterion(self):
        self.put(c.DRIVER_IN_PROGRESS)
        self.assertRaises(
            exception.InvalidState, records.advance, self.share_id,
            c.DRIVER_PHASE1_DONE,
            criteria=[share_records.Share.size == 99])
        self.assertEqual(c.DRIVER_IN_PROGRESS, self.row().task_state)

    def test_walk_resumes_past_states_reached(self):
        self.put(c.COPY_COMPLETING)
        records.walk_to(self.share_id, c.HOST_PHASE1, c.COPY_COMPLETED)
        self.assertEqual(c.COPY_COMPLETED, self.row().task_state)

    def test_walk_takes_each_step_to_its_target(self):
        self.put(c.IN_PROGRESS)
        records.walk_to(self.share_id, c.HOST_PHASE1, c.COPY_IN_PROGRESS)
        self.assertEqual(c.COPY_IN_PROGRESS, self.row().task_state)

    def test_walk_resumed_past_its_target_changes_nothing(self):
        # A copy killed in data_copying_in_progress: its resumed task
        # walks to data_copying_starting first.
        self.put(c.COPY_IN_PROGRESS)
        before = self.row()
        records.walk_to(self.share_id, c.HOST_PHASE1, c.COPY_STARTING)
        self.assertEqual(before.updated_at, self.row().updated_at)
        self.assertEqual(c.COPY_IN_PROGRESS, self.row().task_state)

    def test_walk_stops_at_a_cancel(self):
        self.put(c.CANCEL_IN_PROGRESS)
        self.assertRaises(exception.ShareMigrationCancelled,
                          records.walk_to, self.share_id, c.HOST_PHASE1,
                          c.COPY_IN_PROGRESS)
        self.assertEqual(c.CANCEL_IN_PROGRESS, self.row().task_state)

    def test_walk_refuses_a_share_off_the_path(self):
        self.put(c.DRIVER_IN_PROGRESS)
        self.assertRaises(exception.InvalidState, records.walk_to,
                          self.share_id, c.HOST_PHASE1, c.COPY_STARTING)
        self.assertEqual(c.DRIVER_IN_PROGRESS, self.row().task_state)
