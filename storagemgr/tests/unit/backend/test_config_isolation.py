"""One bad backend section puts that backend in error, not every command.

Mistakes that are not about one backend still stop everything.
"""

import ddt

from storagemgr.backend import config_check
from storagemgr.backend import registry
from storagemgr import exception
from storagemgr.tests import base

_PKG = 'storagemgr.tests.unit.fake_drivers.'
_GOOD = '[good]\nshare_driver = %sRecordingShareDriver\n' % _PKG


@ddt.ddt
class ConfigIsolationTestCase(base.TestCase):

    def registry_for(self, bad_section):
        self.write_config(
            '[DEFAULT]\nenabled_backends = good, bad\n'
            '[backend_defaults]\ndriver_setup_retries = 0\n' +
            _GOOD + bad_section)
        return registry.BackendRegistry()

    @ddt.data(
        ('[bad]\nshare_driver = nosuchdriver\n', ['nosuchdriver']),
        ('[bad]\nshare_driver = no.such.module.Driver\n',
         ['no.such.module.Driver']),
        ('[bad]\nbackend_host = x\n', ['names no driver']),
        ('[bad]\nshare_driver = %(p)sRecordingShareDriver\n'
         'volume_driver = %(p)sRecordingVolumeDriver\n' % {'p': _PKG},
         ['both']),
        ('[bad]\nshare_driver = %sRecordingShareDriver\n'
         'driver_setup_retries = lots\n' % _PKG,
         ['driver_setup_retries', 'integer']),
        ('[bad]\nshare_driver = %sRecordingShareDriver\n'
         'recording_pool_count = 0\n' % _PKG,
         ['recording_pool_count', 'min 1']),
    )
    @ddt.unpack
    def test_bad_section_marks_only_that_backend(self, section, words):
        reg = self.registry_for(section)
        self.assertEqual(['good', 'bad'], reg.names())
        # The good backend works.
        self.assertEqual('up', reg.get('good').state)
        # The bad one is listed in error, with its reason.
        bad = reg.lookup('bad')
        described = bad.describe()
        self.assertTrue(described['state'].startswith('error: '))
        for word in words:
            self.assertIn(word, described['state'])
            self.assertIn(word, described['last_error'])
        # Using it is refused on one line naming the backend and reason.
        err = self.assertRaises(exception.BackendUnavailable,
                                reg.get, 'bad')
        self.assertIn("'bad'", str(err))
        for word in words:
            self.assertIn(word, str(err))
        self.assertNotIn('\n', str(err))
        # A configuration error is not retried: it needs a new config.
        self.assertFalse(bad.setup())
        self.assertIsNone(bad.next_attempt_at)

    def test_kind_filter_and_default_backend_see_a_known_kind(self):
        reg = self.registry_for('[bad]\nshare_driver = nosuchdriver\n')
        self.assertEqual(['good', 'bad'], reg.names('share'))
        self.assertRaises(exception.BackendUnavailable, reg.get, 'bad',
                          kind='share')

    def test_unknown_kind_is_refused_as_unavailable(self):
        reg = self.registry_for('[bad]\nbackend_host = x\n')
        self.assertEqual(['good'], reg.names('share'))
        err = self.assertRaises(exception.BackendUnavailable, reg.get,
                                'bad', kind='share')
        self.assertIn('names no driver', str(err))

    def test_setup_all_records_the_config_error(self):
        reg = self.registry_for('[bad]\nshare_driver = nosuchdriver\n')
        reg.setup_all()
        from storagemgr.backend import state_store
        stored = state_store.load_all()
        self.assertEqual('up', stored['good']['state'])
        self.assertEqual('error', stored['bad']['state'])
        self.assertIn('nosuchdriver', stored['bad']['error'])

    @ddt.data(
        ('[DEFAULT]\nenabled_backends = good\nperiodic_interval = soon\n' +
         _GOOD, exception.InvalidConfigValue, 'periodic_interval'),
        ('[DEFAULT]\nenabled_backends = good, ../etc\n' + _GOOD,
         exception.ConfigurationError, '../etc'),
        ('[DEFAULT]\nenabled_backends = good, ghost\n' + _GOOD,
         exception.BackendSectionMissing, 'ghost'),
        ('[DEFAULT]\nenabled_backends = good\n[backend_defaults]\n'
         'driver_setup_retries = lots\n' + _GOOD,
         exception.InvalidConfigValue, 'backend_defaults'),
    )
    @ddt.unpack
    def test_mistakes_beyond_one_backend_still_stop(self, text, error, word):
        self.write_config(text)
        err = self.assertRaises(error, registry.BackendRegistry)
        self.assertIn(word, str(err))

    def test_check_backends_still_raises_on_the_first_mistake(self):
        self.write_config('[DEFAULT]\nenabled_backends = good, bad\n' +
                          _GOOD + '[bad]\nshare_driver = nosuchdriver\n')
        self.assertRaises(exception.DriverNotFound,
                          config_check.check_backends)
