"""Native share groups of the local share driver, on real directories."""

import os
import threading
from unittest import mock

import ddt

from storagemgr import coordination
from storagemgr import exception
from storagemgr.share.drivers import local_files
from storagemgr.share.drivers import local_state
from storagemgr.tests.unit.share.drivers import test_local

GROUP = 'g1'
# How long a wait for something that must happen may take before the test
# fails; never a claim about how long anything takes.
WAIT = 30
# How long a blocked operation is given to (wrongly) get through.
GRACE = 0.3


def _member_share(share_id, group=GROUP):
    return dict(test_local._share(share_id), share_group_id=group)


def _member(member_id, share):
    return {'id': member_id, 'share': share, 'share_id': 'user-' + share['id'],
            'share_instance_id': share['id'], 'size': share['size'],
            'share_proto': share['share_proto'], 'provider_location': None}


def _group_snapshot(members, snapshot_id='gs1', group=GROUP):
    return {'id': snapshot_id, 'share_group_id': group,
            'share_group_snapshot_members': members}


def _failing_clone(fail_name, error, made):
    """clone_tree that raises ``error`` for the copy named ``fail_name``."""
    real_clone = local_files.clone_tree

    def clone(src, dst, use_cp=True):
        if os.path.basename(dst) == fail_name:
            raise error
        made.append(os.path.basename(dst))
        return real_clone(src, dst, use_cp=use_cp)
    return clone


class GroupTestCase(test_local.LocalDriverTestCase):
    """Three member shares a, b and c, each holding its own bytes."""

    def setUp(self):
        super().setUp()
        self.shares, self.paths = {}, {}
        for name in ('a', 'b', 'c'):
            share, path = self.create(_member_share(name))
            self.write(path, 'data', 'old-%s' % name)
            self.shares[name], self.paths[name] = share, path
        self.members = [_member('m-%s' % name, self.shares[name])
                        for name in ('a', 'b', 'c')]

    def use_workers(self, workers):
        self.driver = self.make_driver(group_member_workers=workers)

    def snapshot_group(self, members=None):
        return self.driver.create_share_group_snapshot(
            self.context, _group_snapshot(
                self.members if members is None else members))

    @property
    def snapshot_root(self):
        return self.driver._snapshot_root

    def snapshot_records(self):
        return self.driver.store.list(local_state.SNAPSHOTS)

    def share_records(self):
        return self.driver.store.list(local_state.SHARES)


class ShareGroupRecordTestCase(GroupTestCase):

    def test_create_records_the_group_and_survives_a_restart(self):
        group = {'id': GROUP, 'share_group_type_id': 't1'}
        self.assertIsNone(self.driver.create_share_group(self.context,
                                                         group))
        reopened = self.make_driver()
        self.assertEqual(
            {'share_group_type_id': 't1',
             'source_share_group_snapshot_id': None},
            reopened.store.get(local_state.SHARE_GROUPS, GROUP))

    def test_create_again_is_harmless(self):
        group = {'id': GROUP, 'share_group_type_id': 't1'}
        self.driver.create_share_group(self.context, group)
        self.driver.create_share_group(self.context, group)
        self.assertEqual([GROUP], list(self.driver.store.list(
            local_state.SHARE_GROUPS)))

    def test_delete_forgets_the_group(self):
        self.driver.create_share_group(self.context, {'id': GROUP})
        self.assertIsNone(self.driver.delete_share_group(
            self.context, {'id': GROUP}))
        self.assertEqual({}, self.driver.store.list(
            local_state.SHARE_GROUPS))

    def test_delete_unknown_group_is_fine(self):
        self.driver.delete_share_group(self.context, {'id': 'never'})
        self.assertEqual({}, self.driver.store.list(
            local_state.SHARE_GROUPS))


