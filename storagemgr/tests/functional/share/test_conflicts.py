"""N real CLI processes racing on one share: one winner, clear refusals.

For each pair of conflicting share operations, ``N`` ``storagemgr``
processes start at once against one share on the local driver. The racing
driver (``racing_local``) holds every driver call after its caller's claim
until the test releases it, and the test releases only when every process
has either exited or is held in the driver: all claims are made while the
winner's is held, whatever the machine's speed. Then:

* exactly one process wins (or, where several orders of the requests are
  legal, the winners are those of one serial order);
* every loser exits non-zero with one line naming the resource and why,
  and no traceback;
* the state afterwards (statuses, sizes, snapshot list, access rules,
  exports file, the bytes in the share and snapshot directories) is the
  state before with the winners' effect alone.
"""

import copy
import glob
import os
import subprocess
import time

from storagemgr.tests.functional import base
from storagemgr.tests.functional import cli_batch
from storagemgr.tests.functional.share import racing_local

RACING = ('storagemgr.tests.functional.share.racing_local.'
          'RacingLocalShareDriver')
CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = b1\n'
          '[b1]\nshare_driver = %s\n%s' % (RACING, '%s'))
# Most seconds a winner is held if the test never releases it (a test
# that fails before releasing must not leave processes behind for long).
HOLD_LIMIT = 120
# Most seconds to wait for every process to exit or be held.
BARRIER_LIMIT = 120


class _Finished(base.CLIResult):
    def __init__(self, args, process, out, err):
        self.args = args
        self.rc = process.returncode
        self.out = out
        self.err = err

    def __repr__(self):
        return '<%s rc=%s err=%r>' % (' '.join(self.args), self.rc,
                                      self.err[-500:])


