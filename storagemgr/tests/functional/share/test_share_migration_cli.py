"""Share migration through the installed CLI, between two local backends.

Each ``share migration`` command (and ``share revert``, ``manager run
--once``) runs as its own ``storagemgr`` process, as a user would run it.
The set-up and the reads that check the outcome go through one
``cli_batch`` process each: the same CLI entry point, without paying the
interpreter start-up for every ``show``.

The share trees are built to catch a copy that cuts corners: nested
directories and names with spaces, quotes, a newline and non-ASCII
letters, a sparse file, symlinks (one pointing out of the share, which
must stay a link), an executable mode, old timestamps, another owner and
an extended attribute.
"""

import errno
import hashlib
import json
import os
import re
import stat
import subprocess

from oslo_config import cfg

from storagemgr.share.drivers import local
from storagemgr.tests.functional import base
from storagemgr.tests.functional import cli_batch

CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = b1,b2\n'
          'migration_wait_poll_interval = 0.1\n'
          '[b1]\nshare_driver = %s\n[b2]\nshare_driver = local\n')
STEPPED = __name__ + '.SteppedLocalShareDriver'
PHASE1_DRIVER = 'migration_driver_phase1_done'
PHASE1_HOST = 'data_copying_completed'
OLD_NS = 1234567890123456789  # 2009: far from any time a copy could set
SPARSE_SIZE = 8 * 1024 * 1024
METADATA_KEYS = ('owner', 'mtime_ns', 'xattrs')
PROGRESS_LINE = re.compile(r'^share \S+: (\d{1,3})% [a-z_]+$')


class SteppedLocalShareDriver(local.LocalShareDriver):
    """The local driver, whose first ``migration_continue`` says "not yet".

    The local driver ends phase 1 at the first poll; this one needs a
    second, so the manager's periodic poll has a phase 1 to finish. The
    calls are counted in a file, as every CLI command is a new process.
    """

    def migration_continue(self, context, source_share, *args, **kwargs):
        counter = os.path.join(cfg.CONF.state_path,
                               'continue-calls-%s' % source_share['id'])
        calls = 1
        if os.path.exists(counter):
            with open(counter) as f:
                calls = int(f.read()) + 1
        with open(counter, 'w') as f:
            f.write(str(calls))
        if calls < 2:
            return False
        return super().migration_continue(context, source_share, *args,
                                          **kwargs)


