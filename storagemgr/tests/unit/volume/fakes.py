"""Helpers for volume tests: a registry with one fake backend."""

from storagemgr.backend import process_registry
from storagemgr.backend import registry as backend_registry
from storagemgr.volume import api as volume_api


def make_api(test, driver='fake', extra=''):
    """An API on backend ``b1`` (driver ``driver``); returns (api, driver)."""
    test.write_config('[DEFAULT]\nstate_path=@STATE@\nenabled_backends=b1\n'
                      '[b1]\nvolume_driver=%s\n%s' % (driver, extra))
    test.flags(state_path=test.state_path)
    registry = backend_registry.BackendRegistry()
    api = volume_api.API(registry)
    test.addCleanup(process_registry.use_registry, None)
    return api, registry.get('b1', kind='volume').driver