class ShareConflictTestCase(base.FunctionalTestCase):

    N = 4

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Read-only dumps go through one long-lived process.
        cls.lister = cli_batch.BatchServer()

    @classmethod
    def tearDownClass(cls):
        cls.lister.close()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG % '')
        self.release = os.path.join(self.state_path, 'release')
        self.racing_conf = self.write_config(
            CONFIG % ('slow_local_delay = %d\nracing_release_file = %s\n' %
                      (HOLD_LIMIT, self.release)),
            path=os.path.join(self.state_path, 'racing.conf'))
        self.root = os.path.join(self.state_path, 'shares', 'b1')

    # -- set-up and state ------------------------------------------------

    def batch(self, *commands):
        """Run set-up commands in one process; each must succeed."""
        results = cli_batch.run_in_subprocess(self.conf, commands,
                                              cwd=self.state_path)
        for args, result in zip(commands, results):
            self.assertEqual(0, result.rc, (args, result.err))
        self.assertEqual(len(commands), len(results))
        return [r.json() if '-f' in args else None
                for args, r in zip(commands, results)]

    def write(self, share, data):
        path = os.path.join(self.root, share['instance_id'], 'f')
        with open(path, 'wb') as f:
            f.write(data)

    def new_share(self, data=b'v1', snapshot=False, after=b'v2',
                  rule=None):
        """A share holding ``data`` in file ``f``.

        Optionally a snapshot ``s`` of that, then ``after`` written; and
        optionally an ip rule.
        """
        share, = self.batch(('share', 'create', 'NFS', '1', '--name',
                             'race', '-f', 'json'))
        self.write(share, data)
        more = []
        if snapshot:
            more.append(('share', 'snapshot', 'create', 'race', '--name',
                         's', '-f', 'json'))
        if rule:
            more.append(('share', 'access', 'create', 'race', 'ip', rule,
                         '-f', 'json'))
        made = self.batch(*more) if more else []
        if snapshot:
            self.write(share, after)
        return [share] + made

    def tree(self, path):
        """``{relative path: bytes}`` of the files under ``path``."""
        found = {}
        for directory, _dirs, files in os.walk(path):
            for name in files:
                full = os.path.join(directory, name)
                with open(full, 'rb') as f:
                    found[os.path.relpath(full, path)] = f.read()
        return found

    def state(self, share):
        """Everything a loser must not change, from the CLI and the disk."""
        shares, snapshots, rules = self.lister.run(
            self.conf, [('share', 'list', '-f', 'json'),
                        ('share', 'snapshot', 'list', '-f', 'json'),
                        ('share', 'access', 'list', share['id'], '-f',
                         'json')],
            stop_on_error=False)
        self.assertEqual(0, shares.rc, shares.err)
        self.assertEqual(0, snapshots.rc, snapshots.err)
        exports = os.path.join(self.state_path, 'exports', 'b1', 'exports')
        exports_text = None
        if os.path.exists(exports):
            with open(exports) as f:
                exports_text = f.read()
        snapshot_root = os.path.join(self.root, '.snapshots')
        return {
            'shares': {s['id']: (s['status'], s['size'])
                       for s in shares.json()},
            'snapshots': {s['id']: (s['share_id'], s['status'], s['size'])
                          for s in snapshots.json()},
            'rules': sorted((r['access_type'], r['access_to'],
                             r['access_level'], r['state'])
                            for r in rules.json()) if rules.rc == 0
            else None,
            'exports': exports_text,
            'data': self.tree(os.path.join(self.root, share['instance_id'])),
            # By directory: the snapshot instance's id.
            'snapshot_data': {name: self.tree(os.path.join(snapshot_root,
                                                           name))
                              for name in os.listdir(snapshot_root)},
        }

    # -- the race ----------------------------------------------------------

    def race(self, commands):
        """Start every command at once; return their results.

        The winners are released once every process has exited or is
        held in the driver.
        """
        for leftover in glob.glob(self.release + '*'):
            os.unlink(leftover)
        processes = [(args, subprocess.Popen(
            [base.console_script('storagemgr'), '--config-file',
             self.racing_conf] + list(args), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, cwd=self.state_path))
            for args in commands]
        self.addCleanup(self._reap, [p for _a, p in processes])
        deadline = time.monotonic() + BARRIER_LIMIT
        while time.monotonic() < deadline:
            if all(p.poll() is not None or os.path.exists(
                    racing_local.held_marker(self.release, p.pid))
                    for _a, p in processes):
                break
            time.sleep(0.05)
        with open(self.release, 'w'):
            pass
        return [_Finished(args, p, *p.communicate(timeout=HOLD_LIMIT))
                for args, p in processes]

    @staticmethod
    def _reap(processes):
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()

    def winners(self, results):
        return [i for i, r in enumerate(results) if r.rc == 0]

    def one_winner(self, results):
        winners = self.winners(results)
        self.assertEqual(1, len(winners), results)
        return winners[0]

    def assertClearRefusal(self, result, *culprits):
        """Non-zero, one line on stderr naming the culprits, nothing else."""
        self.assertRefused(result, *culprits)
        self.assertEqual('', result.out, result)
        lines = result.err.strip().splitlines()
        self.assertEqual(1, len(lines), result)
        self.assertTrue(lines[0].startswith('ERROR: '), result)

    def assertLosersRefused(self, results, winners, *culprits):
        for index, result in enumerate(results):
            if index not in winners:
                self.assertClearRefusal(result, *culprits)


