"""Helpers for volume tests: a registry with one fake backend."""

from storagemgr.backend import registry as backend_registry
from storagemgr.tests import base
from storagemgr.volume import api as volume_api


def make_api(test, driver='fake', extra=''):
    """An API on backend ``b1`` (driver ``driver``); returns (api, driver)."""
    test.write_config('[DEFAULT]\nstate_path=@STATE@\nenabled_backends=b1\n'
                      '[b1]\nvolume_driver=%s\n%s' % (driver, extra))
    test.flags(state_path=test.state_path)
    registry = backend_registry.BackendRegistry()
    api = volume_api.API(registry)
    return api, registry.get('b1', kind='volume').driver


class GroupTestCase(base.TestCase):
    """``self.api`` on a fake backend with group ``g`` holding volume ``v``.

    ``with_cgsnapshot`` adds group snapshot ``cgs``; ``with_plain`` adds
    volume ``plain``, in no group.
    """

    with_cgsnapshot = False
    with_plain = False
    # Lines added to the backend's section.
    backend_config = ''

    def setUp(self):
        super().setUp()
        self.api, self.driver = make_api(self, extra=self.backend_config)
        self.group = self.api.create_group('g')
        self.volume = self.api.create_volume('v', size=1,
                                             group=self.group['id'])
        if self.with_cgsnapshot:
            self.cgsnapshot = self.api.create_cgsnapshot('g', 'cgs')
        if self.with_plain:
            self.plain = self.api.create_volume('plain', size=1)
