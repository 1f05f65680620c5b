"""The local share driver, on real directories under the test's state_path."""

import json
import os
from unittest import mock

import ddt

from storagemgr.conf import backend as backend_conf
from storagemgr import context as sm_context
from storagemgr import exception
from storagemgr.share.drivers import local
from storagemgr.share.drivers import local_exports
from storagemgr.share.drivers import local_files
from storagemgr.tests import base

GiB = 1024 ** 3


def _share(share_id='s1', size=1, proto='NFS'):
    return {'id': share_id, 'name': 'share-%s' % share_id, 'size': size,
            'share_proto': proto, 'display_name': 'My $(rm -rf) share'}


def _snapshot(snapshot_id, share):
    return {'id': snapshot_id, 'name': 'share-snapshot-%s' % snapshot_id,
            'share_id': share['id'], 'share': share, 'size': share['size']}


def _rule(rule_id, to, access_type='ip', level='rw'):
    return {'id': rule_id, 'access_type': access_type, 'access_to': to,
            'access_level': level, 'access_key': None}


class LocalDriverTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.context = sm_context.get_admin_context()
        self.driver = self.make_driver()

    def make_driver(self, name='b1', **options):
        conf = backend_conf.BackendConfiguration(name)
        conf.append_config_values(local.LocalShareDriver.get_driver_options())
        for key, value in options.items():
            self.flags(group=name, **{key: value})
        drv = local.LocalShareDriver(configuration=conf)
        drv.do_setup(self.context)
        drv.check_for_setup_error()
        return drv

    def create(self, share=None, drv=None):
        drv = drv or self.driver
        share = share or _share()
        locations = drv.create_share(self.context, share)
        return share, locations[0]['path'].split(':', 1)[1]

    def write(self, path, name, text):
        with open(os.path.join(path, name), 'w') as f:
            f.write(text)

    def read(self, path, name):
        with open(os.path.join(path, name)) as f:
            return f.read()


class SharesTestCase(LocalDriverTestCase):

    def test_create_makes_a_directory_named_by_id(self):
        share, path = self.create()
        self.assertEqual(os.path.join(self.state_path, 'shares', 'b1', 's1'),
                         path)
        self.assertTrue(os.path.isdir(path))
        self.assertNotIn('My', path)

    def test_export_locations(self):
        locations = self.driver.create_share(self.context, _share())
        self.assertEqual([{'path': 'test-host:%s' % os.path.join(
            self.state_path, 'shares', 'b1', 's1'),
            'is_admin_only': False, 'metadata': {}}], locations)

    def test_backend_host_in_export_locations(self):
        drv = self.make_driver('b2', backend_host='nas.example')
        locations = drv.create_share(self.context, _share())
        self.assertTrue(locations[0]['path'].startswith('nas.example:/'))

    def test_ipv6_backend_host_is_bracketed(self):
        drv = self.make_driver('b2', backend_host='fd00::5')
        locations = drv.create_share(self.context, _share())
        self.assertTrue(locations[0]['path'].startswith('[fd00::5]:/'))

    def test_configured_root(self):
        root = os.path.join(self.state_path, 'elsewhere')
        drv = self.make_driver('b3', local_share_root=root)
        _share_, path = self.create(drv=drv)
        self.assertEqual(os.path.join(root, 's1'), path)

    def test_create_is_idempotent(self):
        share, path = self.create()
        self.write(path, 'f', 'data')
        self.create(share)
        self.assertEqual('data', self.read(path, 'f'))

    def test_create_again_with_other_size_fails(self):
        self.create()
        self.assertRaises(exception.InvalidShare, self.create,
                          _share(size=5))

    def test_unsafe_id_refused(self):
        for bad in ('../escape', '.hidden', 'a/b', '-rf', ''):
            self.assertRaises(exception.InvalidInput,
                              self.driver.create_share, self.context,
                              _share(bad))

    def test_unknown_protocol_refused(self):
        self.assertRaises(exception.InvalidShare, self.driver.create_share,
                          self.context, _share(proto='GLUSTERFS'))

    def test_delete(self):
        share, path = self.create()
        self.write(path, 'f', 'x')
        self.driver.delete_share(self.context, share)
        self.assertFalse(os.path.exists(path))
        self.driver.delete_share(self.context, share)  # gone: still fine

    def test_delete_never_created(self):
        self.driver.delete_share(self.context, _share('never'))

    def test_state_survives_a_restart(self):
        share, path = self.create(_share(size=3))
        again = self.make_driver()
        self.assertRaises(exception.InvalidShare, again.create_share,
                          self.context, _share(size=4))
        self.assertEqual([{'path': 'test-host:%s' % path,
                           'is_admin_only': False, 'metadata': {}}],
                         again.ensure_share(self.context, share))
        with open(os.path.join(self.driver.root, local.STATE_FILE)) as f:
            self.assertEqual(3, json.load(f)['shares']['s1']['size'])

    def test_ensure_shares(self):
        share, _path = self.create()
        updates = self.driver.ensure_shares(self.context,
                                            [share, _share('missing')])
        self.assertEqual('available', updates['s1']['status'])
        self.assertEqual(1, len(updates['s1']['export_locations']))
        self.assertEqual({'status': 'error', 'export_locations': []},
                         updates['missing'])

    def test_ensure_share_missing(self):
        self.assertRaises(exception.ShareResourceNotFound,
                          self.driver.ensure_share, self.context, _share())

    def test_get_pool_and_backend_info(self):
        self.assertEqual('b1', self.driver.get_pool(_share()))
        info = self.driver.get_backend_info(self.context)
        self.assertEqual(self.driver.root, info['root'])
        self.assertEqual(local.VERSION, info['version'])

    def test_usage_size(self):
        share, path = self.create()
        self.write(path, 'f', 'x' * 10000)
        usage = self.driver.update_share_usage_size(self.context, [share])
        self.assertEqual('s1', usage[0]['id'])
        self.assertGreater(usage[0]['used_size'], 0)


