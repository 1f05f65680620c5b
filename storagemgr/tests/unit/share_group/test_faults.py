"""Every injected fault of the fake driver's group paths, end to end.

Through the service (``share_group.api.API``) and the fake driver: each
exception class of ``DRIVER_FAILURES`` and each kind of wrong return of
``fake_faults.RETURN_KINDS``, on the five share group methods and on the
single-share methods their fallbacks call member by member. Each test
checks the final state the rules page documents
(doc/source/admin/share-group-rules.rst) for the group, its members and
its shares, that nothing is left in a transitional status, that no
snapshot is left on the backend without a record, and that a user message
names the failure.
"""

import threading

import ddt

from storagemgr.backend import process_registry
from storagemgr.db import api as db_api
from storagemgr.db.models import share_group as models
from storagemgr import exception
from storagemgr.message import api as message_api
from storagemgr.share.drivers import fake_faults
from storagemgr.share import periodic as share_periodic
from storagemgr.share_group import constants
from storagemgr.tests.unit.share import base as share_base
from storagemgr.tests.unit.share_group import base

FAILURES = share_base.DRIVER_FAILURES
K = fake_faults

# What each kind of wrong return does to a group method, given what the
# fake returns when it works: None (create_share_group,
# delete_share_group) or a pair (the other three). Each value is None
# when the operation still succeeds, else a fragment of the reason.
_MALFORMED = 'returned an invalid value'
GROUP_RETURNS = {
    K.MALFORMED: _MALFORMED,
    K.ERROR_STATUS: 'the driver reported status error',
    K.UNKNOWN_STATUS: K.UNKNOWN_STATUS_VALUE,
    K.MISSING_SIZE: None,    # {}: nothing to update
    K.NONE: None,
    K.EMPTY: None,           # {}
}
# On a pair, the fake's error and unknown statuses replace the whole
# value with the status text, and missing_size makes it build a dict of
# the pair, which raises TypeError inside the driver.
PAIR_RETURNS = {
    K.MALFORMED: _MALFORMED,
    K.ERROR_STATUS: _MALFORMED,
    K.UNKNOWN_STATUS: _MALFORMED,
    K.MISSING_SIZE: 'TypeError',
    K.NONE: None,            # (None, None)
    K.EMPTY: _MALFORMED,     # {} is not a pair
}
# create_snapshot, called once per member by the group snapshot fallback;
# it returns {'provider_location', 'size'}.
MEMBER_SNAPSHOT_RETURNS = {
    # The fallback fails the member, and cleans up every member's snapshot.
    K.MALFORMED: 'expected None or a dict',
    K.ERROR_STATUS: 'ended in error',
    K.UNKNOWN_STATUS: K.UNKNOWN_STATUS_VALUE,
    K.MISSING_SIZE: None,
    K.NONE: None,
    K.EMPTY: None,
}
# create_share_from_snapshot, once per new share; it returns a list of
# export locations. The fake's statuses land inside each location, which
# is no share status: the locations are still good.
CLONE_RETURNS = {
    K.MALFORMED: _MALFORMED,
    K.ERROR_STATUS: None,
    K.UNKNOWN_STATUS: None,
    K.MISSING_SIZE: 'ValueError',  # the fake builds a dict of the list
    K.NONE: _MALFORMED,            # a share needs its export locations
    K.EMPTY: None,
}


def _class_name(dotted):
    return dotted.rsplit('.', 1)[-1]


