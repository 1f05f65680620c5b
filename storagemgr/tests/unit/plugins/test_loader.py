"""Plugin loading: entry points, configured modules, errors, relations."""

import os
import sys

from storagemgr import exception
from storagemgr.plugins import loader
from storagemgr.tests import base
from storagemgr.tests.unit.plugins import test_validation


class LoaderTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        sys.path.insert(0, self.state_path)
        self.addCleanup(sys.path.remove, self.state_path)
        self.addCleanup(loader.reset_plugin_manager)

    def _module(self, name, body):
        with open(os.path.join(self.state_path, name + '.py'), 'w') as f:
            f.write(body)
        self.addCleanup(sys.modules.pop, name, None)
        return name

    def test_bundled_plugins_from_entry_points(self):
        manager = loader.PluginManager()
        self.assertEqual({}, manager.errored_plugins)
        self.assertLessEqual({'linux', 'simulator'},
                             set(manager.loaded_plugins))
        listed = {p['name']: p for p in manager.list_plugins()}
        self.assertEqual('storagemgr.plugins.builtin.linux',
                         listed['linux']['module'])
        self.assertEqual(1, listed['simulator']['version'])
        self.assertIn('Couplet', listed['simulator']['scannable_classes'])
        self.assertTrue(listed['linux']['internal'])

    def test_configured_module_and_relation_to_linux(self):
        name = self._module('lgood', test_validation.GOOD)
        self.flags(modules=[name], group='storage_plugins')
        manager = loader.PluginManager()
        self.assertIn('lgood', manager.loaded_plugins)
        volume = manager.get_resource_class('lgood', 'Volume')
        scsi = manager.get_resource_class('linux', 'ScsiDevice')
        self.assertEqual(('lgood', 'Volume'), volume.resource_class_key())
        provide = volume._meta.provides[-1]
        mirrors = [s for s in scsi._meta.subscriptions
                   if s.subscribe_to is volume]
        self.assertEqual(1, len(mirrors))
        self.assertEqual(provide.key, mirrors[0].key)
        self.assertTrue(mirrors[0].ignorecase)

    def test_broken_module_recorded_others_still_load(self):
        name = self._module('lbroken', test_validation.GOOD.replace(
            'version = 1\n', 'version = 2\n'))
        self.flags(modules=[name, 'no_such_plugin_mod'],
                   group='storage_plugins')
        manager = loader.PluginManager()
        self.assertIn('linux', manager.loaded_plugins)
        self.assertIn('version 2', str(manager.errored_plugins['lbroken']))
        self.assertIn('no_such_plugin_mod', manager.errored_plugins)
        self.assertRaises(exception.PluginProgrammingError,
                          manager.get_plugin_class, 'lbroken')
        errors = {p['name']: p['error'] for p in manager.list_plugins()}
        self.assertIsNotNone(errors['lbroken'])

    def test_unknown_plugin_and_class(self):
        manager = loader.PluginManager()
        self.assertRaises(exception.PluginNotFound,
                          manager.get_plugin_class, 'nope')
        self.assertRaises(exception.StorageResourceNotFound,
                          manager.get_resource_class, 'linux', 'Nope')

    def test_api_classes_reachable(self):
        manager = loader.PluginManager(modules=[])
        cls = manager.get_resource_class('api', 'PluginAgentResources')
        self.assertEqual(('api', 'PluginAgentResources'),
                         cls.resource_class_key())

    def test_disabled_plugin_not_loaded(self):
        self.flags(disabled=['simulator'], group='storage_plugins')
        self.assertNotIn('simulator', loader.PluginManager().loaded_plugins)

    def test_shared_manager(self):
        self.assertIs(loader.get_plugin_manager(),
                      loader.get_plugin_manager())
