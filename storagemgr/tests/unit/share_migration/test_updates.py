"""``share_migration.updates``: the checks of every migration driver
return (rows C, N, P, M of doc/source/admin/share-migration-rules.rst)
and the writers (rows W), with their effect on every row they touch.
"""

from storagemgr import exception
from storagemgr.share_migration import constants
from storagemgr.share_migration import records
from storagemgr.share_migration import updates
from storagemgr.tests import base as test_base
from storagemgr.tests.unit.share_migration import base


class Driver(object):
    """Stands for a driver: the checks name its class."""


DRIVER_NAME = '%s.Driver' % __name__
DESTINATION_SNAPSHOT = 'dest-snap-1'


class CheckTestCase(test_base.TestCase):
    """One test per row; a row's malformed examples are checked in turn."""

    def assertMalformed(self, method, func, value, *args):
        e = self.assertRaises(exception.InvalidDriverReturn, func,
                              Driver(), value, *args)
        self.assertIn(DRIVER_NAME, str(e), value)
        self.assertIn(method, str(e), value)
        return str(e)

    def assertAllMalformed(self, method, func, values, *args):
        for value in values:
            self.assertMalformed(method, func, value, *args)

    # -- migration_check_compatibility ------------------------------------

    def test_c1_compatibility_as_given(self):
        answer = {'compatible': True, 'writable': False,
                  'preserve_metadata': True, 'nondisruptive': False,
                  'preserve_snapshots': True}
        self.assertEqual(answer,
                         updates.check_compatibility(Driver(), answer))

    def test_c2_missing_flags_are_false(self):
        self.assertEqual(
            {'compatible': True, 'writable': False,
             'preserve_metadata': False, 'nondisruptive': False,
             'preserve_snapshots': False},
            updates.check_compatibility(Driver(), {'compatible': True}))

    def test_c3_empty_is_incompatible(self):
        answer = updates.check_compatibility(Driver(), {})
        self.assertFalse(any(answer.values()))
        self.assertEqual(set(updates.COMPATIBILITY_KEYS), set(answer))

    def test_c4_non_boolean_names_the_key(self):
        for key in updates.COMPATIBILITY_KEYS:
            for bad in ('yes', 1, None):
                message = self.assertMalformed(
                    'migration_check_compatibility',
                    updates.check_compatibility,
                    dict({'compatible': True}, **{key: bad}))
                self.assertIn(key, message)

    def test_c5_not_a_dict(self):
        self.assertAllMalformed('migration_check_compatibility',
                                updates.check_compatibility,
                                (None, 'compatible', [True], True))

    # -- migration_continue -----------------------------------------------

    def test_n1_n2_booleans(self):
        self.assertIs(True, updates.check_continue(Driver(), True))
        self.assertIs(False, updates.check_continue(Driver(), False))

    def test_n3_not_a_boolean(self):
        self.assertAllMalformed('migration_continue', updates.check_continue,
                                (None, 1, 0, 'done', {}, {'done': True}))

    # -- migration_get_progress -------------------------------------------

    def test_p1_percentage(self):
        for value in (0, 42, 100):
            self.assertEqual(value, updates.check_progress(
                Driver(), {'total_progress': value}))

    def test_p2_text_percentage(self):
        for value in ('42%', '42', ' 42 '):
            self.assertEqual(42, updates.check_progress(
                Driver(), {'total_progress': value}))

    def test_p3_bad_progress(self):
        self.assertAllMalformed(
            'migration_get_progress', updates.check_progress,
            ({'total_progress': 101}, {'total_progress': -1},
             {'total_progress': '101%'}, {'total_progress': 'half'},
             {'total_progress': None}, {'total_progress': True},
             {'total_progress': 4.5}, {}, {'progress': 50}))

    def test_p4_not_a_dict(self):
        self.assertAllMalformed('migration_get_progress',
                                updates.check_progress,
                                (None, 50, '50%', [50]))

    # -- migration_complete -----------------------------------------------

    def test_m1_nothing_to_update(self):
        for value in (None, {}):
            self.assertEqual(
                {'export_locations': None, 'snapshot_updates': {}},
                updates.check_complete(Driver(), value, set()))

    def test_m2_export_locations_normalised(self):
        answer = updates.check_complete(Driver(), {
            'export_locations': ['h:/a', {'path': 'h:/b',
                                          'is_admin_only': True}]}, set())
        self.assertEqual(
            [{'path': 'h:/a', 'is_admin_only': False, 'metadata': {}},
             {'path': 'h:/b', 'is_admin_only': True, 'metadata': {}}],
            answer['export_locations'])

    def test_m3_snapshot_updates(self):
        answer = updates.check_complete(Driver(), {
            'snapshot_updates': {DESTINATION_SNAPSHOT: {
                'provider_location': 'pl-1',
                'export_locations': ['h:/snap']}}},
            {DESTINATION_SNAPSHOT})
        update = answer['snapshot_updates'][DESTINATION_SNAPSHOT]
        self.assertEqual('pl-1', update['provider_location'])
        self.assertEqual('h:/snap', update['export_locations'][0]['path'])

    def test_m4_snapshot_update_of_another_instance(self):
        message = self.assertMalformed(
            'migration_complete', updates.check_complete,
            {'snapshot_updates': {'someone-else': {}}},
            {DESTINATION_SNAPSHOT})
        self.assertIn('someone-else', message)

    def test_m5_malformed_parts(self):
        self.assertAllMalformed(
            'migration_complete', updates.check_complete,
            ({'export_locations': [{'is_admin_only': False}]},
             {'export_locations': [{'path': '  '}]},
             {'export_locations': 'h:/a'},
             {'snapshot_updates': {DESTINATION_SNAPSHOT: {
                 'provider_location': 7}}},
             {'snapshot_updates': {DESTINATION_SNAPSHOT: 'pl'}},
             {'snapshot_updates': [DESTINATION_SNAPSHOT]}),
            {DESTINATION_SNAPSHOT})

    def test_m6_not_a_dict(self):
        self.assertAllMalformed('migration_complete', updates.check_complete,
                                ('fake-malformed-return', ['h:/a'], 7),
                                set())


