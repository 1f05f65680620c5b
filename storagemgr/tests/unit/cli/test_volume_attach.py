"""``storagemgr volume attach|detach`` in process, on the local driver."""

from unittest import mock

import ddt

from storagemgr.tests.unit.cli import fixtures
from storagemgr.volume.flows import attach as attach_flows


def _properties(root_helper, my_ip, multipath, enforce_multipath,
                host=None, execute=None):
    return {'host': host, 'ip': my_ip, 'platform': 'x86_64',
            'os_type': 'linux', 'multipath': multipath,
            'enforce_multipath': enforce_multipath}


@ddt.ddt
class VolumeAttachCliTestCase(fixtures.CLITestCase):

    enabled_backends = 'lv'
    sections = '[lv]\nvolume_driver = local\n'

    def setUp(self):
        super().setUp()
        module = attach_flows._brick_connector_module()
        patcher = mock.patch.object(module, 'get_connector_properties',
                                    side_effect=_properties)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.volume = self.json('volume', 'create', '--size', '1', 'v')

    def refused(self, *args, expect=None):
        rc, out, err = self.cli(*args)
        self.assertOneLineError(rc, out, err, expect)

    def test_attach_show_detach(self):
        attached = self.json('volume', 'attach', 'v')
        self.assertEqual(self.volume['id'], attached['volume_id'])
        self.assertEqual('in-use', attached['status'])
        self.assertEqual('attached', attached['attach_status'])
        self.assertEqual('local', attached['driver_volume_type'])
        path = attached['attached_path']
        self.assertEqual(path,
                         attached['connection_info']['data']['device_path'])
        with open(path, 'r+b') as f:
            f.write(b'through the CLI')

        shown = self.json('volume', 'show', 'v')
        self.assertEqual('in-use', shown['status'])
        self.assertEqual('attached', shown['attach_status'])
        [summary] = shown['attachments']
        self.assertEqual(path, summary['attached_path'])
        self.assertEqual(attached['id'], summary['id'])

        rc, out, err = self.cli('volume', 'detach', 'v')
        self.assertEqual(0, rc, err)
        self.assertEqual('', out)
        shown = self.json('volume', 'show', self.volume['id'])
        self.assertEqual('available', shown['status'])
        self.assertEqual('detached', shown['attach_status'])
        self.assertEqual([], shown['attachments'])
        with open(shown['provider_location'], 'rb') as f:
            self.assertEqual(b'through the CLI', f.read(15))

    def test_table_output_names_the_path(self):
        rc, out, err = self.cli('volume', 'attach', 'v')
        self.assertEqual(0, rc, err)
        self.assertIn('attached_path', out)
        self.assertIn(self.volume['id'], out)

    @ddt.data(
        (('volume', 'attach', 'nope'), 'nope'),
        (('volume', 'detach', 'nope'), 'nope'),
        (('volume', 'detach', 'v'), 'available'),
        (('volume', 'attach', ''), "''"),
    )
    @ddt.unpack
    def test_bad_input_one_line(self, args, expect):
        self.refused(*args, expect=expect)
        self.assertEqual('available',
                         self.json('volume', 'show', 'v')['status'])

    def test_attached_volume_refusals(self):
        self.json('volume', 'attach', 'v')
        self.refused('volume', 'attach', 'v', expect='in-use')
        self.refused('volume', 'delete', 'v', expect='in-use')
        self.assertEqual('in-use', self.json('volume', 'show', 'v')['status'])

    def test_driver_failure_one_line_and_a_message(self):
        with mock.patch(
                'storagemgr.volume.drivers.local.LocalVolumeDriver.'
                'initialize_connection',
                side_effect=RuntimeError('target unreachable')):
            self.refused('volume', 'attach', 'v',
                         expect='target unreachable')
        self.assertEqual('available',
                         self.json('volume', 'show', 'v')['status'])
        messages = self.json('message', 'list')
        self.assertIn('attach', [m['action'] for m in messages])