@ddt.ddt
class SnapshotsTestCase(LocalDriverTestCase):

    def setUp(self):
        super().setUp()
        self.share, self.path = self.create()
        self.write(self.path, 'data.txt', 'before')
        os.mkdir(os.path.join(self.path, 'sub'))
        self.write(self.path, 'sub/nested', 'n1')
        self.snapshot = _snapshot('snap1', self.share)
        self.update = self.driver.create_snapshot(self.context,
                                                  self.snapshot)

    def test_snapshot_is_a_point_in_time_copy(self):
        location = self.update['provider_location']
        self.write(self.path, 'data.txt', 'after')
        self.assertEqual('before', self.read(location, 'data.txt'))
        self.assertEqual('n1', self.read(location, 'sub/nested'))

    def test_revert_restores_exact_content(self):
        self.write(self.path, 'data.txt', 'after')
        self.write(self.path, 'created-later', 'x')
        os.mkdir(os.path.join(self.path, 'dir-later'))
        os.unlink(os.path.join(self.path, 'sub', 'nested'))
        inode = os.stat(self.path).st_ino
        self.driver.revert_to_snapshot(self.context, self.snapshot, [], [])
        self.assertEqual(['data.txt', 'sub'], sorted(os.listdir(self.path)))
        self.assertEqual('before', self.read(self.path, 'data.txt'))
        self.assertEqual('n1', self.read(self.path, 'sub/nested'))
        self.assertEqual(inode, os.stat(self.path).st_ino)

    def test_revert_twice_is_harmless(self):
        self.driver.revert_to_snapshot(self.context, self.snapshot, [], [])
        self.driver.revert_to_snapshot(self.context, self.snapshot, [], [])
        self.assertEqual('before', self.read(self.path, 'data.txt'))

    def test_create_from_snapshot(self):
        self.write(self.path, 'data.txt', 'after')
        clone = _share('clone1')
        locations = self.driver.create_share_from_snapshot(
            self.context, clone, self.snapshot)
        clone_path = locations[0]['path'].split(':', 1)[1]
        self.assertEqual(os.path.join(self.driver.root, 'clone1'),
                         clone_path)
        self.assertEqual('before', self.read(clone_path, 'data.txt'))
        # Re-running after a crash keeps the finished clone.
        self.write(clone_path, 'data.txt', 'changed')
        self.driver.create_share_from_snapshot(self.context, clone,
                                               self.snapshot)
        self.assertEqual('changed', self.read(clone_path, 'data.txt'))

    def test_create_from_missing_snapshot(self):
        self.assertRaises(exception.SnapshotResourceNotFound,
                          self.driver.create_share_from_snapshot,
                          self.context, _share('c2'),
                          _snapshot('nope', self.share))

    def test_snapshot_again_is_idempotent(self):
        self.write(self.path, 'data.txt', 'after')
        self.driver.create_snapshot(self.context, self.snapshot)
        self.assertEqual('before', self.read(
            self.update['provider_location'], 'data.txt'))

    def test_delete_snapshot(self):
        location = self.update['provider_location']
        self.driver.delete_snapshot(self.context, self.snapshot)
        self.assertFalse(os.path.exists(location))
        self.driver.delete_snapshot(self.context, self.snapshot)
        self.assertTrue(os.path.isdir(self.path))

    def test_snapshot_of_missing_share(self):
        self.assertRaises(exception.ShareResourceNotFound,
                          self.driver.create_snapshot, self.context,
                          _snapshot('s9', _share('ghost')))

    def test_no_temporary_copies_left(self):
        leftovers = [n for n in os.listdir(self.driver._snapshot_root)
                     if '.tmp-' in n]
        self.assertEqual([], leftovers)

    @ddt.data(True, False)
    def test_reflink_or_copy(self, use_cp):
        src = os.path.join(self.state_path, 'src')
        os.mkdir(src)
        self.write(src, 'a', 'A')
        os.symlink('a', os.path.join(src, 'link'))
        dst = os.path.join(self.state_path, 'dst')
        how = local_files.clone_tree(src, dst, use_cp=use_cp)
        self.assertEqual('cp' if use_cp else 'python', how)
        self.assertEqual('A', self.read(dst, 'a'))
        self.assertEqual('a', os.readlink(os.path.join(dst, 'link')))

    def test_a_killed_copys_temporary_is_removed(self):
        # A copy killed between its mkdir and its rename left this.
        src = os.path.join(self.state_path, 'src')
        os.mkdir(src)
        self.write(src, 'a', 'A')
        dst = os.path.join(self.state_path, 'dst')
        os.mkdir(dst + '.tmp-deadbeef')
        self.write(dst + '.tmp-deadbeef', 'half', 'H')
        local_files.clone_tree(src, dst)
        self.assertEqual(['dst', 'src'], sorted(
            n for n in os.listdir(self.state_path) if n in ('src', 'dst') or
            n.startswith('dst.')))

    def test_delete_removes_a_killed_creates_temporary(self):
        share, path = self.create()
        os.mkdir(path + '.tmp-deadbeef')
        self.driver.delete_share(self.context, share)
        self.assertFalse(os.path.exists(path + '.tmp-deadbeef'))

    def test_copy_falls_back_when_cp_fails(self):
        src = os.path.join(self.state_path, 'src')
        os.mkdir(src)
        self.write(src, 'a', 'A')
        dst = os.path.join(self.state_path, 'dst')
        with mock.patch.object(local_files, 'CP', '/no/such/cp'):
            self.assertEqual('python', local_files.clone_tree(src, dst))
        self.assertEqual('A', self.read(dst, 'a'))

    def test_copy_without_reflink_option(self):
        drv = self.make_driver('b4', local_share_use_reflink=False)
        share, path = self.create(drv=drv)
        self.write(path, 'f', 'v1')
        with mock.patch.object(local_files, '_cp_contents') as cp:
            drv.create_snapshot(self.context, _snapshot('sx', share))
        cp.assert_not_called()


