"""BackendConfiguration: per-backend values with shared defaults."""

import ddt
from oslo_config import cfg

from storagemgr.conf import backend as backend_conf
from storagemgr.tests import base

_OPTS = [cfg.StrOpt('colour', default='blue'),
         cfg.IntOpt('depth', default=7),
         cfg.BoolOpt('shiny', default=True)]


@ddt.ddt
class BackendConfigurationTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.write_config('[backend_defaults]\ndepth = 9\n'
                          '[b1]\ncolour = red\nshiny = false\n')
        self.config = backend_conf.BackendConfiguration('b1')
        self.config.append_config_values(_OPTS)

    @ddt.data(('colour', 'red'),      # set in the backend's section
              ('depth', 9),           # only in [backend_defaults]
              ('shiny', False),       # a false value is still a value
              ('driver_setup_retries', 3))  # nowhere: the default
    @ddt.unpack
    def test_value_resolution(self, name, expected):
        self.assertEqual(expected, getattr(self.config, name))

    def test_safe_get_unknown_is_none(self):
        self.assertIsNone(self.config.safe_get('no_such_option'))

    def test_get_with_default(self):
        self.assertEqual('x', self.config.get('no_such_option', 'x'))

    def test_is_set_only_for_backend_section(self):
        self.assertTrue(self.config.is_set('colour'))
        self.assertFalse(self.config.is_set('depth'))

    def test_appending_twice_is_harmless(self):
        self.config.append_config_values(_OPTS)
        self.assertEqual('red', self.config.colour)

    def test_other_backend_sees_only_defaults(self):
        other = backend_conf.BackendConfiguration('b2')
        other.append_config_values(_OPTS)
        self.assertEqual('blue', other.colour)
        self.assertEqual(9, other.depth)