def build_tree(root):
    """Fill ``root`` with the awkward cases; returns whether xattrs work."""
    deep = os.path.join(root, 'dir one', 'sub dir', 'deeper')
    os.makedirs(deep)
    os.makedirs(os.path.join(root, 'empty dir'))
    files = {
        'top.bin': os.urandom(70000),
        'dir one/file with spaces.txt': b'spaces in the name\n',
        "dir one/sub dir/quote'd \"name\".txt": b'quotes\n',
        'dir one/sub dir/deeper/\u00fcn\u00efc\u00f8de.txt': b'unicode\n',
        'dir one/semi;colon & star*.txt': b'shell characters\n',
        'dir one/new\nline': b'a newline in the name\n',
        '-leading-dash': b'dash\n',
        'empty file': b'',
    }
    for relative, data in files.items():
        with open(os.path.join(root, relative), 'wb') as f:
            f.write(data)
    sparse = os.path.join(root, 'dir one', 'sparse file')
    with open(sparse, 'wb') as f:
        f.truncate(SPARSE_SIZE)
        f.seek(SPARSE_SIZE // 2)
        f.write(b'an island of data in the middle of holes')
    os.symlink('dir one/file with spaces.txt', os.path.join(root, 'link'))
    os.symlink('/etc/hostname', os.path.join(root, 'dir one', 'outside'))
    os.symlink('no such target', os.path.join(root, 'dangling'))
    script = os.path.join(root, 'dir one', 'tool.sh')
    with open(script, 'w') as f:
        f.write('#!/bin/sh\necho hi\n')
    os.chmod(script, 0o751)
    os.chmod(os.path.join(root, 'dir one', 'sub dir'), 0o750)
    if os.geteuid() == 0:
        os.chown(os.path.join(root, 'top.bin'), 4321, 4322)
    xattrs = True
    try:
        os.setxattr(os.path.join(root, 'top.bin'), 'user.origin', b'b1')
    except OSError as e:
        if e.errno not in (errno.ENOTSUP, errno.EPERM):
            raise
        xattrs = False
    # Timestamps last, deepest first, so nothing written after moves them.
    for directory, dirs, names in sorted(os.walk(root), reverse=True):
        for name in names + dirs + ([''] if directory != root else []):
            os.utime(os.path.join(directory, name), ns=(OLD_NS, OLD_NS),
                     follow_symlinks=False)
    return xattrs


def describe(root, metadata=True):
    """``{relative path: facts}``: what a faithful copy keeps.

    Always the kind, the bytes (a digest) or a link's target, and the
    mode (kept by every copy, as cp does); with ``metadata``, also the
    owner, the modification time (ns, of directories and links too) and
    the extended attributes. The root itself is left out: it is the
    share's directory, made by the driver.
    """
    entries = {}
    for directory, dirs, names in os.walk(root):
        for name in dirs + names:
            path = os.path.join(directory, name)
            st = os.lstat(path)
            facts = {'kind': stat.S_IFMT(st.st_mode),
                     'mode': stat.S_IMODE(st.st_mode)}
            if stat.S_ISLNK(st.st_mode):
                facts['target'] = os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                with open(path, 'rb') as f:
                    facts['sha256'] = hashlib.sha256(f.read()).hexdigest()
                facts['size'] = st.st_size
            if metadata:
                facts['owner'] = (st.st_uid, st.st_gid)
                facts['mtime_ns'] = st.st_mtime_ns
                if not stat.S_ISLNK(st.st_mode):
                    facts['xattrs'] = sorted(
                        (key, os.getxattr(path, key))
                        for key in os.listxattr(path))
            entries[os.path.relpath(path, root)] = facts
    return entries


def allocated(path):
    return os.lstat(path).st_blocks * 512


class MigrationCLITestCase(base.FunctionalTestCase):

    DRIVER = 'local'

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG % self.DRIVER)
        self.roots = {b: os.path.join(self.state_path, 'shares', b)
                      for b in ('b1', 'b2')}
        self.exports = {b: os.path.join(self.state_path, 'exports', b,
                                        'exports') for b in ('b1', 'b2')}

    # -- running commands --------------------------------------------------

    def batch(self, *commands, check=True):
        """Run ``commands`` in one CLI process; their results."""
        results = cli_batch.run_in_subprocess(
            self.conf, commands, stop_on_error=check, cwd=self.state_path)
        if check:
            for command, result in zip(commands, results):
                self.assertEqual(0, result.rc, (command, result.err))
            self.assertEqual(len(commands), len(results))
        return results

    def batch_json(self, *commands):
        return [r.json() for r in self.batch(
            *(c + ('-f', 'json') for c in commands))]

    def migration(self, *args):
        """One ``share migration`` command in its own process: the record."""
        return self.cli_json('share', 'migration', *args)

    # -- the shares --------------------------------------------------------

    def make_shares(self, *names, rules=('10.20.30.0/24',)):
        """Shares on b1 with ``rules``, filled with the awkward tree.

        :returns: ({name: share record}, the destination pool of b2).
        """
        commands = [('share', 'pool', 'list')]
        for name in names:
            commands.append(('share', 'create', 'NFS', '1', '--backend',
                             'b1', '--name', name))
            for rule in rules:
                commands.append(('share', 'access', 'create', name, 'ip',
                                 rule))
        made = self.batch_json(*commands)
        pools = [p['name'] for p in made[0] if p['backend'] == 'b2']
        self.assertEqual(1, len(pools), made[0])
        shares = {}
        for share in made[1:]:
            if 'share_proto' in share:
                self.assertEqual('available', share['status'], share)
                shares[share['name']] = share
        self.xattrs = True
        for share in shares.values():
            self.xattrs = build_tree(self.path_of(share)) and self.xattrs
        return shares, pools[0]

    def path_of(self, share):
        return share['export_locations'][0]['path'].split(':', 1)[1]

    def share_dirs(self, backend):
        root = self.roots[backend]
        if not os.path.isdir(root):
            return []
        return sorted(os.path.join(root, name) for name in os.listdir(root)
                      if not name.startswith('.'))

    def read(self, path):
        if not os.path.exists(path):
            return ''
        with open(path) as f:
            return f.read()

    # -- checks ------------------------------------------------------------

    def assertSameTree(self, expected, root, metadata=True):
        actual = describe(root, metadata)
        if not metadata:
            expected = {relative: {key: value for key, value in facts.items()
                                   if key not in METADATA_KEYS}
                        for relative, facts in expected.items()}
        self.assertEqual(sorted(expected), sorted(actual))
        for relative in sorted(expected):
            self.assertEqual(expected[relative], actual[relative], relative)

    def assertSparse(self, root):
        path = os.path.join(root, 'dir one', 'sparse file')
        self.assertEqual(SPARSE_SIZE, os.lstat(path).st_size)
        # One block of data (a page or two, by filesystem), not 8 MiB.
        self.assertLess(allocated(path), 1024 * 1024)

    def exported(self, backend, path):
        """``{client: access level}`` of ``path`` in a backend's exports."""
        clients = {}
        for line in self.read(self.exports[backend]).splitlines():
            if line.startswith(path + ' '):
                for client in line.split()[1:]:
                    name, options = client.rstrip(')').split('(')
                    clients[name] = options.split(',')[0]
        return clients

    def assertRulesMoved(self, old_path, new_path, clients):
        """The rules are served read-write at the new path by b2 only."""
        self.assertEqual(dict.fromkeys(clients, 'rw'),
                         self.exported('b2', new_path))
        old = self.read(self.exports['b1'])
        self.assertNotIn(old_path, old)
        for client in clients:
            self.assertNotIn(client, old)
        self.assertEqual(1, len([line for line in self.read(
            self.exports['b2']).splitlines() if not line.startswith('#')]))

    def assertRefusedOnOneLine(self, result, *culprits):
        self.assertRefused(result, *culprits)
        message = (result.out + result.err).strip()
        self.assertEqual(1, len(message.splitlines()), message)


