"""The manager's periodic loop: order, spacing, isolation of failures."""

from unittest import mock

import fixtures

from storagemgr import exception
from storagemgr.service import manager as service_manager
from storagemgr.service import periodic
from storagemgr.tests import base


class _Clock(object):
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class ManagerTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.write_config('[DEFAULT]\nenabled_backends =\n')
        self.ran = []
        self.clock = _Clock()
        tasks = [
            periodic.PeriodicTask('late', lambda m: self.ran.append('late'),
                                  lambda: 10, 90),
            periodic.PeriodicTask('boom', self._boom, lambda: 10, 50),
            periodic.PeriodicTask('early', lambda m: self.ran.append(
                'early'), lambda: 30, 1),
        ]
        self.useFixture_patch = mock.patch.object(
            periodic, 'all_tasks',
            return_value=sorted(tasks, key=lambda t: (t.order, t.name)))
        self.useFixture_patch.start()
        self.addCleanup(self.useFixture_patch.stop)
        self.manager = service_manager.Manager(clock=self.clock)

    def _boom(self, manager):
        self.ran.append('boom')
        raise RuntimeError('task failed')

    def test_tasks_run_in_order_and_failures_are_isolated(self):
        self.assertEqual(3, self.manager.run_due_tasks())
        self.assertEqual(['early', 'boom', 'late'], self.ran)
        self.assertIn('task failed', self.manager.failures['boom'])

    def test_spacing_is_respected(self):
        self.manager.run_due_tasks()
        self.clock.now += 15
        self.ran[:] = []
        self.manager.run_due_tasks()
        self.assertEqual(['boom', 'late'], self.ran)

    def test_run_once_returns_and_calls_stop_hooks(self):
        stopped = []
        service_manager._STOP_HOOKS.append(stopped.append)
        self.addCleanup(service_manager._STOP_HOOKS.remove, stopped.append)
        self.manager.run(once=True)
        self.assertEqual(['early', 'boom', 'late'], self.ran)
        self.assertEqual([self.manager], stopped)
        self.assertTrue(self.manager.stop_event.is_set())

    def test_real_task_list_starts_with_backend_stats(self):
        self.useFixture_patch.stop()
        names = [t.name for t in periodic.all_tasks()]
        self.useFixture_patch.start()
        self.assertTrue(names[0].endswith('refresh_backend_stats'))


class AreaTaskLoadingTestCase(base.TestCase):
    """Area task modules come from entry points; a broken one is loud."""

    def test_installed_areas_register_their_tasks(self):
        names = [t.name for t in periodic.all_tasks()]
        self.assertIn('storagemgr.service.backend_tasks.'
                      'resume_orphaned_flows', names)
        # Every area that has periodic work is installed, shares included.
        for module in ('storagemgr.share.periodic',
                       'storagemgr.message.periodic',
                       'storagemgr.plugins.periodic'):
            self.assertTrue(any(n.startswith(module + '.') for n in names),
                            module)

    def test_module_that_fails_to_import_is_an_error(self):
        broken = mock.Mock(value='storagemgr.no_such_area')
        broken.name = 'nosuch'

        def manager(namespace, invoke_on_load, on_load_failure_callback):
            on_load_failure_callback(
                None, broken, ImportError('No module named no_such_area'))

        self.useFixture(fixtures.MockPatchObject(periodic, '_LOADED', []))
        self.useFixture(fixtures.MockPatchObject(
            periodic.extension, 'ExtensionManager', manager))
        error = self.assertRaises(exception.StorageManagerException,
                                  periodic.load_area_tasks)
        self.assertIn('storagemgr.no_such_area', str(error))
        self.assertIn('nosuch', str(error))
