"""The linux device plugin reads a (fake) sysfs tree; plugin discovery."""

import os

from storagemgr.agent import device_plugin
from storagemgr.agent.device_plugins import linux
from storagemgr.tests import base


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text + '\n')


STAT = '10 0 80 5 20 0 160 7 1 30 40'


class FakeSysfsTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        root = self.state_path
        self.sys_block = os.path.join(root, 'sys', 'block')
        self.sys_class = os.path.join(root, 'sys', 'class', 'block')
        self.proc = os.path.join(root, 'partitions')
        sda = os.path.join(self.sys_block, 'sda')
        write(sda, 'size', '2048')
        write(sda, 'dev', '8:0')
        write(sda, 'stat', STAT)
        write(sda, 'device/wwid', 'naa.600')
        write(sda, 'device/model', 'DISK')
        write(sda, 'queue/rotational', '1')
        write(sda, 'sda1/partition', '1')
        write(sda, 'sda1/size', '1024')
        write(sda, 'sda1/stat', STAT)
        dm = os.path.join(self.sys_block, 'dm-0')
        write(dm, 'size', '512')
        write(dm, 'dm/name', 'vg--a-lv0')
        write(dm, 'dm/uuid', 'LVM-' + 'a' * 32 + 'b' * 32)
        os.makedirs(os.path.join(dm, 'slaves', 'sda1'))
        md = os.path.join(self.sys_block, 'md0')
        write(md, 'size', '4096')
        write(md, 'md/level', 'raid1')
        write(md, 'md/uuid', 'md-uuid-1')
        write(os.path.join(self.sys_block, 'loop0'), 'size', '8')
        write(root, 'partitions',
              'major minor  #blocks  name\n\n 8 0 1024 sda\n 7 0 4 loop0')

    def scan(self):
        return linux.scan_block_devices(self.sys_block, self.sys_class,
                                        self.proc)

    def test_devices_and_partitions(self):
        devs = self.scan()
        self.assertEqual(['dm-0', 'md0', 'sda', 'sda1'], sorted(devs))
        sda = devs['sda']
        self.assertEqual(('disk', 2048 * 512, 'naa.600', 'DISK', '8:0'),
                         (sda['type'], sda['size'], sda['wwid'],
                          sda['model'], sda['major_minor']))
        self.assertTrue(sda['rotational'])
        self.assertEqual(10, sda['stat']['read_ios'])
        self.assertEqual(160, sda['stat']['write_sectors'])
        self.assertEqual(('partition', 'sda', 1),
                         (devs['sda1']['type'], devs['sda1']['parent'],
                          devs['sda1']['number']))

    def test_device_mapper_and_md(self):
        devs = self.scan()
        self.assertEqual(('lvm', 'vg--a-lv0', ['sda1']),
                         (devs['dm-0']['type'], devs['dm-0']['dm_name'],
                          devs['dm-0']['slaves']))
        self.assertEqual(('md', 'raid1', 'md-uuid-1'),
                         (devs['md0']['type'], devs['md0']['md_level'],
                          devs['md0']['md_uuid']))

    def test_bad_stat_ignored(self):
        write(os.path.join(self.sys_block, 'sda'), 'stat', 'x y')
        self.assertEqual({}, self.scan()['sda']['stat'])


class DevicePluginTestCase(base.TestCase):

    def test_linux_device_plugin_found_by_module_name(self):
        found, errors = device_plugin.find_device_plugins()
        self.assertIs(linux.LinuxDevicePlugin, found['linux'])
        self.assertEqual({}, errors)

    def test_real_machine_report_is_json(self):
        import json
        report = linux.LinuxDevicePlugin().start_session()
        self.assertIn('devs', json.loads(json.dumps(report)))

    def test_base_update_session_sends_nothing(self):
        self.assertEqual([], device_plugin.message_bodies(
            device_plugin.DevicePlugin().update_session()))

    def test_message_bodies(self):
        msgs = device_plugin.DevicePluginMessageCollection(
            [device_plugin.DevicePluginMessage('b', priority=2),
             device_plugin.DevicePluginMessage('a', priority=1)])
        self.assertEqual(['a', 'b'], device_plugin.message_bodies(msgs))
        self.assertEqual([{'x': 1}], device_plugin.message_bodies({'x': 1}))
