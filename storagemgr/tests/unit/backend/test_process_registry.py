"""The process registry that flow tasks use to find their drivers."""

from storagemgr.backend import process_registry
from storagemgr.backend import registry as backend_registry
from storagemgr import exception
from storagemgr.tests import base

_PKG = 'storagemgr.tests.unit.fake_drivers.'


class ProcessRegistryTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.write_config('[DEFAULT]\nenabled_backends = s1\n'
                          '[s1]\nshare_driver = %sRecordingShareDriver\n'
                          % _PKG)

    def test_built_from_configuration_when_none_was_given(self):
        process_registry.use_registry(None)
        driver = process_registry.driver_for('s1', 'share')
        self.assertEqual('RecordingShareDriver', type(driver).__name__)
        self.assertIs(driver, process_registry.driver_for('s1', 'share'))

    def test_given_registry_is_used(self):
        mine = backend_registry.BackendRegistry()
        process_registry.use_registry(mine)
        self.assertIs(mine.get('s1').driver,
                      process_registry.driver_for('s1', 'share'))

    def test_wrong_kind_is_refused(self):
        self.assertRaises(exception.BackendKindMismatch,
                          process_registry.get_backend, 's1', 'volume')
