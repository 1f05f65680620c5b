"""The foundation as a new user meets it: config errors, backends, service."""

import os
import signal
import subprocess
import time

import ddt

from storagemgr.tests.functional import base

_PKG = 'storagemgr.tests.unit.fake_drivers.'


@ddt.ddt
class ConfigErrorsTestCase(base.FunctionalTestCase):

    def test_unknown_backend_in_the_list_is_one_line_error(self):
        self.write_config('[DEFAULT]\nstate_path = @STATE@\n'
                          'enabled_backends = ghost\n')
        result = self.cli('backend', 'list')
        self.assertRefused(result, 'ghost')
        self.assertEqual(1, len(result.err.strip().splitlines()),
                         result.err)

    @ddt.data(
        ('[b1]\nbackend_host = x\n', ['[b1]', 'share_driver']),
        ('[b1]\nshare_driver = nosuchdriver\n',
         ['nosuchdriver', 'local', 'fake']),
        ('[b1]\nshare_driver = fake\ndriver_setup_retries = many\n',
         ['driver_setup_retries', '[b1]']),
    )
    @ddt.unpack
    def test_bad_section_spoils_only_its_backend(self, section, culprits):
        # One bad section puts its backend in error, with the reason;
        # the other backends keep working.
        self.write_config('[DEFAULT]\nstate_path = @STATE@\n'
                          'enabled_backends = b1, good\n' + section +
                          '[good]\nshare_driver = fake\n')
        rows = {r['name']: r for r in self.cli_json('backend', 'list')}
        self.assertEqual('up', rows['good']['state'])
        for culprit in culprits:
            self.assertIn(culprit, rows['b1']['state'])
        result = self.cli('share', 'create', 'NFS', '1', '--backend', 'b1')
        self.assertRefused(result, 'b1', *culprits)
        self.assertEqual(1, len(result.err.strip().splitlines()),
                         result.err)
        self.cli_json('share', 'create', 'NFS', '1', '--backend', 'good')


class BackendsTestCase(base.FunctionalTestCase):

    def test_list_and_show(self):
        self.write_config(
            '[DEFAULT]\nstate_path = @STATE@\nenabled_backends = a, b\n'
            '[a]\nshare_driver = %(p)sRecordingShareDriver\n'
            '[b]\nvolume_driver = %(p)sRecordingVolumeDriver\n' % {
                'p': _PKG})
        rows = self.cli_json('backend', 'list')
        self.assertEqual(['a', 'b'], [r['name'] for r in rows])
        self.assertEqual(['up', 'up'], [r['state'] for r in rows])
        shown = self.cli_json('backend', 'show', 'a')
        self.assertEqual('share', shown['kind'])

    def test_embedded_default_needs_no_config(self):
        # A home with no storagemgr.conf anywhere storagemgr looks.
        home = os.path.join(self.state_path, 'home')
        os.mkdir(home)
        env = dict(os.environ, HOME=home)
        env.pop('XDG_STATE_HOME', None)
        result = self.run_script('storagemgr', 'backend', 'list', '-f',
                                 'json', env=env)
        self.assertEqual(0, result.rc, result.err)
        names = {r['name']: r for r in result.json()}
        self.assertEqual({'local-share', 'local-volume'}, set(names))
        self.assertEqual(['up', 'up'], [names[n]['state'] for n in sorted(
            names)])
        state = os.path.join(home, '.local', 'state', 'storagemgr')
        self.assertTrue(os.path.exists(os.path.join(state,
                                                    'storagemgr.sqlite')))
        self.assertEqual(0o700, os.stat(state).st_mode & 0o777)

    def test_db_commands(self):
        self.assertEqual(0, self.cli('db', 'sync').rc)
        version = self.cli_json('db', 'version')
        self.assertTrue(version['up_to_date'])


class ManagerServiceTestCase(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.write_config(
            '[DEFAULT]\nstate_path = @STATE@\nenabled_backends = a\n'
            '[a]\nshare_driver = %sRecordingShareDriver\n' % _PKG)

    def test_run_once_exits(self):
        result = self.cli('manager', 'run', '--once', timeout=120)
        self.assertEqual(0, result.rc, result.err)
        rows = self.cli_json('backend', 'list')
        self.assertEqual('up', rows[0]['state'])

    def test_sigterm_stops_the_service_cleanly(self):
        process = subprocess.Popen(
            [base.console_script('storagemgr-manager'), '--config-file',
             self.conf], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(process.kill)
        # Wait until it has recorded the backend's state.
        deadline = time.monotonic() + 60
        db = os.path.join(self.state_path, 'storagemgr.sqlite')
        while not os.path.exists(db) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.fail('storagemgr-manager ignored SIGTERM')
        self.assertEqual(0, process.returncode,
                         process.stderr.read().decode())