class FaultTestCase(base.ShareGroupTestCase):
    """Helpers that read the final state of everything."""

    def setUp(self):
        super().setUp()
        self.group, self.members = self.group_with_members(2)

    def group_status(self, ref):
        row = db_api.get_by(models.ShareGroup, id=ref)
        return row.status if row is not None else None

    def group_snapshot_of(self, group_id):
        found = self.groups.list_snapshots(group_id)
        self.assertEqual(1, len(found))
        return found[0]

    def member_statuses(self, group_snapshot_id):
        return {m['share_id']: m['status'] for m in
                self.groups.list_snapshot_members(group_snapshot_id)}

    def assertNothingTransitional(self):
        self.assertNoTransitionalRows()
        for group in self.groups.list():
            self.assertNotIn(group['status'],
                             constants.TRANSITIONAL_STATUSES,
                             'share group %s' % group['id'])
        for snapshot in self.groups.list_snapshots():
            self.assertNotIn(snapshot['status'],
                             constants.TRANSITIONAL_STATUSES,
                             'share group snapshot %s' % snapshot['id'])
            for member in self.groups.list_snapshot_members(snapshot['id']):
                self.assertNotIn(member['status'],
                                 constants.TRANSITIONAL_STATUSES,
                                 'member %s' % member['id'])

    def assertMessageNames(self, resource_type, resource_id, fragment):
        details = [m['detail'] for m in message_api.list(
            resource_type=resource_type, resource_id=resource_id)]
        self.assertTrue(details, 'no message about %s %s' % (
            resource_type, resource_id))
        self.assertIn(fragment, details[0])

    def assertNoMessage(self, resource_type, resource_id):
        self.assertEqual([], message_api.list(resource_type=resource_type,
                                              resource_id=resource_id))

    def assertNoOrphanSnapshot(self):
        """Every snapshot on the backend is a member still on record."""
        on_record = {m.id for m in db_api.query(
            models.ShareGroupSnapshotMember)}
        self.assertEqual(set(), set(self.driver.snapshots) - on_record)

    def fail_for_one(self, method, share_id, raise_):
        """Make ``method`` raise only for the member of share ``share_id``.

        The other members' calls go to the fake as usual, so the fallback
        has work to undo.
        """
        real = getattr(self.driver, method)
        failing_instance = self.instance_id(share_id)

        def one_fails(context, first, *args, **kwargs):
            snapshot = args[0] if args else first
            if method == 'create_share_from_snapshot':
                targets = snapshot['share_id'] == share_id
            else:
                targets = snapshot['share']['id'] == failing_instance
            if targets:
                raise fake_faults.make_exception(raise_, method)
            return real(context, first, *args, **kwargs)
        setattr(self.driver, method, one_fails)
        self.addCleanup(self.driver.__dict__.pop, method, None)

    def create_group(self, **kwargs):
        """The new group's record, whether it was made or ended in error.

        A failed create either returns the group in ``error`` or raises
        ShareBackendException naming the failure, the group kept in
        ``error``; both leave the record to read and delete.
        """
        try:
            return self.groups.create(**kwargs)
        except exception.ShareBackendException as e:
            group = self.groups.get(kwargs['name'])
            self.assertEqual('error', group['status'])
            self.assertIn(group['id'], str(e))
            self.assertIn(group['failure_reason'], str(e))
            return group

    def snapshot_group(self, expect_failure=False):
        if expect_failure:
            self.assertRaises(exception.ShareBackendException,
                              self.groups.create_snapshot, 'g1',
                              name='gs1')
        else:
            self.groups.create_snapshot('g1', name='gs1')
        return self.group_snapshot_of('g1')

    def member_share_ids(self):
        return sorted(m['id'] for m in self.members)


@ddt.ddt
class CreateShareGroupFaultsTestCase(FaultTestCase):

    @ddt.data(*FAILURES)
    def test_raise(self, raise_):
        self.fault('create_share_group', raise_=raise_)
        group = self.create_group(name='g2', share_group_type='gt1')
        self.assertEqual('error', group['status'])
        self.assertIn(_class_name(raise_), group['failure_reason'])
        self.assertMessageNames('share_group', group['id'],
                                _class_name(raise_))
        self.assertNothingTransitional()
        # The group in error can be deleted once the backend works.
        self.driver.clear_faults()
        self.groups.delete('g2')
        self.assertIsNone(self.group_status(group['id']))

    @ddt.data(*sorted(GROUP_RETURNS.items()))
    @ddt.unpack
    def test_return(self, kind, reason):
        self.fault('create_share_group', return_=kind)
        group = self.create_group(name='g2', share_group_type='gt1')
        self.assertNothingTransitional()
        if reason is None:
            self.assertEqual('available', group['status'])
            self.assertNoMessage('share_group', group['id'])
            return
        self.assertEqual('error', group['status'])
        self.assertMessageNames('share_group', group['id'], reason)


