"""The volume and consistency group CLI on real files (local driver)."""

import os
import signal
import subprocess
import time

from storagemgr.tests.functional import base

LOCAL = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = v1\n'
         '[v1]\nvolume_driver = %s\n%s')
TRANSITIONAL = {'creating', 'deleting', 'updating', 'extending'}


class VolumeCLITestCase(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.write_config(LOCAL % ('local', ''))

    def path_of(self, volume):
        return self.cli_json('volume', 'show', volume)['provider_location']

    def write_at(self, volume, offset, data):
        with open(self.path_of(volume), 'r+b') as f:
            f.seek(offset)
            f.write(data)

    def read_at(self, volume, offset, length):
        with open(self.path_of(volume), 'rb') as f:
            f.seek(offset)
            return f.read(length)

    def volume_files(self):
        root = os.path.join(self.state_path, 'volumes', 'v1')
        found = []
        for directory, _dirs, files in os.walk(root):
            found.extend(os.path.join(directory, f) for f in files)
        return sorted(found)

    def assertNothingTransitional(self):
        for noun in (('volume',), ('volume', 'snapshot'),
                     ('consistency', 'group'),
                     ('consistency', 'group', 'snapshot')):
            for row in self.cli_json(*(noun + ('list',))):
                self.assertNotIn(row['status'], TRANSITIONAL, (noun, row))


class TestVolumeCLI(VolumeCLITestCase):

    def test_volume_snapshot_and_volume_from_it(self):
        volume = self.cli_json('volume', 'create', '--size', '1', 'v')
        self.assertEqual('available', volume['status'])
        self.write_at('v', 8192, b'before')
        self.cli_json('volume', 'snapshot', 'create', '--volume', 'v', 's')
        self.write_at('v', 8192, b'after!')
        self.cli_json('volume', 'create', '--snapshot', 's', 'v2')
        self.assertEqual(b'before', self.read_at('v2', 8192, 6))
        grown = self.cli_json('volume', 'set', '--size', '2', 'v2')
        self.assertEqual(2, grown['size'])
        self.assertEqual(2 * 1024 ** 3, os.path.getsize(self.path_of('v2')))
        self.assertRefused(self.cli('volume', 'delete', 'v'), 'snapshots')
        for args in (('volume', 'delete', 'v2'),
                     ('volume', 'snapshot', 'delete', 's'),
                     ('volume', 'delete', volume['id'])):
            self.assertEqual(0, self.cli(*args).rc)
        self.assertEqual([], self.volume_files())

    def test_group_snapshot_and_create_from_it_byte_for_byte(self):
        group = self.cli_json('consistency', 'group', 'create', '--backend',
                              'v1', 'cg')
        payloads = {}
        for index in range(3):
            self.cli_json('volume', 'create', '--size', '1',
                          '--consistency-group', 'cg', 'm%d' % index)
            payloads['m%d' % index] = os.urandom(4096)
            self.write_at('m%d' % index, 4096 * index,
                          payloads['m%d' % index])
        cgs = self.cli_json('consistency', 'group', 'snapshot', 'create',
                            '--consistency-group', 'cg', 'cgs')
        self.assertEqual('available', cgs['status'])
        self.assertEqual(3, len(cgs['snapshots']))
        for name in payloads:
            self.write_at(name, 0, b'X' * 16384)
        copy = self.cli_json('consistency', 'group', 'create',
                             '--consistency-group-snapshot', 'cgs', 'cg2')
        self.assertEqual('available', copy['status'])
        listed = self.cli_json('volume', 'list', '--long')
        copies = [v for v in listed
                  if v['consistencygroup_id'] == copy['id']]
        self.assertEqual(3, len(copies))
        for volume in copies:
            index = int(volume['name'][1:])
            self.assertEqual(payloads[volume['name']],
                             self.read_at(volume['id'], 4096 * index, 4096))
        clone = self.cli_json('consistency', 'group', 'create',
                              '--consistency-group-source', group['id'],
                              'cg3')
        self.assertEqual('available', clone['status'])
        self.assertRefused(self.cli('consistency', 'group', 'delete', 'cg'),
                           'group snapshot')
        self.assertNothingTransitional()
        for name in ('cg3', 'cg2', 'cg'):
            result = self.cli('consistency', 'group', 'delete', '--force',
                              name)
            self.assertEqual(0, result.rc, result.err)
        self.assertEqual([], self.volume_files())

    def test_membership_refusals(self):
        self.cli_json('consistency', 'group', 'create', 'a')
        self.cli_json('consistency', 'group', 'create', 'b')
        self.cli_json('volume', 'create', '--size', '1',
                      '--consistency-group', 'a', 'in-a')
        self.cli_json('volume', 'create', '--size', '1', 'free')
        self.assertRefused(self.cli('consistency', 'group', 'add', 'volume',
                                    'b', 'in-a'), 'belongs')
        shown = self.cli_json('consistency', 'group', 'add', 'volume', 'b',
                              'free')
        self.assertEqual(1, len(shown['volumes']))
        shown = self.cli_json('consistency', 'group', 'remove', 'volume',
                              'b', 'free')
        self.assertEqual([], shown['volumes'])
        self.assertRefused(self.cli('volume', 'create', '--snapshot',
                                    'nope', 'x'), 'nope')
        self.assertRefused(self.cli('volume', 'show', '../etc'), '../etc')


class TestKillAndResume(VolumeCLITestCase):
    """A CLI killed mid-flow; the manager's resume finishes the job."""

    SLOW = ('storagemgr.tests.functional.volume.slow_local.'
            'SlowLocalVolumeDriver')

    def _kill_midway(self, *args):
        slow_conf = os.path.join(self.state_path, 'slow.conf')
        self.write_config(LOCAL % (self.SLOW, 'slow_local_delay = 60\n'),
                          path=slow_conf)
        process = subprocess.Popen(
            [base.console_script('storagemgr'), '--config-file', slow_conf]
            + list(args), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, cwd=self.state_path)
        self.addCleanup(process.wait)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            rows = self.cli_json('volume', 'list')
            if any(r['status'] in TRANSITIONAL for r in rows):
                break
            time.sleep(0.2)
        time.sleep(0.5)  # into the driver's stall
        process.send_signal(signal.SIGKILL)
        process.wait()

    def _resume(self):
        self.write_config(LOCAL % (self.SLOW, ''))
        result = self.cli('manager', 'run', '--once')
        self.assertEqual(0, result.rc, result.err)

    def test_killed_create_is_finished(self):
        self._kill_midway('volume', 'create', '--size', '1', 'v')
        self.assertEqual('creating',
                         self.cli_json('volume', 'show', 'v')['status'])
        self._resume()
        volume = self.cli_json('volume', 'show', 'v')
        self.assertEqual('available', volume['status'])
        self.assertEqual([volume['provider_location']], self.volume_files())

    def test_killed_delete_leaves_no_orphan(self):
        self.cli_json('volume', 'create', '--size', '1', 'v')
        self._kill_midway('volume', 'delete', 'v')
        self._resume()
        self.assertEqual([], self.cli_json('volume', 'list'))
        self.assertEqual([], self.volume_files())
        self.assertNothingTransitional()

    def test_killed_group_snapshot_is_finished(self):
        fake = LOCAL % ('fake', 'fake_native_groups = false\n%s')
        self.write_config(fake % '')
        self.cli_json('consistency', 'group', 'create', 'cg')
        for index in range(3):
            self.cli_json('volume', 'create', '--size', '1',
                          '--consistency-group', 'cg', 'm%d' % index)
        slow_conf = self.write_config(fake % 'fake_member_delay = 60\n',
                                      path=os.path.join(self.state_path,
                                                        'slow.conf'))
        process = subprocess.Popen(
            [base.console_script('storagemgr'), '--config-file', slow_conf,
             'consistency', 'group', 'snapshot', 'create',
             '--consistency-group', 'cg', 'cgs'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd=self.state_path)
        self.addCleanup(process.wait)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not self.cli_json(
                'consistency', 'group', 'snapshot', 'list'):
            time.sleep(0.2)
        time.sleep(1)
        process.send_signal(signal.SIGKILL)
        process.wait()
        self.assertEqual('creating', self.cli_json(
            'consistency', 'group', 'snapshot', 'show', 'cgs')['status'])
        self.assertEqual(0, self.cli('manager', 'run', '--once').rc)
        self.assertEqual('available', self.cli_json(
            'consistency', 'group', 'snapshot', 'show', 'cgs')['status'])
        self.assertNothingTransitional()


class TestConcurrentCLI(VolumeCLITestCase):
    """N real CLI processes racing on one resource: one wins.

    The slow driver stalls inside the driver call, after the winner's
    claim, so every process reaches its own claim while the winner still
    holds it.
    """

    SLOW = ('storagemgr.tests.functional.volume.slow_local.'
            'SlowLocalVolumeDriver')
    N = 4

    def setUp(self):
        super().setUp()
        self.write_config(LOCAL % (self.SLOW, 'slow_local_delay = 0\n'))
        self.slow = self.write_config(
            LOCAL % (self.SLOW, 'slow_local_delay = 15\n'),
            path=os.path.join(self.state_path, 'slow.conf'))

    def race(self, commands):
        """Start every command at once; return their CLIResults."""
        processes = [subprocess.Popen(
            [base.console_script('storagemgr'), '--config-file', self.slow]
            + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, cwd=self.state_path) for args in commands]
        return [_Finished(p, *p.communicate(timeout=300))
                for p in processes]

    def winners_and_losers(self, results):
        winners = [i for i, r in enumerate(results) if r.rc == 0]
        self.assertEqual(1, len(winners),
                         [(r.rc, r.err[-300:]) for r in results])
        losers = [r for i, r in enumerate(results) if i != winners[0]]
        return winners[0], losers

    def test_add_same_volume_to_different_groups(self):
        groups = [self.cli_json('consistency', 'group', 'create', 'g%d' % i)
                  for i in range(self.N)]
        volume = self.cli_json('volume', 'create', '--size', '1', 'v')
        results = self.race([('consistency', 'group', 'add', 'volume',
                              group['id'], volume['id'])
                             for group in groups])
        winner, losers = self.winners_and_losers(results)
        for loser in losers:
            self.assertRefused(loser, volume['id'])
        shown = self.cli_json('volume', 'show', volume['id'])
        self.assertEqual(groups[winner]['id'], shown['consistencygroup_id'])
        self.assertEqual('available', shown['status'])
        for index, group in enumerate(groups):
            shown = self.cli_json('consistency', 'group', 'show', group['id'])
            self.assertEqual('available', shown['status'])
            expected = [volume['id']] if index == winner else []
            self.assertEqual(expected, shown['volumes'])
        self.assertNothingTransitional()

    def test_group_snapshot_against_group_delete(self):
        group = self.cli_json('consistency', 'group', 'create', 'cg')
        for index in range(2):
            self.cli_json('volume', 'create', '--size', '1',
                          '--consistency-group', 'cg', 'm%d' % index)
        files_before = self.volume_files()
        commands = [('consistency', 'group', 'snapshot', 'create',
                     '--consistency-group', 'cg', 'cgs')]
        commands += [('consistency', 'group', 'delete', '--force', 'cg')
                     for _ in range(self.N - 1)]
        results = self.race(commands)
        winner, losers = self.winners_and_losers(results)
        for loser in losers:
            self.assertRefused(loser, group['id'])
        self.assertNothingTransitional()
        if winner == 0:
            # The snapshot won: every delete was refused, nothing lost.
            cgsnapshots = self.cli_json('consistency', 'group', 'snapshot',
                                        'list')
            self.assertEqual(['available'],
                             [c['status'] for c in cgsnapshots])
            self.assertEqual(2, len(self.cli_json('volume', 'list')))
            for path in files_before:
                self.assertTrue(os.path.exists(path), path)
        else:
            # A delete won: the group snapshot was refused, nothing of
            # the group is left.
            self.assertEqual([], self.cli_json('consistency', 'group',
                                               'list'))
            self.assertEqual([], self.cli_json('consistency', 'group',
                                               'snapshot', 'list'))
            self.assertEqual([], self.cli_json('volume', 'list'))
            self.assertEqual([], self.volume_files())


class _Finished(base.CLIResult):
    """A finished Popen's exit code and output, as ``cli`` returns them."""

    def __init__(self, process, out, err):
        self.rc = process.returncode
        self.out = out
        self.err = err
