"""A consistency group snapshot costs the same statements at any size.

The claim, the loading of the driver views and the writing of the outcome
each used to run statements per member (a conditional update and an insert
per volume, two group look-ups per view, an update per snapshot); 1,000
members took 30 times as long as one. Each count here is taken for a group
of 2 volumes and one of 20, on every database the tests can reach, and
must be the same. The refusals the bulk claim makes are checked too.
"""

import collections
import contextlib
from unittest import mock

import sqlalchemy as sa
import testscenarios

from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.flows import engine as flow_engine
from storagemgr.tests import base
from storagemgr.tests import db_backends
from storagemgr.tests.unit.volume import fakes
from storagemgr.volume import driver_views
from storagemgr.volume.flows import group_snapshot as cgsnapshot_flows
from storagemgr.volume import group_updates

load_tests = testscenarios.load_tests_apply_scenarios

SMALL, LARGE = 2, 20


class GroupSnapshotStatementsTestCase(db_backends.DatabaseScenarios,
                                      base.TestCase):

    scenarios = db_backends.scenarios()

    def setUp(self):
        super().setUp()
        self.api, self.driver = fakes.make_api(self)
        self.phases = collections.Counter()
        self._phase = None

    def _group(self, members):
        group = self.api.create_group('g%d' % members)
        for index in range(members):
            self.api.create_volume('v%d-%d' % (members, index), size=1,
                                   group=group['id'])
        return group

    @contextlib.contextmanager
    def _counting(self):
        """Count the statements run, by the phase running them."""
        def count(conn, cursor, statement, parameters, context,
                  executemany):
            self.phases[self._phase or 'other'] += 1

        engine = db_session.get_engine()
        sa.event.listen(engine, 'before_cursor_execute', count)
        try:
            yield self.phases
        finally:
            sa.event.remove(engine, 'before_cursor_execute', count)

    def _in_phase(self, name, func):
        def wrapper(*args, **kwargs):
            self._phase = name
            try:
                return func(*args, **kwargs)
            finally:
                self._phase = None
        return wrapper

    def _phases_of_snapshot(self, members):
        """Statements of each phase of one group snapshot, and its id."""
        group = self._group(members)
        run_flow = flow_engine.run_flow

        def run_with_counted_claim(factory, claim=None, **kwargs):
            return run_flow(factory, claim=self._in_phase('claim', claim),
                            **kwargs)

        self.phases.clear()
        with mock.patch.object(flow_engine, 'run_flow',
                               run_with_counted_claim), \
                mock.patch.object(cgsnapshot_flows, '_load', self._in_phase(
                    'views', cgsnapshot_flows._load)), \
                mock.patch.object(group_updates, 'write_group_outcome',
                                  self._in_phase(
                                      'outcome',
                                      group_updates.write_group_outcome)), \
                self._counting():
            cgsnapshot = self.api.create_cgsnapshot(group['id'], 'c')
        self.assertEqual('available', cgsnapshot['status'])
        self.assertEqual(members, len(
            self.api.cgsnapshot_snapshot_ids(cgsnapshot['id'])))
        return dict(self.phases), cgsnapshot['id']

    def test_create_runs_the_same_statements_for_any_member_count(self):
        small, _ = self._phases_of_snapshot(SMALL)
        large, _ = self._phases_of_snapshot(LARGE)
        for phase in ('claim', 'views', 'outcome'):
            self.assertGreater(small.get(phase, 0), 0, phase)
        self.assertEqual(small, large)

    def test_delete_runs_the_same_statements_for_any_member_count(self):
        counts = []
        for members in (SMALL, LARGE):
            _, cgsnapshot_id = self._phases_of_snapshot(members)
            self.phases.clear()
            with self._counting():
                self.api.delete_cgsnapshot(cgsnapshot_id)
            self.assertEqual([], db_api.query(models.VolumeSnapshot,
                                              cgsnapshot_id=cgsnapshot_id))
            counts.append(sum(self.phases.values()))
        self.assertEqual(counts[0], counts[1])


