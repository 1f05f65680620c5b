"""A driver written the Manila way, built by storagemgr's registry."""

import types

from oslo_config import cfg

from storagemgr.backend import registry
from storagemgr.compat.manila import exception
from storagemgr.compat.manila.share import driver
from storagemgr.conf import backend as backend_conf
from storagemgr.share import driver_building
from storagemgr.share import private_storage
from storagemgr.tests import base

vendor_opts = [
    cfg.StrOpt('vendor_pool', default='pool0', help='Pool to use.'),
]

_PATH = __name__ + '.'


class ManilaStyleDriver(driver.ExecuteMixin, driver.ShareDriver):
    """Constructed, configured and named as Manila drivers are."""

    def __init__(self, *args, **kwargs):
        super().__init__([False, True], *args, config_opts=[vendor_opts],
                         **kwargs)
        self.private_storage = kwargs.get('private_storage')
        self.backend_name = self.configuration.safe_get(
            'share_backend_name') or 'ManilaStyle'

    def create_share(self, context, share, share_server=None):
        path = '/%s/%s' % (self.configuration.vendor_pool, share['id'])
        self.private_storage.update(share['id'], {'path': path, 'size': 1})
        return [{'path': 'host:' + path, 'is_admin_only': False,
                 'metadata': {}}]

    def delete_share(self, context, share, share_server=None):
        if self.private_storage.get(share['id'], 'path') is None:
            raise exception.ShareResourceNotFound(share_id=share['id'])
        self.private_storage.delete(share['id'])


class OldStyleDriver(object):
    """A driver whose constructor takes the configuration only."""

    def __init__(self, configuration=None):
        self.configuration = configuration


class ManilaStyleDriverTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.write_config(
            '[DEFAULT]\nenabled_backends = named, plain\n'
            '[named]\nshare_driver = %(p)sManilaStyleDriver\n'
            'driver_handles_share_servers = False\n'
            'share_backend_name = gold\nvendor_pool = fast\n'
            '[plain]\nshare_driver = %(p)sManilaStyleDriver\n'
            'driver_handles_share_servers = False\n' % {'p': _PATH})
        self.registry = registry.BackendRegistry()

    def test_built_by_the_registry(self):
        backend = self.registry.get('named')
        self.assertEqual('up', backend.state)
        drv = backend.driver
        self.assertIsInstance(drv, ManilaStyleDriver)
        self.assertEqual('gold', drv.backend_name)
        self.assertEqual('fast', drv.configuration.vendor_pool)
        self.assertIsInstance(drv.private_storage,
                              private_storage.DriverPrivateData)
        # ExecuteMixin registered the SSH options; the base, Manila's extra
        # options.
        self.assertEqual(60, drv.configuration.ssh_conn_timeout)
        self.assertIsNone(drv.configuration.network_config_group)
        self.assertFalse(drv.driver_handles_share_servers)

    def test_backend_name_defaults_and_reports(self):
        drv = self.registry.get('plain').driver
        self.assertEqual('ManilaStyle', drv.backend_name)
        drv.backend_name = 'renamed'
        self.assertEqual('renamed', drv.backend_name)
        stats = drv.get_share_stats(refresh=True)
        self.assertEqual('renamed', stats['share_backend_name'])

    def test_private_storage_outlives_the_driver_object(self):
        drv = self.registry.get('named').driver
        share_id = '3f1c6f0e-5a43-4b61-9a43-6a1d8d0f7e21'
        drv.create_share(None, {'id': share_id})
        # Another process builds another driver: the data is in the DB.
        again = driver_building.build(self.registry.lookup('named'))
        self.assertIsNot(drv, again)
        self.assertEqual({'path': '/fast/%s' % share_id, 'size': '1'},
                         again.private_storage.get(share_id))
        again.delete_share(None, {'id': share_id})
        self.assertEqual({}, drv.private_storage.get(share_id))
        self.assertRaises(exception.ShareResourceNotFound,
                          drv.delete_share, None, {'id': share_id})

    def test_backend_name_set_before_init_survives(self):
        class Early(driver.ShareDriver):
            def __init__(self, *args, **kwargs):
                self.backend_name = 'early'
                super().__init__(False, *args, **kwargs)

        drv = Early(configuration=backend_conf.BackendConfiguration('named'))
        self.assertEqual('early', drv.backend_name)

    def test_without_configuration_backend_name_is_empty(self):
        self.assertEqual('', driver.ShareDriver(False).backend_name)

    def test_constructor_without_private_storage_still_built(self):
        backend = types.SimpleNamespace(
            name='named', spec=types.SimpleNamespace(
                driver_cls=OldStyleDriver),
            configuration=backend_conf.BackendConfiguration('named'))
        drv = driver_building.build(backend)
        self.assertIs(backend.configuration, drv.configuration)

    def test_accepts_reads_signatures(self):
        def keyword_only(*, private_storage=None):
            pass

        def positional(configuration):
            pass

        def var_kwargs(**kwargs):
            pass

        self.assertTrue(driver_building._accepts(keyword_only,
                                                 'private_storage'))
        self.assertFalse(driver_building._accepts(positional,
                                                  'private_storage'))
        self.assertTrue(driver_building._accepts(var_kwargs,
                                                 'private_storage'))
