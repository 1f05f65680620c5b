"""The share lifecycle through the installed CLI, on real directories."""

import os
import signal
import subprocess
import time

from storagemgr.share import constants
from storagemgr.tests.functional import base

LOCAL = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = b1\n'
         '[b1]\nshare_driver = %s\n%s')


class ShareCLITestCase(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.write_config(LOCAL % ('local', ''))
        self.root = os.path.join(self.state_path, 'shares', 'b1')

    def path_of(self, share):
        return share['export_locations'][0]['path'].split(':', 1)[1]

    def share_dirs(self):
        if not os.path.isdir(self.root):
            return []
        return sorted(os.path.join(self.root, name)
                      for name in os.listdir(self.root)
                      if os.path.isdir(os.path.join(self.root, name)) and
                      not name.startswith('.'))

    def assertNoOrphans(self):
        """Every share directory belongs to a share the database knows."""
        known = set()
        for row in self.cli_json('share', 'list'):
            share = self.cli_json('share', 'show', row['id'])
            known.update(self.path_of(share) for _ in [0]
                         if share['export_locations'])
        self.assertEqual(sorted(known), self.share_dirs())

    def assertNothingTransitional(self):
        for row in self.cli_json('share', 'list'):
            self.assertNotIn(row['status'], constants.TRANSITIONAL_STATUSES)
        for row in self.cli_json('share', 'snapshot', 'list'):
            self.assertNotIn(row['status'], constants.TRANSITIONAL_STATUSES)


class TestLifecycle(ShareCLITestCase):

    def test_whole_lifecycle(self):
        share = self.cli_json('share', 'create', 'NFS', '1', '--name', 'a')
        shown = self.cli_json('share', 'show', 'a')
        self.assertEqual(('available', 1), (shown['status'], shown['size']))
        path = self.path_of(shown)
        self.assertEqual([path], self.share_dirs())
        with open(os.path.join(path, 'f'), 'w') as f:
            f.write('v1')
        snap = self.cli_json('share', 'snapshot', 'create', 'a', '--name',
                             's')
        with open(os.path.join(path, 'f'), 'w') as f:
            f.write('v2')
        self.assertEqual(0, self.cli('share', 'revert', 's').rc)
        with open(os.path.join(path, 'f')) as f:
            self.assertEqual('v1', f.read())
        clone = self.cli_json('share', 'create', 'NFS', '1',
                              '--snapshot-id', snap['id'])
        self.assertEqual('available', clone['status'])
        rule = self.cli_json('share', 'access', 'create', 'a', 'ip',
                             '192.0.2.0/24', '--access-level', 'ro')
        exports = os.path.join(self.state_path, 'exports', 'b1', 'exports')
        with open(exports) as f:
            self.assertIn('192.0.2.0/24', f.read())
        self.assertRefused(self.cli('share', 'access', 'create', 'a', 'ip',
                                    '10.0.0.1 *(rw,no_root_squash)'),
                           'not allowed')
        self.assertEqual(0, self.cli('share', 'resize', 'a', '3').rc)
        self.assertEqual(3, self.cli_json('share', 'show', 'a')['size'])
        self.assertRefused(self.cli('share', 'delete', 'a'), 'snapshot')
        self.assertEqual(0, self.cli('share', 'access', 'delete', 'a',
                                     rule['id']).rc)
        with open(exports) as f:
            self.assertNotIn('192.0.2.0/24', f.read())
        self.assertEqual(0, self.cli('share', 'snapshot', 'delete', 's').rc)
        self.assertEqual(0, self.cli('share', 'delete', 'a',
                                     clone['id']).rc)
        self.assertEqual([], self.share_dirs())
        self.assertEqual([], self.cli_json('share', 'list'))
        self.assertNotEqual(share['id'], clone['id'])

    def test_clean_errors(self):
        self.assertRefused(self.cli('share', 'create', 'NFS', '0'), '0')
        self.assertRefused(self.cli('share', 'create', 'NFS', '1',
                                    '--backend', 'nope'), 'nope')
        self.assertRefused(self.cli('share', 'show', 'ghost'), 'ghost')
        self.assertRefused(self.cli('share', 'delete', 'ghost'), 'ghost')

    def test_embedded_default(self):
        """No enabled_backends: the embedded local share backend."""
        self.write_config('[DEFAULT]\nstate_path = @STATE@\n')
        share = self.cli_json('share', 'create', 'NFS', '1', '--name', 'e')
        self.assertEqual('local-share', share['backend'])
        self.assertTrue(os.path.isdir(self.path_of(share)))
        self.assertEqual(0, self.cli('share', 'delete', 'e').rc)


class TestConcurrentCLI(ShareCLITestCase):
    """Two processes racing on one share: exactly one transition wins."""

    SLOW = ('storagemgr.tests.functional.share.slow_local.'
            'SlowLocalShareDriver')

    def test_delete_against_resize(self):
        self.write_config(LOCAL % (self.SLOW, 'slow_local_delay = 0\n'))
        share = self.cli_json('share', 'create', 'NFS', '1')
        slow = self.write_config(LOCAL % (self.SLOW,
                                          'slow_local_delay = 8\n'),
                                 path=os.path.join(self.state_path,
                                                   'slow.conf'))
        deleter = subprocess.Popen(
            [base.console_script('storagemgr'), '--config-file', slow,
             'share', 'delete', share['id']], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, cwd=self.state_path)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.cli_json('share', 'show', share['id'])['status'] == \
                    'deleting':
                break
            time.sleep(0.1)
        resize = self.cli('share', 'resize', share['id'], '2')
        _out, err = deleter.communicate(timeout=60)
        self.assertEqual(0, deleter.returncode, err)
        self.assertRefused(resize, 'deleting')
        self.assertEqual([], self.cli_json('share', 'list'))


class TestKillAndResume(ShareCLITestCase):
    """A CLI SIGKILLed mid-flow; ``manager run --once`` settles it."""

    SLOW = ('storagemgr.tests.functional.share.slow_local.'
            'SlowLocalShareDriver')

    def _kill_midway(self, *args, driver=None, options=None):
        slow_conf = os.path.join(self.state_path, 'slow.conf')
        self.write_config(
            LOCAL % (driver or self.SLOW,
                     options or 'slow_local_delay = 60\n'), path=slow_conf)
        process = subprocess.Popen(
            [base.console_script('storagemgr'), '--config-file', slow_conf]
            + list(args), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, cwd=self.state_path)
        self.addCleanup(process.wait)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            rows = self.cli_json('share', 'list')
            if any(r['status'] in constants.TRANSITIONAL_STATUSES
                   for r in rows):
                break
            time.sleep(0.1)
        time.sleep(1.0)  # well into the driver's stall
        process.send_signal(signal.SIGKILL)
        process.wait()

    def _resume(self, driver=None):
        self.write_config(LOCAL % (driver or self.SLOW, ''))
        result = self.cli('manager', 'run', '--once')
        self.assertEqual(0, result.rc, result.err)

    def test_killed_create_is_finished(self):
        self._kill_midway('share', 'create', 'NFS', '1', '--name', 'k')
        self.assertEqual('creating',
                         self.cli_json('share', 'show', 'k')['status'])
        # The killed driver call had made the directory already.
        self.assertEqual(1, len(self.share_dirs()))
        self._resume()
        share = self.cli_json('share', 'show', 'k')
        self.assertEqual('available', share['status'])
        self.assertNothingTransitional()
        self.assertNoOrphans()

    def test_killed_delete_leaves_no_orphan(self):
        self.write_config(LOCAL % (self.SLOW, ''))
        self.cli_json('share', 'create', 'NFS', '1', '--name', 'k')
        self._kill_midway('share', 'delete', 'k')
        self.assertEqual('deleting',
                         self.cli_json('share', 'show', 'k')['status'])
        self._resume()
        self.assertEqual([], self.cli_json('share', 'list'))
        self.assertEqual([], self.share_dirs())

    def test_killed_create_on_fake_driver(self):
        self._kill_midway('share', 'create', 'NFS', '1', '--name', 'f',
                          driver='fake',
                          options='fake_delays = create_share:60\n')
        self._resume(driver='fake')
        self.assertNothingTransitional()
        self.assertEqual('available',
                         self.cli_json('share', 'show', 'f')['status'])
