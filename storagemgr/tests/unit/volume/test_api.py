"""The volume service layer over the fake driver: flows, rules, refusals."""

from unittest import mock

import ddt

from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr import exception
from storagemgr.flows import engine as flow_engine
from storagemgr.tests import base
from storagemgr.tests.unit.volume import fakes
from storagemgr.volume import api as volume_api

TRANSITIONAL = {'creating', 'deleting', 'updating', 'extending'}


class ForeignError(Exception):
    """Not a storagemgr exception."""


@ddt.ddt
class TestVolumeAPI(base.TestCase):

    def setUp(self):
        super().setUp()
        self.api, self.driver = fakes.make_api(self)

    def _group_with_volumes(self, count=2):
        group = self.api.create_group('g')
        volumes = [self.api.create_volume('v%d' % i, size=1,
                                          group=group['id'])
                   for i in range(count)]
        return group, volumes

    def assertNothingTransitional(self):
        records = (self.api.list_volumes() + self.api.list_snapshots() +
                   self.api.list_groups() + self.api.list_cgsnapshots())
        stuck = [(r['id'], r['status']) for r in records
                 if r['status'] in TRANSITIONAL]
        self.assertEqual([], stuck)

    def test_volume_lifecycle(self):
        volume = self.api.create_volume('v', size=1)
        self.assertEqual('available', volume['status'])
        self.assertEqual(2, self.api.extend_volume('v', 2)['size'])
        snapshot = self.api.create_snapshot('v', 's')
        clone = self.api.create_volume('c', snapshot=snapshot['id'])
        self.assertEqual(snapshot['id'], clone['snapshot_id'])
        self.api.delete_volume('c')
        self.api.delete_snapshot('s')
        self.api.delete_volume(volume['id'])
        self.assertEqual([], self.api.list_volumes())

    @ddt.data(RuntimeError, ForeignError, exception.VolumeDriverException)
    def test_create_volume_failure_of_any_class(self, error_cls):
        self.driver.set_fault('create_volume', exception=error_cls('no'))
        self.assertRaises(exception.StorageManagerException,
                          self.api.create_volume, 'v', size=1)
        self.assertEqual('error', self.api.get_volume('v')['status'])

    def test_delete_volume_failure_is_error_deleting(self):
        self.api.create_volume('v', size=1)
        self.driver.set_fault('delete_volume', exception=OSError('io'))
        self.assertRaises(exception.VolumeDriverException,
                          self.api.delete_volume, 'v')
        self.assertEqual('error_deleting', self.api.get_volume('v')['status'])

    def test_group_snapshot_generic_and_create_from_it(self):
        group, volumes = self._group_with_volumes(3)
        cgsnapshot = self.api.create_cgsnapshot(group['id'], 'cgs')
        self.assertEqual('available', cgsnapshot['status'])
        self.assertEqual(3, self.driver.calls.count('create_snapshot'))
        new = self.api.create_group_from_src('g2', cgsnapshot='cgs')
        self.assertEqual('available', new['status'])
        self.assertEqual(3, len(self.api.group_volume_ids(new['id'])))
        self.assertNothingTransitional()

    def test_group_snapshot_member_failure_cleans_up(self):
        group, volumes = self._group_with_volumes(3)
        self.driver.set_fault('create_snapshot', exception=ForeignError('x'),
                              times=1)
        self.assertRaises(exception.VolumeDriverException,
                          self.api.create_cgsnapshot, group['id'], 'cgs')
        self.assertEqual('error', self.api.get_cgsnapshot('cgs')['status'])
        statuses = {s['status'] for s in self.api.list_snapshots()}
        self.assertEqual({'error'}, statuses)
        self.assertEqual({}, self.driver.snapshots)
        self.assertNothingTransitional()

    @ddt.data(
        {'exception': RuntimeError('boom')},
        {'model_status': 'error'},
        {'member_statuses': {0: 'error'}},
        {'omit_list': True, 'model_status': 'error'},
        {'malformed': 'no_id'},
        {'malformed': 'wrong_type'},
        {'malformed': 'unknown_status'},
        {'malformed': 'unknown_id'},
        {'malformed': 'not_a_tuple'},
    )
    def test_native_group_snapshot_faults_end_in_error(self, fault):
        group, volumes = self._group_with_volumes(2)
        self.driver.set_fault('create_cgsnapshot', **fault)
        self.assertRaises(exception.VolumeDriverException,
                          self.api.create_cgsnapshot, group['id'], 'cgs')
        self.assertEqual('error', self.api.get_cgsnapshot('cgs')['status'])
        self.assertNothingTransitional()

    @ddt.data('create_consistencygroup', 'delete_consistencygroup',
              'update_consistencygroup', 'delete_cgsnapshot',
              'create_consistencygroup_from_src')
    def test_every_group_method_failure_ends_in_error(self, method):
        group, volumes = self._group_with_volumes(1)
        spare = self.api.create_volume('spare', size=1)
        cgsnapshot = self.api.create_cgsnapshot(group['id'], 'cgs')
        self.driver.set_fault(method, exception=ForeignError('x'))
        calls = {
            'create_consistencygroup': lambda: self.api.create_group('n'),
            'delete_consistencygroup': lambda: self.api.delete_group(
                group['id'], force=True),
            'update_consistencygroup': lambda: self.api.update_group(
                group['id'], add_volumes=[spare['id']]),
            'delete_cgsnapshot': lambda: self.api.delete_cgsnapshot(
                cgsnapshot['id']),
            'create_consistencygroup_from_src':
                lambda: self.api.create_group_from_src(
                    'n', cgsnapshot=cgsnapshot['id']),
        }
        self.assertRaises(exception.VolumeDriverException, calls[method])
        self.assertNothingTransitional()

    def test_add_and_remove_volumes(self):
        group, volumes = self._group_with_volumes(1)
        spare = self.api.create_volume('spare', size=1)
        self.api.update_group('g', add_volumes=['spare'])
        self.assertEqual(group['id'],
                         self.api.get_volume('spare')['consistencygroup_id'])
        self.api.update_group('g', remove_volumes=[spare['id']])
        self.assertIsNone(self.api.get_volume('spare')['consistencygroup_id'])

    def test_add_volume_of_another_group_refused(self):
        group, volumes = self._group_with_volumes(1)
        other = self.api.create_group('other')
        self.assertRaises(exception.InvalidVolume, self.api.update_group,
                          other['id'], add_volumes=[volumes[0]['id']])
        self.assertEqual('available', self.api.get_group('other')['status'])
        self.assertEqual(group['id'], self.api.get_volume(
            volumes[0]['id'])['consistencygroup_id'])

    def test_add_unavailable_volume_refused(self):
        self.api.create_group('g')
        self.driver.set_fault('create_volume', exception=RuntimeError('x'))
        self.assertRaises(exception.StorageManagerException,
                          self.api.create_volume, 'bad', size=1)
        self.assertRaises(exception.InvalidState, self.api.update_group,
                          'g', add_volumes=['bad'])
        self.assertEqual('available', self.api.get_group('g')['status'])

    def test_delete_group_with_snapshots_refused_then_forced(self):
        group, volumes = self._group_with_volumes(2)
        self.api.create_cgsnapshot(group['id'], 'cgs')
        self.assertRaises(exception.InvalidConsistencyGroup,
                          self.api.delete_group, 'g')
        self.assertEqual('available', self.api.get_group('g')['status'])
        self.assertEqual(1, len(self.api.list_cgsnapshots()))
        self.api.delete_group('g', force=True)
        self.assertEqual([], self.api.list_groups())
        self.assertEqual([], self.api.list_volumes())
        self.assertEqual([], self.api.list_snapshots())

    def test_create_from_unavailable_snapshot_refused(self):
        self.api.create_volume('v', size=1)
        self.driver.set_fault('create_snapshot', exception=RuntimeError('x'))
        self.assertRaises(exception.VolumeDriverException,
                          self.api.create_snapshot, 'v', 's')
        self.assertRaises(exception.InvalidState, self.api.create_volume,
                          'n', snapshot='s')
        self.assertEqual(['v'], [v['name'] for v in self.api.list_volumes()])

    def test_delete_volume_in_group_refused(self):
        group, volumes = self._group_with_volumes(1)
        self.assertRaises(exception.InvalidVolume, self.api.delete_volume,
                          volumes[0]['id'])

    def test_ambiguous_name_refused(self):
        self.api.create_volume('same', size=1)
        self.api.create_volume('same', size=1)
        self.assertRaises(exception.AmbiguousName, self.api.get_volume,
                          'same')

    @ddt.data(0, -1, True, '1')
    def test_bad_size_refused(self, size):
        self.assertRaises(exception.InvalidInput, self.api.create_volume,
                          'v', size=size)
        self.assertEqual([], self.api.list_volumes())

    def test_create_group_from_source_group(self):
        group, volumes = self._group_with_volumes(2)
        new = self.api.create_group_from_src('copy', source_group='g')
        self.assertEqual('available', new['status'])
        self.assertEqual(2, self.driver.calls.count('create_cloned_volume'))
        self.assertEqual(2, len(self.api.group_volume_ids(new['id'])))


