"""Share group claims: a refusal changes nothing, a race has one story.

Every test runs on SQLite and, when reachable, MySQL and PostgreSQL,
whose row locks and isolation levels are what the claims rely on.

Refusals compare every row's status and timestamp before and after. Races
run two callers in threads: the first is held inside its claim (after its
locks are taken, before its commit) long enough for the second to meet
them; whatever the order, the database must tell one consistent story.
"""

import threading
import time
from unittest import mock

import ddt
import sqlalchemy as sa
import testscenarios

from storagemgr.db import api as db_api
from storagemgr.db.models import pool_usage
from storagemgr.db.models import share as share_models
from storagemgr.db.models import share_group as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.flows import engine as flow_engine
from storagemgr.scheduler import placement
from storagemgr.share import constants as share_constants
from storagemgr.share import records as share_records
from storagemgr.share_group import api as group_api
from storagemgr.tests import base as tests_base
from storagemgr.tests import db_backends
from storagemgr.tests.unit.share_group import base
from storagemgr.types import api as types_api

load_tests = testscenarios.load_tests_apply_scenarios

Group = models.ShareGroup
GroupSnapshot = models.ShareGroupSnapshot
Member = models.ShareGroupSnapshotMember
Share = share_models.Share
Instance = share_models.ShareInstance

# How long the first caller stays inside its claim: long enough for the
# second to reach the lock it must wait on. Nothing asserts on time; a
# slow machine only makes the overlap less likely, never a test fail.
PAUSE = 0.5


def database_state():
    """Every row a claim may touch: ids, statuses, timestamps, usage."""
    selects = {
        'groups': sa.select(Group.id, Group.status, Group.updated_at),
        'group_types': sa.select(
            models.ShareGroupShareType.share_group_id,
            models.ShareGroupShareType.share_type_id),
        'group_snapshots': sa.select(GroupSnapshot.id, GroupSnapshot.status,
                                     GroupSnapshot.updated_at),
        'members': sa.select(Member.id, Member.status, Member.updated_at),
        'shares': sa.select(Share.id, Share.share_group_id, Share.size,
                            Share.updated_at),
        'instances': sa.select(Instance.id, Instance.share_id,
                               Instance.status, Instance.updated_at),
        'snapshots': sa.select(share_models.ShareSnapshotInstance.id,
                               share_models.ShareSnapshotInstance.status),
        'rules': sa.select(share_models.ShareInstanceAccessRule.id,
                           share_models.ShareInstanceAccessRule.state),
        'pool_usage': sa.select(
            pool_usage.PoolUsage.host,
            pool_usage.PoolUsage.allocated_capacity_gb),
    }
    with db_session.session_scope() as session:
        state = {name: sorted(tuple(row) for row in session.execute(stmt))
                 for name, stmt in selects.items()}
    state['unfinished_flows'] = len(flow_engine.find_unfinished_flows())
    return state


class _OnScenarioDatabase(db_backends.DatabaseScenarios,
                          tests_base.TestCase):
    """Switches the database before the share test case uses it.

    Placed after ``ShareGroupTestCase`` in the bases, so the scenario's
    database is set before its set-up creates the types.
    """


class GroupClaimsTestCase(base.ShareGroupTestCase, _OnScenarioDatabase):

    scenarios = db_backends.scenarios()

    def set_group_status(self, ref, status):
        db_api.update(Group, self.groups.get(ref)['id'], {'status': status})

    def assertRefusedUnchanged(self, error_class, func, *args, **kwargs):
        """``func`` raises ``error_class`` and no row changed; the error."""
        before = database_state()
        error = self.assertRaises(error_class, func, *args, **kwargs)
        self.assertEqual(before, database_state())
        return error