@ddt.ddt
class SizeTestCase(LocalDriverTestCase):

    def test_extend_records_the_size(self):
        share, _path = self.create()
        self.driver.extend_share(share, 4)
        self.assertEqual(4, self.make_driver().store.get('shares',
                                                         's1')['size'])

    def test_shrink_records_the_size(self):
        share, _path = self.create(_share(size=3))
        self.driver.shrink_share(share, 1)
        self.assertEqual(1, self.driver.store.get('shares', 's1')['size'])

    def test_shrink_below_usage_refused(self):
        share, path = self.create(_share(size=2))
        with mock.patch.object(local_files, 'used_bytes',
                               return_value=int(1.5 * GiB)):
            self.assertRaises(exception.ShareShrinkingPossibleDataLoss,
                              self.driver.shrink_share, share, 1)
        self.assertEqual(2, self.driver.store.get('shares', 's1')['size'])

    def test_used_bytes_counts_real_blocks(self):
        share, path = self.create()
        with open(os.path.join(path, 'f'), 'wb') as f:
            f.write(os.urandom(64 * 1024))
        os.link(os.path.join(path, 'f'), os.path.join(path, 'hardlink'))
        used = local_files.used_bytes(path)
        self.assertGreaterEqual(used, 64 * 1024)
        self.assertLess(used, 2 * 64 * 1024)

    @ddt.data((0, 1), (1, 1), (GiB, 1), (GiB + 1, 2), (5 * GiB, 5))
    @ddt.unpack
    def test_size_gib(self, num_bytes, expected):
        self.assertEqual(expected, local_files.size_gib(num_bytes))

    def test_extend_missing_share(self):
        self.assertRaises(exception.ShareResourceNotFound,
                          self.driver.extend_share, _share('ghost'), 2)