@ddt.ddt
class MalformedInputTestCase(GroupTestCase):

    @ddt.data('../g1', '', None, 'a/b')
    def test_unsafe_group_id_refused(self, group_id):
        error = self.assertRaises(
            exception.InvalidShareGroup, self.driver.create_share_group,
            self.context, {'id': group_id})
        self.assertIn(repr(group_id), str(error))

    @ddt.data('../g1', None)
    def test_group_snapshot_of_unsafe_group_refused(self, group_id):
        self.assertRaises(
            exception.InvalidShareGroup,
            self.driver.create_share_group_snapshot, self.context,
            _group_snapshot(self.members, group=group_id))
        self.assertEqual([], os.listdir(self.snapshot_root))

    @ddt.data(({'share': None},
               'lacks share.id, share.size, share.share_proto'),
              ({'id': None}, 'lacks id'))
    @ddt.unpack
    def test_malformed_member_named_and_nothing_copied(self, change,
                                                       expected):
        self.members[1].update(change)
        error = self.assertRaises(
            exception.InvalidShareGroup,
            self.driver.create_share_group_snapshot, self.context,
            _group_snapshot(self.members))
        self.assertIn(expected, str(error))
        self.assertIn('gs1', str(error))
        self.assertEqual([], os.listdir(self.snapshot_root))


@ddt.ddt
class GroupSnapshotTestCase(GroupTestCase):

    @ddt.data(1, 8)
    def test_each_member_copied_as_it_was(self, workers):
        self.use_workers(workers)
        _none, updates = self.snapshot_group()
        for name in ('a', 'b', 'c'):
            self.write(self.paths[name], 'data', 'new-%s' % name)
            self.write(self.paths[name], 'later', 'x')
        self.assertIsNone(_none)
        self.assertEqual(
            [{'id': 'm-%s' % name, 'status': 'available',
              'provider_location': os.path.join(self.snapshot_root,
                                                'm-%s' % name)}
             for name in ('a', 'b', 'c')], updates)
        for name in ('a', 'b', 'c'):
            copy = os.path.join(self.snapshot_root, 'm-%s' % name)
            self.assertEqual(['data'], os.listdir(copy))
            self.assertEqual('old-%s' % name, self.read(copy, 'data'))

    def test_each_member_recorded_by_member_id(self):
        self.snapshot_group()
        records = self.make_driver().store.list(local_state.SNAPSHOTS)
        self.assertEqual(
            {'m-%s' % name: {'path': os.path.join(self.snapshot_root,
                                                  'm-%s' % name),
                             'share_id': name,
                             'share_group_snapshot_id': 'gs1'}
             for name in ('a', 'b', 'c')}, records)

    def test_member_copy_is_a_snapshot_like_any_other(self):
        self.snapshot_group()
        self.write(self.paths['a'], 'data', 'changed')
        self.driver.revert_to_snapshot(
            self.context, test_local._snapshot('m-a', self.shares['a']),
            [], [])
        self.assertEqual('old-a', self.read(self.paths['a'], 'data'))

    def test_no_members(self):
        self.assertEqual((None, []), self.snapshot_group(members=[]))

    def test_again_after_a_crash_replaces_the_old_copies(self):
        self.snapshot_group()
        # A killed run also leaves a temporary copy beside a member's.
        leftover = os.path.join(self.snapshot_root, 'm-b.tmp-dead0000')
        os.mkdir(leftover)
        self.write(self.paths['a'], 'data', 'new-a')
        self.write(self.paths['b'], 'data', 'new-b')
        _none, updates = self.snapshot_group()
        self.assertEqual(['available'] * 3, [u['status'] for u in updates])
        self.assertEqual('new-a', self.read(
            os.path.join(self.snapshot_root, 'm-a'), 'data'))
        self.assertEqual('new-b', self.read(
            os.path.join(self.snapshot_root, 'm-b'), 'data'))
        self.assertEqual(['m-a', 'm-b', 'm-c'],
                         sorted(os.listdir(self.snapshot_root)))
        self.assertEqual(['m-a', 'm-b', 'm-c'],
                         sorted(self.snapshot_records()))

    def test_copy_owned_by_another_snapshot_is_not_replaced(self):
        # An adopted snapshot recorded on the directory a member would use.
        os.mkdir(os.path.join(self.snapshot_root, 'm-b'))
        self.write(os.path.join(self.snapshot_root, 'm-b'), 'data', 'theirs')
        self.driver.store.update(
            local_state.SNAPSHOTS, 'adopted',
            path=os.path.join(self.snapshot_root, 'm-b'), share_id='a')
        error = self.assertRaises(exception.ShareBackendException,
                                  self.snapshot_group)
        self.assertIn('adopted', str(error))
        self.assertEqual('theirs', self.read(
            os.path.join(self.snapshot_root, 'm-b'), 'data'))
        self.assertEqual(['adopted'], list(self.snapshot_records()))
        self.assertEqual(['m-b'], os.listdir(self.snapshot_root))

    def test_missing_member_share_fails_the_whole_snapshot(self):
        local_files.remove_tree(self.paths['c'])
        self.assertRaises(exception.ShareResourceNotFound,
                          self.snapshot_group)
        self.assertEqual([], os.listdir(self.snapshot_root))
        self.assertEqual({}, self.snapshot_records())