@ddt.ddt
class RefusalsTestCase(GroupClaimsTestCase):

    # -- group delete ---------------------------------------------------------

    @ddt.data((2, 0), (0, 1), (2, 2))
    @ddt.unpack
    def test_delete_without_force_names_what_the_group_holds(
            self, shares, group_snapshots):
        group, _members = self.group_with_members(shares)
        for n in range(group_snapshots):
            self.groups.create_snapshot('g1', name='gs%d' % n)
        error = self.assertRefusedUnchanged(
            exception.InvalidShareGroup, self.groups.delete, 'g1')
        self.assertIn('%s has %d share(s) and %d group snapshot(s)' % (
            group['id'], shares, group_snapshots), str(error))
        self.assertIn('--force', str(error))

    def test_delete_without_force_of_an_empty_group_works(self):
        self.make_group()
        self.groups.delete('g1')
        self.assertEqual([], self.groups.list())

    # -- group snapshot -------------------------------------------------------

    @ddt.data('extending', 'shrinking', 'error', 'creating', 'deleting',
              'error_deleting')
    def test_snapshot_refused_naming_the_member_not_available(self, status):
        _group, members = self.group_with_members(3)
        busy = members[1]['id']
        self.force_share_status(busy, status)
        error = self.assertRefusedUnchanged(
            exception.InvalidShareGroup, self.groups.create_snapshot, 'g1',
            name='gs')
        self.assertIn('%s (%s)' % (busy, status), str(error))
        for other in (members[0], members[2]):
            self.assertNotIn(other['id'], str(error))

    @ddt.data('error', 'creating', 'deleting', 'error_deleting')
    def test_snapshot_of_a_group_not_available_refused(self, status):
        self.group_with_members(2)
        self.set_group_status('g1', status)
        error = self.assertRefusedUnchanged(
            exception.InvalidState, self.groups.create_snapshot, 'g1')
        self.assertIn(status, str(error))

    # -- share create in a group ----------------------------------------------

    @ddt.data('error', 'creating', 'deleting', 'error_deleting')
    def test_share_create_in_a_group_not_available_refused(self, status):
        group, _members = self.group_with_members(1)
        self.set_group_status('g1', status)
        error = self.assertRefusedUnchanged(
            exception.InvalidState, self.make_member, group['id'], 'late')
        self.assertIn(group['id'], str(error))
        self.assertIn(status, str(error))

    def test_share_create_of_a_type_not_in_the_group_refused(self):
        types_api.share_types.create(
            't2', {'driver_handles_share_servers': 'False'})
        group, _members = self.group_with_members(1)
        error = self.assertRefusedUnchanged(
            exception.InvalidInput, self.api.create, 'NFS', 1,
            share_type='t2', share_group='g1')
        self.assertIn('t2', str(error))
        self.assertIn(group['id'], str(error))

    def test_share_create_on_another_backend_refused(self):
        group, _members = self.group_with_members(1)
        error = self.assertRefusedUnchanged(
            exception.InvalidInput, self.api.create, 'NFS', 1,
            backend='fake2', share_group='g1')
        self.assertIn('fake2', str(error))
        self.assertIn(group['host'], str(error))

    def test_share_create_from_a_snapshot_refused(self):
        self.group_with_members(1)
        loose = self.api.create('NFS', 1, share_type='t1')
        snapshot = self.make_snapshot(loose['id'])
        error = self.assertRefusedUnchanged(
            exception.InvalidInput, self.api.create, 'NFS', 1,
            snapshot_id=snapshot['id'], share_group='g1')
        self.assertIn('group snapshot', str(error))

    # -- share delete ---------------------------------------------------------

    def test_share_in_a_group_snapshot_kept_until_it_is_deleted(self):
        _group, members = self.group_with_members(2)
        group_snapshot = self.groups.create_snapshot('g1')
        kept = members[0]['id']
        error = self.assertRefusedUnchanged(exception.InvalidShare,
                                            self.api.delete, kept)
        self.assertIn(kept, str(error))
        self.assertIn('1 share group snapshot(s)', str(error))
        self.groups.delete_snapshot(group_snapshot['id'])
        self.api.delete(kept)
        self.assertEqual([members[1]['id']], self.groups.share_ids('g1'))
        self.assertEqual([members[1]['id']],
                         [s.id for s in self.shares()])

    def test_share_delete_with_the_wrong_group_refused(self):
        _group, members = self.group_with_members(1)
        other = self.make_group('g2')
        loose = self.api.create('NFS', 1, share_type='t1')
        member = members[0]['id']
        error = self.assertRefusedUnchanged(
            exception.InvalidInput, self.api.delete, member,
            share_group='g2')
        self.assertIn('%s is not in share group g2' % member, str(error))
        self.assertRefusedUnchanged(exception.InvalidInput, self.api.delete,
                                    loose['id'], share_group=other['id'])
        self.api.delete(member, share_group='g1')
        self.assertEqual([], self.groups.share_ids('g1'))

    # -- forced group delete --------------------------------------------------

    def _spoil_forced_delete(self, spoil):
        """A group (3 shares, a group snapshot) that ``spoil`` makes busy."""
        _group, members = self.group_with_members(3)
        group_snapshot = self.groups.create_snapshot('g1', name='gs')
        spoil(members[1]['id'], group_snapshot['id'])
        return members

    def _own_snapshot(self, share_id, _group_snapshot_id):
        self.make_snapshot(share_id)

    def _rule_in_transition(self, share_id, _group_snapshot_id):
        rule = self.api.allow_access(share_id, 'ip', '10.0.0.1')
        db_api.update(share_models.ShareInstanceAccessRule, db_api.get_by(
            share_models.ShareInstanceAccessRule, access_id=rule['id']).id,
            {'state': share_constants.ACCESS_STATE_QUEUED_TO_APPLY})

    def _member_extending(self, share_id, _group_snapshot_id):
        self.force_share_status(share_id, 'extending')

    def _group_snapshot_creating(self, _share_id, group_snapshot_id):
        db_api.update(GroupSnapshot, group_snapshot_id,
                      {'status': 'creating'})

    @ddt.data(('_own_snapshot', 'no snapshots of its own'),
              ('_rule_in_transition', 'no access rule being changed'),
              ('_member_extending', 'deletable status'),
              ('_group_snapshot_creating', 'being created or deleted'))
    @ddt.unpack
    def test_forced_delete_refused_claims_nothing(self, spoil, says):
        self._spoil_forced_delete(getattr(self, spoil))
        error = self.assertRefusedUnchanged(
            exception.InvalidShareGroup, self.groups.delete, 'g1',
            force=True)
        self.assertIn(says, str(error))
        self.assertEqual('available', self.groups.get('g1')['status'])

    # -- types ----------------------------------------------------------------

    def test_group_type_in_use_names_the_group(self):
        group = self.make_group()
        error = self.assertRefusedUnchanged(
            exception.TypeInUse, types_api.share_group_types.delete, 'gt1')
        self.assertIn(group['id'], str(error))
        self.assertIn('share group', str(error))
        self.groups.delete('g1')
        types_api.share_group_types.delete('gt1')

    def test_share_type_in_use_by_a_group_names_the_group(self):
        types_api.share_types.create(
            't2', {'driver_handles_share_servers': 'False'})
        group = self.groups.create(name='g2', share_types=['t2'])
        self.assertEqual(['t2'], group['share_types'])
        error = self.assertRefusedUnchanged(
            exception.TypeInUse, types_api.share_types.delete, 't2')
        self.assertIn(group['id'], str(error))
        self.groups.delete('g2')
        types_api.share_types.delete('t2')