@ddt.ddt
class AccessTestCase(LocalDriverTestCase):

    def exports_text(self):
        with open(self.driver.exports_file) as f:
            return f.read()

    def smb_text(self):
        with open(self.driver.smb_conf) as f:
            return f.read()

    def test_rules_rendered_into_exports(self):
        share, path = self.create()
        updates = self.driver.update_access(
            self.context, share,
            [_rule('r1', '10.9.8.0/24', level='ro'), _rule('r2', '10.0.0.5'),
             _rule('r3', 'fd00::/64')], [], [])
        self.assertEqual({'r1', 'r2', 'r3'}, set(updates))
        self.assertTrue(all(u['state'] == 'active'
                            for u in updates.values()))
        line = [ln for ln in self.exports_text().splitlines()
                if ln.startswith('/')][0]
        self.assertEqual(
            '%s 10.9.8.0/24(ro,sync,no_subtree_check) '
            '10.0.0.5(rw,sync,no_subtree_check) '
            'fd00::/64(rw,sync,no_subtree_check)' % path, line)
        self.assertEqual(os.path.join(self.state_path, 'exports', 'b1'),
                         self.driver.exports_dir)

    def test_removing_rules(self):
        share, path = self.create()
        self.driver.update_access(self.context, share,
                                  [_rule('r1', '10.0.0.1')], [], [])
        self.driver.update_access(self.context, share, [], [],
                                  [_rule('r1', '10.0.0.1')])
        self.assertNotIn(path, self.exports_text())

    def test_allow_and_deny(self):
        share, path = self.create()
        self.driver.allow_access(self.context, share, _rule('r1', '1.2.3.4'))
        self.driver.allow_access(self.context, share, _rule('r2', '1.2.3.5'))
        self.driver.deny_access(self.context, share, _rule('r1', '1.2.3.4'))
        self.assertNotIn('1.2.3.4', self.exports_text())
        self.assertIn('1.2.3.5', self.exports_text())

    def test_delete_share_removes_its_rules(self):
        share, path = self.create()
        self.driver.update_access(self.context, share,
                                  [_rule('r1', '10.0.0.1')], [], [])
        self.driver.delete_share(self.context, share)
        self.assertNotIn('10.0.0.1', self.exports_text())

    @ddt.data('10.0.0.1 *(rw,no_root_squash)', '10.0.0.1\n/ *(rw)',
              '300.1.1.1', '10.0.0.1(rw)', '-10.0.0.1', '10.0.0.1,1.1.1.1',
              '"10.0.0.1"', '*', 'host.example', '10.0.0.0/33', '')
    def test_injection_refused(self, access_to):
        share, path = self.create()
        updates = self.driver.update_access(
            self.context, share, [_rule('bad', access_to),
                                  _rule('good', '10.1.1.1')], [], [])
        self.assertEqual('error', updates['bad']['state'])
        self.assertEqual('active', updates['good']['state'])
        text = self.exports_text()
        self.assertIn('10.1.1.1(rw', text)
        if access_to:
            self.assertNotIn(access_to, text)
        self.assertEqual(2, len(text.splitlines()))

    @ddt.data(('ip', '10.0.0.1 x'), ('user', 'bob smith'),
              ('user', 'alice\n[global]'), ('user', '@admins'),
              ('user', 'a,b'), ('cert', 'cn=x'), ('ip', '1.1.1.1)'))
    @ddt.unpack
    def test_renderer_refuses_by_itself(self, access_type, access_to):
        rule = _rule('r', access_to, access_type=access_type)
        self.assertRaises(exception.InvalidShareAccess,
                          local_exports.render_smb, 'b',
                          [('/p', 'CIFS', [rule])], {'/p': 'share-p'})
        self.assertRaises(exception.InvalidShareAccess,
                          local_exports.render_nfs, 'b',
                          [('/p', 'NFS', [rule])])

    def test_bad_access_level_refused(self):
        rule = _rule('r', '10.0.0.1', level='rwx')
        self.assertRaises(exception.InvalidShareAccess,
                          local_exports.check_rule, rule, 'NFS')

    def test_user_rules_on_nfs_are_errors(self):
        share, path = self.create()
        updates = self.driver.update_access(
            self.context, share, [_rule('u', 'alice', access_type='user')],
            [], [])
        self.assertEqual('error', updates['u']['state'])

    def test_cifs_share_rendered_into_smb_conf(self):
        share, path = self.create(_share('c1', proto='CIFS'))
        self.driver.update_access(self.context, share, [
            _rule('r1', '10.0.0.0/8'),
            _rule('r2', 'alice', access_type='user'),
            _rule('r3', 'bob', access_type='user', level='ro')], [], [])
        text = self.smb_text()
        self.assertIn('[share-c1]\n', text)
        self.assertIn('    path = %s\n' % path, text)
        self.assertIn('    hosts allow = 10.0.0.0/8\n', text)
        self.assertIn('    valid users = alice bob\n', text)
        self.assertIn('    read list = bob\n', text)
        self.assertIn('    read only = no\n', text)
        self.assertNotIn(path, self.exports_text())

    def test_cifs_share_without_rules_is_unavailable(self):
        share, path = self.create(_share('c1', proto='CIFS'))
        self.driver.update_access(self.context, share, [], [], [])
        self.assertIn('available = no', self.smb_text())

    def test_files_written_atomically_and_readable(self):
        share, path = self.create()
        self.driver.update_access(self.context, share,
                                  [_rule('r1', '10.0.0.1')], [], [])
        leftovers = [n for n in os.listdir(self.driver.exports_dir)
                     if n.startswith('.')]
        self.assertEqual([], leftovers)
        self.assertEqual(0o644,
                         os.stat(self.driver.exports_file).st_mode & 0o777)

    def test_apply_command_runs_without_shell(self):
        drv = self.make_driver(
            'b5', local_share_apply_command='touch "{exports_dir}/applied"')
        drv._execute = mock.Mock(return_value=('', ''))
        share, path = self.create(drv=drv)
        drv.update_access(self.context, share, [_rule('r1', '10.0.0.1')],
                          [], [])
        drv._execute.assert_called_once_with(
            'touch', '{exports_dir}/applied')

    def test_apply_command_placeholders_are_whole_arguments(self):
        drv = self.make_driver('b6', local_share_apply_command=(
            'cp {exports_file} /tmp/x;rm'))
        self.assertEqual(['cp', drv.exports_file, '/tmp/x;rm'],
                         drv._apply_command())

    def test_apply_command_really_runs(self):
        marker = os.path.join(self.state_path, 'applied')
        drv = self.make_driver('b7', local_share_apply_command=(
            'cp {exports_file} %s' % marker))
        share, path = self.create(drv=drv)
        drv.update_access(self.context, share, [_rule('r1', '10.0.0.1')],
                          [], [])
        with open(marker) as f:
            self.assertIn('10.0.0.1(rw', f.read())

    def test_unparsable_apply_command_refused(self):
        self.assertRaises(exception.InvalidConfigValue, self.make_driver,
                          'b8', local_share_apply_command='exportfs "-ra')

    def test_unsafe_root_refused(self):
        root = os.path.join(self.state_path, 'with space')
        self.assertRaises(exception.InvalidInput, self.make_driver, 'b9',
                          local_share_root=root)


