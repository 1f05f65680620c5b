"""Configuration mistakes are caught before any driver runs."""

import ddt

from storagemgr.backend import config_check
from storagemgr.backend import kinds
from storagemgr import exception
from storagemgr.tests import base

_RECORDING = 'storagemgr.tests.unit.fake_drivers.RecordingShareDriver'


@ddt.ddt
class ConfigCheckTestCase(base.TestCase):

    def _check(self, text):
        self.write_config(text)
        return config_check.check_backends()

    def test_embedded_default_without_config(self):
        self.conf_fixture.set_config_files([])
        specs = config_check.check_backends()
        self.assertEqual(['local-share', 'local-volume'], list(specs))
        self.assertEqual(kinds.SHARE, specs['local-share'].kind)
        self.assertEqual(kinds.VOLUME, specs['local-volume'].kind)
        self.assertEqual('local', specs['local-share'].driver_name)

    def test_empty_enabled_backends_means_none(self):
        self.assertEqual({}, dict(self._check(
            '[DEFAULT]\nenabled_backends =\n')))

    def test_dotted_path_driver(self):
        specs = self._check('[DEFAULT]\nenabled_backends = b1\n'
                            '[b1]\nshare_driver = %s\n' % _RECORDING)
        self.assertEqual('RecordingShareDriver',
                         specs['b1'].driver_cls.__name__)

    @ddt.data(
        ('[DEFAULT]\nenabled_backends = ghost\n',
         exception.BackendSectionMissing, ['ghost', 'no [ghost] section']),
        ('[DEFAULT]\nenabled_backends = b1\n[b1]\nbackend_host = x\n',
         exception.BackendDriverMissing, ['[b1]', 'share_driver']),
        ('[DEFAULT]\nenabled_backends = b1\n[b1]\nshare_driver = %s\n'
         'volume_driver = %s\n' % (_RECORDING, _RECORDING),
         exception.BackendDriverAmbiguous, ['[b1]', 'both']),
        ('[DEFAULT]\nenabled_backends = b1\n[b1]\n'
         'share_driver = nosuchdriver\n',
         exception.DriverNotFound, ['nosuchdriver', '[b1]', 'local']),
        ('[DEFAULT]\nenabled_backends = b1\n[b1]\n'
         'share_driver = no.such.module.Driver\n',
         exception.DriverNotFound, ['no.such.module.Driver']),
        ('[DEFAULT]\nenabled_backends = b1\n[b1]\nshare_driver = %s\n'
         'driver_setup_retries = lots\n' % _RECORDING,
         exception.InvalidConfigValue,
         ['driver_setup_retries', '[b1]', 'integer']),
        ('[DEFAULT]\nenabled_backends = b1\n[b1]\nshare_driver = %s\n'
         'recording_pool_count = 0\n' % _RECORDING,
         exception.InvalidConfigValue,
         ['recording_pool_count', '[b1]', 'min 1']),
        ('[DEFAULT]\nenabled_backends = b1\nperiodic_interval = soon\n'
         '[b1]\nshare_driver = %s\n' % _RECORDING,
         exception.InvalidConfigValue, ['periodic_interval', '[DEFAULT]']),
        ('[DEFAULT]\nenabled_backends = ../etc\n',
         exception.ConfigurationError, ['../etc', 'not allowed']),
        ('[DEFAULT]\nenabled_backends = database\n[database]\n',
         exception.ConfigurationError, ['database', 'reserved']),
    )
    @ddt.unpack
    def test_mistake_names_the_culprit(self, text, error, words):
        err = self.assertRaises(error, self._check, text)
        for word in words:
            self.assertIn(word, str(err))
        self.assertNotIn('\n', str(err))

    def test_backend_value_falls_back_to_backend_defaults(self):
        specs = self._check(
            '[DEFAULT]\nenabled_backends = b1, b2\n'
            '[backend_defaults]\nrecording_pool_count = 3\n'
            '[b1]\nshare_driver = %s\n'
            '[b2]\nshare_driver = %s\nrecording_pool_count = 5\n' % (
                _RECORDING, _RECORDING))
        self.assertEqual(3, specs['b1'].configuration.recording_pool_count)
        self.assertEqual(5, specs['b2'].configuration.recording_pool_count)