class TestDriverAssisted(MigrationCLITestCase):

    def test_data_snapshots_and_rules_move(self):
        shares, pool = self.make_shares(
            'da', rules=('10.20.30.0/24', '192.0.2.7'))
        share = shares['da']
        old_path = self.path_of(share)
        (snapshot,) = self.batch_json(
            ('share', 'snapshot', 'create', 'da', '--name', 'snap one'))
        old_snapshot_path = snapshot['provider_location']
        at_snapshot = describe(old_path)
        self.assertSameTree(at_snapshot, old_snapshot_path)
        # Written after the snapshot: the share moves with it, the
        # snapshot keeps its own content.
        with open(os.path.join(old_path, 'after snapshot.txt'), 'w') as f:
            f.write('written after the snapshot\n')
        os.utime(os.path.join(old_path, 'after snapshot.txt'),
                 ns=(OLD_NS, OLD_NS))
        before = describe(old_path)

        record = self.migration('start', 'da', pool, '--preserve-snapshots')
        self.assertEqual((PHASE1_DRIVER, 'driver', True, 100, pool),
                         (record['task_state'], record['method'],
                          record['preserve_snapshots'],
                          record['total_progress'],
                          record['destination_host']))
        # Phase 1 moved nothing: the share is still served from b1.
        self.assertSameTree(before, old_path)
        self.assertEqual([], self.share_dirs('b2'))
        # Not --writable: phase 1 serves the source read-only.
        self.assertEqual({'10.20.30.0/24': 'ro', '192.0.2.7': 'ro'},
                         self.exported('b1', old_path))

        record = self.migration('complete', 'da')
        self.assertEqual('migration_success', record['task_state'])
        moved, snapshots, snapshot, rules = self.batch_json(
            ('share', 'show', 'da'), ('share', 'snapshot', 'list'),
            ('share', 'snapshot', 'show', 'snap one'),
            ('share', 'access', 'list', 'da'))
        self.assertEqual(('available', 'migration_success'),
                         (moved['status'], moved['task_state']))
        self.assertIn('@b2', moved['host'])
        self.assertEqual(share['id'], moved['id'])
        new_path = self.path_of(moved)
        self.assertEqual([new_path], self.share_dirs('b2'))
        self.assertFalse(os.path.lexists(old_path))
        self.assertEqual([], self.share_dirs('b1'))
        self.assertSameTree(before, new_path)
        self.assertSparse(new_path)
        self.assertRulesMoved(old_path, new_path,
                              ('10.20.30.0/24', '192.0.2.7'))
        self.assertEqual(['10.20.30.0/24', '192.0.2.7'],
                         sorted(r['access_to'] for r in rules))
        self.assertEqual(['active'] * len(rules),
                         [r['state'] for r in rules])

        # The snapshot moved too, and works on b2.
        self.assertEqual([('snap one', 'available')],
                         [(s['name'], s['status']) for s in snapshots])
        new_snapshot_path = snapshot['provider_location']
        self.assertTrue(new_snapshot_path.startswith(
            self.roots['b2'] + os.sep), new_snapshot_path)
        self.assertFalse(os.path.lexists(old_snapshot_path))
        self.assertSameTree(at_snapshot, new_snapshot_path)
        _reverted, clone = self.batch(
            ('share', 'revert', 'snap one'),
            ('share', 'create', 'NFS', '1', '--name', 'clone',
             '--snapshot-id', 'snap one', '-f', 'json'))
        clone = clone.json()
        self.assertSameTree(at_snapshot, new_path, metadata=False)
        self.assertEqual('available', clone['status'])
        self.assertIn('@b2', clone['host'])
        self.assertSameTree(at_snapshot, self.path_of(clone),
                            metadata=False)