class ManageTestCase(LocalDriverTestCase):

    def make_existing(self, name='legacy', size=0):
        path = os.path.join(self.driver.root, name)
        os.makedirs(path)
        with open(os.path.join(path, 'f'), 'wb') as f:
            f.write(b'x' * size)
        return path

    def test_manage_existing(self):
        path = self.make_existing()
        share = _share('m1')
        update = self.driver.manage_existing(
            share, {'export_path': 'somehost:%s' % path})
        self.assertEqual(1, update['size'])
        self.assertEqual('test-host:%s' % path,
                         update['export_locations'][0]['path'])
        # The adopted share works like any other.
        self.driver.create_snapshot(self.context, _snapshot('ms', share))
        self.driver.extend_share(share, 3)

    def test_manage_with_ipv6_export_location(self):
        path = self.make_existing()
        update = self.driver.manage_existing(
            _share('m1'), {'export_path': '[fd00::1]:%s' % path})
        self.assertEqual(1, update['size'])

    def test_manage_rounds_size_up(self):
        path = self.make_existing()
        with mock.patch.object(local_files, 'used_bytes',
                               return_value=2 * GiB + 1):
            update = self.driver.manage_existing(_share('m1'),
                                                 {'path': path})
        self.assertEqual(3, update['size'])

    def test_manage_from_share_export_location(self):
        path = self.make_existing()
        share = dict(_share('m1'), export_locations=[
            {'path': 'h:%s' % path, 'is_admin_only': False}])
        self.assertEqual(1, self.driver.manage_existing(share, {})['size'])

    def test_manage_refuses_outside_the_root(self):
        outside = os.path.join(self.state_path, 'outside')
        os.makedirs(outside)
        nested = os.path.join(self.make_existing(), 'deeper')
        os.makedirs(nested)
        for path in (outside, nested, '/etc', self.driver._snapshot_root,
                     os.path.join(self.driver.root, '..', 'outside'),
                     os.path.join(self.driver.root, 'missing')):
            self.assertRaises(exception.ManageInvalidShare,
                              self.driver.manage_existing, _share('m1'),
                              {'export_path': path})
        self.assertRaises(exception.ManageInvalidShare,
                          self.driver.manage_existing, _share('m1'), {})

    def test_manage_refuses_symlink(self):
        target = os.path.join(self.state_path, 'target')
        os.makedirs(target)
        link = os.path.join(self.driver.root, 'link')
        os.symlink(target, link)
        self.assertRaises(exception.ManageInvalidShare,
                          self.driver.manage_existing, _share('m1'),
                          {'export_path': link})

    def test_manage_refuses_a_path_owned_by_another_share(self):
        share, path = self.create()
        self.assertRaises(exception.ManageInvalidShare,
                          self.driver.manage_existing, _share('m2'),
                          {'export_path': path})

    def test_unmanage_keeps_data(self):
        path = self.make_existing()
        share = _share('m1')
        self.driver.manage_existing(share, {'export_path': path})
        self.driver.unmanage(share)
        self.assertTrue(os.path.isdir(path))
        self.assertIsNone(self.driver.store.get('shares', 'm1'))

    def test_manage_and_unmanage_snapshot(self):
        share, path = self.create()
        update = self.driver.create_snapshot(self.context,
                                             _snapshot('sn1', share))
        self.driver.unmanage_snapshot(_snapshot('sn1', share))
        self.assertTrue(os.path.isdir(update['provider_location']))
        adopted = self.driver.manage_existing_snapshot(
            dict(_snapshot('sn2', share),
                 provider_location=update['provider_location']), {})
        self.assertEqual({'size': 1, 'provider_location':
                          update['provider_location']}, adopted)
        clone = self.driver.create_share_from_snapshot(
            self.context, _share('c1'), _snapshot('sn2', share))
        self.assertTrue(clone)

    def test_manage_snapshot_outside_snapshot_dir(self):
        share, path = self.create()
        self.assertRaises(exception.ManageInvalidShareSnapshot,
                          self.driver.manage_existing_snapshot,
                          _snapshot('sn1', share), {'path': path})


