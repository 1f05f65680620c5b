"""Running the CLI in process, for the CLI tests of every area."""

import io
import json
from unittest import mock

from storagemgr.cli import app
from storagemgr.tests import base


def run_cli(args):
    """``storagemgr args``; returns ``(exit status, stdout, stderr)``."""
    out, err = io.StringIO(), io.StringIO()
    with mock.patch('sys.stdout', out), mock.patch('sys.stderr', err):
        rc = app.main(args)
    return rc, out.getvalue(), err.getvalue()


class CLITestCase(base.TestCase):
    """The CLI against a config file of its own SQLite database.

    Subclasses set ``enabled_backends`` and ``sections`` (the config text
    after ``[DEFAULT]`` and ``[database]``; ``@STATE@`` is the test's
    state path).
    """

    enabled_backends = ''
    sections = ''

    def setUp(self):
        super().setUp()
        self.conf_path = self.write_config(
            '[DEFAULT]\nstate_path = @STATE@\nenabled_backends = %s\n'
            '[database]\nconnection = sqlite:///@STATE@/test.sqlite\n%s' % (
                self.enabled_backends, self.sections))

    def cli(self, *args):
        return run_cli(['--config-file', self.conf_path] + list(args))

    def assertOneLineError(self, rc, out, err, expect=None):
        """A refusal: non-zero, no traceback, one ``ERROR:`` line."""
        self.assertNotEqual(0, rc)
        self.assertNotIn('Traceback', out + err)
        lines = err.strip().splitlines()
        self.assertEqual(1, len(lines), err)
        self.assertTrue(lines[0].startswith('ERROR: '), err)
        if expect:
            self.assertIn(expect, err)

    def ok(self, *args):
        """Run a command that must succeed; its output."""
        rc, out, err = self.cli(*args)
        self.assertEqual(0, rc, err)
        return out

    def refused(self, *args, expect=None):
        """Run a command that must be refused on one line; its stderr."""
        rc, out, err = self.cli(*args)
        self.assertOneLineError(rc, out, err, expect)
        return err

    def json(self, *args):
        rc, out, err = self.cli(*(args + ('-f', 'json')))
        self.assertEqual(0, rc, err)
        return json.loads(out)