class TestNativeFakeGroups(base.TestCase):

    def test_native_path_skips_generic(self):
        api, driver = fakes.make_api(self, extra='fake_native_groups=true\n')
        group = api.create_group('g')
        api.create_volume('v', size=1, group=group['id'])
        api.create_cgsnapshot('g', 'cgs')
        self.assertIn('create_cgsnapshot', driver.calls)
        api.delete_group('g', force=True)
        self.assertEqual({}, driver.volumes)


class TestRefusedGroupDeleteKeepsEverything(fakes.GroupTestCase):
    """Defect 3: a refused forced delete must not have deleted anything."""

    def _snapshot_state(self):
        return (sorted((s['id'], s['status'])
                       for s in self.api.list_snapshots()),
                sorted((s['id'], s['status'])
                       for s in self.api.list_cgsnapshots()),
                sorted(self.driver.snapshots))

    def test_second_group_snapshot_creating_refuses_before_deleting(self):
        self.api.create_cgsnapshot('g', 'first')
        # A second group snapshot still being taken by another process.
        db_api.create(models.CGSnapshot, {
            'name': 'second', 'consistencygroup_id': self.group['id'],
            'status': 'creating'})
        before = self._snapshot_state()
        self.assertRaises(exception.StorageManagerException,
                          self.api.delete_group, 'g', force=True)
        self.assertEqual(before, self._snapshot_state())
        self.assertEqual('available',
                         self.api.get_cgsnapshot('first')['status'])
        self.assertEqual('available', self.api.get_group('g')['status'])
        self.assertEqual('available', self.api.get_volume('v')['status'])
        self.assertNotIn('delete_cgsnapshot', self.driver.calls)

    def test_volume_snapshot_creating_refuses_before_deleting(self):
        self.api.create_snapshot('v', 'plain')
        db_api.create(models.VolumeSnapshot, {
            'name': 'busy', 'volume_id': self.volume['id'], 'size': 1,
            'status': 'creating'})
        before = self._snapshot_state()
        self.assertRaises(exception.StorageManagerException,
                          self.api.delete_group, 'g', force=True)
        self.assertEqual(before, self._snapshot_state())
        self.assertEqual('available', self.api.get_group('g')['status'])
        self.assertNotIn('delete_snapshot', self.driver.calls)

    def test_refusal_names_the_busy_group_snapshot(self):
        self.api.create_cgsnapshot('g', 'first')
        busy = db_api.create(models.CGSnapshot, {
            'name': 'second', 'consistencygroup_id': self.group['id'],
            'status': 'creating'})
        error = self.assertRaises(exception.InvalidConsistencyGroup,
                                  self.api.delete_group, 'g', force=True)
        self.assertIn(busy.id, str(error))
        self.assertIn('creating', str(error))

    def test_forced_delete_still_removes_everything(self):
        self.api.create_cgsnapshot('g', 'first')
        self.api.create_snapshot('v', 'plain')
        self.api.delete_group('g', force=True)
        self.assertEqual([], self.api.list_groups())
        self.assertEqual([], self.api.list_volumes())
        self.assertEqual([], self.api.list_snapshots())
        self.assertEqual([], self.api.list_cgsnapshots())
        self.assertEqual({}, self.driver.snapshots)

    def test_failed_snapshot_delete_keeps_group_and_volumes(self):
        self.api.create_snapshot('v', 'plain')
        self.driver.set_fault('delete_snapshot', exception=ForeignError('x'))
        self.assertRaises(exception.VolumeDriverException,
                          self.api.delete_group, 'g', force=True)
        self.assertEqual('error', self.api.get_group('g')['status'])
        self.assertEqual('available', self.api.get_volume('v')['status'])
        self.assertEqual('error_deleting',
                         self.api.get_snapshot('plain')['status'])
        self.assertIn(self.volume['id'], self.driver.volumes)
        self.assertNotIn('delete_consistencygroup', self.driver.calls)

    def test_failed_group_snapshot_delete_keeps_group_and_volumes(self):
        self.api.create_cgsnapshot('g', 'first')
        self.driver.set_fault('delete_cgsnapshot',
                              exception=ForeignError('x'))
        self.assertRaises(exception.VolumeDriverException,
                          self.api.delete_group, 'g', force=True)
        self.assertEqual('error', self.api.get_group('g')['status'])
        self.assertEqual('available', self.api.get_volume('v')['status'])
        self.assertEqual('error', self.api.get_cgsnapshot('first')['status'])
        self.assertIn(self.volume['id'], self.driver.volumes)