@ddt.ddt
class DeleteShareGroupFaultsTestCase(FaultTestCase):

    def empty_group(self):
        return self.make_group('g2')['id']

    @ddt.data(*FAILURES)
    def test_raise(self, raise_):
        group_id = self.empty_group()
        self.fault('delete_share_group', raise_=raise_)
        error = self.assertRaises(exception.ShareBackendException,
                                  self.groups.delete, 'g2')
        self.assertIn(_class_name(raise_), str(error))
        self.assertEqual('error_deleting', self.group_status(group_id))
        self.assertMessageNames('share_group', group_id,
                                _class_name(raise_))
        self.assertNothingTransitional()
        self.driver.clear_faults()
        self.groups.delete('g2')
        self.assertIsNone(self.group_status(group_id))

    @ddt.data(*sorted(GROUP_RETURNS.items()))
    @ddt.unpack
    def test_return(self, kind, reason):
        group_id = self.empty_group()
        self.fault('delete_share_group', return_=kind)
        if reason is None:
            self.groups.delete('g2')
            self.assertIsNone(self.group_status(group_id))
        else:
            self.assertRaises(exception.ShareBackendException,
                              self.groups.delete, 'g2')
            self.assertEqual('error_deleting', self.group_status(group_id))
            self.assertMessageNames('share_group', group_id, reason)
        self.assertNothingTransitional()

    @ddt.data(*FAILURES)
    def test_forced_delete_past_group_method_failure(self, raise_):
        self.snapshot_group()
        self.fault('delete_share_group', raise_=raise_)
        self.assertRaises(exception.ShareBackendException,
                          self.groups.delete, 'g1', force=True)
        # Its group snapshot and shares went first; the group is kept.
        self.assertEqual('error_deleting',
                         self.group_status(self.group['id']))
        self.assertEqual([], self.groups.list_snapshots('g1'))
        self.assertEqual([], self.groups.share_ids('g1'))
        self.assertEqual({}, self.driver.snapshots)
        self.assertMessageNames('share_group', self.group['id'],
                                _class_name(raise_))
        self.assertNothingTransitional()

    @ddt.data(*FAILURES)
    def test_forced_delete_when_a_share_cannot_go(self, raise_):
        self.fault('delete_share', raise_=raise_)
        self.assertRaises(exception.ShareBackendException,
                          self.groups.delete, 'g1', force=True)
        self.assertEqual('error_deleting',
                         self.group_status(self.group['id']))
        for share_id in self.member_share_ids():
            self.assertEqual('error_deleting', self.status_of(share_id))
        self.assertMessageNames('share_group', self.group['id'],
                                _class_name(raise_))
        self.assertNothingTransitional()
        self.driver.clear_faults()
        self.groups.delete('g1', force=True)
        self.assertEqual([], self.groups.list())
        self.assertEqual([], self.shares())

    @ddt.data(*FAILURES)
    def test_forced_delete_when_its_group_snapshot_cannot_go(self, raise_):
        snapshot = self.snapshot_group()
        self.fault('delete_share_group_snapshot', raise_=raise_)
        self.assertRaises(exception.ShareBackendException,
                          self.groups.delete, 'g1', force=True)
        self.assertEqual('error_deleting',
                         self.group_status(self.group['id']))
        self.assertEqual('error_deleting',
                         self.groups.get_snapshot('gs1')['status'])
        self.assertEqual({'error_deleting'},
                         set(self.member_statuses(snapshot['id']).values()))
        # Its shares are kept: their group snapshot members still are.
        for share_id in self.member_share_ids():
            self.assertEqual('error_deleting', self.status_of(share_id))
        self.assertMessageNames('share_group_snapshot', snapshot['id'],
                                _class_name(raise_))
        self.assertMessageNames('share_group', self.group['id'],
                                _class_name(raise_))
        self.assertNothingTransitional()
        self.assertNoOrphanSnapshot()
        self.driver.clear_faults()
        self.groups.delete('g1', force=True)
        self.assertEqual([], self.groups.list())
        self.assertEqual({}, self.driver.snapshots)


