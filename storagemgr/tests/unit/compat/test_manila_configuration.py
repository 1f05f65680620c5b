"""manila.share.configuration.Configuration on storagemgr's CONF."""

from oslo_config import cfg

from storagemgr.compat.manila.share import configuration
from storagemgr.compat.manila.share import driver
from storagemgr.compat.manila.share import manager
from storagemgr.conf import backend as backend_conf
from storagemgr.tests import base

CONF = cfg.CONF

_OPTS = [
    cfg.FloatOpt('compat_test_delay', default=2.0, min=0),
    cfg.DictOpt('compat_test_delays', default={'create_share': '3'}),
]


class ConfigurationTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.write_config(
            '[DEFAULT]\nenabled_backends = alpha, beta\n'
            'compat_test_global = from-default\n'
            '[backend_defaults]\ncompat_test_delay = 0.5\n'
            '[alpha]\nshare_driver = vendor.Driver\n'
            'compat_test_delays = create_share:0\n'
            'share_backend_name = A\n'
            '[beta]\nshare_driver = other.Driver\n')

    def test_is_a_backend_configuration(self):
        config = configuration.Configuration(driver.share_opts,
                                             config_group='alpha')
        self.assertIsInstance(config, backend_conf.BackendConfiguration)
        self.assertEqual('alpha', config.config_group)

    def test_reads_the_section_then_defaults(self):
        config = configuration.Configuration(driver.share_opts,
                                             config_group='alpha')
        config.append_config_values(_OPTS)
        self.assertEqual({'create_share': '0'}, config.compat_test_delays)
        # Not in [alpha]: [backend_defaults], then the option's default.
        self.assertEqual(0.5, config.compat_test_delay)
        self.assertEqual(20.0, config.max_over_subscription_ratio)
        self.assertEqual('A', config.safe_get('share_backend_name'))
        self.assertEqual(['lost+found'], config.migration_ignore_files)

    def test_sections_do_not_leak(self):
        alpha = configuration.Configuration(_OPTS, config_group='alpha')
        beta = configuration.Configuration(_OPTS, config_group='beta')
        self.assertEqual({'create_share': '0'}, alpha.compat_test_delays)
        self.assertEqual({'create_share': '3'}, beta.compat_test_delays)

    def test_another_backends_section_as_manilas_dummy_reads_it(self):
        self.assertIn('beta', CONF.list_all_sections())
        config = configuration.Configuration(driver.share_opts,
                                             config_group='beta')
        config.append_config_values(_OPTS)
        config.append_config_values(manager.share_manager_opts)
        config.append_config_values(driver.ssh_opts)
        self.assertEqual('other.Driver', config.share_driver)
        self.assertEqual(60, config.ssh_conn_timeout)
        self.assertEqual([], config.hook_drivers)

    def test_registering_twice_is_harmless(self):
        for _ in range(2):
            config = configuration.Configuration(_OPTS,
                                                 config_group='alpha')
            config.append_config_values(_OPTS)
        self.assertEqual(0.5, config.compat_test_delay)

    def test_safe_get_unknown_is_none_attribute_raises(self):
        config = configuration.Configuration(_OPTS, config_group='alpha')
        self.assertIsNone(config.safe_get('no_such_option'))
        self.assertRaises(cfg.NoSuchOptError, getattr, config,
                          'no_such_option')

    def test_without_group_options_live_in_default(self):
        opt = cfg.StrOpt('compat_test_global', default='d')
        config = configuration.Configuration([opt])
        self.assertIsNone(config.config_group)
        self.assertEqual('from-default', config.compat_test_global)
        self.assertEqual('from-default', CONF.compat_test_global)
        self.assertIsNone(config.safe_get('no_such_option'))
        self.assertRaises(cfg.NoSuchOptError, getattr, config,
                          'no_such_option')
