"""The committed sample configuration matches the code."""

import os
import subprocess
import sys
import tempfile

from storagemgr.tests import base

_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                     '..'))
_SAMPLE = os.path.join(_ROOT, 'etc', 'storagemgr', 'storagemgr.conf.sample')
_GENERATOR_CONF = os.path.join(_ROOT, 'etc', 'storagemgr',
                               'oslo-config-generator', 'storagemgr.conf')


class SampleConfigTestCase(base.TestCase):

    def test_sample_is_current(self):
        with tempfile.NamedTemporaryFile(suffix='.conf') as out:
            subprocess.run(
                [sys.executable, '-m', 'oslo_config.generator',
                 '--config-file', _GENERATOR_CONF,
                 '--output-file', out.name],
                check=True, cwd=_ROOT, capture_output=True)
            generated = open(out.name).read()
        with open(_SAMPLE) as f:
            committed = f.read()
        self.assertEqual(
            committed, generated,
            'etc/storagemgr/storagemgr.conf.sample is out of date: run '
            '"tox -e genconfig" and commit the result.')

    def test_sample_lists_core_and_driver_options(self):
        with open(_SAMPLE) as f:
            sample = f.read()
        for word in ('enabled_backends', '[backend_defaults]', 'state_path',
                     '[database]', 'share_driver', 'volume_driver'):
            self.assertIn(word, sample)
