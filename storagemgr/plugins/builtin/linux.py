"""The built-in ``linux`` plugin: block devices of storage servers.

It has no scannable of its own: its data comes from the ``linux`` agent
device plugin (``storagemgr.agent.device_plugins.linux``) running in
``storagemgr-agent`` on each server, one session per host, rooted at the
host's ``PluginAgentResources``.

Model: each whole device is a ``LinuxDeviceNode`` (the /dev node, with
the kernel's I/O counters as statistics) whose ``logical_drive`` is the
storage behind it: a ``ScsiDevice`` when the device has a serial (the
same disk seen from two hosts is one resource, and a controller plugin's
LUN can provide to it by serial), else an ``UnsharedDevice``.
Partitions, md arrays and LVM groups/volumes get their own resources,
with parent edges following the device stack so that a failing disk
affects everything built on it.
"""

from storagemgr.plugins.api import attributes
from storagemgr.plugins.api import identifiers
from storagemgr.plugins.api import plugin
from storagemgr.plugins.api import resources
from storagemgr.plugins.api import statistics

version = 1

SECTOR = 512


class ScsiDevice(resources.LogicalDrive):
    """A drive with a serial number, possibly seen from several hosts."""

    class Meta:
        identifier = identifiers.GlobalId('serial')
        label = 'SCSI device'

    serial = attributes.String()
    model = attributes.String(optional=True)
    vendor = attributes.String(optional=True)

    def get_label(self):
        return self.serial


class UnsharedDevice(resources.LogicalDrive):
    """A drive without a serial: known by its path on one host."""

    class Meta:
        identifier = identifiers.ScopedId('path')
        label = 'Local device'

    path = attributes.PosixPath()

    def get_label(self):
        return self.path


class LinuxDeviceNode(resources.DeviceNode):
    """A block device node (/dev/sda) with its I/O statistics."""

    class Meta:
        identifier = identifiers.ScopedId('path')
        label = 'Device node'
        charts = [
            {'title': 'Throughput',
             'series': ['read_bytes', 'write_bytes']},
            {'title': 'Operations', 'series': ['read_ios', 'write_ios']},
            {'title': 'Busy time', 'series': ['io_time']},
        ]

    name = attributes.String()
    device_type = attributes.Enum('disk', 'partition', 'dm', 'lvm', 'md')
    size = attributes.Bytes()
    major_minor = attributes.String(optional=True)
    read_only = attributes.Boolean(optional=True)
    rotational = attributes.Boolean(optional=True)

    read_ios = statistics.Counter(units='ops')
    write_ios = statistics.Counter(units='ops')
    read_bytes = statistics.Counter(units=statistics.UNITS_BYTES)
    write_bytes = statistics.Counter(units=statistics.UNITS_BYTES)
    io_time = statistics.Counter(units='ms')
    in_flight = statistics.Gauge(units='requests')

    def get_label(self):
        return self.name


class Partition(resources.LogicalDriveSlice):
    """A partition of a drive."""

    class Meta:
        identifier = identifiers.GlobalId('container', 'number')

    container = attributes.ResourceReference()
    number = attributes.Integer(min_val=0)

    def get_label(self):
        return '%s-%s' % (self.container.get_label(), self.number)


class MdRaid(resources.LogicalDrive):
    """A Linux software RAID (md) array."""

    class Meta:
        identifier = identifiers.GlobalId('uuid')
        label = 'MD array'

    uuid = attributes.String()
    level = attributes.String(optional=True)
    name = attributes.String(optional=True)

    def get_label(self):
        return self.name or self.uuid


class DmDevice(resources.LogicalDrive):
    """A device-mapper device other than an LVM volume (crypt, mpath)."""

    class Meta:
        identifier = identifiers.GlobalId('uuid')
        label = 'Device-mapper device'

    uuid = attributes.String()
    name = attributes.String(optional=True)

    def get_label(self):
        return self.name or self.uuid


class LvmGroup(resources.StoragePool):
    """An LVM volume group."""

    class Meta:
        identifier = identifiers.GlobalId('uuid')
        label = 'Volume group'

    uuid = attributes.String()
    name = attributes.String()
    size = attributes.Bytes(optional=True)

    def get_label(self):
        return self.name


class LvmVolume(resources.LogicalDriveSlice):
    """An LVM logical volume."""

    class Meta:
        identifier = identifiers.GlobalId('uuid', 'vg')
        label = 'Logical volume'

    uuid = attributes.String()
    vg = attributes.ResourceReference()
    name = attributes.String()

    def get_label(self):
        return '%s-%s' % (self.vg.get_label(), self.name)

    @classmethod
    def device_type(cls):
        return 'lvm_volume'


