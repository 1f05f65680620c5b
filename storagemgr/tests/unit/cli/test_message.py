"""``storagemgr message ...`` and the failure reason in ``share show``."""

from storagemgr.tests.unit.cli import fixtures

REASON = 'RuntimeError: fake driver fault injected in create_share'


class MessageCliTestCase(fixtures.CLITestCase):
    """A fake share backend whose create_share always fails."""

    enabled_backends = 'f1'
    sections = ('[backend_defaults]\ndriver_setup_retries = 0\n'
                '[f1]\nshare_driver = fake\n'
                'fake_raise = create_share:builtins.RuntimeError\n')

    def failed_share(self):
        rc, out, err = self.cli('share', 'create', 'NFS', '1', '--name', 'z')
        self.assertNotEqual(0, rc)
        self.assertNotIn('Traceback', out + err)
        return self.json('share', 'show', 'z')

    def test_share_show_and_message_list_give_the_reason(self):
        share = self.failed_share()
        self.assertEqual('error', share['status'])
        self.assertEqual(REASON, share['failure_reason'])
        [message] = self.json('message', 'list')
        self.assertEqual(('share', share['id'], 'create', 'ERROR', REASON),
                         (message['resource_type'], message['resource_id'],
                          message['action'], message['message_level'],
                          message['detail']))
        shown = self.json('message', 'show', message['id'])
        self.assertEqual(message['id'], shown['id'])
        self.assertIn('expires_at', shown)

    def test_list_filters(self):
        share = self.failed_share()
        self.assertEqual(1, len(self.json('message', 'list', '--resource-id',
                                          share['id'])))
        self.assertEqual(1, len(self.json('message', 'list',
                                          '--resource-type', 'share')))
        self.assertEqual([], self.json('message', 'list',
                                       '--resource-type', 'volume'))
        self.assertEqual([], self.json('message', 'list', '--resource-id',
                                       'nope'))

    def test_delete(self):
        self.failed_share()
        [message] = self.json('message', 'list')
        rc, out, err = self.cli('message', 'delete', message['id'])
        self.assertEqual(0, rc, err)
        self.assertEqual([], self.json('message', 'list'))
        self.assertIsNone(self.json('share', 'show', 'z')['failure_reason'])

    def test_unknown_message_is_one_clear_line(self):
        for command in ('show', 'delete'):
            rc, out, err = self.cli('message', command, 'no-such-id')
            self.assertNotEqual(0, rc)
            self.assertNotIn('Traceback', out + err)
            self.assertEqual(["ERROR: No message with id 'no-such-id'."],
                             err.strip().splitlines()[-1:])