class Race(object):
    """Two callers: ``first`` held inside its claim, then ``second``.

    ``hold_first(owner, name)`` wraps a function the first caller's claim
    calls once its locks are taken; the second caller starts when the
    first reaches it, and the first goes on ``PAUSE`` seconds later.
    """

    def __init__(self, test):
        self.test = test
        self.reached = threading.Event()
        self.outcomes = {}

    def hold_first(self, owner, name, when=None, wrap=None):
        real = getattr(owner, name)
        held = []

        def held_once(*args, **kwargs):
            if (threading.current_thread().name == 'first' and not held and
                    (when is None or when(*args, **kwargs))):
                held.append(True)
                self.reached.set()
                time.sleep(PAUSE)
            return real(*args, **kwargs)

        patcher = mock.patch.object(owner, name,
                                    wrap(held_once) if wrap else held_once)
        patcher.start()
        self.test.addCleanup(patcher.stop)

    def run(self, first, second):
        def call(name, func):
            try:
                func()
                self.outcomes[name] = 'ok'
            except Exception as e:  # every outcome is recorded, not raised
                self.outcomes[name] = e

        def after_first():
            # Without a hold reached (the first refused early) go anyway.
            self.reached.wait(30)
            call('second', second)

        threads = [threading.Thread(target=call, args=('first', first),
                                    name='first'),
                   threading.Thread(target=after_first, name='second')]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.test.assertTrue(self.reached.is_set(),
                             'the first caller never reached its hold')
        return self.outcomes

    def outcome(self, name):
        value = self.outcomes[name]
        return value if value == 'ok' else type(value).__name__