@ddt.ddt
class GroupSnapshotFailureTestCase(GroupTestCase):

    @ddt.data(
        # One at a time, the failing member last: two copies are taken
        # before it fails, and must be removed again.
        (exception.ShareBackendException(msg='disk full'), 1, 'm-c'),
        (RuntimeError('disk full'), 1, 'm-c'),
        # In parallel the others finish too before the clean-up.
        (exception.ShareBackendException(msg='disk full'), 8, 'm-b'),
        (RuntimeError('disk full'), 8, 'm-b'),
    )
    @ddt.unpack
    def test_failure_leaves_no_copy_and_raises_the_original(
            self, error, workers, failing):
        self.use_workers(workers)
        made = []
        with mock.patch.object(local_files, 'clone_tree',
                               _failing_clone(failing, error, made)):
            raised = self.assertRaises(type(error), self.snapshot_group)
        self.assertIs(error, raised)
        self.assertEqual(sorted({'m-a', 'm-b', 'm-c'} - {failing}),
                         sorted(made))
        self.assertEqual([], os.listdir(self.snapshot_root))
        self.assertEqual({}, self.snapshot_records())

    def test_record_write_failure_leaves_no_copy(self):
        real_update = self.driver.store.update

        def update(kind, record_id, **values):
            if record_id == 'm-a':
                raise OSError('state file unwritable')
            return real_update(kind, record_id, **values)
        with mock.patch.object(self.driver.store, 'update', update):
            self.assertRaises(OSError, self.snapshot_group)
        self.assertEqual([], os.listdir(self.snapshot_root))
        self.assertEqual({}, self.snapshot_records())

    def test_failed_clean_up_still_raises_the_original(self):
        error = RuntimeError('copy failed')
        real_delete = self.driver.delete_snapshot

        def delete_snapshot(context, snapshot, share_server=None):
            if snapshot['id'] == 'm-a':
                raise OSError('cannot remove')
            return real_delete(context, snapshot, share_server)
        with mock.patch.object(local_files, 'clone_tree',
                               _failing_clone('m-c', error, [])), \
                mock.patch.object(self.driver, 'delete_snapshot',
                                  delete_snapshot):
            raised = self.assertRaises(RuntimeError, self.snapshot_group)
        self.assertIs(error, raised)
        self.assertEqual(['m-a'], os.listdir(self.snapshot_root))
        self.assertEqual(['m-a'], list(self.snapshot_records()))


