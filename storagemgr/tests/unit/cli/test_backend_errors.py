"""``backend list/show`` with a misconfigured and a failing backend."""

import json

from storagemgr.tests import base
from storagemgr.tests.unit.cli import fixtures

_PKG = 'storagemgr.tests.unit.fake_drivers.'
run_cli = fixtures.run_cli


class BackendErrorCommandsTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.conf_path = self.write_config(
            '[DEFAULT]\nstate_path = @STATE@\n'
            'enabled_backends = s1, typo, broken\n'
            '[database]\nconnection = sqlite:///@STATE@/test.sqlite\n'
            '[backend_defaults]\ndriver_setup_retries = 0\n'
            'driver_setup_backoff_initial = 30\n'
            '[s1]\nshare_driver = %(p)sRecordingShareDriver\n'
            '[typo]\nshare_driver = nosuchdriver\n'
            '[broken]\nshare_driver = %(p)sBrokenShareDriver\n' % {
                'p': _PKG})

    def cli(self, *args):
        return run_cli(['--config-file', self.conf_path] + list(args))

    def test_list_shows_every_backend_and_the_bad_ones_reasons(self):
        rc, out, err = self.cli('backend', 'list', '-f', 'json')
        self.assertEqual(0, rc, err)
        rows = {r['name']: r for r in json.loads(out)}
        self.assertEqual('up', rows['s1']['state'])
        self.assertIn('nosuchdriver', rows['typo']['state'])
        self.assertTrue(rows['broken']['state'].startswith('error: '))

    def test_show_gives_last_error_and_next_attempt(self):
        rc, out, err = self.cli('backend', 'show', 'broken', '-f', 'json')
        self.assertEqual(0, rc, err)
        shown = json.loads(out)
        self.assertIn('no such array', shown['last_error'])
        self.assertTrue(shown['next_attempt_at'])
        rc, out, err = self.cli('backend', 'show', 'typo', '-f', 'json')
        self.assertEqual(0, rc, err)
        shown = json.loads(out)
        self.assertIn('nosuchdriver', shown['last_error'])
        self.assertIsNone(shown['next_attempt_at'])

    def test_using_the_misconfigured_backend_is_refused_on_one_line(self):
        rc, out, err = self.cli('share', 'create', 'NFS', '1', '--backend',
                                'typo')
        self.assertNotEqual(0, rc)
        self.assertIn("'typo'", err)
        self.assertIn('nosuchdriver', err)
        self.assertNotIn('Traceback', out + err)
        self.assertEqual(1, len(err.strip().splitlines()), err)

    def test_other_backends_still_serve_commands(self):
        rc, out, err = self.cli('backend', 'show', 's1', '-f', 'json')
        self.assertEqual(0, rc, err)
        self.assertEqual('up', json.loads(out)['state'])
