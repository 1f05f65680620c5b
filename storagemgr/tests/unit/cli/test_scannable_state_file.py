"""``storage scannable add`` checks the simulator's state_file at once.

A bad path used to be stored and to fail only at the first scan.
"""

import json
import os

import ddt

from storagemgr.tests import base
from storagemgr.tests.unit.cli import fixtures

run_cli = fixtures.run_cli


@ddt.ddt
class SimulatorStateFileTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.conf_path = self.write_config(
            '[DEFAULT]\nstate_path = @STATE@\nenabled_backends =\n'
            '[database]\nconnection = sqlite:///@STATE@/test.sqlite\n')

    def cli(self, *args):
        return run_cli(['--config-file', self.conf_path] + list(args))

    def add(self, state_file):
        return self.cli('storage', 'scannable', 'add', '--plugin',
                        'simulator', '--class', 'Couplet',
                        'state_file=%s' % state_file)

    def scannables(self):
        rc, out, err = self.cli('storage', 'scannable', 'list', '-f', 'json')
        self.assertEqual(0, rc, err)
        return json.loads(out)

    @ddt.data('../../etc/passwd',          # relative, and a traversal
              'array.json',                # relative
              '/tmp/../etc/array.json',    # absolute, with a traversal
              '/etc/passwd',               # exists, not a state file
              '/no/such/directory/array.json',
              '/')                         # not a regular file
    def test_refused_on_one_line_and_nothing_stored(self, path):
        rc, out, err = self.add(path)
        self.assertNotEqual(0, rc)
        self.assertIn('state_file', err)
        self.assertNotIn('Traceback', out + err)
        self.assertEqual(1, len(err.strip().splitlines()), err)
        self.assertEqual([], self.scannables())

    def test_absolute_path_in_an_existing_directory_is_accepted(self):
        path = os.path.join(self.state_path, 'array.json')
        rc, out, err = self.add(path)
        self.assertEqual(0, rc, err)
        self.assertEqual([path], [s['label'] for s in self.scannables()])
