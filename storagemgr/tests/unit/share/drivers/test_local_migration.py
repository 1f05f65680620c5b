"""Driver-assisted migration between two local share backends."""

import os
from unittest import mock

import ddt

from storagemgr.backend import process_registry
from storagemgr.backend import registry as backend_registry
from storagemgr import context as sm_context
from storagemgr import exception
from storagemgr.share.drivers import local_migration
from storagemgr.share.drivers import local_state as state
from storagemgr.tests import base

CONFIG = ('[DEFAULT]\nenabled_backends = b1,b2,b3\n'
          '[b1]\nshare_driver = local\n'
          '[b2]\nshare_driver = local\n'
          '[b3]\nshare_driver = fake\n')
COMPATIBLE = {'compatible': True, 'writable': True,
              'preserve_metadata': True, 'nondisruptive': False,
              'preserve_snapshots': True}
NOT_COMPATIBLE = dict.fromkeys(COMPATIBLE, False)


def _share(share_id, host='test-host@b1#b1', size=1):
    return {'id': share_id, 'host': host, 'size': size,
            'share_proto': 'NFS', 'share_group_id': None}


def _rule(rule_id, to):
    return {'id': rule_id, 'access_type': 'ip', 'access_to': to,
            'access_level': 'rw', 'access_key': None}


def _tree(root):
    """``{relative path: what it is}``, contents and modes included."""
    found = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, root)
            st = os.lstat(path)
            if os.path.islink(path):
                found[relative] = ('link', os.readlink(path))
            elif os.path.isdir(path):
                found[relative] = ('dir', st.st_mode)
            else:
                with open(path, 'rb') as f:
                    found[relative] = ('file', st.st_mode, f.read())
    return found


