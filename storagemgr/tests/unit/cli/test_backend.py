"""``storagemgr backend list/show`` and one-line errors, in process."""

import json

import ddt

from storagemgr.tests import base
from storagemgr.tests.unit.cli import fixtures

_PKG = 'storagemgr.tests.unit.fake_drivers.'


run_cli = fixtures.run_cli


@ddt.ddt
class BackendCommandsTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.conf_path = self.write_config(
            '[DEFAULT]\nstate_path = @STATE@\nenabled_backends = s1, v1, bad\n'
            '[database]\nconnection = sqlite:///@STATE@/test.sqlite\n'
            '[backend_defaults]\ndriver_setup_retries = 0\n'
            '[s1]\nshare_driver = %(p)sRecordingShareDriver\n'
            '[v1]\nvolume_driver = %(p)sRecordingVolumeDriver\n'
            '[bad]\nshare_driver = %(p)sBrokenShareDriver\n' % {'p': _PKG})

    def test_list_json(self):
        rc, out, err = run_cli(['--config-file', self.conf_path,
                                'backend', 'list', '-f', 'json'])
        self.assertEqual(0, rc, err)
        rows = {r['name']: r for r in json.loads(out)}
        self.assertEqual({'s1', 'v1', 'bad'}, set(rows))
        self.assertEqual('up', rows['s1']['state'])
        self.assertEqual('volume', rows['v1']['kind'])
        self.assertTrue(rows['bad']['state'].startswith('error: KeyError'))
        self.assertEqual('pool0', rows['s1']['pools'][0]['pool_name'])

    def test_list_kind_filter(self):
        rc, out, _err = run_cli(['--config-file', self.conf_path, 'backend',
                                 'list', '--kind', 'volume', '-f', 'value',
                                 '-c', 'name'])
        self.assertEqual(['v1'], out.split())

    def test_show(self):
        rc, out, err = run_cli(['--config-file', self.conf_path,
                                'backend', 'show', 's1', '-f', 'json'])
        self.assertEqual(0, rc, err)
        shown = json.loads(out)
        self.assertEqual('s1', shown['name'])
        self.assertEqual('1.0', shown['capabilities']['driver_version'])

    @ddt.data(
        (['backend', 'show', 'nope'], 'nope'),
        (['--config-file', '/no/such/file.conf', 'backend', 'list'],
         '/no/such/file.conf'),
    )
    @ddt.unpack
    def test_errors_are_one_line_without_traceback(self, args, culprit):
        if args[0] != '--config-file':
            args = ['--config-file', self.conf_path] + args
        rc, out, err = run_cli(args)
        self.assertNotEqual(0, rc)
        self.assertIn(culprit, err)
        self.assertNotIn('Traceback', err + out)
        self.assertEqual(1, len(err.strip().splitlines()), err)

    def test_secret_options_never_logged(self):
        conf = self.write_config(
            '[DEFAULT]\nstate_path = @STATE@\nenabled_backends =\n'
            '[database]\nconnection = sqlite:///@STATE@/test.sqlite\n'
            '[coordination]\nbackend_url = file://@STATE@/locks?pw=hunter2\n',
            name='secret.conf')
        rc, out, err = run_cli(['--config-file', conf, '--debug',
                                'backend', 'list'])
        self.assertEqual(0, rc, err)
        self.assertNotIn('hunter2', out + err)
        self.assertIn('backend_url', err)