class TestHostAssisted(MigrationCLITestCase):

    def test_writable_copy_with_metadata_and_wait(self):
        shares, pool = self.make_shares('ha')
        share = shares['ha']
        old_path = self.path_of(share)
        before = describe(old_path)
        if not self.xattrs:
            self.skipTest('no user xattrs here')  # pragma: no cover

        # --wait with its output piped: progress lines on stderr, the
        # record, alone, on stdout.
        process = subprocess.run(
            [base.console_script('storagemgr'), '--config-file', self.conf,
             'share', 'migration', 'start', 'ha', pool,
             '--force-host-assisted-migration', '--writable',
             '--preserve-metadata', '--wait', '-f', 'json'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            cwd=self.state_path, timeout=120)
        self.assertEqual(0, process.returncode, process.stderr)
        record = json.loads(process.stdout)
        self.assertEqual((PHASE1_HOST, 'host', True, True, 100),
                         (record['task_state'], record['method'],
                          record['writable'], record['preserve_metadata'],
                          record['total_progress']))
        self.assertEqual(record['bytes_total'], record['bytes_copied'])
        self.assertEqual(record['files_total'], record['files_copied'])
        self.assertGreater(record['bytes_total'], 70000)
        lines = process.stderr.splitlines()
        self.assertTrue(lines, 'no progress on stderr')
        percents = []
        for line in lines:
            match = PROGRESS_LINE.match(line)
            self.assertIsNotNone(match, 'not a progress line: %r' % line)
            percents.append(int(match.group(1)))
        self.assertEqual(sorted(percents), percents)
        self.assertEqual(100, percents[-1])
        self.assertNotIn('\r', process.stderr)

        # Phase 1 copied everything; the source is still the share.
        destination, = self.share_dirs('b2')
        self.assertSameTree(before, destination)
        self.assertSparse(destination)
        self.assertEqual({'10.20.30.0/24': 'rw'},
                         self.exported('b1', old_path))
        # Writable: the user keeps writing until complete.
        late = os.path.join(old_path, 'dir one', 'written late.txt')
        with open(late, 'w') as f:
            f.write('between the phases\n')
        with open(os.path.join(old_path, 'top.bin'), 'ab') as f:
            f.write(b'appended late')
        os.unlink(os.path.join(old_path, 'empty file'))
        after = describe(old_path)

        record = self.migration('complete', 'ha')
        self.assertEqual('migration_success', record['task_state'])
        moved, rules = self.batch_json(('share', 'show', 'ha'),
                                       ('share', 'access', 'list', 'ha'))
        self.assertEqual(('available', 'migration_success'),
                         (moved['status'], moved['task_state']))
        self.assertIn('@b2', moved['host'])
        new_path = self.path_of(moved)
        self.assertEqual(destination, new_path)
        self.assertFalse(os.path.lexists(old_path))
        self.assertEqual([], self.share_dirs('b1'))
        self.assertSameTree(after, new_path)
        self.assertSparse(new_path)
        self.assertRulesMoved(old_path, new_path, ('10.20.30.0/24',))
        self.assertEqual([('10.20.30.0/24', 'rw')],
                         [(r['access_to'], r['access_level'])
                          for r in rules])
        self.assertEqual(['active'] * len(rules),
                         [r['state'] for r in rules])
        self.assertEqual([], os.listdir(os.path.join(self.state_path,
                                                     'data_copies')))


class TestCancel(MigrationCLITestCase):

    def test_cancel_after_phase_one_of_each_method(self):
        shares, pool = self.make_shares('cd', 'ch')
        paths = {name: self.path_of(share) for name, share in shares.items()}
        before = {name: describe(path) for name, path in paths.items()}

        record = self.migration('start', 'cd', pool)
        self.assertEqual((PHASE1_DRIVER, 'driver'),
                         (record['task_state'], record['method']))
        record = self.migration('start', 'ch', pool,
                                '--force-host-assisted-migration',
                                '--preserve-metadata')
        self.assertEqual((PHASE1_HOST, 'host'),
                         (record['task_state'], record['method']))
        copy, = self.share_dirs('b2')
        self.assertSameTree(before['ch'], copy)
        # One migration at a time.
        self.assertRefusedOnOneLine(
            self.cli('share', 'migration', 'start', 'cd', pool),
            shares['cd']['id'], PHASE1_DRIVER)

        for name in ('cd', 'ch'):
            record = self.migration('cancel', name)
            self.assertEqual('migration_cancelled', record['task_state'])
        results = self.batch(
            ('share', 'show', 'cd', '-f', 'json'),
            ('share', 'show', 'ch', '-f', 'json'),
            ('share', 'migration', 'show', 'cd', '-f', 'json'),
            ('share', 'migration', 'show', 'ch', '-f', 'json'),
            ('share', 'migration', 'cancel', 'cd'),
            ('share', 'migration', 'complete', 'ch'), check=False)
        for name, shown, migration in zip(
                ('cd', 'ch'), results[0:2], results[2:4]):
            shown, migration = shown.json(), migration.json()
            self.assertEqual(('available', 'migration_cancelled'),
                             (shown['status'], shown['task_state']))
            self.assertEqual(shares[name]['host'], shown['host'])
            self.assertIn('@b1', shown['host'])
            self.assertEqual(paths[name], self.path_of(shown))
            self.assertEqual('migration_cancelled', migration['task_state'])
            self.assertSameTree(before[name], paths[name])
            self.assertSparse(paths[name])
            # Served read-write again, by b1 only.
            self.assertEqual({'10.20.30.0/24': 'rw'},
                             self.exported('b1', paths[name]))
        self.assertNotIn('10.20.30.0/24', self.read(self.exports['b2']))
        self.assertEqual([], self.share_dirs('b2'))
        self.assertEqual([], os.listdir(os.path.join(self.state_path,
                                                     'data_copies')))
        # A cancelled migration is over: nothing left to cancel or complete.
        self.assertRefusedOnOneLine(results[4], shares['cd']['id'],
                                    'migration_cancelled')
        self.assertRefusedOnOneLine(results[5], shares['ch']['id'],
                                    'migration_cancelled')


class TestBadInput(MigrationCLITestCase):

    def test_refusals_name_the_culprit(self):
        share, _snapshotted, snapshot, pools = self.batch_json(
            ('share', 'create', 'NFS', '1', '--backend', 'b1', '--name',
             'plain'),
            ('share', 'create', 'NFS', '1', '--backend', 'b1', '--name',
             'snapped'),
            ('share', 'snapshot', 'create', 'snapped', '--name', 'sn'),
            ('share', 'pool', 'list'))
        pool, = [p['name'] for p in pools if p['backend'] == 'b2']
        host = pool.split('@')[0]
        start = ('share', 'migration', 'start')
        refusals = [
            (start + ('ghost', pool), 'ghost'),
            (start + ('plain', 'b2'), "'b2'"),
            (start + ('plain', 'nohost@b9#p'), 'b9'),
            (start + ('plain', host + '@b2 #b2'), 'b2 '),
            (start + ('plain', pool + ' extra'), 'extra'),
            (start + ('plain', pool + ';rm -rf x'), ';rm -rf x'),
            (start + ('plain', pool, '--writable', 'maybe'), 'maybe'),
            (start + ('plain', pool, '--force-host-assisted-migration',
                      '--nondisruptive'), 'nondisruptive'),
            (start + ('plain', host + '@b1#b1'), 'already'),
            (('share', 'migration', 'complete', 'plain'), share['id']),
            (('share', 'migration', 'cancel', 'plain'), share['id']),
            (('share', 'migration', 'complete', 'ghost'), 'ghost'),
            (('share', 'migration', 'cancel', 'ghost'), 'ghost'),
            (('share', 'migration', 'show', 'ghost'), 'ghost'),
        ]
        # Two in a process of their own each, as a user sees them.
        self.assertRefusedOnOneLine(
            self.cli(*(start + ('plain', pool + ';reboot'))), ';reboot')
        # A file copy cannot carry snapshots: refused, naming them.
        snapped_refusal = self.cli(*(start + (
            'snapped', pool, '--force-host-assisted-migration')))
        self.assertRefusedOnOneLine(snapped_refusal, 'snapshot',
                                    snapshot['share_id'])
        reads = [('share', 'show', 'plain', '-f', 'json'),
                 ('share', 'show', 'snapped', '-f', 'json'),
                 ('share', 'migration', 'show', 'plain', '-f', 'json')]
        results = self.batch(*[command for command, _ in refusals] + reads,
                             check=False)
        for (command, culprit), result in zip(refusals, results):
            self.assertRefusedOnOneLine(result, culprit)
        plain, snapped, migration = [r.json() for r in results[-3:]]
        for shown in (plain, snapped):
            self.assertEqual(('available', None),
                             (shown['status'], shown['task_state']))
            self.assertIn('@b1', shown['host'])
        self.assertIsNone(migration['task_state'])
        self.assertEqual([], self.share_dirs('b2'))
        # The user must find the snapshots to delete: their ids are named.
        self.assertIn(snapshot['id'], snapped_refusal.err)


class TestManagerPoll(MigrationCLITestCase):

    DRIVER = STEPPED

    def test_manager_finishes_driver_phase_one(self):
        shares, pool = self.make_shares('mp')
        old_path = self.path_of(shares['mp'])
        counter = os.path.join(self.state_path,
                               'continue-calls-%s' %
                               shares['mp']['instance_id'])
        before = describe(old_path)
        record = self.migration('start', 'mp', pool)
        self.assertEqual(('migration_driver_in_progress', 'driver'),
                         (record['task_state'], record['method']))
        self.assertEqual('1', self.read(counter))
        self.assertRefusedOnOneLine(
            self.cli('share', 'migration', 'complete', 'mp'),
            'migration_driver_in_progress')
        # The first run's poll ends phase 1; the second finds nothing to
        # poll, and leaves the migration, phase 1 done, as it is.
        for calls in ('2', '2'):
            result = self.cli('manager', 'run', '--once')
            self.assertEqual(0, result.rc, result.err)
            self.assertEqual(calls, self.read(counter))
        shown, = self.batch_json(('share', 'migration', 'show', 'mp'))
        self.assertEqual((PHASE1_DRIVER, 100),
                         (shown['task_state'], shown['total_progress']))
        self.assertSameTree(before, old_path)
        self.assertEqual([], self.share_dirs('b2'))
        record = self.migration('complete', 'mp')
        self.assertEqual('migration_success', record['task_state'])
        moved, = self.batch_json(('share', 'show', 'mp'))
        self.assertIn('@b2', moved['host'])
        self.assertSameTree(before, self.path_of(moved))
        self.assertFalse(os.path.lexists(old_path))
        self.assertRulesMoved(old_path, self.path_of(moved),
                              ('10.20.30.0/24',))