@ddt.ddt
class LocalMigrationTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.context = sm_context.get_admin_context()
        self.restart()
        self.share = _share('s1')
        self.destination = _share('d1', host='test-host@b2#b2')
        self.source_path = self.make_share(self.share)

    def restart(self):
        """New driver instances, as a restarted process has."""
        registry = backend_registry.BackendRegistry()
        process_registry.use_registry(registry)
        self.src = registry.get('b1', 'share').driver
        self.dst = registry.get('b2', 'share').driver

    def make_share(self, share):
        location = self.src.create_share(self.context, share)[0]['path']
        path = location.split(':', 1)[1]
        os.makedirs(os.path.join(path, 'sub', 'deeper'))
        with open(os.path.join(path, 'a.txt'), 'w') as f:
            f.write('first file\n')
        with open(os.path.join(path, 'sub', 'deeper', 'blob'), 'wb') as f:
            f.write(bytes(range(256)) * 64)
        os.chmod(os.path.join(path, 'a.txt'), 0o640)
        os.symlink('sub/deeper/blob', os.path.join(path, 'link'))
        return path

    def snapshot(self, snapshot_id):
        return self.src.create_snapshot(self.context, {
            'id': snapshot_id, 'share': self.share,
            'share_id': self.share['id']})['provider_location']

    def call(self, method, mappings=None, destination=None, drv=None):
        return getattr(drv or self.src, 'migration_' + method)(
            self.context, self.share, destination or self.destination, [],
            mappings or {})

    def start(self, mappings=None, destination=None):
        return self.src.migration_start(
            self.context, self.share, destination or self.destination, [],
            mappings or {})

    def dest_path(self, *names):
        return os.path.join(self.dst.root, *names)

    # -- compatibility ---------------------------------------------------

    def test_same_filesystem_is_compatible(self):
        self.assertEqual(COMPATIBLE, self.src.migration_check_compatibility(
            self.context, self.share, self.destination))

    @ddt.data('test-host@b3#b3',      # a backend of another driver
              'test-host@nope#nope',  # no such backend
              'other-host@b2#b2',     # b2, but on another host
              'b2@',                  # not a host string
              None)
    def test_not_compatible(self, host):
        self.assertEqual(NOT_COMPATIBLE,
                         self.src.migration_check_compatibility(
                             self.context, self.share,
                             _share('d1', host=host)))

    def test_destination_on_another_filesystem_is_not_compatible(self):
        real_stat = os.stat
        other_root = self.dst.root

        def stat(path, *args, **kwargs):
            result = real_stat(path, *args, **kwargs)
            if str(path).startswith(other_root):
                fields = list(result)
                fields[2] = result.st_dev + 1  # st_dev
                return os.stat_result(fields)
            return result

        with mock.patch.object(local_migration.os, 'stat', stat):
            self.assertEqual(NOT_COMPATIBLE,
                             self.src.migration_check_compatibility(
                                 self.context, self.share, self.destination))
            self.assertRaises(local_migration.LocalMigrationFailed,
                              self.start)
        self.assertIsNone(self.src.store.get(state.SHARES, 's1').get(
            'migration'))

    # -- phase 1 ---------------------------------------------------------

    def test_start_changes_nothing_and_phase1_is_done(self):
        before = _tree(self.source_path)
        self.assertEqual({'total_progress': 0}, self.call('get_progress'))
        self.start()
        self.assertEqual(before, _tree(self.source_path))
        self.assertFalse(os.path.exists(self.dest_path('d1')))
        self.assertIsNone(self.dst.store.get(state.SHARES, 'd1'))
        self.assertTrue(self.call('continue'))
        self.assertEqual({'total_progress': 100}, self.call('get_progress'))

    def test_migration_survives_a_restart(self):
        self.start()
        self.restart()
        self.assertTrue(self.call('continue'))
        self.call('complete')
        self.assertFalse(os.path.exists(self.source_path))
        self.assertTrue(os.path.isdir(self.dest_path('d1')))

    @ddt.data('../escape', 'a/b', '.hidden', '')
    def test_hostile_destination_ids_refused(self, bad_id):
        e = self.assertRaises(local_migration.LocalMigrationFailed,
                              self.start,
                              destination=_share(bad_id, 'test-host@b2#b2'))
        self.assertIn('s1', str(e))
        e = self.assertRaises(local_migration.LocalMigrationFailed,
                              self.start, {'snap1': {'id': bad_id}})
        self.assertIn('s1', str(e))
        self.assertIsNone(self.src.store.get(state.SHARES, 's1').get(
            'migration'))

    def test_hostile_source_id_refused(self):
        self.share = _share('../b2/d1')
        self.assertRaises(local_migration.LocalMigrationFailed, self.start)
        self.assertEqual(NOT_COMPATIBLE,
                         self.src.migration_check_compatibility(
                             self.context, self.share, self.destination))

    def test_start_refuses_a_taken_destination(self):
        os.mkdir(self.dest_path('d1'))
        e = self.assertRaises(local_migration.LocalMigrationFailed,
                              self.start)
        self.assertIn('already exists', str(e))
        os.rmdir(self.dest_path('d1'))
        self.dst.store.update(state.SHARES, 'd1', path='/elsewhere')
        e = self.assertRaises(local_migration.LocalMigrationFailed,
                              self.start)
        self.assertIn('already has a record of d1', str(e))

    def test_start_refuses_a_missing_snapshot(self):
        e = self.assertRaises(local_migration.LocalMigrationFailed,
                              self.start, {'nosnap': {'id': 'dsnap'}})
        self.assertIn('snapshot nosnap', str(e))

    def test_start_refuses_an_incompatible_destination(self):
        self.assertRaises(local_migration.LocalMigrationFailed, self.start,
                          destination=_share('d1', 'test-host@b3#b3'))

    # -- phase 2 ---------------------------------------------------------

    def test_complete_moves_share_and_snapshots(self):
        self.src.update_access(self.context, self.share,
                               [_rule('r1', '10.0.0.1')], [], [])
        self.assertIn(self.source_path, open(self.src.exports_file).read())
        snap_path = self.snapshot('snap1')
        share_before = _tree(self.source_path)
        snap_before = _tree(snap_path)
        self.start({'snap1': {'id': 'dsnap1'}})
        result = self.call('complete', {'snap1': {'id': 'dsnap1'}})

        new_path = self.dest_path('d1')
        new_snap = os.path.join(self.dst.root, '.snapshots', 'dsnap1')
        self.assertEqual({
            'export_locations': [{'path': 'test-host:%s' % new_path,
                                  'is_admin_only': False, 'metadata': {}}],
            'snapshot_updates': {'dsnap1': {'provider_location': new_snap}},
        }, result)
        self.assertEqual(share_before, _tree(new_path))
        self.assertEqual(snap_before, _tree(new_snap))
        self.assertFalse(os.path.exists(self.source_path))
        self.assertFalse(os.path.exists(snap_path))
        self.assertIsNone(self.src.store.get(state.SHARES, 's1'))
        self.assertIsNone(self.src.store.get(state.SNAPSHOTS, 'snap1'))
        self.assertEqual({'path': new_path, 'proto': 'NFS', 'size': 1,
                          'access': [], 'migrated_from': 's1',
                          'migration_snapshot_updates': {
                              'dsnap1': {'provider_location': new_snap}}},
                         self.dst.store.get(state.SHARES, 'd1'))
        self.assertEqual({'path': new_snap, 'share_id': 'd1'},
                         self.dst.store.get(state.SNAPSHOTS, 'dsnap1'))
        self.assertNotIn(self.source_path,
                         open(self.src.exports_file).read())

    def test_writes_between_the_phases_are_carried(self):
        self.start()
        with open(os.path.join(self.source_path, 'late.txt'), 'w') as f:
            f.write('written after phase 1')
        os.unlink(os.path.join(self.source_path, 'a.txt'))
        expected = _tree(self.source_path)
        self.call('complete')
        self.assertEqual(expected, _tree(self.dest_path('d1')))

    def test_destination_backend_manages_the_moved_share(self):
        self.snapshot('snap1')
        mappings = {'snap1': {'id': 'dsnap1'}}
        self.start(mappings)
        self.call('complete', mappings)
        moved = dict(self.destination, host='test-host@b2#b2')
        new_path = self.dest_path('d1')
        self.dst.update_access(self.context, moved,
                               [_rule('r1', '10.0.0.2')], [], [])
        self.assertIn('%s 10.0.0.2(rw' % new_path,
                      open(self.dst.exports_file).read())
        self.dst.extend_share(moved, 3)
        self.assertEqual(3, self.dst.store.get(state.SHARES, 'd1')['size'])
        self.dst.revert_to_snapshot(
            self.context, {'id': 'dsnap1', 'share': moved}, [], [])
        self.dst.delete_snapshot(self.context, {'id': 'dsnap1',
                                                'share': moved})
        self.dst.delete_share(self.context, moved)
        self.assertFalse(os.path.exists(new_path))
        self.assertEqual({}, self.dst.store.list(state.SHARES))

    def test_move_within_one_backend(self):
        # A retype on the same backend: the share gets its new id there.
        self.snapshot('snap1')
        before = _tree(self.source_path)
        mappings = {'snap1': {'id': 'dsnap1'}}
        self.destination = _share('d1')
        self.assertEqual(COMPATIBLE, self.src.migration_check_compatibility(
            self.context, self.share, self.destination))
        self.start(mappings)
        self.call('complete', mappings)
        self.assertEqual(before, _tree(os.path.join(self.src.root, 'd1')))
        self.assertEqual(['d1'], list(self.src.store.list(state.SHARES)))
        self.assertEqual(['dsnap1'],
                         list(self.src.store.list(state.SNAPSHOTS)))

    def test_complete_repeated_after_a_kill_gives_the_same_answer(self):
        # The caller died before recording the first answer: its resumed
        # flow asks again, in a new process.
        self.snapshot('snap1')
        mappings = {'snap1': {'id': 'dsnap1'}}
        self.start(mappings)
        first = self.call('complete', mappings)
        self.restart()
        self.assertEqual(first, self.call('complete', mappings))
        self.assertEqual(_tree(first['export_locations'][0]['path'].split(
            ':', 1)[1]), _tree(self.dest_path('d1')))

    def test_cancel_after_a_completion_refused(self):
        self.start()
        self.call('complete')
        e = self.assertRaises(local_migration.LocalMigrationFailed,
                              self.call, 'cancel')
        self.assertIn('already moved', str(e))
        self.assertTrue(os.path.isdir(self.dest_path('d1')))

    def test_complete_without_start_refused(self):
        e = self.assertRaises(local_migration.LocalMigrationFailed,
                              self.call, 'complete')
        self.assertIn('no migration', str(e))
        self.assertTrue(os.path.isdir(self.source_path))

    def test_complete_with_other_destination_or_snapshots_refused(self):
        self.snapshot('snap1')
        self.start({'snap1': {'id': 'dsnap1'}})
        self.assertRaises(local_migration.LocalMigrationFailed,
                          self.call, 'complete', {'snap1': {'id': 'dsnap1'}},
                          _share('d2', 'test-host@b2#b2'))
        self.assertRaises(local_migration.LocalMigrationFailed,
                          self.call, 'complete', {'snap1': {'id': 'other'}})
        e = self.assertRaises(local_migration.LocalMigrationFailed,
                              self.call, 'complete',
                              {'snap1': {'id': 'dsnap1'}},
                              _share('d1', 'test-host@b1#b1'))
        self.assertIn('started to backend b2, not b1', str(e))
        self.assertTrue(os.path.isdir(self.source_path))

    # -- failures and cancel ---------------------------------------------

    def assert_back_on_source(self, before, snap_before=None):
        self.assertEqual(before, _tree(self.source_path))
        self.assertFalse(os.path.exists(self.dest_path('d1')))
        self.assertEqual(self.source_path,
                         self.src.store.get(state.SHARES, 's1')['path'])
        self.assertIsNone(self.dst.store.get(state.SHARES, 'd1'))
        if snap_before is not None:
            self.assertEqual(snap_before, _tree(self.src._snapshot_path(
                'snap1')))
            self.assertIsNotNone(self.src.store.get(state.SNAPSHOTS,
                                                    'snap1'))
            self.assertIsNone(self.dst.store.get(state.SNAPSHOTS, 'dsnap1'))

    def test_failed_complete_leaves_the_source_usable(self):
        self.src.update_access(self.context, self.share,
                               [_rule('r1', '10.0.0.1')], [], [])
        snap_path = self.snapshot('snap1')
        before, snap_before = _tree(self.source_path), _tree(snap_path)
        mappings = {'snap1': {'id': 'dsnap1'}}
        self.start(mappings)
        with mock.patch.object(self.dst, '_render_and_apply',
                               side_effect=OSError('exportfs failed')):
            e = self.assertRaises(local_migration.LocalMigrationFailed,
                                  self.call, 'complete', mappings)
        self.assertIn('s1', str(e))
        self.assertIn('exportfs failed', str(e))
        self.assertNotIn('moving it back failed', str(e))
        self.assert_back_on_source(before, snap_before)
        self.assertIn('%s 10.0.0.1(rw' % self.source_path,
                      open(self.src.exports_file).read())
        # The source still works, and the migration can be tried again.
        with open(os.path.join(self.source_path, 'more'), 'w') as f:
            f.write('still writable')
        self.call('complete', mappings)
        self.assertTrue(os.path.isfile(self.dest_path('d1', 'more')))

    def test_failed_snapshot_move_puts_the_share_back(self):
        snap_path = self.snapshot('snap1')
        before, snap_before = _tree(self.source_path), _tree(snap_path)
        mappings = {'snap1': {'id': 'dsnap1'}}
        self.start(mappings)
        # Something takes the snapshot's new name between the phases.
        os.mkdir(os.path.join(self.dst.root, '.snapshots', 'dsnap1'))
        e = self.assertRaises(local_migration.LocalMigrationFailed,
                              self.call, 'complete', mappings)
        self.assertIn('dsnap1', str(e))
        os.rmdir(os.path.join(self.dst.root, '.snapshots', 'dsnap1'))
        self.assert_back_on_source(before, snap_before)

    def test_failed_move_back_is_finished_by_cancel(self):
        snap_path = self.snapshot('snap1')
        before, snap_before = _tree(self.source_path), _tree(snap_path)
        mappings = {'snap1': {'id': 'dsnap1'}}
        self.start(mappings)
        real_rename = local_migration._rename
        calls = []

        def rename(source, target):
            calls.append(source)
            if len(calls) in (2, 3):  # the snapshot's move, the move back
                raise OSError('disk trouble %d' % len(calls))
            real_rename(source, target)

        with mock.patch.object(local_migration, '_rename', rename):
            e = self.assertRaises(local_migration.LocalMigrationFailed,
                                  self.call, 'complete', mappings)
        self.assertIn('disk trouble 2', str(e))
        self.assertIn('moving it back failed too (OSError: disk trouble 3)',
                      str(e))
        self.assertEqual('completing', self.src.store.get(
            state.SHARES, 's1')['migration']['phase'])
        self.call('cancel', mappings)
        self.assert_back_on_source(before, snap_before)

    def test_cancel_after_start_leaves_the_source_as_it_was(self):
        before = _tree(self.source_path)
        record = self.src.store.get(state.SHARES, 's1')
        self.start()
        self.call('cancel')
        self.assert_back_on_source(before)
        self.assertEqual(record, self.src.store.get(state.SHARES, 's1'))
        self.assertRaises(local_migration.LocalMigrationFailed,
                          self.call, 'continue')
        self.call('cancel')  # nothing left to cancel: fine

    @ddt.data('complete', 'cancel')
    def test_interrupted_complete_can_be_finished_or_undone(self, then):
        snap_path = self.snapshot('snap1')
        before, snap_before = _tree(self.source_path), _tree(snap_path)
        mappings = {'snap1': {'id': 'dsnap1'}}
        self.start(mappings)
        # The process dies after the moves, before the records change.
        with mock.patch.object(self.dst.store, 'update',
                               side_effect=SystemExit('killed')):
            self.assertRaises(SystemExit, self.call, 'complete', mappings)
        self.assertFalse(os.path.exists(self.source_path))
        self.restart()
        self.assertRaises(local_migration.LocalMigrationFailed, self.start,
                          mappings)
        self.call(then, mappings)
        if then == 'complete':
            self.assertEqual(before, _tree(self.dest_path('d1')))
            self.assertIsNone(self.src.store.get(state.SHARES, 's1'))
            self.assertEqual('d1', self.dst.store.get(
                state.SNAPSHOTS, 'dsnap1')['share_id'])
        else:
            self.assert_back_on_source(before, snap_before)
            self.assertIsNone(self.src.store.get(state.SHARES, 's1').get(
                'migration'))

    # -- host-assisted: connection info ------------------------------------

    def test_connection_info_gives_the_local_path(self):
        info = self.src.connection_get_info(self.context, self.share)
        self.assertEqual(self.source_path, info['local_path'])
        self.assertTrue(os.path.isabs(info['local_path']))
        self.assertIn('test-host:%s' % self.source_path, info['mount'])
        self.assertIn('%(path)s', info['unmount'])
        self.assertEqual({'ip': ['nfs']}, info['access_mapping'])

    @ddt.data(('../b2', exception.InvalidInput),
              ('..', exception.InvalidInput),
              ('/etc', exception.InvalidInput),
              ('missing', exception.ShareResourceNotFound))
    @ddt.unpack
    def test_connection_info_refuses_bad_ids(self, share_id, error):
        self.assertRaises(error, self.src.connection_get_info, self.context,
                          _share(share_id))

    def test_connection_info_refuses_a_record_outside_the_root(self):
        self.src.store.update(state.SHARES, 'odd', path=self.dst.root)
        self.assertRaises(exception.InvalidInput,
                          self.src.connection_get_info, self.context,
                          _share('odd'))