class TestConcurrentMembership(base.TestCase):
    """Defect 4: one volume added to two groups at once."""

    def setUp(self):
        super().setUp()
        self.api, self.driver = fakes.make_api(
            self, extra='fake_native_groups=true\n')
        self.first = self.api.create_group('first')
        self.second = self.api.create_group('second')
        self.volume = self.api.create_volume('v', size=1)

    def _race(self, inner):
        """Run ``inner`` while the first group's update is in the driver."""
        results = []
        started = []
        real = self.driver.update_consistencygroup

        def update(context, group, **kwargs):
            if not started:
                started.append(group['id'])
                try:
                    results.append(inner())
                except exception.StorageManagerException as e:
                    results.append(e)
            return real(context, group, **kwargs)

        with mock.patch.object(self.driver, 'update_consistencygroup',
                               side_effect=update):
            self.api.update_group('first', add_volumes=['v'])
        return results[0]

    def test_second_add_refused_while_first_runs(self):
        result = self._race(lambda: self.api.update_group(
            'second', add_volumes=['v']))
        self.assertIsInstance(result, exception.InvalidVolume)
        self.assertIn(self.volume['id'], str(result))
        self.assertIn(self.first['id'], str(result))
        self.assertEqual(self.first['id'],
                         self.api.get_volume('v')['consistencygroup_id'])
        self.assertEqual([], self.api.group_volume_ids(self.second['id']))
        self.assertEqual('available', self.api.get_group('second')['status'])
        self.assertEqual('available', self.api.get_group('first')['status'])
        self.assertEqual('available', self.api.get_volume('v')['status'])

    def test_delete_refused_while_being_added(self):
        result = self._race(lambda: self.api.delete_volume('v'))
        self.assertIsInstance(result, exception.InvalidVolume)
        self.assertEqual(self.first['id'],
                         self.api.get_volume('v')['consistencygroup_id'])

    def test_refused_claim_changes_nothing(self):
        """A later volume of the same request refused: no claim is kept."""
        busy = self.api.create_volume('busy', size=1)
        db_api.update(models.Volume, busy['id'], {'status': 'extending'})
        self.assertRaises(exception.InvalidState, self.api.update_group,
                          'first', add_volumes=['v', 'busy'])
        self.assertIsNone(self.api.get_volume('v')['consistencygroup_id'])
        self.assertEqual('available', self.api.get_group('first')['status'])

    def test_claim_lost_after_the_checks_is_refused(self):
        """The volume joins another group between the read and the claim."""
        # The claim's transaction takes the write lock before it runs, so a
        # concurrent writer lands before it (here) or after it, never in
        # the middle.
        real = flow_engine.run_flow

        def other_wins_first(*args, **kwargs):
            db_api.update(models.Volume, self.volume['id'],
                          {'consistencygroup_id': self.second['id']})
            return real(*args, **kwargs)

        with mock.patch.object(flow_engine, 'run_flow',
                               side_effect=other_wins_first):
            error = self.assertRaises(exception.InvalidVolume,
                                      self.api.update_group, 'first',
                                      add_volumes=['v'])
        self.assertIn(self.second['id'], str(error))
        self.assertEqual('available', self.api.get_group('first')['status'])
        self.assertEqual(self.second['id'],
                         self.api.get_volume('v')['consistencygroup_id'])

    def test_failed_update_releases_the_claimed_volume(self):
        self.driver.set_fault('update_consistencygroup',
                              exception=ForeignError('x'))
        self.assertRaises(exception.VolumeDriverException,
                          self.api.update_group, 'first', add_volumes=['v'])
        self.assertIsNone(self.api.get_volume('v')['consistencygroup_id'])
        self.assertEqual('error', self.api.get_group('first')['status'])
        # The documented rule: a failed update marks the volume error.
        self.assertEqual('error', self.api.get_volume('v')['status'])
        self.assertEqual([], self.api.group_volume_ids(self.first['id']))


