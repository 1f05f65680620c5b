"""Share replication between local share backends, on real directories."""

import os
import stat
from unittest import mock

import ddt

from storagemgr.backend import process_registry
from storagemgr.backend import registry as backend_registry
from storagemgr import context as sm_context
from storagemgr import exception
from storagemgr.share.drivers import local_replication as replication
from storagemgr.share.drivers import local_state as state
from storagemgr.tests import base

CONFIG = ('[DEFAULT]\nenabled_backends = b1,b2,b3,b4\n'
          '[b1]\nshare_driver = local\n'
          '[b2]\nshare_driver = local\n'
          '[b3]\nshare_driver = local\n'
          'local_share_replication_type = dr\n'
          '[b4]\nshare_driver = local\n'
          'local_share_replication_type = none\n')
SHARE = 'share1'
BLOCK = 4096
# Data older than the racy window: a sync trusts its size and mtime.
PAST_NS = 1_600_000_000 * 10 ** 9


def _replica(replica_id, backend, replica_state, proto='NFS'):
    return {'id': replica_id, 'share_id': SHARE, 'size': 1,
            'host': 'test-host@%s#%s' % (backend, backend),
            'replica_state': replica_state, 'share_proto': proto,
            'status': 'available', 'share_group_id': None}


def _rule(rule_id, to, level='rw', access_type='ip'):
    return {'id': rule_id, 'access_type': access_type, 'access_to': to,
            'access_level': level, 'access_key': None}


def _snap(snap_id, replica, status='creating', snapshot_id='snap'):
    return {'id': snap_id, 'snapshot_id': snapshot_id, 'status': status,
            'share_instance_id': replica['id'], 'provider_location': None}


def _tree(root):
    """``{relative path: what it is}``, contents, modes and mtimes."""
    found = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, root)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                found[relative] = ('link', os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                found[relative] = ('dir', st.st_mode, st.st_mtime_ns)
            else:
                with open(path, 'rb') as f:
                    found[relative] = ('file', st.st_mode, st.st_mtime_ns,
                                       f.read())
    return found


def _write(path, data, mtime_ns=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))


