"""The manager re-exports attached volumes when it starts."""

from unittest import mock

import ddt

from storagemgr import context
from storagemgr.message import api as message_api
from storagemgr.service import manager as service_manager
from storagemgr.tests.unit.volume import test_attach
from storagemgr.volume import periodic


@ddt.ddt
class EnsureExportsTestCase(test_attach.AttachTestCase):

    def setUp(self):
        super().setUp()
        self.api.attach('v')
        self.idle = self.api.create_volume('idle', size=1)
        self.registry = self.api.registry

    def ensure(self):
        return periodic.ensure_exports(self.registry,
                                       context.get_admin_context())

    def test_in_use_volumes_are_re_exported(self):
        with mock.patch.object(self.driver, 'ensure_export') as ensure:
            self.assertEqual(0, self.ensure())
        [call] = ensure.call_args_list
        self.assertEqual(self.volume['id'], call[0][1]['id'])
        self.assertEqual('in-use', self.status())

    @ddt.data(RuntimeError('boom'), KeyError('k'), OSError('gone'))
    def test_failure_puts_the_volume_in_error_with_a_reason(self, error):
        with mock.patch.object(self.driver, 'ensure_export',
                               side_effect=error):
            self.assertEqual(1, self.ensure())
        self.assertEqual('error', self.status())
        self.assertEqual('available',
                         self.api.get_volume('idle')['status'])
        [message] = message_api.list('volume', self.volume['id'])
        self.assertIn(type(error).__name__, message['detail'])

    def test_manager_runs_it_once(self):
        manager = service_manager.Manager(self.registry)
        with mock.patch.object(self.driver, 'ensure_export') as ensure:
            manager.run_due_tasks()
            manager.run_due_tasks()
        self.assertEqual(1, ensure.call_count)
