"""Base for functional tests: run the installed CLI as a user would."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import testtools


def console_script(name):
    """Path of an installed console script, preferring this interpreter's."""
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    if os.path.exists(candidate):
        return candidate
    found = shutil.which(name)
    if found is None:
        raise RuntimeError('%s is not installed' % name)
    return found


class CLIResult(object):
    def __init__(self, process):
        self.rc = process.returncode
        self.out = process.stdout
        self.err = process.stderr

    def json(self):
        return json.loads(self.out)


class FunctionalTestCase(testtools.TestCase):
    """A private state directory and config file per test.

    ``self.write_config(text)`` replaces ``@STATE@`` with the directory;
    ``self.cli(*args)`` runs ``storagemgr --config-file ... args``.
    """

    def setUp(self):
        super().setUp()
        self.state_path = tempfile.mkdtemp(prefix='sm-func-')
        self.addCleanup(shutil.rmtree, self.state_path, True)
        self.conf = os.path.join(self.state_path, 'storagemgr.conf')
        self.write_config('[DEFAULT]\nstate_path = @STATE@\n')

    def write_config(self, text, path=None):
        path = path or self.conf
        with open(path, 'w') as f:
            f.write(text.replace('@STATE@', self.state_path))
        return path

    def run_script(self, script, *args, timeout=120, env=None):
        process = subprocess.run(
            [console_script(script)] + list(args), capture_output=True,
            text=True, timeout=timeout, env=env, cwd=self.state_path)
        return CLIResult(process)

    def cli(self, *args, conf=None, timeout=120):
        return self.run_script('storagemgr', '--config-file',
                               conf or self.conf, *args, timeout=timeout)

    def cli_json(self, *args):
        result = self.cli(*(args + ('-f', 'json')))
        self.assertEqual(0, result.rc, result.err)
        return result.json()

    def assertRefused(self, result, *culprits):
        """A user mistake: non-zero, no traceback, names the culprit."""
        text = result.out + result.err
        self.assertNotEqual(0, result.rc, text)
        self.assertNotIn('Traceback', text)
        for culprit in culprits:
            self.assertIn(culprit, text)