@ddt.ddt
class RacesTestCase(GroupClaimsTestCase):

    def setUp(self):
        super().setUp()
        self.driver.sleep = time.sleep
        self.member_claims = []
        self._count_members_at_claim()

    def _count_members_at_claim(self):
        """Record, in each group snapshot claim, members vs group shares.

        The shares are read with a locking read in the claim's own
        transaction just before the members are inserted: what the
        database holds at that moment, on MySQL too.
        """
        real = group_api.bulk.insert

        def counting(session, model, rows):
            if model is Member and rows:
                share_ids = {r['share_id'] for r in rows}
                group_id = session.scalar(
                    sa.select(Share.share_group_id).where(
                        Share.id == next(iter(share_ids))))
                in_group = set(session.scalars(sa.select(Share.id).where(
                    Share.share_group_id == group_id).with_for_update()))
                self.member_claims.append((share_ids, in_group))
            return real(session, model, rows)

        patcher = mock.patch.object(group_api.bulk, 'insert', counting)
        patcher.start()
        self.addCleanup(patcher.stop)

    def assertSnapshotsWhole(self):
        """Every member is of a live share of the group, on its instance."""
        for member_ids, in_group in self.member_claims:
            self.assertEqual(in_group, member_ids,
                             'a group snapshot claim missed a share of the '
                             'group, or took one of another')
        with db_session.session_scope() as session:
            rows = session.execute(sa.select(
                Member.share_id, Member.share_instance_id,
                GroupSnapshot.share_group_id, GroupSnapshot.status).join(
                GroupSnapshot,
                GroupSnapshot.id == Member.share_group_snapshot_id)).all()
        for share_id, instance_id, group_id, snapshot_status in rows:
            share = db_api.get_by(Share, id=share_id)
            self.assertIsNotNone(share, 'member of a deleted share')
            self.assertEqual(group_id, share.share_group_id)
            instance = share_records.active_instance(share_id)
            self.assertEqual(instance_id, instance.id)
            self.assertEqual(('available', 'available'),
                             (snapshot_status, instance.status),
                             'share %s in a group snapshot' % share_id)

    # -- group snapshot vs share create in the group --------------------------

    def test_snapshot_claimed_first_excludes_the_new_share(self):
        group, members = self.group_with_members(2)
        race = Race(self)
        race.hold_first(group_api.bulk, 'insert',
                        when=lambda session, model, rows: model is Member)
        race.run(lambda: self.groups.create_snapshot('g1', name='gs'),
                 lambda: self.make_member(group['id'], 'late'))
        self.assertEqual({'first': 'ok', 'second': 'ok'},
                         {k: race.outcome(k) for k in race.outcomes},
                         race.outcomes)
        found = {m['share_id'] for m in
                 self.groups.list_snapshot_members('gs')}
        self.assertEqual({m['id'] for m in members}, found)
        self.assertEqual(3, len(self.groups.share_ids('g1')))
        self.assertSnapshotsWhole()
        self.assertNoTransitionalRows()

    def test_share_claimed_first_is_a_whole_member_or_refuses(self):
        group, members = self.group_with_members(2)
        race = Race(self)
        race.hold_first(placement, 'reserve_on')
        race.run(lambda: self.make_member(group['id'], 'late'),
                 lambda: self.groups.create_snapshot('g1', name='gs'))
        self.assertEqual('ok', race.outcome('first'), race.outcomes)
        late = self.api.get('late')
        if race.outcome('second') == 'ok':
            found = {m['share_id'] for m in
                     self.groups.list_snapshot_members('gs')}
            self.assertEqual({m['id'] for m in members} | {late['id']},
                             found)
        else:
            # Claimed after the share's claim, while it was creating.
            self.assertEqual('InvalidShareGroup', race.outcome('second'),
                             race.outcomes)
            self.assertIn(late['id'], str(race.outcomes['second']))
            self.assertEqual([], self.groups.list_snapshots())
        self.assertSnapshotsWhole()
        self.assertNoTransitionalRows()

    # -- share delete vs group snapshot ---------------------------------------

    def test_snapshot_claimed_first_keeps_the_share(self):
        _group, members = self.group_with_members(2)
        victim = members[0]['id']
        race = Race(self)
        race.hold_first(group_api.bulk, 'insert',
                        when=lambda session, model, rows: model is Member)
        race.run(lambda: self.groups.create_snapshot('g1', name='gs'),
                 lambda: self.api.delete(victim))
        self.assertEqual('ok', race.outcome('first'), race.outcomes)
        # The share must still be there, untouched, and a whole member.
        self.assertEqual('available', self.status_of(victim),
                         race.outcomes)
        self.assertEqual(2, len(self.groups.list_snapshot_members('gs')))
        self.assertSnapshotsWhole()
        self.assertNoTransitionalRows()
        # Refused as when the group snapshot was there before: saying so.
        self.assertEqual('InvalidShare', race.outcome('second'),
                         race.outcomes)
        self.assertIn('1 share group snapshot(s)',
                      str(race.outcomes['second']))

    def test_delete_claimed_first_leaves_the_share_out(self):
        _group, members = self.group_with_members(2)
        victim = members[0]['id']
        race = Race(self)
        # The delete's claim reads the share's view once it holds it.
        race.hold_first(share_records, 'share_view',
                        when=lambda share_id, session=None: session)
        race.run(lambda: self.api.delete(victim),
                 lambda: self.groups.create_snapshot('g1', name='gs'))
        self.assertEqual('ok', race.outcome('first'), race.outcomes)
        self.assertIsNone(db_api.get_by(Share, id=victim))
        if race.outcome('second') == 'ok':
            self.assertEqual([members[1]['id']], [
                m['share_id'] for m in
                self.groups.list_snapshot_members('gs')])
        else:
            self.assertEqual('InvalidShareGroup', race.outcome('second'),
                             race.outcomes)
            self.assertIn(victim, str(race.outcomes['second']))
        self.assertSnapshotsWhole()
        self.assertNoTransitionalRows()

    # -- forced delete vs forced delete ---------------------------------------

    def test_two_forced_deletes_one_wins(self):
        self.group_with_members(3)
        self.groups.create_snapshot('g1', name='gs')
        self.fault('delete_share', delay=0.1)
        race = Race(self)
        race.hold_first(group_api.API, '_claim_member_shares',
                        wrap=staticmethod)
        race.run(lambda: self.groups.delete('g1', force=True),
                 lambda: self.groups.delete('g1', force=True))
        self.assertEqual('ok', race.outcome('first'), race.outcomes)
        # Refused cleanly: the group is deleting, or already gone.
        self.assertIn(race.outcome('second'),
                      ('InvalidState', 'NotFound'), race.outcomes)
        self.assertEqual([], self.groups.list())
        self.assertEqual([], self.groups.list_snapshots())
        self.assertEqual([], self.shares())
        self.assertEqual([], flow_engine.find_unfinished_flows())