class TestClaimsAfterRead(base.TestCase):
    """The claim audit: a row that changes after it was read is refused.

    ``_stale`` lets the API read a row, then changes it in the database
    as a concurrent request would, before the API claims anything.
    """

    def setUp(self):
        super().setUp()
        self.api, self.driver = fakes.make_api(self)

    def _stale(self, model, ref, values):
        real = volume_api._find
        done = []

        def find(found_model, found_ref):
            row = real(found_model, found_ref)
            if found_model is model and found_ref == ref and not done:
                done.append(True)
                db_api.update(model, row.id, values)
            return row
        return mock.patch.object(volume_api, '_find', side_effect=find)

    def test_snapshot_of_volume_being_deleted_refused(self):
        volume = self.api.create_volume('v', size=1)
        with self._stale(models.Volume, 'v', {'status': 'deleting'}):
            self.assertRaises(exception.InvalidState,
                              self.api.create_snapshot, 'v', 's')
        self.assertEqual([], self.api.list_snapshots())
        self.assertNotIn('create_snapshot', self.driver.calls)
        self.assertEqual('deleting', self.api.get_volume(volume['id'])[
            'status'])

    def test_volume_from_snapshot_being_deleted_refused(self):
        self.api.create_volume('v', size=1)
        self.api.create_snapshot('v', 's')
        with self._stale(models.VolumeSnapshot, 's',
                         {'status': 'deleting'}):
            self.assertRaises(exception.InvalidState,
                              self.api.create_volume, 'n', snapshot='s')
        self.assertEqual(['v'], [v['name'] for v in self.api.list_volumes()])

    def test_clone_of_volume_being_deleted_refused(self):
        self.api.create_volume('v', size=1)
        with self._stale(models.Volume, 'v', {'status': 'deleting'}):
            self.assertRaises(exception.InvalidState,
                              self.api.create_volume, 'n', source_volume='v')
        self.assertEqual(['v'], [v['name'] for v in self.api.list_volumes()])

    def test_volume_in_group_being_deleted_refused(self):
        self.api.create_group('g')
        with self._stale(models.ConsistencyGroup, 'g',
                         {'status': 'deleting'}):
            self.assertRaises(exception.InvalidState,
                              self.api.create_volume, 'n', size=1, group='g')
        self.assertEqual([], self.api.list_volumes())

    def test_delete_refused_while_clone_is_created(self):
        source = self.api.create_volume('v', size=1)
        db_api.create(models.Volume, {
            'name': 'clone', 'size': 1, 'backend': 'b1',
            'status': 'creating', 'source_volid': source['id']})
        error = self.assertRaises(exception.InvalidVolume,
                                  self.api.delete_volume, 'v')
        self.assertIn('cloned', str(error))
        self.assertEqual('available', self.api.get_volume('v')['status'])

    def test_group_snapshot_of_group_being_deleted_refused(self):
        group = self.api.create_group('g')
        self.api.create_volume('m', size=1, group=group['id'])
        with self._stale(models.ConsistencyGroup, 'g',
                         {'status': 'deleting'}):
            self.assertRaises(exception.InvalidState,
                              self.api.create_cgsnapshot, 'g', 'cgs')
        self.assertEqual([], self.api.list_cgsnapshots())
        self.assertEqual([], self.api.list_snapshots())

    def test_group_snapshot_with_member_being_extended_refused(self):
        group = self.api.create_group('g')
        member = self.api.create_volume('m', size=1, group=group['id'])
        real = db_api.query

        def query(model, **kwargs):
            rows = real(model, **kwargs)
            if model is models.Volume and kwargs.get(
                    'consistencygroup_id') == group['id']:
                db_api.update(models.Volume, member['id'],
                              {'status': 'extending'})
            return rows
        with mock.patch.object(db_api, 'query', side_effect=query):
            error = self.assertRaises(exception.InvalidConsistencyGroup,
                                      self.api.create_cgsnapshot, 'g',
                                      'cgs')
        self.assertIn(member['id'], str(error))
        self.assertEqual([], self.api.list_cgsnapshots())
        self.assertEqual([], self.api.list_snapshots())

    def test_group_snapshot_delete_with_busy_member_changes_nothing(self):
        group = self.api.create_group('g')
        self.api.create_volume('m', size=1, group=group['id'])
        cgsnapshot = self.api.create_cgsnapshot('g', 'cgs')
        member = self.api.list_snapshots()[0]
        db_api.update(models.VolumeSnapshot, member['id'],
                      {'status': 'creating'})
        self.assertRaises(exception.InvalidConsistencyGroup,
                          self.api.delete_cgsnapshot, 'cgs')
        self.assertEqual('available',
                         self.api.get_cgsnapshot(cgsnapshot['id'])['status'])
        self.assertEqual('creating',
                         self.api.get_snapshot(member['id'])['status'])
        self.assertNotIn('delete_snapshot', self.driver.calls)

    def test_copy_of_group_that_gained_a_volume_refused(self):
        group = self.api.create_group('g')
        self.api.create_volume('m', size=1, group=group['id'])
        spare = self.api.create_volume('spare', size=1)
        real = db_api.query

        def query(model, **kwargs):
            rows = real(model, **kwargs)
            if model is models.Volume and kwargs.get(
                    'consistencygroup_id') == group['id']:
                db_api.update(models.Volume, spare['id'],
                              {'consistencygroup_id': group['id']})
            return rows
        with mock.patch.object(db_api, 'query', side_effect=query):
            self.assertRaises(exception.InvalidConsistencyGroup,
                              self.api.create_group_from_src, 'copy',
                              source_group='g')
        self.assertEqual(['g'], [g['name'] for g in self.api.list_groups()])
        self.assertEqual(2, len(self.api.list_volumes()))


