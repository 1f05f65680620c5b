"""What the compat tests share: the real CLI with a driver on PYTHONPATH."""

import os

from storagemgr.tests.functional import base


class DriverCLITestCase(base.FunctionalTestCase):
    """Runs ``storagemgr`` with ``tree`` on ``PYTHONPATH``.

    A subclass calls ``use_driver_tree(tree)`` in ``setUp``, after
    writing its configuration.
    """

    def use_driver_tree(self, tree):
        self.env = dict(os.environ, PYTHONPATH=tree,
                        PYTHONWARNINGS='ignore')

    def cli(self, *args, conf=None, timeout=120):
        return self.run_script('storagemgr', '--config-file',
                               conf or self.conf, *args, timeout=timeout,
                               env=self.env)

    def run_ok(self, *args):
        result = self.cli(*args)
        self.assertEqual(0, result.rc, result.err[-2000:])
        return result

    def ok(self, *args):
        """A command's ``-f json`` output, which must succeed."""
        return self.run_ok(*(args + ('-f', 'json'))).json()