@ddt.ddt
class LocalReplicationTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.context = sm_context.get_admin_context()
        registry = backend_registry.BackendRegistry()
        process_registry.use_registry(registry)
        self.drivers = {name: registry.get(name, 'share').driver
                        for name in ('b1', 'b2', 'b3', 'b4')}
        self.b1, self.b2 = self.drivers['b1'], self.drivers['b2']
        self.active = _replica('r1', 'b1', 'active')
        self.second = _replica('r2', 'b2', 'out_of_sync')
        self.active_path = self.make_active()
        self.outside = os.path.join(self.state_path, 'outside')
        _write(os.path.join(self.outside, 'secret'), b'not yours\n')
        self.results = []
        real_sync = replication.sync.sync_tree

        def capture(*args, **kwargs):
            result = real_sync(*args, **kwargs)
            self.results.append(result)
            return result

        patcher = mock.patch.object(replication.sync, 'sync_tree', capture)
        patcher.start()
        self.addCleanup(patcher.stop)
        patcher = mock.patch.object(replication.sync, 'BLOCK_SIZE', BLOCK)
        patcher.start()
        self.addCleanup(patcher.stop)

    def make_active(self):
        location = self.b1.create_share(self.context, self.active)[0]['path']
        path = location.split(':', 1)[1]
        _write(os.path.join(path, 'a.txt'), b'first file\n', PAST_NS)
        _write(os.path.join(path, 'sub', 'deeper', 'blob'),
               bytes(range(256)) * 64, PAST_NS)  # 4 blocks
        for number in range(5):
            _write(os.path.join(path, 'many', 'f%d' % number),
                   b'%d' % number * 100, PAST_NS)
        os.chmod(os.path.join(path, 'a.txt'), 0o640)
        os.symlink('sub/deeper/blob', os.path.join(path, 'link'))
        return path

    def replica_list(self, *more):
        return [self.active, self.second] + list(more)

    def create(self, replica=None, snapshots=None, rules=None):
        replica = replica or self.second
        drv = self.driver_of(replica)
        return drv.create_replica(self.context, self.replica_list(), replica,
                                  rules or [], snapshots or [])

    def driver_of(self, replica):
        return self.drivers[replica['host'].split('@')[1].split('#')[0]]

    def path_of(self, replica):
        return os.path.join(self.driver_of(replica).root, replica['id'])

    def resync(self, replica=None, replica_list=None, snapshots=None):
        replica = replica or self.second
        return self.driver_of(replica).update_replica_state(
            self.context, replica_list or self.replica_list(), replica, [],
            snapshots or [])

    def exports_of(self, drv):
        with open(drv.exports_file) as f:
            nfs = f.read()
        with open(drv.smb_conf) as f:
            return nfs, f.read()

    def assertSameTree(self, expected_root, actual_root):
        """Same trees; a mismatch names only the entries that differ."""
        expected, actual = _tree(expected_root), _tree(actual_root)
        differ = sorted(rel for rel in set(expected) | set(actual)
                        if expected.get(rel) != actual.get(rel))
        self.assertEqual([], differ, {
            rel: (str(expected.get(rel))[:120], str(actual.get(rel))[:120])
            for rel in differ})

    def in_sync_state(self, replica):
        self.second = dict(replica, replica_state='in_sync')
        return self.second

    # -- create ------------------------------------------------------------

    def test_create_replica_copies_everything(self):
        update = self.create()
        self.assertEqual('in_sync', update['replica_state'])
        self.assertEqual('active', update['access_rules_status'])
        target = self.path_of(self.second)
        self.assertEqual(['test-host:%s' % target],
                         [loc['path'] for loc in update['export_locations']])
        self.assertSameTree(self.active_path, target)
        record = self.b2.store.get(state.SHARES, 'r2')
        self.assertEqual({'role': 'secondary', 'type': 'readable',
                          'source_backend': 'b1', 'source_id': 'r1',
                          'racy': []}, record['replica'])
        self.assertEqual('NFS', record['proto'])
        # The copy was made in a temporary sibling, gone now.
        self.assertEqual(['r2'], sorted(
            n for n in os.listdir(self.b2.root) if n.startswith('r2')))

    def test_create_replica_copies_the_available_snapshots(self):
        self.b1.create_snapshot(self.context, {
            'id': 'snap-a', 'share': self.active, 'share_id': SHARE})
        _write(os.path.join(self.active_path, 'after'), b'later')
        update = self.create(snapshots=[{
            'active_replica_snapshot': _snap('snap-a', self.active,
                                             'available'),
            'share_replica_snapshot': _snap('snap-b', self.second)}])
        self.assertEqual('in_sync', update['replica_state'])
        copy = os.path.join(self.b2._snapshot_root, 'snap-b')
        self.assertSameTree(
            os.path.join(self.b1._snapshot_root, 'snap-a'), copy)
        self.assertNotIn('after', os.listdir(copy))
        self.assertEqual({'path': copy, 'share_id': 'r2'},
                         self.b2.store.get(state.SNAPSHOTS, 'snap-b'))

    def test_create_replica_with_a_missing_snapshot_is_out_of_sync(self):
        update = self.create(snapshots=[{
            'active_replica_snapshot': _snap('gone', self.active,
                                             'available'),
            'share_replica_snapshot': _snap('snap-b', self.second)}])
        self.assertEqual('out_of_sync', update['replica_state'])

    def test_create_replica_again_after_a_kill_finishes_the_copy(self):
        target = self.path_of(self.second)
        os.makedirs(os.path.join(target, 'stale'))
        self.create()
        self.assertSameTree(self.active_path, target)

    def test_create_replica_refused_when_replication_is_off(self):
        replica = _replica('r4', 'b4', 'out_of_sync')
        e = self.assertRaises(replication.LocalReplicationFailed,
                              self.create, replica)
        self.assertIn('local_share_replication_type = none', str(e))
        self.assertFalse(os.path.exists(self.path_of(replica)))

    def test_create_replica_without_an_active_replica(self):
        self.active['replica_state'] = 'in_sync'
        e = self.assertRaises(replication.LocalReplicationFailed,
                              self.create)
        self.assertIn('no active replica', str(e))

    @ddt.data('../escape', 'a/b', '.hidden', '')
    def test_create_replica_refuses_a_hostile_id(self, replica_id):
        replica = _replica(replica_id, 'b2', 'out_of_sync')
        e = self.assertRaises(replication.LocalReplicationFailed,
                              self.create, replica)
        self.assertIn(repr(replica_id), str(e))
        self.assertEqual(['.snapshots'], sorted(os.listdir(self.b2.root)))

    def test_create_replica_from_another_kind_of_backend_is_refused(self):
        self.active['host'] = 'other-host@b1#b1'
        e = self.assertRaises(replication.LocalReplicationFailed,
                              self.create)
        self.assertIn('other-host', str(e))

    # -- incremental sync --------------------------------------------------

    def test_unchanged_tree_is_not_touched(self):
        self.create()
        target = self.path_of(self.second)
        before = {rel: os.lstat(os.path.join(target, rel))
                  for rel in _tree(target)}
        self.assertEqual('in_sync', self.resync())
        result = self.results[-1]
        self.assertEqual(result.files_total, result.files_skipped)
        self.assertEqual((0, 0, 0, 0), (result.bytes_written,
                                        result.files_copied,
                                        result.files_updated,
                                        result.removed))
        for rel, st in before.items():
            after = os.lstat(os.path.join(target, rel))
            self.assertEqual((st.st_ino, st.st_ctime_ns),
                             (after.st_ino, after.st_ctime_ns), rel)

    def test_only_changed_blocks_are_written(self):
        self.create()
        target = self.path_of(self.second)
        blob = os.path.join('sub', 'deeper', 'blob')
        inode = os.stat(os.path.join(target, blob)).st_ino
        untouched = os.lstat(os.path.join(target, 'a.txt'))
        with open(os.path.join(self.active_path, blob), 'r+b') as f:
            f.seek(2 * BLOCK + 10)
            f.write(b'XY')
        self.assertEqual('in_sync', self.resync())
        result = self.results[-1]
        self.assertEqual((1, 1, BLOCK), (result.files_updated,
                                         result.blocks_written,
                                         result.bytes_written))
        self.assertEqual(result.files_total - 1, result.files_skipped)
        self.assertEqual(inode, os.stat(os.path.join(target, blob)).st_ino)
        after = os.lstat(os.path.join(target, 'a.txt'))
        self.assertEqual(untouched.st_ctime_ns, after.st_ctime_ns)
        self.assertSameTree(self.active_path, target)

    def test_grown_and_shrunk_files_follow(self):
        self.create()
        target = self.path_of(self.second)
        with open(os.path.join(self.active_path, 'a.txt'), 'ab') as f:
            f.write(b'x' * (BLOCK + 1))
        with open(os.path.join(self.active_path, 'sub', 'deeper', 'blob'),
                  'r+b') as f:
            f.truncate(BLOCK + 5)
        self.resync()
        self.assertSameTree(self.active_path, target)
        # The shrunk file's first block was the same: nothing rewritten
        # but a.txt's first block (changed) and its new tail block.
        self.assertEqual(2, self.results[-1].blocks_written)

    def test_same_size_and_mtime_is_trusted_like_rsync(self):
        self.create()
        target = self.path_of(self.second)
        path = os.path.join(self.active_path, 'many', 'f1')
        _write(path, b'Z' * 100, PAST_NS)  # same size, same old mtime
        self.resync()
        with open(os.path.join(target, 'many', 'f1'), 'rb') as f:
            self.assertEqual(b'1' * 100, f.read())

    def test_recently_modified_files_are_compared_again(self):
        self.create()
        target = self.path_of(self.second)
        path = os.path.join(self.active_path, 'many', 'f1')
        _write(path, b'Q' * 100)  # now: within the racy window
        self.resync()
        self.assertIn('many/f1', self.results[-1].racy)
        self.assertEqual(['many/f1'], self.b2.store.get(
            state.SHARES, 'r2')['replica']['racy'])
        # Changed again within the same mtime tick: same size and mtime.
        mtime = os.stat(path).st_mtime_ns
        _write(path, b'R' * 100, mtime)
        self.resync()
        with open(os.path.join(target, 'many', 'f1'), 'rb') as f:
            self.assertEqual(b'R' * 100, f.read())

    def test_deletes_creates_and_metadata_propagate(self):
        self.create()
        target = self.path_of(self.second)
        os.unlink(os.path.join(self.active_path, 'a.txt'))
        for number in range(5):
            os.unlink(os.path.join(self.active_path, 'many', 'f%d' % number))
        os.rmdir(os.path.join(self.active_path, 'many'))
        # A file replaced by a directory and a directory by a file.
        os.unlink(os.path.join(self.active_path, 'link'))
        os.makedirs(os.path.join(self.active_path, 'link', 'in'))
        _write(os.path.join(self.active_path, 'new', 'deep', 'file'), b'n')
        os.chmod(os.path.join(self.active_path, 'new', 'deep'), 0o750)
        os.chmod(os.path.join(self.active_path, 'sub', 'deeper', 'blob'),
                 0o600)
        os.utime(os.path.join(self.active_path, 'sub'),
                 ns=(PAST_NS, PAST_NS + 7))
        self.resync()
        self.assertSameTree(self.active_path, target)
        self.assertFalse(os.path.exists(os.path.join(target, 'many')))
        self.assertEqual(PAST_NS + 7, os.stat(
            os.path.join(target, 'sub')).st_mtime_ns)

    def test_read_only_files_and_directories_are_updated(self):
        self.create()
        target = self.path_of(self.second)
        ro_dir = os.path.join(self.active_path, 'sub', 'deeper')
        _write(os.path.join(self.active_path, 'a.txt'), b'changed')
        os.chmod(os.path.join(self.active_path, 'a.txt'), 0o440)
        self.resync()
        _write(os.path.join(self.active_path, 'a.txt'), b'changed again',
               PAST_NS)
        os.chmod(os.path.join(self.active_path, 'a.txt'), 0o440)
        _write(os.path.join(ro_dir, 'more'), b'm')
        os.chmod(ro_dir, 0o555)
        self.addCleanup(os.chmod, ro_dir, 0o755)
        self.resync()
        os.chmod(ro_dir, 0o555)
        _write(os.path.join(self.active_path, 'third'), b'3')
        self.resync()
        self.addCleanup(os.chmod, os.path.join(target, 'sub', 'deeper'),
                        0o755)
        self.assertSameTree(self.active_path, target)

    def test_hard_links_stay_linked(self):
        os.link(os.path.join(self.active_path, 'a.txt'),
                os.path.join(self.active_path, 'a-again'))
        self.create()
        target = self.path_of(self.second)
        self.assertEqual(os.stat(os.path.join(target, 'a.txt')).st_ino,
                         os.stat(os.path.join(target, 'a-again')).st_ino)
        # Broken at the source: the replica's names come apart too.
        os.unlink(os.path.join(self.active_path, 'a-again'))
        _write(os.path.join(self.active_path, 'a-again'), b'other')
        self.resync()
        self.assertSameTree(self.active_path, target)
        with open(os.path.join(target, 'a.txt'), 'rb') as f:
            self.assertEqual(b'first file\n', f.read())

    def test_fifo_is_copied_as_a_fifo(self):
        os.mkfifo(os.path.join(self.active_path, 'pipe'), 0o640)
        self.create()
        st = os.lstat(os.path.join(self.path_of(self.second), 'pipe'))
        self.assertTrue(stat.S_ISFIFO(st.st_mode))
        self.assertEqual(0o640, stat.S_IMODE(st.st_mode))

    # -- hostile names -----------------------------------------------------

    def test_symlinks_out_of_the_root_are_copied_never_followed(self):
        os.symlink(self.outside, os.path.join(self.active_path, 'evil-dir'))
        os.symlink(os.path.join(self.outside, 'secret'),
                   os.path.join(self.active_path, 'evil-file'))
        os.symlink('../../../outside', os.path.join(self.active_path, 'up'))
        self.create()
        target = self.path_of(self.second)
        self.assertEqual(('link', self.outside),
                         _tree(target)['evil-dir'])
        self.assertSameTree(self.active_path, target)
        self.assertEqual({'secret': ('file', mock.ANY, mock.ANY,
                                     b'not yours\n')}, _tree(self.outside))

    def test_a_link_swapped_into_the_replica_is_not_written_through(self):
        self.create()
        target = self.path_of(self.second)
        # Someone on the host replaces a replica directory by a link out.
        victim = os.path.join(target, 'sub')
        os.rename(victim, victim + '.moved')
        os.symlink(self.outside, victim)
        _write(os.path.join(self.active_path, 'sub', 'deeper', 'new'), b'n')
        self.resync()
        self.assertEqual({'secret': ('file', mock.ANY, mock.ANY,
                                     b'not yours\n')}, _tree(self.outside))
        self.assertFalse(os.path.islink(victim))
        tree = _tree(target)
        tree = {rel: what for rel, what in tree.items()
                if not rel.startswith('sub.moved')}
        self.assertEqual(_tree(self.active_path), tree)

    def test_sync_never_copies_a_tree_into_itself(self):
        self.assertRaises(exception.ShareBackendException,
                          replication.sync.TreeSync(
                              self.active_path,
                              os.path.join(self.active_path, 'sub')).run)

    # -- failures ----------------------------------------------------------

    def test_sync_fails_loudly_when_the_active_is_gone(self):
        self.create()
        os.rename(self.active_path, self.active_path + '.away')
        self.assertRaises(exception.ShareResourceNotFound, self.resync)

    def test_sync_of_a_replica_this_backend_does_not_have(self):
        self.assertRaises(exception.ShareResourceNotFound, self.resync)

    # -- exports -----------------------------------------------------------

    @ddt.data('NFS', 'CIFS')
    def test_readable_secondary_is_exported_read_only(self, proto):
        self.active['share_proto'] = self.second['share_proto'] = proto
        rules = [_rule('a1', '10.0.0.1'), _rule('a2', '10.0.0.0/24', 'ro')]
        self.create(rules=rules)
        target = self.path_of(self.second)
        nfs, smb = self.exports_of(self.b2)
        if proto == 'NFS':
            line = [ln for ln in nfs.splitlines() if ln.startswith(target)]
            self.assertEqual(['%s 10.0.0.1(ro,sync,no_subtree_check) '
                              '10.0.0.0/24(ro,sync,no_subtree_check)' %
                              target], line)
        else:
            self.assertIn('path = %s\n    browseable = yes\n'
                          '    read only = yes\n' % target, smb)
        # update_access with rw rules keeps it read-only.
        self.b2.update_access(self.context, self.second,
                              [_rule('a3', '10.0.0.9')], [], [])
        nfs, smb = self.exports_of(self.b2)
        self.assertNotIn('rw', nfs)
        self.assertNotIn('read only = no', smb)
        self.assertEqual('rw', self.b2.store.get(
            state.SHARES, 'r2')['access'][0]['access_level'])

    def test_dr_secondary_is_not_exported(self):
        dr = _replica('r3', 'b3', 'out_of_sync')
        update = self.create(dr, rules=[_rule('a1', '10.0.0.1')])
        self.assertEqual('in_sync', update['replica_state'])
        drv = self.drivers['b3']
        drv.update_access(self.context, dr, [_rule('a2', '10.0.0.2')], [],
                          [])
        nfs, smb = self.exports_of(drv)
        self.assertNotIn(self.path_of(dr), nfs + smb)
        self.assertEqual('dr', drv.store.get(state.SHARES,
                                             'r3')['replica']['type'])

    def test_active_replica_is_exported_as_the_rules_say(self):
        self.b1.update_access(self.context, self.active,
                              [_rule('a1', '10.0.0.1')], [], [])
        self.create(rules=[_rule('a1', '10.0.0.1')])
        nfs, _smb = self.exports_of(self.b1)
        self.assertIn('%s 10.0.0.1(rw,' % self.active_path, nfs)

    @ddt.data(('b1', 'readable'), ('b3', 'dr'), ('b4', None))
    @ddt.unpack
    def test_stats_report_the_replication_type(self, backend, expected):
        drv = self.drivers[backend]
        drv._update_share_stats()
        self.assertEqual(expected, drv._stats['replication_type'])
        self.assertEqual(expected, drv._stats['pools'][0]['replication_type'])

    # -- promote -----------------------------------------------------------

    def promote(self, replica, replica_list):
        return self.driver_of(replica).promote_replica(
            self.context, replica_list, replica, [_rule('a1', '10.0.0.1')])

    def test_promote_and_back_loses_no_write(self):
        rules = [_rule('a1', '10.0.0.1')]
        self.b1.update_access(self.context, self.active, rules, [], [])
        self.create(rules=rules)
        second = self.in_sync_state(self.second)
        target = self.path_of(second)
        # Written on the active after the last sync, before the promote.
        _write(os.path.join(self.active_path, 'late'), b'late write')
        os.unlink(os.path.join(self.active_path, 'a.txt'))
        updated = self.promote(second, [self.active, second])
        by_id = {entry['id']: entry for entry in updated}
        self.assertEqual('active', by_id['r2']['replica_state'])
        self.assertEqual('in_sync', by_id['r1']['replica_state'])
        self.assertEqual('active', by_id['r2']['access_rules_status'])
        self.assertEqual(['test-host:%s' % target],
                         [loc['path'] for loc in
                          by_id['r2']['export_locations']])
        self.assertSameTree(self.active_path, target)
        self.assertEqual('secondary', self.b1.store.get(
            state.SHARES, 'r1')['replica']['role'])
        self.assertEqual('active', self.b2.store.get(
            state.SHARES, 'r2')['replica']['role'])
        self.assertIn('%s 10.0.0.1(ro,' % self.active_path,
                      self.exports_of(self.b1)[0])
        self.assertIn('%s 10.0.0.1(rw,' % target,
                      self.exports_of(self.b2)[0])
        # Now b2 is written and r1 promoted back.
        _write(os.path.join(target, 'on-b2'), b'b2 write')
        old = dict(by_id['r1'])
        new_active = dict(by_id['r2'])
        updated = self.promote(old, [new_active, old])
        by_id = {entry['id']: entry for entry in updated}
        self.assertEqual(('active', 'in_sync'), (
            by_id['r1']['replica_state'], by_id['r2']['replica_state']))
        with open(os.path.join(self.active_path, 'on-b2'), 'rb') as f:
            self.assertEqual(b'b2 write', f.read())
        self.assertSameTree(target, self.active_path)
        self.assertIn('%s 10.0.0.1(rw,' % self.active_path,
                      self.exports_of(self.b1)[0])
        self.assertIn('%s 10.0.0.1(ro,' % target,
                      self.exports_of(self.b2)[0])

    def test_promote_with_the_old_active_unreachable(self):
        self.create()
        second = self.in_sync_state(self.second)
        gone = dict(self.active, host='test-host@nope#nope')
        updated = self.promote(second, [gone, second])
        by_id = {entry['id']: entry for entry in updated}
        self.assertEqual(('active', 'out_of_sync'), (
            by_id['r2']['replica_state'], by_id['r1']['replica_state']))
        # Its backend comes back: the periodic update makes it follow.
        _write(os.path.join(self.path_of(second), 'new'), b'n')
        demoted = dict(self.active, replica_state='out_of_sync')
        self.assertEqual('in_sync', self.b1.update_replica_state(
            self.context, [demoted, by_id['r2']], demoted, [], []))
        self.assertEqual('secondary', self.b1.store.get(
            state.SHARES, 'r1')['replica']['role'])
        self.assertSameTree(self.path_of(second), self.active_path)

    def test_failed_last_sync_keeps_the_old_active_writable(self):
        rules = [_rule('a1', '10.0.0.1')]
        self.b1.update_access(self.context, self.active, rules, [], [])
        self.create(rules=rules)
        second = self.in_sync_state(self.second)
        with mock.patch.object(replication.sync, 'sync_tree',
                               side_effect=OSError(5, 'I/O error')):
            self.assertRaises(OSError, self.promote, second,
                              [self.active, second])
        self.assertIsNone(self.b1.store.get(state.SHARES, 'r1').get(
            'replica'))
        self.assertIn('%s 10.0.0.1(rw,' % self.active_path,
                      self.exports_of(self.b1)[0])
        self.assertEqual('secondary', self.b2.store.get(
            state.SHARES, 'r2')['replica']['role'])

    # -- delete ------------------------------------------------------------

    def test_delete_replica_removes_everything_and_again_is_fine(self):
        self.b1.create_snapshot(self.context, {
            'id': 'snap-a', 'share': self.active, 'share_id': SHARE})
        self.create(rules=[_rule('a1', '10.0.0.1')], snapshots=[{
            'active_replica_snapshot': _snap('snap-a', self.active,
                                             'available'),
            'share_replica_snapshot': _snap('snap-b', self.second)}])
        target = self.path_of(self.second)
        self.assertIn(target, self.exports_of(self.b2)[0])
        for _attempt in range(2):
            self.b2.delete_replica(
                self.context, self.replica_list(),
                [_snap('snap-b', self.second, 'available')], self.second)
        self.assertFalse(os.path.exists(target))
        self.assertFalse(os.path.exists(
            os.path.join(self.b2._snapshot_root, 'snap-b')))
        self.assertIsNone(self.b2.store.get(state.SHARES, 'r2'))
        self.assertEqual({}, self.b2.store.list(state.SNAPSHOTS))
        self.assertNotIn(target, self.exports_of(self.b2)[0])
        # The active's data and snapshot are untouched.
        self.assertTrue(os.path.isdir(os.path.join(self.b1._snapshot_root,
                                                   'snap-a')))
        self.assertIn('a.txt', os.listdir(self.active_path))

    # -- replicated snapshots ----------------------------------------------

    def snapshots(self, status='creating'):
        return [_snap('sa', self.active, status),
                _snap('sb', self.second, status)]

    def test_replicated_snapshot_create_and_delete(self):
        self.create()
        updates = self.b1.create_replicated_snapshot(
            self.context, self.replica_list(), self.snapshots())
        copy_a = os.path.join(self.b1._snapshot_root, 'sa')
        copy_b = os.path.join(self.b2._snapshot_root, 'sb')
        self.assertEqual([
            {'id': 'sa', 'status': 'available', 'provider_location': copy_a},
            {'id': 'sb', 'status': 'available', 'provider_location': copy_b},
        ], updates)
        self.assertSameTree(self.active_path, copy_a)
        self.assertSameTree(copy_a, copy_b)
        self.assertEqual('r2', self.b2.store.get(state.SNAPSHOTS,
                                                 'sb')['share_id'])
        self.assertEqual({'status': 'available', 'provider_location': copy_b},
                         self.b2.update_replicated_snapshot(
                             self.context, self.replica_list(), self.second,
                             self.snapshots(), _snap('sb', self.second)))
        updates = self.b1.delete_replicated_snapshot(
            self.context, self.replica_list(), self.snapshots('deleting'))
        self.assertEqual([{'id': 'sa', 'status': 'deleted'},
                          {'id': 'sb', 'status': 'deleted'}], updates)
        self.assertFalse(os.path.exists(copy_a))
        self.assertFalse(os.path.exists(copy_b))

    def test_unreachable_replica_gets_its_copy_later(self):
        self.create()
        with mock.patch.object(replication.LocalReplicationMixin,
                               '_copy_replica_snapshot',
                               side_effect=OSError(28, 'No space')):
            updates = self.b1.create_replicated_snapshot(
                self.context, self.replica_list(), self.snapshots())
        self.assertEqual('available', updates[0]['status'])
        self.assertEqual({'id': 'sb', 'status': 'creating'}, updates[1])
        update = self.b2.update_replicated_snapshot(
            self.context, self.replica_list(), self.second,
            self.snapshots(), _snap('sb', self.second))
        copy_b = os.path.join(self.b2._snapshot_root, 'sb')
        self.assertEqual({'status': 'available', 'provider_location': copy_b},
                         update)
        self.assertSameTree(os.path.join(self.b1._snapshot_root, 'sa'), copy_b)

    def test_update_replicated_snapshot_while_the_active_copy_is_made(self):
        self.create()
        self.assertEqual({}, self.b2.update_replicated_snapshot(
            self.context, self.replica_list(), self.second,
            self.snapshots(), _snap('sb', self.second)))
        self.assertEqual({'status': 'error'},
                         self.b2.update_replicated_snapshot(
                             self.context, self.replica_list(), self.second,
                             self.snapshots('available'),
                             _snap('sb', self.second)))

    def test_update_replicated_snapshot_being_deleted_raises_not_found(self):
        self.create()
        self.b1.create_replicated_snapshot(self.context, self.replica_list(),
                                           self.snapshots())
        for _attempt in range(2):  # removed, then already gone
            self.assertRaises(
                exception.SnapshotResourceNotFound,
                self.b2.update_replicated_snapshot, self.context,
                self.replica_list(), self.second, self.snapshots('deleting'),
                _snap('sb', self.second, 'deleting'))
        self.assertFalse(os.path.exists(
            os.path.join(self.b2._snapshot_root, 'sb')))
        self.assertIsNone(self.b2.store.get(state.SNAPSHOTS, 'sb'))

    def test_delete_replicated_snapshot_of_an_unreachable_replica(self):
        self.create()
        self.b1.create_replicated_snapshot(self.context, self.replica_list(),
                                           self.snapshots())
        away = dict(self.second, host='test-host@nope#nope')
        updates = self.b1.delete_replicated_snapshot(
            self.context, [self.active, away], self.snapshots('deleting'))
        self.assertEqual([{'id': 'sa', 'status': 'deleted'},
                          {'id': 'sb', 'status': 'deleting'}], updates)

    def test_revert_to_replicated_snapshot_and_the_secondary_follows(self):
        self.create()
        self.b1.create_replicated_snapshot(self.context, self.replica_list(),
                                           self.snapshots())
        before = _tree(self.active_path)
        _write(os.path.join(self.active_path, 'after'), b'x')
        os.unlink(os.path.join(self.active_path, 'a.txt'))
        self.resync()
        self.b1.revert_to_replicated_snapshot(
            self.context, self.active, self.replica_list(),
            _snap('sa', self.active, 'restoring'), self.snapshots(), [], [])
        self.assertEqual(sorted(before), sorted(_tree(self.active_path)))
        self.resync()
        self.assertSameTree(self.active_path, self.path_of(self.second))