@ddt.ddt
class TestBadInputChangesNothing(fakes.GroupTestCase):
    """Names and sizes are checked before the database sees them."""

    with_cgsnapshot = with_plain = True
    # Room for the largest size accepted, not over-subscribed.
    backend_config = ('fake_total_capacity_gb=%d\n'
                      'max_over_subscription_ratio=1\n' % 2 ** 32)

    def _state(self):
        return (self.api.list_volumes(), self.api.list_snapshots(),
                self.api.list_groups(), self.api.list_cgsnapshots())

    def _creates(self, name):
        return {
            'volume': lambda: self.api.create_volume(name, size=1),
            'snapshot': lambda: self.api.create_snapshot('plain', name),
            'group': lambda: self.api.create_group(name),
            'group from source': lambda: self.api.create_group_from_src(
                name, cgsnapshot='cgs'),
            'group snapshot': lambda: self.api.create_cgsnapshot('g', name),
        }

    @ddt.named_data(('256_chars', 'x' * 256), ('5000_chars', 'x' * 5000),
                    ('newline', 'new\nline'), ('tab', 'tab\there'),
                    ('nul', 'nul\x00'), ('del', 'del\x7f'),
                    ('zero_width_space', 'zero\u200bwidth'), ('int', 7))
    def test_bad_names_refused(self, name):
        before = self._state()
        for what, create in sorted(self._creates(name).items()):
            error = self.assertRaises(exception.InvalidInput, create)
            self.assertIn('name', str(error), what)
            self.assertEqual(1, len(str(error).splitlines()), what)
        self.assertEqual(before, self._state())

    @ddt.named_data(('255_chars', 'x' * 255), ('space', 'with space'),
                    ('unicode', 'ünïcødé – ok'), ('empty', ''))
    def test_good_names_accepted(self, name):
        for what, create in sorted(self._creates(name).items()):
            self.assertEqual(name, create()['name'], what)

    @ddt.data(99999999999999999999, 2 ** 31, 2 ** 63, 2 ** 64)
    def test_huge_size_refused_naming_it(self, size):
        before = self._state()
        error = self.assertRaises(exception.InvalidInput,
                                  self.api.create_volume, 'big', size=size)
        self.assertIn(str(size), str(error))
        error = self.assertRaises(exception.InvalidInput,
                                  self.api.extend_volume, 'plain', size)
        self.assertIn(str(size), str(error))
        error = self.assertRaises(exception.InvalidInput,
                                  self.api.create_volume, 'big',
                                  source_volume='plain', size=size)
        self.assertIn(str(size), str(error))
        self.assertEqual(before, self._state())

    def test_largest_size_accepted(self):
        volume = self.api.create_volume('big', size=2 ** 31 - 1)
        self.assertEqual(2 ** 31 - 1, volume['size'])
