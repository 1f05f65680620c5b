"""Storage health as the storage service sees it."""

from storagemgr.backend import registry as backend_registry
from storagemgr.plugins import health
from storagemgr.tests import base

_PKG = 'storagemgr.tests.unit.fake_drivers.'


class BackendHealthTestCase(base.TestCase):

    def _registry(self, extra=''):
        self.write_config('[DEFAULT]\nenabled_backends = s1\n'
                          '[s1]\nshare_driver = %sRecordingShareDriver\n%s'
                          % (_PKG, extra))
        return backend_registry.BackendRegistry()

    def test_no_storage_resource_means_no_alerts(self):
        self.assertEqual([], health.alerts_for_backend(self._registry(),
                                                       's1'))

    def test_unknown_backend_means_no_alerts(self):
        self.assertEqual([], health.alerts_for_backend(self._registry(),
                                                       'gone'))

    def test_misnamed_resource_is_reported_not_raised(self):
        registry = self._registry('storage_resource = no-such-pool\n')
        alerts = health.alerts_for_backend(registry, 's1')
        self.assertEqual(1, len(alerts))
        self.assertIn('no-such-pool', alerts[0]['error'])