class TestShareConflicts(ShareConflictTestCase):

    def test_delete_against_delete(self):
        share, = self.new_share()
        before = self.state(share)
        results = self.race([('share', 'delete', share['id'])] * self.N)
        winner = self.one_winner(results)
        self.assertLosersRefused(results, [winner], share['id'], 'deleting')
        expected = copy.deepcopy(before)
        del expected['shares'][share['id']]
        expected.update(rules=None, data={})
        self.assertEqual(expected, self.state(share))
        self.assertFalse(os.path.exists(os.path.join(self.root,
                                                     share['id'])))

    def test_delete_against_snapshot_create(self):
        """Either one delete wins, or every snapshot create does.

        Those are the serial orders' outcomes: with a snapshot, the share
        has snapshots and every delete is refused.
        """
        share, = self.new_share()
        before = self.state(share)
        half = self.N // 2
        commands = [('share', 'delete', share['id'])] * half
        commands += [('share', 'snapshot', 'create', share['id'], '--name',
                      'snap%d' % i) for i in range(self.N - half)]
        results = self.race(commands)
        winners = self.winners(results)
        after = self.state(share)
        expected = copy.deepcopy(before)
        if winners and winners[0] < half:
            self.assertEqual(1, len(winners), results)
            self.assertLosersRefused(results, winners, share['id'],
                                     'deleting')
            del expected['shares'][share['id']]
            expected.update(rules=None, data={})
            self.assertEqual(expected, after)
        else:
            self.assertEqual(list(range(half, self.N)), winners, results)
            self.assertLosersRefused(results, winners, share['id'],
                                     'snapshot')
            self.assertEqual(self.N - half, len(after['snapshots']))
            for row in after['snapshots'].values():
                self.assertEqual((share['id'], 'available', 1), row)
            # One directory per snapshot (named by its instance id).
            self.assertEqual([before['data']] * (self.N - half),
                             list(after['snapshot_data'].values()))
            expected.update(snapshots=after['snapshots'],
                            snapshot_data=after['snapshot_data'])
            self.assertEqual(expected, after)

    def test_extend_against_revert(self):
        share, snapshot = self.new_share(snapshot=True)
        before = self.state(share)
        half = self.N // 2
        commands = [('share', 'resize', share['id'], '2')] * half
        commands += [('share', 'revert', snapshot['id'])] * (self.N - half)
        results = self.race(commands)
        winner = self.one_winner(results)
        self.assertLosersRefused(results, [winner], share['id'])
        expected = copy.deepcopy(before)
        if winner < half:
            for loser in results[half:]:
                self.assertIn('extending', loser.err)
            expected['shares'][share['id']] = ('available', 2)
        else:
            for loser in results[:half]:
                self.assertIn('reverting', loser.err)
            expected['data'] = {'f': b'v1'}
        self.assertEqual(expected, self.state(share))

    def test_extend_against_extend_to_other_sizes(self):
        share, = self.new_share()
        before = self.state(share)
        sizes = [2 + i for i in range(self.N)]
        results = self.race([('share', 'resize', share['id'], str(size))
                             for size in sizes])
        winner = self.one_winner(results)
        self.assertLosersRefused(results, [winner], share['id'],
                                 'extending')
        expected = copy.deepcopy(before)
        expected['shares'][share['id']] = ('available', sizes[winner])
        self.assertEqual(expected, self.state(share))

    def test_allow_same_rule(self):
        share, = self.new_share()
        before = self.state(share)
        results = self.race([('share', 'access', 'create', share['id'],
                              'ip', '10.0.0.1')] * self.N)
        winner = self.one_winner(results)
        self.assertLosersRefused(results, [winner], '10.0.0.1')
        after = self.state(share)
        self.assertEqual([('ip', '10.0.0.1', 'rw', 'active')],
                         after['rules'])
        self.assertEqual(1, after['exports'].count('10.0.0.1'),
                         after['exports'])
        expected = copy.deepcopy(before)
        expected.update(rules=after['rules'], exports=after['exports'])
        self.assertEqual(expected, after)

    def test_deny_same_rule(self):
        share, rule = self.new_share(rule='10.0.0.1')
        before = self.state(share)
        self.assertIn('10.0.0.1', before['exports'] or '')
        results = self.race([('share', 'access', 'delete', share['id'],
                              rule['id'])] * self.N)
        winner = self.one_winner(results)
        self.assertLosersRefused(results, [winner], rule['id'])
        after = self.state(share)
        self.assertNotIn('10.0.0.1', after['exports'])
        expected = copy.deepcopy(before)
        expected.update(rules=[], exports=after['exports'])
        self.assertEqual(expected, after)

    def test_snapshot_delete_against_revert_to_it(self):
        share, snapshot = self.new_share(snapshot=True)
        before = self.state(share)
        self.assertEqual({'f': b'v1'},
                         before['snapshot_data'][snapshot['instance_id']])
        half = self.N // 2
        commands = [('share', 'snapshot', 'delete', snapshot['id'])] * half
        commands += [('share', 'revert', snapshot['id'])] * (self.N - half)
        results = self.race(commands)
        winner = self.one_winner(results)
        expected = copy.deepcopy(before)
        if winner < half:
            # The snapshot is deleting: every other claim needs it.
            self.assertLosersRefused(results, [winner], snapshot['id'],
                                     'deleting')
            del expected['snapshots'][snapshot['id']]
            del expected['snapshot_data'][snapshot['instance_id']]
        else:
            # The share is reverting and the snapshot restoring.
            for loser in results[:half]:
                self.assertClearRefusal(loser, snapshot['id'], 'restoring')
            for index in range(half, self.N):
                if index != winner:
                    self.assertClearRefusal(results[index], share['id'],
                                            'reverting')
            expected['data'] = {'f': b'v1'}
        self.assertEqual(expected, self.state(share))