class BulkClaimTestCase(db_backends.DatabaseScenarios, base.TestCase):
    """The claim over every member refuses as the per-volume one did."""

    scenarios = db_backends.scenarios()

    def setUp(self):
        super().setUp()
        self.api, self.driver = fakes.make_api(self)
        self.group = self.api.create_group('g')
        self.volumes = [self.api.create_volume('v%d' % index, size=1,
                                               group=self.group['id'])
                        for index in range(3)]

    def _state(self):
        rows = (db_api.query(models.Volume) +
                db_api.query(models.VolumeSnapshot) +
                db_api.query(models.CGSnapshot))
        return sorted((type(r).__name__, r.id, r.status, r.updated_at,
                       getattr(r, 'size', None)) for r in rows)

    def _snapshot_after(self, change):
        """Snapshot the group, ``change`` running just before its claim."""
        run_flow = flow_engine.run_flow

        def run_after_change(*args, **kwargs):
            change()
            self.before = self._state()
            return run_flow(*args, **kwargs)

        with mock.patch.object(flow_engine, 'run_flow', run_after_change):
            return self.assertRaises(exception.InvalidConsistencyGroup,
                                     self.api.create_cgsnapshot,
                                     self.group['id'], 'c')

    def _set_volume(self, index, **values):
        db_api.update(models.Volume, self.volumes[index]['id'], values)

    def test_volume_moved_on_is_named_and_nothing_changes(self):
        error = self._snapshot_after(
            lambda: self._set_volume(1, status='extending'))
        self.assertIn('volume %s of consistency group %s changed meanwhile '
                      '(now extending)' % (self.volumes[1]['id'],
                                           self.group['id']), str(error))
        self.assertEqual(self.before, self._state())

    def test_volume_resized_is_named(self):
        error = self._snapshot_after(lambda: self._set_volume(2, size=5))
        self.assertIn('volume %s of' % self.volumes[2]['id'], str(error))
        self.assertEqual(self.before, self._state())

    def test_volume_gone_from_group_is_named(self):
        error = self._snapshot_after(
            lambda: self._set_volume(0, consistencygroup_id=None))
        self.assertIn('volume %s of' % self.volumes[0]['id'], str(error))
        self.assertEqual(self.before, self._state())

    def test_volume_joining_meanwhile_refuses_for_the_group(self):
        extra = self.api.create_volume('extra', size=1)
        error = self._snapshot_after(lambda: db_api.update(
            models.Volume, extra['id'],
            {'consistencygroup_id': self.group['id']}))
        self.assertIn('gained or lost a volume', str(error))
        self.assertEqual(self.before, self._state())

    def test_snapshot_rows_are_complete(self):
        cgsnapshot = self.api.create_cgsnapshot(self.group['id'], 'c')
        rows = db_api.query(models.VolumeSnapshot,
                            cgsnapshot_id=cgsnapshot['id'])
        self.assertEqual(sorted(v['id'] for v in self.volumes),
                         sorted(r.volume_id for r in rows))
        self.assertEqual(3, len({r.id for r in rows}))
        for row in rows:
            self.assertEqual(('c', 1, 'available'),
                             (row.name, row.size, row.status))
            self.assertIsNotNone(row.created_at)
            self.assertIsNotNone(row.updated_at)

    def test_delete_refused_when_a_member_moved_on(self):
        cgsnapshot = self.api.create_cgsnapshot(self.group['id'], 'c')
        member_id = self.api.cgsnapshot_snapshot_ids(cgsnapshot['id'])[1]
        run_flow = flow_engine.run_flow

        def run_after_change(*args, **kwargs):
            # A member busy in a way the group's own guard does not see.
            db_api.update(models.VolumeSnapshot, member_id,
                          {'cgsnapshot_id': None, 'status': 'creating'})
            self.before = self._state()
            return run_flow(*args, **kwargs)

        with mock.patch.object(flow_engine, 'run_flow', run_after_change):
            self.assertRaises(exception.InvalidConsistencyGroup,
                              self.api.delete_cgsnapshot, cgsnapshot['id'])
        self.assertEqual(self.before, self._state())


class OutcomeAndViewsTestCase(base.TestCase):
    """Bulk writes keep each member's own values; views stay separate."""

    def setUp(self):
        super().setUp()
        self.api, self.driver = fakes.make_api(self)
        self.group = self.api.create_group('g')
        for index in range(3):
            self.api.create_volume('v%d' % index, size=1,
                                   group=self.group['id'])
        self.cgsnapshot = self.api.create_cgsnapshot(self.group['id'], 'c')
        self.ids = self.api.cgsnapshot_snapshot_ids(self.cgsnapshot['id'])

    def test_members_get_their_own_columns_and_deleted_ones_go(self):
        first, second, third = self.ids
        kept = db_api.get(models.VolumeSnapshot, second).provider_location
        group_updates.write_group_outcome(
            models.CGSnapshot, self.cgsnapshot['id'], models.VolumeSnapshot,
            {'failed': True, 'reason': 'x', 'group': {'status': 'error'},
             'members': {
                 first: {'status': 'error', 'provider_location': 'p1',
                         'provider_metadata': {'k': 'v'}},
                 second: {'status': 'error_deleting'},
                 third: {'status': 'deleted'}}})
        rows = {r.id: r for r in db_api.query(
            models.VolumeSnapshot, cgsnapshot_id=self.cgsnapshot['id'])}
        self.assertEqual([first, second], sorted(rows))
        self.assertEqual(('error', 'p1', {'k': 'v'}),
                         (rows[first].status, rows[first].provider_location,
                          rows[first].provider_metadata))
        self.assertEqual(('error_deleting', kept),
                         (rows[second].status,
                          rows[second].provider_location))
        self.assertEqual('error', db_api.get(
            models.CGSnapshot, self.cgsnapshot['id']).status)

    def test_each_member_view_holds_its_own_group_views(self):
        _, _, views = cgsnapshot_flows._load(self.cgsnapshot['id'])
        self.assertEqual(3, len(views))
        first, second = views[0], views[1]
        self.assertIsInstance(first.cgsnapshot,
                              driver_views.CGSnapshotView)
        self.assertIsInstance(first.cgsnapshot.consistencygroup,
                              driver_views.GroupView)
        self.assertIsInstance(first.volume.consistencygroup,
                              driver_views.GroupView)
        self.assertEqual(self.group['id'],
                         second.volume.consistencygroup.id)
        first.cgsnapshot.consistencygroup.metadata['k'] = 'changed'
        first.volume.consistencygroup.name = 'changed'
        self.assertEqual({}, second.cgsnapshot.consistencygroup.metadata)
        self.assertEqual('g', second.volume.consistencygroup.name)
        self.assertEqual({}, first.volume.consistencygroup.metadata)

    def test_views_match_the_one_at_a_time_builder(self):
        _, _, views = cgsnapshot_flows._load(self.cgsnapshot['id'])
        for view in views:
            row = db_api.get(models.VolumeSnapshot, view.id)
            self.assertEqual(driver_views.snapshot_view(row), view)