class WriterTestCase(base.MigrationTestCase):
    """The writers on a real phase 1 of the fake driver.

    A share with a snapshot and a rule migrates driver-assisted with its
    snapshots to f2; phase 1 takes two ``migration_continue`` polls, so it
    is under way after ``start``.
    """

    def setUp(self):
        super().setUp()
        self.share = self.make_share()
        self.share_id = self.share['id']
        self.snapshot = self.api.create_snapshot(self.share_id, name='sn')
        self.rule = self.allow(self.share_id)
        self.source_id = self.share['instance_id']
        self.assertEqual(1, self.allocated(base.SOURCE_POOL))
        self.start(self.share_id, preserve_snapshots=True)
        self.assertEqual(constants.DRIVER_IN_PROGRESS,
                         self.task_state(self.share_id))
        self.migration_row = self.migration(self.share_id)
        self.migration_id = self.migration_row.id
        self.destination_id = self.migration_row.destination_instance_id

    def to_completing(self):
        self.migrations.poll(self.share_id)
        records.advance(self.share_id, constants.COMPLETING)

    def test_w1_map_snapshots_made_by_start_and_stable(self):
        source_snaps = self.snapshot_instances(self.source_id)
        destination_snaps = self.snapshot_instances(self.destination_id)
        self.assertEqual(['migrating'], [s.status for s in source_snaps])
        self.assertEqual(['migrating_to'],
                         [s.status for s in destination_snaps])
        self.assertEqual(self.snapshot['id'],
                         destination_snaps[0].snapshot_id)
        mapping = updates.map_snapshots(self.migration_id)
        self.assertEqual({source_snaps[0].id: destination_snaps[0].id},
                         mapping)
        self.assertEqual(mapping, updates.map_snapshots(self.migration_id))
        self.assertEqual(1, len(self.snapshot_instances(
            self.destination_id)))

    def test_w2_unwind_puts_the_share_back_on_its_source(self):
        self.assertEqual(1, self.allocated(base.DESTINATION_POOL))
        self.assertEqual('migrating',
                         self.instances(self.share_id)[self.source_id].status)
        self.assertTrue(updates.unwind(
            self.share_id, self.migration_id, constants.ERROR,
            detail='the test says so'))
        self.assertOnSource(self.share_id, self.source_id, constants.ERROR)
        self.assertEqual([], self.snapshot_instances(self.destination_id))
        self.assertEqual(['available'], [
            s.status for s in self.snapshot_instances(self.source_id)])
        self.assertEqual([self.rule['id']], [
            r.access_id for r in self.rule_states(self.source_id)])
        self.assertEqual([], self.rule_states(self.destination_id))
        self.assertEqual(0, self.allocated(base.DESTINATION_POOL))
        self.assertEqual(1, self.allocated(base.SOURCE_POOL))
        self.assertEqual('the test says so',
                         self.migration(self.share_id).detail)
        self.assertEqual(['the test says so'], self.messages(self.share_id))

    def test_w2_unwind_twice_changes_nothing_more(self):
        updates.unwind(self.share_id, self.migration_id, constants.ERROR,
                       detail='first')
        self.assertFalse(updates.unwind(
            self.share_id, self.migration_id, constants.ERROR))
        self.assertOnSource(self.share_id, self.source_id, constants.ERROR)
        self.assertEqual(0, self.allocated(base.DESTINATION_POOL))
        self.assertEqual('first', self.migration(self.share_id).detail)
        self.assertEqual(1, len(self.messages(self.share_id)))

    def test_w2_unwind_cancelled_has_no_message(self):
        records.advance(self.share_id, constants.CANCEL_IN_PROGRESS)
        self.assertTrue(updates.unwind(self.share_id, self.migration_id,
                                       constants.CANCELLED))
        self.assertOnSource(self.share_id, self.source_id,
                            constants.CANCELLED)
        self.assertEqual([], self.messages(self.share_id))
        self.assertIsNone(self.migration(self.share_id).detail)

    def test_w2_unwind_refuses_a_state_it_may_not_leave(self):
        # A cancelled migration is never unwound into an error.
        records.advance(self.share_id, constants.CANCEL_IN_PROGRESS)
        updates.unwind(self.share_id, self.migration_id,
                       constants.CANCELLED)
        self.assertFalse(updates.unwind(self.share_id, self.migration_id,
                                        constants.ERROR, detail='late'))
        self.assertEqual(constants.CANCELLED, self.task_state(self.share_id))
        self.assertEqual([], self.messages(self.share_id))

    def test_w3_cut_over(self):
        self.to_completing()
        destination_snap = self.snapshot_instances(self.destination_id)[0]
        locations = [{'path': 'h:/moved', 'is_admin_only': False,
                      'metadata': {}}]
        self.assertTrue(updates.cut_over(
            self.share_id, self.migration_id, locations,
            {destination_snap.id: {'provider_location': 'pl-moved'}}))
        self.assertEqual(constants.SUCCESS, self.task_state(self.share_id))
        rows = self.instances(self.share_id)
        self.assertEqual('deleting', rows[self.source_id].status)
        self.assertFalse(rows[self.source_id].active)
        destination = rows[self.destination_id]
        self.assertEqual(('available', True, '100%', locations),
                         (destination.status, destination.active,
                          destination.progress,
                          destination.export_locations))
        self.assertEqual([], self.snapshot_instances(self.source_id))
        snaps = self.snapshot_instances(self.destination_id)
        self.assertEqual([('available', '100%', 'pl-moved')],
                         [(s.status, s.progress, s.provider_location)
                          for s in snaps])
        self.assertEqual([self.rule['id']], [
            r.access_id for r in self.rule_states(self.destination_id)])
        self.assertEqual([], self.rule_states(self.source_id))
        self.assertEqual(0, self.allocated(base.SOURCE_POOL))
        self.assertEqual(1, self.allocated(base.DESTINATION_POOL))

    def test_w3_cut_over_twice_changes_nothing_more(self):
        self.to_completing()
        updates.cut_over(self.share_id, self.migration_id)
        self.assertFalse(updates.cut_over(
            self.share_id, self.migration_id,
            [{'path': 'h:/second', 'is_admin_only': False,
              'metadata': {}}]))
        self.assertNotEqual(
            'h:/second', (self.instances(self.share_id)[
                self.destination_id].export_locations or [{}])[0].get(
                'path'))
        self.assertEqual(0, self.allocated(base.SOURCE_POOL))
        self.assertEqual(1, self.allocated(base.DESTINATION_POOL))

    def test_w3_cut_over_refused_outside_completing(self):
        self.assertRaises(exception.InvalidState, updates.cut_over,
                          self.share_id, self.migration_id)
        self.assertEqual(constants.DRIVER_IN_PROGRESS,
                         self.task_state(self.share_id))
        self.assertEqual('migrating_to', self.instances(self.share_id)[
            self.destination_id].status)

    def test_w4_forget_source_after_cut_over(self):
        self.to_completing()
        updates.cut_over(self.share_id, self.migration_id)
        updates.forget_source(self.migration_id)
        self.assertEqual([self.destination_id],
                         list(self.instances(self.share_id)))
        updates.forget_source(self.migration_id)
        self.assertEqual([self.destination_id],
                         list(self.instances(self.share_id)))

    def test_w4_forget_source_keeps_an_active_source(self):
        updates.forget_source(self.migration_id)
        self.assertIn(self.source_id, self.instances(self.share_id))

    def test_w5_source_removal_failed(self):
        self.to_completing()
        updates.cut_over(self.share_id, self.migration_id)
        updates.source_removal_failed(self.migration_id, 'disk on fire')
        self.assertEqual('error_deleting', self.instances(self.share_id)[
            self.source_id].status)
        self.assertEqual(constants.SUCCESS, self.task_state(self.share_id))
        self.assertEqual('disk on fire',
                         self.migration(self.share_id).detail)
        self.assertIn('disk on fire', self.messages(self.share_id)[0])

    def test_w6_rules_failed_on_destination(self):
        self.to_completing()
        updates.cut_over(self.share_id, self.migration_id)
        updates.rules_failed_on_destination(self.share_id, 'refused')
        self.assertEqual(['error'], [
            r.state for r in self.rule_states(self.destination_id)])
        self.assertIn('refused', self.messages(self.share_id)[0])