class StatsTestCase(LocalDriverTestCase):

    def test_stats(self):
        self.create(_share(size=2))
        stats = self.driver.get_share_stats(refresh=True)
        self.assertEqual('b1', stats['share_backend_name'])
        self.assertEqual(local.VERSION, stats['driver_version'])
        self.assertEqual('NFS_CIFS', stats['storage_protocol'])
        for key in ('snapshot_support', 'create_share_from_snapshot_support',
                    'revert_to_snapshot_support'):
            self.assertIs(True, stats[key])
        self.assertFalse(stats['driver_handles_share_servers'])
        self.assertGreater(stats['total_capacity_gb'], 0)
        self.assertLessEqual(stats['free_capacity_gb'],
                             stats['total_capacity_gb'])
        pool, = stats['pools']
        self.assertEqual('b1', pool['pool_name'])
        self.assertEqual(2, pool['provisioned_capacity_gb'])
        self.assertTrue(stats['ipv4_support'])

    def test_capacity_comes_from_statvfs(self):
        fake = mock.Mock(f_blocks=4 * 262144, f_bavail=262144,
                         f_frsize=4096)
        with mock.patch.object(os, 'statvfs', return_value=fake):
            stats = self.driver.get_share_stats(refresh=True)
        self.assertEqual(4.0, stats['total_capacity_gb'])
        self.assertEqual(1.0, stats['free_capacity_gb'])

    def test_ip_versions_option(self):
        drv = self.make_driver('b2', share_ip_versions=['4', '6'])
        stats = drv.get_share_stats(refresh=True)
        self.assertTrue(stats['ipv6_support'])