class DeleteGroupSnapshotTestCase(GroupTestCase):

    def setUp(self):
        super().setUp()
        _none, updates = self.snapshot_group()
        for member, update in zip(self.members, updates):
            member['provider_location'] = update['provider_location']

    def delete(self):
        return self.driver.delete_share_group_snapshot(
            self.context, _group_snapshot(self.members))

    def test_removes_every_copy_and_record(self):
        self.assertEqual((None, None), self.delete())
        self.assertEqual([], os.listdir(self.snapshot_root))
        self.assertEqual({}, self.snapshot_records())

    def test_again_is_harmless(self):
        self.delete()
        self.assertEqual((None, None), self.delete())
        self.assertEqual([], os.listdir(self.snapshot_root))

    def test_a_missing_member_copy_is_fine(self):
        local_files.remove_tree(os.path.join(self.snapshot_root, 'm-b'))
        self.driver.store.delete(local_state.SNAPSHOTS, 'm-c')
        self.delete()
        self.assertEqual([], os.listdir(self.snapshot_root))
        self.assertEqual({}, self.snapshot_records())

    def test_provider_location_is_not_trusted(self):
        elsewhere = os.path.join(self.state_path, 'precious')
        os.mkdir(elsewhere)
        self.members[0]['provider_location'] = elsewhere
        self.delete()
        self.assertTrue(os.path.isdir(elsewhere))
        self.assertEqual([], os.listdir(self.snapshot_root))

    def test_every_member_tried_then_first_error_raised(self):
        real_remove = local_files.remove_tree
        error = OSError('busy')

        def remove_tree(path):
            if os.path.basename(path) == 'm-a':
                raise error
            return real_remove(path)
        with mock.patch.object(local_files, 'remove_tree', remove_tree):
            self.assertIs(error, self.assertRaises(OSError, self.delete))
        self.assertEqual(['m-a'], os.listdir(self.snapshot_root))


@ddt.ddt
class GroupFromGroupSnapshotTestCase(GroupTestCase):

    def setUp(self):
        super().setUp()
        os.mkdir(os.path.join(self.paths['b'], 'sub'))
        self.write(self.paths['b'], 'sub/nested', 'deep-b')
        _none, updates = self.snapshot_group()
        for member, update in zip(self.members, updates):
            member['provider_location'] = update['provider_location']
        for name in ('a', 'b', 'c'):  # the copies must not see these
            self.write(self.paths[name], 'data', 'new-%s' % name)
        self.new_shares = [
            dict(_member_share('new-%s' % name, group='g2'),
                 source_share_group_snapshot_member_id='m-%s' % name)
            for name in ('a', 'b', 'c')]

    def create_group(self):
        return self.driver.create_share_group_from_share_group_snapshot(
            self.context, {'id': 'g2', 'shares': self.new_shares},
            _group_snapshot(self.members))

    def tree(self, path):
        found = {}
        for root, _dirs, names in os.walk(path):
            for name in names:
                full = os.path.join(root, name)
                found[os.path.relpath(full, path)] = self.read(root, name)
        return found

    @ddt.data(1, 8)
    def test_each_new_share_holds_exactly_its_members_bytes(self, workers):
        self.use_workers(workers)
        _none, updates = self.create_group()
        self.assertIsNone(_none)
        expected = {'a': {'data': 'old-a'},
                    'b': {'data': 'old-b', 'sub/nested': 'deep-b'},
                    'c': {'data': 'old-c'}}
        for name, update in zip(('a', 'b', 'c'), updates):
            path = os.path.join(self.driver.root, 'new-%s' % name)
            self.assertEqual(expected[name], self.tree(path))
            self.assertEqual(
                {'id': 'new-%s' % name, 'status': 'available',
                 'export_locations': self.driver._export_locations(path)},
                update)

    def test_new_shares_are_recorded_like_shares_from_a_snapshot(self):
        self.create_group()
        records = self.make_driver().store.list(local_state.SHARES)
        for name in ('a', 'b', 'c'):
            record = records['new-%s' % name]
            self.assertEqual(
                (os.path.join(self.driver.root, 'new-%s' % name), 'NFS', 1),
                (record['path'], record['proto'], record['size']))

    def test_again_after_a_crash_is_harmless(self):
        self.create_group()
        _none, updates = self.create_group()
        self.assertEqual(['available'] * 3, [u['status'] for u in updates])
        self.assertEqual({'data': 'old-a'}, self.tree(
            os.path.join(self.driver.root, 'new-a')))

    def test_share_matching_no_member_refused(self):
        self.new_shares[1]['source_share_group_snapshot_member_id'] = 'm-x'
        error = self.assertRaises(exception.InvalidShareGroup,
                                  self.create_group)
        self.assertIn('new-b', str(error))
        self.assertNotIn('new-a', self.share_records())

    @ddt.data(exception.ShareBackendException(msg='disk full'),
              RuntimeError('disk full'))
    def test_failure_removes_the_new_shares(self, error):
        with mock.patch.object(local_files, 'clone_tree',
                               _failing_clone('new-c', error, [])):
            self.assertIs(error, self.assertRaises(type(error),
                                                   self.create_group))
        for name in ('a', 'b', 'c'):
            self.assertFalse(os.path.exists(
                os.path.join(self.driver.root, 'new-%s' % name)))
            self.assertNotIn('new-%s' % name, self.share_records())
        self.assertEqual('new-a', self.read(self.paths['a'], 'data'))
        self.assertEqual(['m-a', 'm-b', 'm-c'],
                         sorted(os.listdir(self.snapshot_root)))

    def test_failure_leaves_a_share_made_before_the_call(self):
        # A crashed earlier run made new-a; the manager deletes it later.
        self.driver.create_share_from_snapshot(
            self.context, self.new_shares[0],
            test_local._snapshot('m-a', self.shares['a']))
        with mock.patch.object(local_files, 'clone_tree',
                               _failing_clone('new-c', RuntimeError('x'),
                                              [])):
            self.assertRaises(RuntimeError, self.create_group)
        self.assertIn('new-a', self.share_records())
        self.assertNotIn('new-b', self.share_records())
        self.assertFalse(os.path.exists(
            os.path.join(self.driver.root, 'new-b')))