def split_dm_name(dm_name):
    """'vg--a-lv' -> ('vg-a', 'lv'): LVM doubles dashes inside names."""
    marker = '\0'
    parts = dm_name.replace('--', marker).split('-', 1)
    parts = [p.replace(marker, '-') for p in parts]
    return (parts[0], parts[1]) if len(parts) == 2 else (dm_name, dm_name)


class Linux(plugin.Plugin):
    """Turns the agent's device report into resources (see module doc)."""

    internal = True

    def agent_session_start(self, host_id, data):
        self._apply(host_id, data, initial=True)

    def agent_session_continue(self, host_id, data):
        self._apply(host_id, data, initial=False)

    def _apply(self, host_id, data, initial):
        devs = (data or {}).get('devs') or {}
        reported = set()
        nodes = {}
        # Whole devices first, so partitions and stacks find their parents.
        order = sorted(devs.values(), key=lambda d: (
            d.get('type') == 'partition', bool(d.get('slaves')),
            d.get('name')))
        for dev in order:
            node, drive = self._report_device(host_id, dev, nodes,
                                              reported)
            nodes[dev['name']] = node
            reported.update((node, drive))
        self._size_lvm_groups(reported)
        if not initial:
            self._remove_unreported(reported)

    def _report_device(self, host_id, dev, nodes, reported):
        kind = dev.get('type', 'disk')
        size = int(dev.get('size') or 0)
        parent_nodes = [nodes[s] for s in dev.get('slaves', [])
                        if s in nodes]
        if kind == 'partition' and dev.get('parent') in nodes:
            disk_node = nodes[dev['parent']]
            drive, _ = self.update_or_create(
                Partition, parents=[disk_node],
                container=disk_node.logical_drive,
                number=int(dev.get('number') or 0), size=size)
        elif kind == 'md' and dev.get('md_uuid'):
            drive, _ = self.update_or_create(
                MdRaid, parents=parent_nodes, uuid=dev['md_uuid'],
                level=dev.get('md_level'), name=dev['name'], size=size)
        elif kind == 'lvm':
            drive = self._report_lv(dev, parent_nodes, size, reported)
        elif kind == 'dm' and dev.get('dm_uuid'):
            drive, _ = self.update_or_create(
                DmDevice, parents=parent_nodes, uuid=dev['dm_uuid'],
                name=dev.get('dm_name'), size=size)
        elif dev.get('wwid') or dev.get('serial'):
            drive, _ = self.update_or_create(
                ScsiDevice, parents=parent_nodes,
                serial=dev.get('wwid') or dev['serial'],
                model=dev.get('model'), vendor=dev.get('vendor'),
                size=size)
        else:
            drive, _ = self.update_or_create(
                UnsharedDevice, parents=parent_nodes, path=dev['path'],
                size=size)
        node, _ = self.update_or_create(
            LinuxDeviceNode, parents=[drive], host_id=host_id,
            path=dev['path'], name=dev['name'], logical_drive=drive,
            device_type=kind if kind in ('disk', 'partition', 'dm', 'lvm',
                                         'md') else 'disk',
            size=size, major_minor=dev.get('major_minor'),
            read_only=dev.get('read_only'),
            rotational=dev.get('rotational'))
        self._record_stats(node, dev.get('stat') or {})
        return node, drive

    def _report_lv(self, dev, parent_nodes, size, reported):
        uuid = dev.get('dm_uuid') or ''
        vg_uuid, lv_uuid = uuid[4:36], uuid[36:68] or uuid
        vg_name, lv_name = split_dm_name(dev.get('dm_name') or dev['name'])
        vg, _ = self.update_or_create(
            LvmGroup, parents=parent_nodes, uuid=vg_uuid or vg_name,
            name=vg_name)
        reported.add(vg)
        lv, _ = self.update_or_create(
            LvmVolume, parents=[vg], uuid=lv_uuid, vg=vg, name=lv_name,
            size=size)
        return lv

    @staticmethod
    def _size_lvm_groups(reported):
        # A group's size is what its physical volumes add up to.
        for vg in reported:
            if isinstance(vg, LvmGroup):
                vg.size = sum(p.size for p in vg.get_parents()
                              if isinstance(p, LinuxDeviceNode)) or None

    @staticmethod
    def _record_stats(node, stat):
        if not stat:
            return
        node.read_ios = stat.get('read_ios', 0)
        node.write_ios = stat.get('write_ios', 0)
        node.read_bytes = stat.get('read_sectors', 0) * SECTOR
        node.write_bytes = stat.get('write_sectors', 0) * SECTOR
        node.io_time = stat.get('io_ticks', 0)
        node.in_flight = stat.get('in_flight', 0)

    def _remove_unreported(self, reported):
        keep = {id(r) for r in reported}
        for klass in (LinuxDeviceNode, Partition, LvmVolume, LvmGroup,
                      MdRaid, DmDevice, ScsiDevice, UnsharedDevice):
            for resource in self.find_by_attr(klass):
                if id(resource) not in keep:
                    self.remove(resource)