@ddt.ddt
class CreateShareGroupSnapshotFaultsTestCase(FaultTestCase):

    def assertFailedSnapshot(self, snapshot, fragment):
        self.assertEqual('error', snapshot['status'])
        self.assertEqual({s: 'error' for s in self.member_share_ids()},
                         self.member_statuses(snapshot['id']))
        self.assertIn(fragment, snapshot['failure_reason'])
        self.assertMessageNames('share_group_snapshot', snapshot['id'],
                                fragment)
        # The group and its shares are untouched.
        self.assertEqual('available', self.group_status(self.group['id']))
        for share_id in self.member_share_ids():
            self.assertEqual('available', self.status_of(share_id))
        self.assertNothingTransitional()
        self.assertNoOrphanSnapshot()

    def assertDeletable(self):
        """The failed group snapshot goes, and with it its backend parts."""
        self.driver.clear_faults()
        self.driver.__dict__.pop('create_snapshot', None)
        self.groups.delete_snapshot('gs1')
        self.assertEqual([], self.groups.list_snapshots())
        self.assertEqual({}, self.driver.snapshots)

    @ddt.data(*FAILURES)
    def test_raise(self, raise_):
        self.fault('create_share_group_snapshot', raise_=raise_)
        snapshot = self.snapshot_group(expect_failure=True)
        self.assertFailedSnapshot(snapshot, _class_name(raise_))
        self.assertEqual({}, self.driver.snapshots)
        self.assertDeletable()

    @ddt.data(*sorted(PAIR_RETURNS.items()))
    @ddt.unpack
    def test_return(self, kind, reason):
        self.fault('create_share_group_snapshot', return_=kind)
        snapshot = self.snapshot_group(expect_failure=reason is not None)
        if reason is None:
            self.assertEqual('available', snapshot['status'])
            self.assertNothingTransitional()
            return
        self.assertFailedSnapshot(snapshot, reason)
        self.assertDeletable()

    @ddt.data(*FAILURES)
    def test_fallback_every_member_fails(self, raise_):
        self.fault('create_snapshot', raise_=raise_)
        snapshot = self.snapshot_group(expect_failure=True)
        self.assertFailedSnapshot(snapshot, _class_name(raise_))
        self.assertEqual({}, self.driver.snapshots)
        self.assertDeletable()

    @ddt.data(*FAILURES)
    def test_fallback_one_member_fails(self, raise_):
        self.fail_for_one('create_snapshot', self.members[1]['id'], raise_)
        snapshot = self.snapshot_group(expect_failure=True)
        self.assertFailedSnapshot(snapshot, _class_name(raise_))
        # The member taken was deleted again: no orphan on the backend.
        self.assertEqual({}, self.driver.snapshots)
        self.assertIn('delete_snapshot', self.driver.calls)
        self.assertDeletable()

    def test_fallback_cleanup_fails_too(self):
        self.fail_for_one('create_snapshot', self.members[1]['id'],
                          'builtins.RuntimeError')
        self.fault('delete_snapshot', raise_='builtins.OSError')
        snapshot = self.snapshot_group(expect_failure=True)
        # The original error is reported, not the clean-up's.
        self.assertFailedSnapshot(snapshot, 'RuntimeError')
        self.assertDeletable()

    @ddt.data(*sorted(MEMBER_SNAPSHOT_RETURNS.items()))
    @ddt.unpack
    def test_fallback_member_return(self, kind, reason):
        self.fault('create_snapshot', return_=kind)
        snapshot = self.snapshot_group(expect_failure=reason is not None)
        if reason is None:
            self.assertEqual('available', snapshot['status'])
            self.assertEqual({s: 'available'
                              for s in self.member_share_ids()},
                             self.member_statuses(snapshot['id']))
            self.assertNothingTransitional()
            return
        self.assertFailedSnapshot(snapshot, reason)
        self.assertDeletable()