@ddt.ddt
class GroupLockTestCase(GroupTestCase):
    """A member operation waits while the group's lock is held."""

    def setUp(self):
        super().setUp()
        self.driver.create_snapshot(
            self.context, test_local._snapshot('s-a', self.shares['a']))
        self.write(self.paths['a'], 'data', 'changed')

    def run_in_thread(self, operation):
        """Start ``operation``; returns the Event set when it returned."""
        done, errors = threading.Event(), []

        def target():
            try:
                operation()
            except Exception as e:  # reported by the test, not lost
                errors.append(e)
            finally:
                done.set()
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        self.addCleanup(thread.join, WAIT)
        self.addCleanup(lambda: self.assertEqual([], errors))
        return done

    def hold_group_lock(self, group=GROUP):
        lock = coordination.get_lock('share-group-%s' % group)
        self.assertTrue(lock.acquire(blocking=True))
        return lock

    def operation(self, name, share=None):
        share = share or self.shares['a']
        snapshot = test_local._snapshot('s-a', share)
        return {
            'revert': lambda: self.driver.revert_to_snapshot(
                self.context, snapshot, [], []),
            'delete': lambda: self.driver.delete_share(self.context, share),
            'extend': lambda: self.driver.extend_share(share, 5),
            'shrink': lambda: self.driver.shrink_share(share, 1),
            'snapshot': lambda: self.driver.create_snapshot(
                self.context, test_local._snapshot('s-new', share)),
        }[name]

    def outcome(self, name):
        """What each operation changed, read once it returned."""
        record = self.driver.store.get(local_state.SHARES, 'a')
        return {
            'revert': lambda: self.read(self.paths['a'], 'data'),
            'delete': lambda: (os.path.exists(self.paths['a']), record),
            'extend': lambda: record['size'],
            'shrink': lambda: record['size'],
            'snapshot': lambda: os.path.isdir(
                os.path.join(self.snapshot_root, 's-new')),
        }[name]()

    @ddt.data(('revert', 'old-a'), ('delete', (False, None)),
              ('extend', 5), ('shrink', 1), ('snapshot', True))
    @ddt.unpack
    def test_member_operation_waits_for_the_group_lock(self, name,
                                                       expected):
        if name == 'shrink':
            self.driver.extend_share(self.shares['a'], 3)
        lock = self.hold_group_lock()
        try:
            done = self.run_in_thread(self.operation(name))
            self.assertFalse(done.wait(GRACE))
            self.assertNotEqual(expected, self.outcome(name))
        finally:
            lock.release()
        self.assertTrue(done.wait(WAIT))
        self.assertEqual(expected, self.outcome(name))

    def test_share_outside_the_group_does_not_wait(self):
        share = dict(self.shares['a'], share_group_id=None)
        lock = self.hold_group_lock()
        try:
            done = self.run_in_thread(self.operation('revert', share))
            self.assertTrue(done.wait(WAIT))
        finally:
            lock.release()
        self.assertEqual('old-a', self.read(self.paths['a'], 'data'))

    def test_member_of_another_group_does_not_wait(self):
        lock = self.hold_group_lock(group='other')
        try:
            done = self.run_in_thread(self.operation('revert'))
            self.assertTrue(done.wait(WAIT))
        finally:
            lock.release()

    def test_member_operation_waits_for_a_group_snapshot_in_progress(self):
        copying, finish_copy = threading.Event(), threading.Event()
        real_clone = local_files.clone_tree

        def slow_clone(src, dst, use_cp=True):
            if os.path.basename(dst) == 'm-a':
                copying.set()
                self.assertTrue(finish_copy.wait(WAIT))
            return real_clone(src, dst, use_cp=use_cp)
        with mock.patch.object(local_files, 'clone_tree', slow_clone):
            snapshot_done = self.run_in_thread(self.snapshot_group)
            self.assertTrue(copying.wait(WAIT))
            revert_done = self.run_in_thread(self.operation('revert'))
            self.assertFalse(revert_done.wait(GRACE))
            finish_copy.set()
            self.assertTrue(snapshot_done.wait(WAIT))
        self.assertTrue(revert_done.wait(WAIT))
        # The group snapshot copied the bytes from before the revert.
        self.assertEqual('changed', self.read(
            os.path.join(self.snapshot_root, 'm-a'), 'data'))
        self.assertEqual('old-a', self.read(self.paths['a'], 'data'))

    def test_group_snapshot_waits_for_a_member_operation(self):
        reverting, finish_revert = threading.Event(), threading.Event()
        real_replace = local_files.replace_contents

        def slow_replace(path, source, use_cp=True):
            reverting.set()
            self.assertTrue(finish_revert.wait(WAIT))
            return real_replace(path, source, use_cp=use_cp)
        with mock.patch.object(local_files, 'replace_contents',
                               slow_replace):
            revert_done = self.run_in_thread(self.operation('revert'))
            self.assertTrue(reverting.wait(WAIT))
            snapshot_done = self.run_in_thread(self.snapshot_group)
            self.assertFalse(snapshot_done.wait(GRACE))
            self.assertFalse(os.path.exists(
                os.path.join(self.snapshot_root, 'm-a')))
            finish_revert.set()
            self.assertTrue(revert_done.wait(WAIT))
        self.assertTrue(snapshot_done.wait(WAIT))
        # The group snapshot saw the share as the revert left it.
        self.assertEqual('old-a', self.read(
            os.path.join(self.snapshot_root, 'm-a'), 'data'))


class GroupStatsTestCase(test_local.LocalDriverTestCase):

    def test_consistent_snapshot_support_is_none(self):
        stats = self.driver.get_share_stats(refresh=True)
        self.assertIn('consistent_snapshot_support',
                      stats['share_group_stats'])
        self.assertIsNone(
            stats['share_group_stats']['consistent_snapshot_support'])

    def test_passed_value_still_wins(self):
        self.driver._update_share_stats(
            {'share_group_stats': {'consistent_snapshot_support': 'pool'}})
        self.assertEqual(
            'pool',
            self.driver.get_share_stats()['share_group_stats'][
                'consistent_snapshot_support'])
