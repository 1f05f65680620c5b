"""The linux server plugin turns agent reports into resources."""

from storagemgr.plugins.api import resources
from storagemgr.plugins.builtin import linux
from storagemgr.tests import base
from storagemgr.tests.unit.plugins import fake_resource_manager


def dev(name, **kw):
    d = {'name': name, 'path': '/dev/' + name, 'type': 'disk',
         'size': 1024, 'slaves': [], 'holders': [],
         'stat': {'read_ios': 1, 'write_ios': 2, 'read_sectors': 3,
                  'write_sectors': 4, 'io_ticks': 5, 'in_flight': 0}}
    d.update(kw)
    return d


REPORT = {'host': 'h', 'devs': {
    'sda': dev('sda', wwid='naa.1'),
    'sda1': dev('sda1', type='partition', parent='sda', number=1),
    'vdb': dev('vdb'),
    'dm-0': dev('dm-0', type='lvm', slaves=['sda1'], dm_name='vg-lv',
                dm_uuid='LVM-' + 'a' * 32 + 'b' * 32),
    'md0': dev('md0', type='md', slaves=['vdb'], md_uuid='u1',
               md_level='raid1'),
}}


class LinuxPluginTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        root = resources.PluginAgentResources(host_id=4, plugin_name='linux')
        self.rm = fake_resource_manager.FakeResourceManager({9: root})
        self.plugin = linux.Linux(self.rm, 9)

    def by_class(self):
        found = {}
        for r in self.rm.resources[9].values():
            found.setdefault(type(r).__name__, []).append(r)
        return found

    def test_session_start_reports_the_device_stack(self):
        self.plugin.do_agent_session_start(REPORT)
        found = self.by_class()
        self.assertEqual(['dm-0', 'md0', 'sda', 'sda1', 'vdb'],
                         sorted(n.get_label()
                                for n in found['LinuxDeviceNode']))
        scsi = found['ScsiDevice'][0]
        self.assertEqual('naa.1', scsi.serial)
        part = found['Partition'][0]
        self.assertIs(scsi, part.container)
        self.assertEqual('naa.1-1', part.get_label())
        lv = found['LvmVolume'][0]
        self.assertEqual(('vg', 'lv', 'b' * 32),
                         (lv.vg.name, lv.name, lv.uuid))
        self.assertEqual('raid1', found['MdRaid'][0].level)
        node = [n for n in found['LinuxDeviceNode'] if n.name == 'sda'][0]
        self.assertIs(scsi, node.logical_drive)
        self.assertEqual(4, node.host_id)
        stats = self.rm.stats[(9, node._handle)]
        self.assertEqual([3 * 512], [s['value'] for s in stats['read_bytes']])

    def test_continue_removes_what_disappeared(self):
        self.plugin.do_agent_session_start(REPORT)
        smaller = {'devs': {'sda': REPORT['devs']['sda']}}
        self.plugin.do_agent_session_continue(smaller)
        left = self.by_class()
        self.assertEqual(['sda'], [n.name for n in left['LinuxDeviceNode']])
        self.assertNotIn('Partition', left)

    def test_split_dm_name(self):
        self.assertEqual(('vg-a', 'lv'), linux.split_dm_name('vg--a-lv'))
