"""The compat finder: served names, the real package first, sys.path."""

import os
import subprocess
import sys
import textwrap

import fixtures

from storagemgr.tests import base


def _run(code, pythonpath):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(pythonpath))
    proc = subprocess.run([sys.executable, '-c', textwrap.dedent(code)],
                          env=env, capture_output=True, text=True)
    return proc.returncode, proc.stdout.strip(), proc.stderr


class CompatFinderTestCase(base.TestCase):
    """Each case runs in a fresh interpreter: the finder is process-wide."""

    def setUp(self):
        super().setUp()
        self.tree = self.useFixture(fixtures.TempDir()).path

    def _write(self, relative, text):
        path = os.path.join(self.tree, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(text)

    def test_served_name_is_the_compat_module(self):
        rc, out, err = _run('''
            from storagemgr import compat
            compat.install()
            import manila
            import storagemgr.compat.manila as served
            print(manila is served)
            ''', [self.tree])
        self.assertEqual((0, 'True'), (rc, out), err)

    def test_unserved_submodule_is_found_on_sys_path(self):
        # A driver file extracted from a release, without __init__ files.
        self._write('manila/tests/drivers/vendor.py', 'VALUE = 42\n')
        rc, out, err = _run('''
            from storagemgr import compat
            compat.install()
            from manila.tests.drivers import vendor
            print(vendor.VALUE)
            ''', [self.tree])
        self.assertEqual((0, '42'), (rc, out), err)

    def test_real_package_wins(self):
        self._write('manila/__init__.py', 'REAL = True\n')
        rc, out, err = _run('''
            from storagemgr import compat
            print(compat.install())
            import manila
            print(manila.REAL)
            ''', [self.tree])
        self.assertEqual(0, rc, err)
        self.assertEqual("('cinder',)\nTrue", out)

    def test_nothing_served_before_install(self):
        rc, out, err = _run('''
            try:
                import manila
                print('imported')
            except ImportError:
                print('absent')
            ''', [self.tree])
        self.assertEqual((0, 'absent'), (rc, out), err)

    def test_unserved_module_keeps_its_own_name(self):
        self._write('manila/tests/drivers/vendor.py', 'VALUE = 42\n')
        rc, out, err = _run('''
            from storagemgr import compat
            compat.install()
            from manila.tests.drivers import vendor
            print(vendor.__name__)
            ''', [self.tree])
        self.assertEqual((0, 'manila.tests.drivers.vendor'), (rc, out), err)
