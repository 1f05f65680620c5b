"""The migration service on two fake backends, end to end.

Driver-assisted: the fake driver's phase 1 takes two ``migration_continue``
polls (``fake_migration_steps``). Host-assisted: each fake share has a
real directory (``connection_get_info``'s ``local_path``), copied by the
data copy service. Failure rows (F...) are those of
doc/source/admin/share-migration-rules.rst.
"""

import os
import threading
import time
from unittest import mock

import ddt

from storagemgr.db import api as db_api
from storagemgr import exception
from storagemgr.share import records as share_records
from storagemgr.share_group import api as group_api
from storagemgr.share_migration import constants
from storagemgr.share_migration import data_copy
from storagemgr.share_migration import records
from storagemgr.tests.unit.share_migration import base
from storagemgr.types import api as types_api

# Exceptions of several families: storagemgr's own, plain Python ones.
BACKEND_ERROR = 'storagemgr.exception.ShareBackendException'
INVALID_SHARE = 'storagemgr.exception.InvalidShare'


def wait_for(predicate, timeout=30.0):
    """Poll ``predicate`` until it is true (for threads); fail on timeout."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for %r' % predicate)
        time.sleep(0.02)


class ApiTestCase(base.MigrationTestCase):

    def setUp(self):
        super().setUp()
        self.share = self.make_share()
        self.share_id = self.share['id']
        self.source_id = self.share['instance_id']

    def destination_id(self):
        return self.migration(self.share_id).destination_instance_id

    def source_record(self):
        return self.driver(base.SOURCE).shares[self.source_id]

    def assertFailedOnSource(self, names):
        """migration_error, the share on its source, a reason naming all."""
        self.assertOnSource(self.share_id, self.source_id,
                            constants.ERROR)
        detail = self.migrations.show(self.share_id)['detail']
        messages = self.messages(self.share_id)
        self.assertTrue(messages, 'no user message')
        for name in names:
            self.assertIn(name, detail)
            self.assertIn(name, messages[0])
        self.assertEqual(0, self.allocated(base.DESTINATION_POOL))
        self.assertEqual({}, self.driver(base.SOURCE).migrations)


@ddt.ddt
class DriverAssistedTestCase(ApiTestCase):

    def test_start_poll_complete(self):
        rule = self.allow(self.share_id)
        record = self.start(self.share_id)
        self.assertEqual(constants.DRIVER_IN_PROGRESS, record['task_state'])
        self.assertEqual('driver', record['method'])
        self.assertEqual(50, record['total_progress'])
        self.assertEqual((base.SOURCE_POOL, base.DESTINATION_POOL),
                         (record['source_host'], record['destination_host']))
        # Not writable: the source's rules are cast read-only meanwhile.
        self.assertEqual('ro', self.source_record()['rules'][rule['id']][
            'access_level'])
        self.assertEqual('migrating', self.instances(self.share_id)[
            self.source_id].status)
        self.assertEqual(1, self.migrations.poll())
        self.assertEqual(constants.DRIVER_PHASE1_DONE,
                         self.task_state(self.share_id))
        self.assertEqual(0, self.migrations.poll())
        destination_id = self.destination_id()
        record = self.migrations.complete(self.share_id)
        self.assertEqual(constants.SUCCESS, record['task_state'])
        share = self.api.get(self.share_id)
        self.assertEqual((base.DESTINATION_POOL, destination_id,
                          'available'),
                         (share['host'], share['instance_id'],
                          share['status']))
        self.assertEqual(['test-host:/fake/f2/%s' % destination_id],
                         [e['path'] for e in share['export_locations']])
        self.assertEqual([destination_id], list(self.instances(
            self.share_id)))
        self.assertEqual([('active', rule['id'])], [
            (r.state, r.access_id)
            for r in self.rule_states(destination_id)])
        # The destination backend serves it, with the rule as granted.
        moved = self.driver(base.DESTINATION).shares[destination_id]
        self.assertEqual('rw', moved['rules'][rule['id']]['access_level'])
        self.assertNotIn(self.source_id, self.driver(base.SOURCE).shares)
        self.assertEqual(0, self.allocated(base.SOURCE_POOL))
        self.assertEqual(1, self.allocated(base.DESTINATION_POOL))

    def test_start_wait_polls_to_phase1_done(self):
        self.flags(migration_wait_poll_interval=0.05)
        seen = []
        record = self.start(self.share_id, wait=True, progress=seen.append)
        self.assertEqual(constants.DRIVER_PHASE1_DONE, record['task_state'])
        self.assertEqual(100, record['total_progress'])
        self.assertEqual(constants.DRIVER_PHASE1_DONE,
                         seen[-1]['task_state'])
        self.assertEqual(2, self.driver().calls.count('migration_continue'))

    def test_complete_preserves_snapshots(self):
        snapshot = self.api.create_snapshot(self.share_id, name='sn')
        self.start(self.share_id, preserve_snapshots=True, writable=True)
        self.migrations.poll(self.share_id)
        destination_id = self.destination_id()
        self.migrations.complete(self.share_id)
        snaps = self.snapshot_instances(destination_id)
        self.assertEqual(
            [(snapshot['id'], 'available', 'fake-snapshot-%s' % snaps[0].id)],
            [(s.snapshot_id, s.status, s.provider_location) for s in snaps])
        self.assertEqual('available',
                         self.api.get_snapshot(snapshot['id'])['status'])
        self.assertIn(snaps[0].id, self.driver(base.DESTINATION).snapshots)

    def test_new_share_type_on_the_same_pool(self):
        types_api.share_types.create(
            'gold', {'driver_handles_share_servers': 'False'})
        self.start(self.share_id, base.SOURCE_POOL, new_share_type='gold',
                   wait=True)
        self.migrations.complete(self.share_id)
        self.assertEqual('gold', self.api.get(self.share_id)['share_type'])
        self.assertEqual(base.SOURCE_POOL,
                         self.api.get(self.share_id)['host'])

    def test_migrates_again_after_success(self):
        self.start(self.share_id, wait=True)
        self.migrations.complete(self.share_id)
        self.start(self.share_id, base.SOURCE_POOL, wait=True)
        self.migrations.complete(self.share_id)
        self.assertEqual(base.SOURCE_POOL,
                         self.api.get(self.share_id)['host'])

    @ddt.data(constants.DRIVER_IN_PROGRESS, constants.DRIVER_PHASE1_DONE)
    def test_cancel(self, state):
        rule = self.allow(self.share_id)
        self.start(self.share_id)
        if state == constants.DRIVER_PHASE1_DONE:
            self.migrations.poll()
        self.assertEqual(state, self.task_state(self.share_id))
        record = self.migrations.cancel(self.share_id)
        self.assertEqual(constants.CANCELLED, record['task_state'])
        self.assertOnSource(self.share_id, self.source_id,
                            constants.CANCELLED)
        self.assertEqual('rw', self.source_record()['rules'][rule['id']][
            'access_level'])
        self.assertEqual({}, self.driver().migrations)
        self.assertEqual(0, self.allocated(base.DESTINATION_POOL))
        self.assertEqual([], self.messages(self.share_id))
        # Over: nothing left to cancel or complete.
        for again in (self.migrations.cancel, self.migrations.complete):
            e = self.assertRaises(exception.InvalidState, again,
                                  self.share_id)
            self.assertIn(constants.CANCELLED, str(e))
        # And it can start again.
        self.assertEqual(constants.DRIVER_IN_PROGRESS,
                         self.start(self.share_id)['task_state'])

    def test_cancel_and_complete_refused_when_nothing_to_do(self):
        self.assertRaises(exception.NotFound, self.migrations.cancel,
                          self.share_id)
        self.assertRaises(exception.NotFound, self.migrations.complete,
                          self.share_id)
        self.start(self.share_id)
        self.assertRaises(exception.InvalidState, self.migrations.complete,
                          self.share_id)
        self.migrations.poll()
        self.migrations.complete(self.share_id)
        self.assertRaises(exception.InvalidState, self.migrations.cancel,
                          self.share_id)
        self.assertEqual(constants.SUCCESS, self.task_state(self.share_id))


@ddt.ddt
class RefusalTestCase(ApiTestCase):
    """F3/F4: refused before anything is written."""

    def assertUnchanged(self, task_state=None):
        self.assertEqual(task_state, self.task_state(self.share_id))
        self.assertEqual([self.source_id],
                         [i for i in self.instances(self.share_id)
                          if self.instances(self.share_id)[i].active])
        if task_state is None:
            self.assertEqual([self.source_id],
                             list(self.instances(self.share_id)))
            self.assertIsNone(records.latest(self.share_id))
            self.assertFalse(self.allocated(base.DESTINATION_POOL))

    @ddt.data(('test-host@nope#nope', exception.BackendNotFound, 'nope'),
              ('f2', exception.InvalidInput, 'host@backend#pool'),
              ('test-host@f2#nope', exception.InvalidInput, 'nope'),
              ('elsewhere@f2#f2', exception.InvalidInput, 'elsewhere'),
              (base.SOURCE_POOL, exception.InvalidInput, 'already on'))
    @ddt.unpack
    def test_destination(self, host, error, culprit):
        e = self.assertRaises(error, self.start, self.share_id, host)
        self.assertIn(culprit, str(e))
        self.assertUnchanged()

    def test_share_in_a_group(self):
        types_api.share_types.create(
            't1', {'driver_handles_share_servers': 'False'})
        types_api.share_group_types.create('gt1', ['t1'])
        group = group_api.API().create(name='g1', share_group_type='gt1')
        member = self.api.create('NFS', 1, name='m1',
                                 share_group=group['id'])
        e = self.assertRaises(exception.InvalidShare, self.start,
                              member['id'])
        self.assertIn(group['id'], str(e))
        self.assertIsNone(self.task_state(member['id']))

    def test_snapshots_without_preserve_snapshots(self):
        self.api.create_snapshot(self.share_id, name='sn')
        e = self.assertRaises(exception.InvalidShare, self.start,
                              self.share_id)
        self.assertIn('--preserve-snapshots', str(e))
        self.assertUnchanged()

    @ddt.data('nondisruptive', 'preserve_snapshots')
    def test_forced_host_assisted_refuses(self, flag):
        e = self.assertRaises(exception.InvalidInput, self.start,
                              self.share_id, force_host_assisted=True,
                              **{flag: True})
        self.assertIn('host-assisted', str(e))
        self.assertIn(flag.split('_')[-1], str(e))
        self.assertUnchanged()

    def test_busy_share(self):
        share_records.transition_share(self.share_id, ['available'],
                                       {'status': 'extending'}, 'test')
        self.assertRaises(exception.InvalidState, self.start, self.share_id)
        self.assertUnchanged()

    def test_second_start_while_one_is_under_way(self):
        self.start(self.share_id)
        first = self.migration(self.share_id)
        self.assertRaises(exception.InvalidState, self.start,
                          self.share_id)
        self.assertEqual(first.id, self.migration(self.share_id).id)
        self.assertEqual(2, len(self.instances(self.share_id)))
        self.assertUnchanged(constants.DRIVER_IN_PROGRESS)

    def test_driver_cannot_do_nondisruptive(self):
        """F2: the fake is not nondisruptive, host-assisted cannot be."""
        self.assertRaises(exception.ShareMigrationFailed, self.start,
                          self.share_id, nondisruptive=True)
        self.assertFailedOnSource(['nondisruptive'])


@ddt.ddt
class DriverFaultTestCase(ApiTestCase):
    """Every migration driver method failing.

    Raising exceptions of several classes, or (where the return is used)
    returning a malformed value.
    """

    @ddt.data(('migration_check_compatibility', BACKEND_ERROR, None),
              ('migration_check_compatibility', 'builtins.KeyError', None),
              ('migration_check_compatibility', None, 'malformed'),
              ('migration_check_compatibility', None, 'none'),
              ('migration_start', INVALID_SHARE, None),
              ('migration_start', 'builtins.KeyError', None),
              ('migration_start', 'builtins.RuntimeError', None),
              ('migration_continue', BACKEND_ERROR, None),
              ('migration_continue', 'builtins.OSError', None),
              ('migration_continue', None, 'malformed'),
              ('migration_continue', None, 'none'),
              ('update_access', 'builtins.KeyError', None))
    @ddt.unpack
    def test_phase1(self, method, raise_, return_):
        """F1, F6, F7, F5 (casting the rules read-only)."""
        self.allow(self.share_id)
        self.driver().set_fault(method, raise_=raise_, return_=return_)
        self.assertRaises(exception.StorageManagerException, self.start,
                          self.share_id)
        self.driver().clear_faults()
        self.assertFailedOnSource(
            [raise_.rsplit('.', 1)[-1]] if raise_ else
            ['InvalidDriverReturn', method])
        if method != 'update_access':
            self.assertEqual('rw', list(self.source_record()[
                'rules'].values())[0]['access_level'])

    @ddt.data((BACKEND_ERROR, None), ('builtins.KeyError', None),
              (None, 'malformed'))
    @ddt.unpack
    def test_complete(self, raise_, return_):
        """F11."""
        self.start(self.share_id, wait=True)
        self.driver().set_fault('migration_complete', raise_=raise_,
                                return_=return_)
        self.assertRaises(exception.StorageManagerException,
                          self.migrations.complete, self.share_id)
        self.assertFailedOnSource(
            [raise_.rsplit('.', 1)[-1]] if raise_ else
            ['InvalidDriverReturn', 'migration_complete'])

    @ddt.data(BACKEND_ERROR, 'builtins.KeyError')
    def test_cancel(self, raise_):
        """F14."""
        self.start(self.share_id)
        self.driver().set_fault('migration_cancel', raise_=raise_)
        self.assertRaises(exception.StorageManagerException,
                          self.migrations.cancel, self.share_id)
        self.assertOnSource(self.share_id, self.source_id, constants.ERROR)
        self.assertIn(raise_.rsplit('.', 1)[-1],
                      self.migrations.show(self.share_id)['detail'])
        self.assertTrue(self.messages(self.share_id))

    @ddt.data(('builtins.KeyError', None), (None, 'malformed'))
    @ddt.unpack
    def test_poll(self, raise_, return_):
        """F8: the failed share is aborted, the others are still polled."""
        other = self.make_share('s2')
        self.start(self.share_id)
        self.start(other['id'])
        self.driver().set_fault('migration_continue', raise_=raise_,
                                return_=return_)
        self.assertEqual(2, self.migrations.poll())
        self.assertFailedOnSource(['migration_continue'])
        # The other share met the same fault: both aborted, none stuck.
        self.assertEqual(constants.ERROR, self.task_state(other['id']))

    def test_poll_abort_whose_cancel_fails(self):
        """F8 with a failing ``migration_cancel`` too.

        Each share is still aborted, its reason names migration_continue,
        and the next share is polled.
        """
        first = self.make_share('s0')
        self.start(first['id'])
        self.start(self.share_id)
        self.driver().set_fault('migration_continue',
                                raise_='builtins.KeyError')
        self.driver().set_fault('migration_cancel',
                                raise_='builtins.RuntimeError')
        self.assertEqual(2, self.migrations.poll())
        for share_id in (first['id'], self.share_id):
            self.assertEqual(constants.ERROR, self.task_state(share_id))
            self.assertIn('migration_continue',
                          self.migrations.show(share_id)['detail'])
            self.assertTrue(self.messages(share_id))

    def test_start_and_cancel_returns_are_not_used(self):
        self.driver().set_fault('migration_start', return_='malformed')
        self.driver().set_fault('migration_cancel', return_='malformed')
        self.start(self.share_id)
        self.assertEqual(constants.DRIVER_IN_PROGRESS,
                         self.task_state(self.share_id))
        self.migrations.cancel(self.share_id)
        self.assertOnSource(self.share_id, self.source_id,
                            constants.CANCELLED)

    def test_not_implemented_falls_back_to_host_assisted(self):
        self.driver().set_fault('migration_check_compatibility',
                                raise_='builtins.NotImplementedError')
        record = self.start(self.share_id)
        self.assertEqual(('host', constants.COPY_COMPLETED),
                         (record['method'], record['task_state']))

    def test_incompatible_falls_back_to_host_assisted(self):
        self.driver().set_fault('migration_check_compatibility',
                                return_='empty')
        record = self.start(self.share_id)
        self.assertEqual(('host', constants.COPY_COMPLETED),
                         (record['method'], record['task_state']))
        self.assertNotIn('migration_start', self.driver().calls)


@ddt.ddt
class ProgressTestCase(ApiTestCase):

    def put(self, task_state, **migration):
        db_api.update(share_records.Share, self.share_id,
                      {'task_state': task_state})
        if migration:
            records.update(self.migration(self.share_id).id, migration)

    def progress(self):
        return self.migrations.show(self.share_id)['total_progress']

    def test_never_migrated(self):
        record = self.migrations.show(self.share_id)
        self.assertEqual((None, 0, None, None),
                         (record['task_state'], record['total_progress'],
                          record['method'], record['destination_host']))

    def test_driver_progress_and_its_failures(self):
        self.start(self.share_id)
        self.assertEqual(50, self.progress())
        for fault in ({'raise_': 'builtins.KeyError'},
                      {'return_': 'malformed'}, {'return_': 'none'}):
            self.driver().set_fault('migration_get_progress', **fault)
            self.assertEqual(0, self.progress(), fault)
        self.assertEqual(constants.DRIVER_IN_PROGRESS,
                         self.task_state(self.share_id))

    def test_per_state(self):
        self.start(self.share_id)
        for state in constants.PROGRESS_ZERO:
            self.put(state)
            self.assertEqual(0, self.progress(), state)
        for state in constants.PROGRESS_FULL:
            self.put(state)
            self.assertEqual(100, self.progress(), state)
        for copied, total, expected in ((30, 120, 25), (0, 0, 0),
                                        (120, 120, 99), (None, None, 0)):
            self.put(constants.COPY_IN_PROGRESS, bytes_copied=copied,
                     bytes_total=total)
            self.assertEqual(expected, self.progress(), (copied, total))


class HostAssistedTestCase(ApiTestCase):
    """Real files in the fake shares' directories."""

    FILES = {'a.txt': b'alpha\n', 'dir/b.bin': os.urandom(300 * 1024),
             'dir/sub/c': b'', 'd.bin': b'\0' * 4096 + b'tail'}

    def setUp(self):
        super().setUp()
        self.source_root = self.driver(base.SOURCE).data_path(self.source_id)
        self.write(self.source_root, self.FILES)

    @staticmethod
    def write(root, files):
        for name, data in files.items():
            path = os.path.join(root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'wb') as f:
                f.write(data)

    @staticmethod
    def tree(root):
        found = {}
        for directory, _, names in os.walk(root):
            for name in names:
                path = os.path.join(directory, name)
                with open(path, 'rb') as f:
                    found[os.path.relpath(path, root)] = f.read()
        return found

    def destination_root(self):
        return self.driver(base.DESTINATION).data_path(self.destination_id())

    def test_start_complete_bytes_identical(self):
        rule = self.allow(self.share_id)
        os.chmod(os.path.join(self.source_root, 'a.txt'), 0o640)
        os.utime(os.path.join(self.source_root, 'a.txt'),
                 ns=(1_000_000_000, 2_000_000_000))
        record = self.start(self.share_id, force_host_assisted=True,
                            preserve_metadata=True)
        self.assertEqual(('host', constants.COPY_COMPLETED, 100),
                         (record['method'], record['task_state'],
                          record['total_progress']))
        total = sum(len(data) for data in self.FILES.values())
        self.assertEqual((total, total, 4, 4),
                         (record['bytes_copied'], record['bytes_total'],
                          record['files_copied'], record['files_total']))
        self.assertEqual('ro', self.source_record()['rules'][rule['id']][
            'access_level'])
        destination_root = self.destination_root()
        destination_id = self.destination_id()
        self.assertEqual(self.FILES, self.tree(destination_root))
        record = self.migrations.complete(self.share_id)
        self.assertEqual(constants.SUCCESS, record['task_state'])
        self.assertEqual(self.FILES, self.tree(destination_root))
        moved = os.stat(os.path.join(destination_root, 'a.txt'))
        self.assertEqual((0o640, 2_000_000_000),
                         (moved.st_mode & 0o777, moved.st_mtime_ns))
        self.assertFalse(os.path.exists(self.source_root))
        self.assertEqual([destination_id],
                         list(self.instances(self.share_id)))
        self.assertNotIn(self.source_id, self.driver(base.SOURCE).shares)
        self.assertEqual([('active', rule['id'])], [
            (r.state, r.access_id)
            for r in self.rule_states(destination_id)])
        self.assertEqual('rw', self.driver(base.DESTINATION).shares[
            destination_id]['rules'][rule['id']]['access_level'])
        self.assertEqual(base.DESTINATION_POOL,
                         self.api.get(self.share_id)['host'])

    def test_writable_changes_in_phase1_reach_the_destination(self):
        rule = self.allow(self.share_id)
        self.start(self.share_id, force_host_assisted=True, writable=True)
        self.assertEqual('rw', self.source_record()['rules'][rule['id']][
            'access_level'])
        destination_root = self.destination_root()
        self.write(self.source_root, {'new.txt': b'written in phase 1',
                                      'a.txt': b'changed, longer\n'})
        os.unlink(os.path.join(self.source_root, 'd.bin'))
        expected = self.tree(self.source_root)
        self.migrations.complete(self.share_id)
        self.assertEqual(constants.SUCCESS, self.task_state(self.share_id))
        self.assertEqual(expected, self.tree(destination_root))

    def test_cancel_after_the_copy(self):
        rule = self.allow(self.share_id)
        self.start(self.share_id, force_host_assisted=True)
        destination_root = self.destination_root()
        self.migrations.cancel(self.share_id)
        self.assertOnSource(self.share_id, self.source_id,
                            constants.CANCELLED)
        self.assertFalse(os.path.exists(destination_root))
        self.assertEqual(self.FILES, self.tree(self.source_root))
        self.assertEqual('rw', self.source_record()['rules'][rule['id']][
            'access_level'])
        self.assertEqual({}, self.driver(base.DESTINATION).shares)

    def test_cancel_while_starting_the_copy(self):
        """T21: the copying process's next step is refused; it unwinds."""
        release = threading.Event()
        destination = self.driver(base.DESTINATION)
        destination.sleep = lambda seconds: release.wait(30)
        destination.set_fault('connection_get_info', delay=1)
        self._cancel_while(constants.COPY_STARTING, release)

    def test_cancel_during_the_copy(self):
        """T22: the copy notices the cancel and its flow unwinds."""
        release = threading.Event()
        real = data_copy.mounts.mounted

        def mounted(info, instance_id):
            if instance_id != self.source_id:
                release.wait(30)
            return real(info, instance_id)
        with mock.patch.object(data_copy.mounts, 'mounted', mounted):
            self._cancel_while(constants.COPY_IN_PROGRESS, release)

    def test_cancel_while_creating_the_destination(self):
        """T34: the start flow's next step sees the cancel; it unwinds."""
        release = threading.Event()
        destination = self.driver(base.DESTINATION)
        destination.sleep = lambda seconds: release.wait(30)
        destination.set_fault('create_share', delay=1)
        self._cancel_while(constants.IN_PROGRESS, release)

    def test_cancel_while_the_driver_starts(self):
        """T35: migration_start is undone by migration_cancel."""
        release = threading.Event()
        source = self.driver(base.SOURCE)
        source.sleep = lambda seconds: release.wait(30)
        source.set_fault('migration_start', delay=1)
        self._cancel_while(constants.DRIVER_STARTING, release,
                           force_host_assisted=False)
        self.assertIn('migration_cancel', source.calls)
        self.assertEqual({}, source.migrations)

    def _cancel_while(self, state, release, force_host_assisted=True):
        outcome = {}

        def run(name, func, *args, **kwargs):
            try:
                outcome[name] = func(*args, **kwargs)
            except Exception as e:
                outcome[name] = e
        starter = threading.Thread(target=run, args=(
            'start', self.start, self.share_id),
            kwargs={'force_host_assisted': force_host_assisted})
        starter.start()
        self.addCleanup(starter.join)
        self.addCleanup(release.set)
        wait_for(lambda: self.task_state(self.share_id) == state)
        # (Asking for a fake share's directory makes it: host-assisted
        # only, where the copy made it already.)
        destination_root = (self.destination_root() if force_host_assisted
                            else None)
        canceller = threading.Thread(target=run, args=(
            'cancel', self.migrations.cancel, self.share_id))
        canceller.start()
        wait_for(lambda: self.task_state(self.share_id) ==
                 constants.CANCEL_IN_PROGRESS)
        release.set()
        starter.join()
        canceller.join()
        self.assertEqual(constants.CANCELLED,
                         outcome['cancel']['task_state'])
        self.assertOnSource(self.share_id, self.source_id,
                            constants.CANCELLED)
        if destination_root is not None:
            self.assertFalse(os.path.exists(destination_root))
        self.assertEqual(self.FILES, self.tree(self.source_root))
        # The start that was cancelled returns the cancelled migration.
        self.assertIsInstance(outcome['start'], dict, outcome['start'])
        self.assertEqual(constants.CANCELLED,
                         outcome['start']['task_state'])

    def test_journal_in_the_configured_directory(self):
        journals = os.path.join(self.state_path, 'my_journals')
        self.flags(copy_journal_dir=journals, group='data')
        self.start(self.share_id, force_host_assisted=True)
        self.assertTrue(os.path.isdir(journals) and os.listdir(journals),
                        'no journal under [data] copy_journal_dir')

    def test_connection_info_fails(self):
        """F9."""
        self.driver(base.DESTINATION).set_fault(
            'connection_get_info', raise_='builtins.KeyError')
        self.assertRaises(exception.StorageManagerException, self.start,
                          self.share_id, force_host_assisted=True)
        self.assertFailedOnSource(['KeyError'])
        self.assertEqual({}, self.driver(base.DESTINATION).shares)

    def test_destination_create_fails(self):
        """F5."""
        self.driver(base.DESTINATION).set_fault(
            'create_share', raise_=BACKEND_ERROR)
        self.assertRaises(exception.StorageManagerException, self.start,
                          self.share_id, force_host_assisted=True)
        self.assertFailedOnSource(['ShareBackendException'])

    def test_catch_up_copy_fails(self):
        """F12: the source is read-only only until the failure."""
        rule = self.allow(self.share_id)
        self.start(self.share_id, force_host_assisted=True, writable=True)
        destination_root = self.destination_root()
        self.driver(base.DESTINATION).set_fault(
            'connection_get_info', raise_='builtins.RuntimeError')
        self.assertRaises(exception.StorageManagerException,
                          self.migrations.complete, self.share_id)
        self.assertFailedOnSource(['RuntimeError'])
        self.assertFalse(os.path.exists(destination_root))
        self.assertEqual('rw', self.source_record()['rules'][rule['id']][
            'access_level'])

    def test_old_source_removal_fails(self):
        """F15: the move stands."""
        self.start(self.share_id, force_host_assisted=True)
        self.driver(base.SOURCE).set_fault('delete_share',
                                           raise_='builtins.KeyError')
        record = self.migrations.complete(self.share_id)
        self.assertEqual(constants.SUCCESS, record['task_state'])
        self.assertEqual('error_deleting', self.instances(self.share_id)[
            self.source_id].status)
        self.assertIn('KeyError', record['detail'])
        self.assertEqual(self.destination_id(),
                         self.api.get(self.share_id)['instance_id'])