@ddt.ddt
class DeleteShareGroupSnapshotFaultsTestCase(FaultTestCase):

    def setUp(self):
        super().setUp()
        self.snapshot = self.snapshot_group()
        self.assertEqual(2, len(self.driver.snapshots))

    def assertKept(self, fragment):
        self.assertEqual('error_deleting',
                         self.groups.get_snapshot('gs1')['status'])
        self.assertEqual({s: 'error_deleting'
                          for s in self.member_share_ids()},
                         self.member_statuses(self.snapshot['id']))
        self.assertMessageNames('share_group_snapshot', self.snapshot['id'],
                                fragment)
        # Its shares cannot be deleted while it is on record.
        self.assertRaises(exception.InvalidShare, self.api.delete,
                          self.members[0]['id'])
        self.assertNothingTransitional()
        self.assertNoOrphanSnapshot()

    def assertGone(self):
        self.assertEqual([], self.groups.list_snapshots())
        self.assertEqual([], db_api.query(models.ShareGroupSnapshotMember))
        self.assertNothingTransitional()

    @ddt.data(*FAILURES)
    def test_raise(self, raise_):
        self.fault('delete_share_group_snapshot', raise_=raise_)
        error = self.assertRaises(exception.ShareBackendException,
                                  self.groups.delete_snapshot, 'gs1')
        self.assertIn(_class_name(raise_), str(error))
        self.assertKept(_class_name(raise_))
        self.driver.clear_faults()
        self.groups.delete_snapshot('gs1')
        self.assertGone()
        self.assertEqual({}, self.driver.snapshots)

    @ddt.data(*FAILURES)
    def test_forced_past_raise(self, raise_):
        self.fault('delete_share_group_snapshot', raise_=raise_)
        self.groups.delete_snapshot('gs1', force=True)
        self.assertGone()
        # The shares are free to go now.
        self.api.delete(self.members[0]['id'])

    @ddt.data(*sorted(PAIR_RETURNS.items()))
    @ddt.unpack
    def test_return(self, kind, reason):
        self.fault('delete_share_group_snapshot', return_=kind)
        if reason is None:
            self.groups.delete_snapshot('gs1')
            self.assertGone()
            self.assertEqual({}, self.driver.snapshots)
            return
        self.assertRaises(exception.ShareBackendException,
                          self.groups.delete_snapshot, 'gs1')
        self.assertKept(reason)
        self.groups.delete_snapshot('gs1', force=True)
        self.assertGone()

    @ddt.data(*FAILURES)
    def test_fallback_member_fails(self, raise_):
        self.fault('delete_snapshot', raise_=raise_)
        self.assertRaises(exception.ShareBackendException,
                          self.groups.delete_snapshot, 'gs1')
        self.assertKept(_class_name(raise_))
        self.assertEqual(2, len(self.driver.snapshots))
        self.driver.clear_faults()
        self.groups.delete_snapshot('gs1')
        self.assertGone()
        self.assertEqual({}, self.driver.snapshots)

    @ddt.data(*FAILURES)
    def test_fallback_one_member_fails(self, raise_):
        self.fail_for_one('delete_snapshot', self.members[1]['id'], raise_)
        self.assertRaises(exception.ShareBackendException,
                          self.groups.delete_snapshot, 'gs1')
        self.assertKept(_class_name(raise_))
        # The other member's snapshot went; deleting again is fine.
        self.assertEqual(1, len(self.driver.snapshots))
        self.driver.__dict__.pop('delete_snapshot')
        self.groups.delete_snapshot('gs1')
        self.assertGone()
        self.assertEqual({}, self.driver.snapshots)

    @ddt.data(*fake_faults.RETURN_KINDS)
    def test_fallback_member_return_is_ignored(self, kind):
        # delete_snapshot returns nothing the fallback uses.
        self.fault('delete_snapshot', return_=kind)
        self.groups.delete_snapshot('gs1')
        self.assertGone()
        self.assertEqual({}, self.driver.snapshots)


