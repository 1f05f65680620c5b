"""``storagemgr volume attach|detach`` as a user runs them.

The installed CLI, real files (local driver) and os-brick's real local
connector; a crash mid-flow is finished by the manager.
"""

import os

from storagemgr.tests.functional import base

# root_helper empty: nothing privileged is needed for local volumes, so
# the test runs the same whether or not it runs as root.
CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = v1,f1\n'
          'root_helper =\n'
          '[v1]\nvolume_driver = local\n'
          '[f1]\nvolume_driver = fake\n'
          'fake_failures = initialize_connection:builtins.RuntimeError\n')
CRASH_AT_ENV = 'STORAGEMGR_TEST_CRASH_AT'


class TestVolumeAttachCLI(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.volume = self.cli_json('volume', 'create', '--size', '1',
                                    '--backend', 'v1', 'v')

    def show(self, ref='v'):
        return self.cli_json('volume', 'show', ref)

    def test_attach_write_detach_read_back(self):
        attached = self.cli_json('volume', 'attach', 'v')
        self.assertEqual('in-use', attached['status'])
        self.assertEqual('local', attached['driver_volume_type'])
        path = attached['attached_path']
        # With the local connector the device is the volume's own file.
        self.assertEqual(self.volume['provider_location'], path)
        payload = os.urandom(4096)
        with open(path, 'r+b') as f:
            f.seek(1024 * 1024)
            f.write(payload)
        shown = self.show()
        self.assertEqual(('in-use', 'attached'),
                         (shown['status'], shown['attach_status']))
        self.assertEqual(path, shown['attachments'][0]['attached_path'])

        self.assertRefused(self.cli('volume', 'attach', 'v'), 'in-use')
        self.assertRefused(self.cli('volume', 'delete', 'v'), 'in-use')

        result = self.cli('volume', 'detach', 'v')
        self.assertEqual(0, result.rc, result.err)
        shown = self.show()
        self.assertEqual(('available', 'detached', []),
                         (shown['status'], shown['attach_status'],
                          shown['attachments']))
        self.assertRefused(self.cli('volume', 'detach', 'v'), 'available')

        # The data is the volume's: a clone of it holds it too.
        clone = self.cli_json('volume', 'create', '--source', 'v', 'c')
        with open(clone['provider_location'], 'rb') as f:
            f.seek(1024 * 1024)
            self.assertEqual(payload, f.read(4096))
        self.assertEqual(0, self.cli('volume', 'delete', 'c', 'v').rc)

    def test_driver_failure_leaves_it_available_with_a_message(self):
        volume = self.cli_json('volume', 'create', '--size', '1',
                               '--backend', 'f1', 'f')
        result = self.cli('volume', 'attach', 'f')
        self.assertRefused(result, 'injected failure in '
                                   'initialize_connection')
        self.assertEqual(1, len(result.err.strip().splitlines()),
                         result.err)
        shown = self.show('f')
        self.assertEqual(('available', []),
                         (shown['status'], shown['attachments']))
        messages = self.cli_json('message', 'list')
        self.assertIn((volume['id'], 'attach'),
                      [(m['resource_id'], m['action']) for m in messages])
        exports = os.path.join(self.state_path, 'fake-volume-exports', 'f1')
        self.assertEqual([], os.listdir(exports))

    def test_bad_input(self):
        for args, culprit in ((('volume', 'attach', 'nope'), 'nope'),
                              (('volume', 'detach', 'nope'), 'nope'),
                              (('volume', 'attach'), 'volume')):
            self.assertRefused(self.cli(*args), culprit)

    def test_crashed_attach_finished_by_the_manager(self):
        env = dict(os.environ, **{CRASH_AT_ENV: 'SUCCESS:ConnectVolumeTask'})
        crashed = self.run_script('storagemgr', '--config-file', self.conf,
                                  'volume', 'attach', 'v', env=env)
        self.assertEqual(-9, crashed.rc, crashed.err)
        self.assertEqual('attaching', self.show()['status'])
        manager = self.cli('manager', 'run', '--once')
        self.assertEqual(0, manager.rc, manager.err)
        shown = self.show()
        self.assertEqual('in-use', shown['status'])
        self.assertEqual(self.volume['provider_location'],
                         shown['attachments'][0]['attached_path'])

    def test_crashed_detach_finished_by_the_manager(self):
        self.cli_json('volume', 'attach', 'v')
        env = dict(os.environ,
                   **{CRASH_AT_ENV: 'SUCCESS:TerminateConnectionTask'})
        crashed = self.run_script('storagemgr', '--config-file', self.conf,
                                  'volume', 'detach', 'v', env=env)
        self.assertEqual(-9, crashed.rc, crashed.err)
        self.assertEqual('detaching', self.show()['status'])
        manager = self.cli('manager', 'run', '--once')
        self.assertEqual(0, manager.rc, manager.err)
        shown = self.show()
        self.assertEqual(('available', []),
                         (shown['status'], shown['attachments']))