@ddt.ddt
class CreateFromGroupSnapshotFaultsTestCase(FaultTestCase):

    def setUp(self):
        super().setUp()
        self.snapshot = self.snapshot_group()
        self.shares_before = set(self.driver.shares)

    def create_clone(self):
        return self.create_group(name='g2',
                                 source_share_group_snapshot='gs1')

    def assertFailedClone(self, clone, fragment):
        self.assertEqual('error', clone['status'])
        self.assertIn(fragment, clone['failure_reason'])
        self.assertMessageNames('share_group', clone['id'], fragment)
        new = self.groups.share_ids('g2')
        self.assertEqual(2, len(new))
        for share_id in new:
            self.assertEqual('error', self.status_of(share_id))
            self.assertMessageNames('share', share_id, fragment)
        # The source is untouched and can still be used.
        self.assertEqual('available',
                         self.groups.get_snapshot('gs1')['status'])
        self.assertNothingTransitional()
        # The failed group goes with whatever the backend made of it.
        self.driver.clear_faults()
        self.driver.__dict__.pop('create_share_from_snapshot', None)
        self.groups.delete('g2', force=True)
        self.assertEqual(['g1'], [g['name'] for g in self.groups.list()])
        self.assertEqual(self.shares_before, set(self.driver.shares))

    @ddt.data(*FAILURES)
    def test_raise(self, raise_):
        self.fault('create_share_group_from_share_group_snapshot',
                   raise_=raise_)
        self.assertFailedClone(self.create_clone(), _class_name(raise_))

    @ddt.data(*sorted(PAIR_RETURNS.items()))
    @ddt.unpack
    def test_return(self, kind, reason):
        self.fault('create_share_group_from_share_group_snapshot',
                   return_=kind)
        clone = self.create_clone()
        if reason is None:
            self.assertEqual('available', clone['status'])
            for share_id in self.groups.share_ids('g2'):
                self.assertEqual('available', self.status_of(share_id))
            self.assertNothingTransitional()
            return
        self.assertFailedClone(clone, reason)

    @ddt.data(*FAILURES)
    def test_fallback_every_share_fails(self, raise_):
        self.fault('create_share_from_snapshot', raise_=raise_)
        self.assertFailedClone(self.create_clone(), _class_name(raise_))

    @ddt.data(*FAILURES)
    def test_fallback_one_share_fails(self, raise_):
        self.fail_for_one('create_share_from_snapshot',
                          self.members[1]['id'], raise_)
        self.assertFailedClone(self.create_clone(), _class_name(raise_))

    @ddt.data(*sorted(CLONE_RETURNS.items()))
    @ddt.unpack
    def test_fallback_share_return(self, kind, reason):
        self.fault('create_share_from_snapshot', return_=kind)
        clone = self.create_clone()
        if reason is None:
            self.assertEqual('available', clone['status'])
            for share_id in self.groups.share_ids('g2'):
                self.assertEqual('available', self.status_of(share_id))
            self.assertNothingTransitional()
            return
        self.assertFailedClone(clone, reason)


class NoSnapshotSupportTestCase(FaultTestCase):
    """A backend that reports no snapshot_support."""

    extra_config = 'fake_capabilities = snapshot_support:false\n'

    def test_group_snapshot_is_refused_before_any_change(self):
        error = self.assertRaises(exception.InvalidShareGroup,
                                  self.groups.create_snapshot,
                                  self.group['id'], name='gs1')
        self.assertIn('does not support snapshots', str(error))
        self.assertEqual([], self.groups.list_snapshots())
        self.assertEqual('available', self.group_status(self.group['id']))
        self.assertNotIn('create_snapshot', self.driver.calls)
        self.assertNothingTransitional()


class AsynchronousCloneTestCase(FaultTestCase):
    """A backend whose clones finish later (creating_from_snapshot)."""

    extra_config = ('fake_async_create_from_snapshot = True\n'
                    'fake_async_polls = 1\n')

    def test_group_from_snapshot_keeps_shares_for_polling(self):
        self.groups.create_snapshot('g1', name='gs1')
        clone = self.groups.create(name='g2',
                                   source_share_group_snapshot='gs1')
        self.assertEqual('available', clone['status'],
                         clone['failure_reason'])
        new = self.groups.share_ids('g2')
        for share_id in new:
            self.assertEqual('creating_from_snapshot',
                             self.status_of(share_id))
        # The manager's poll finishes them.
        share_periodic.poll_creating_from_snapshot(
            process_registry.get_registry(), self.api.context)
        for share_id in new:
            self.assertEqual('available', self.status_of(share_id))
            self.assertTrue(self.api.get(share_id)['export_locations'])
        self.assertNothingTransitional()


class ParallelFallbackTestCase(FaultTestCase):
    """The fallback's members run at once, and a failure still cleans up."""

    def test_members_overlap(self):
        self.make_member('g1', 'm2')
        running, seen = [0], []
        lock = threading.Lock()
        real = self.driver.create_snapshot
        barrier = threading.Barrier(3, timeout=30)

        def counting(context, snapshot, share_server=None):
            with lock:
                running[0] += 1
                seen.append(running[0])
            barrier.wait()
            try:
                return real(context, snapshot, share_server=share_server)
            finally:
                with lock:
                    running[0] -= 1
        self.driver.create_snapshot = counting
        self.addCleanup(self.driver.__dict__.pop, 'create_snapshot', None)
        snapshot = self.snapshot_group()
        self.assertEqual('available', snapshot['status'])
        self.assertEqual(3, max(seen))
