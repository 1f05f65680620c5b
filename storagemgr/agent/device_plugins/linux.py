"""Agent side of the ``linux`` plugin: this machine's block devices.

Reads sysfs and /proc only (no commands are run): every block device in
/sys/block and /proc/partitions with its partitions, device-mapper
(including LVM logical volumes) and md devices, serial numbers, sizes and
the kernel's I/O counters (``/sys/block/<dev>/stat``). Loop and RAM disks
are left out.

The report is ``{'host': name, 'devs': {name: {...}}}``; each device
dict holds ``name``, ``path``, ``type`` (disk, partition, dm, lvm, md),
``size`` (bytes), ``major_minor``, ``serial``/``wwid``/``model``/
``vendor`` where known, ``rotational``, ``read_only``, ``slaves``,
``holders``, ``parent`` and ``number`` for partitions, ``dm_name``/
``dm_uuid``, ``md_level``/``md_uuid`` and ``stat`` (I/O counters).
"""

import os
import socket

from storagemgr.agent import device_plugin

SYS_BLOCK = '/sys/block'
SYS_CLASS_BLOCK = '/sys/class/block'
PROC_PARTITIONS = '/proc/partitions'
SECTOR = 512

# Names of the fields of /sys/block/<dev>/stat, in order.
STAT_FIELDS = ('read_ios', 'read_merges', 'read_sectors', 'read_ticks',
               'write_ios', 'write_merges', 'write_sectors', 'write_ticks',
               'in_flight', 'io_ticks', 'time_in_queue')
_SKIPPED_PREFIXES = ('loop', 'ram')


def _read(path, default=None):
    try:
        with open(path) as f:
            return f.read().strip()
    except (OSError, UnicodeDecodeError):
        return default


def _read_int(path, default=None):
    text = _read(path)
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _listdir(path):
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []


def read_stat(sysdir):
    """The I/O counters of a device directory, as a dict (empty if none)."""
    fields = (_read(os.path.join(sysdir, 'stat')) or '').split()
    values = {}
    for name, text in zip(STAT_FIELDS, fields):
        try:
            values[name] = int(text)
        except ValueError:
            return {}
    return values


def _serials(sysdir):
    found = {}
    for key, rel in (('wwid', 'wwid'), ('wwid', 'device/wwid'),
                     ('serial', 'serial'), ('serial', 'device/serial'),
                     ('model', 'device/model'),
                     ('vendor', 'device/vendor')):
        value = _read(os.path.join(sysdir, rel))
        if value and key not in found:
            found[key] = value
    return found


def _device_type(name, sysdir):
    if os.path.exists(os.path.join(sysdir, 'partition')):
        return 'partition'
    if os.path.isdir(os.path.join(sysdir, 'dm')):
        uuid = _read(os.path.join(sysdir, 'dm', 'uuid')) or ''
        return 'lvm' if uuid.startswith('LVM-') else 'dm'
    if os.path.isdir(os.path.join(sysdir, 'md')):
        return 'md'
    return 'disk'


def describe_device(name, sysdir, parent=None):
    """One device's dict (see the module docstring)."""
    dev = {'name': name, 'path': '/dev/%s' % name,
           'type': _device_type(name, sysdir),
           'size': (_read_int(os.path.join(sysdir, 'size'), 0) or 0)
           * SECTOR,
           'major_minor': _read(os.path.join(sysdir, 'dev')),
           'read_only': _read(os.path.join(sysdir, 'ro')) == '1',
           'rotational': _read(os.path.join(
               sysdir, 'queue', 'rotational')) == '1',
           'slaves': _listdir(os.path.join(sysdir, 'slaves')),
           'holders': _listdir(os.path.join(sysdir, 'holders')),
           'stat': read_stat(sysdir)}
    dev.update(_serials(sysdir))
    if dev['type'] == 'partition':
        dev['parent'] = parent
        dev['number'] = _read_int(os.path.join(sysdir, 'partition'))
    elif dev['type'] in ('dm', 'lvm'):
        dev['dm_name'] = _read(os.path.join(sysdir, 'dm', 'name'))
        dev['dm_uuid'] = _read(os.path.join(sysdir, 'dm', 'uuid'))
    elif dev['type'] == 'md':
        dev['md_level'] = _read(os.path.join(sysdir, 'md', 'level'))
        dev['md_uuid'] = _read(os.path.join(sysdir, 'md', 'uuid'))
    return dev


def _proc_partition_names(path=PROC_PARTITIONS):
    names = []
    for line in (_read(path) or '').splitlines()[1:]:
        fields = line.split()
        if len(fields) == 4:
            names.append(fields[3])
    return names


def scan_block_devices(sys_block=SYS_BLOCK, sys_class_block=SYS_CLASS_BLOCK,
                       proc_partitions=PROC_PARTITIONS):
    """{name: device dict} of every block device and partition."""
    devs = {}
    for name in _listdir(sys_block):
        if name.startswith(_SKIPPED_PREFIXES):
            continue
        sysdir = os.path.join(sys_block, name)
        devs[name] = describe_device(name, sysdir)
        for child in _listdir(sysdir):
            if os.path.exists(os.path.join(sysdir, child, 'partition')):
                devs[child] = describe_device(
                    child, os.path.join(sysdir, child), parent=name)
    # /proc/partitions may list devices sysfs hid from the walk above.
    for name in _proc_partition_names(proc_partitions):
        if name in devs or name.startswith(_SKIPPED_PREFIXES):
            continue
        if '/' in name or name in ('.', '..'):
            continue
        sysdir = os.path.join(sys_class_block, name)
        if os.path.isdir(sysdir):
            parent = os.path.basename(os.path.dirname(
                os.path.realpath(sysdir)))
            devs[name] = describe_device(name, sysdir, parent=parent)
    return devs


class LinuxDevicePlugin(device_plugin.DevicePlugin):
    """Reports the block devices; every update is a full report.

    The report is small (one host), and the server plugin works out what
    changed, so a lost update never leaves the server out of date.
    """

    def _report(self):
        return {'host': socket.gethostname(), 'devs': scan_block_devices()}

    def start_session(self):
        report = self._report()
        self._last = report
        return report

    def update_session(self):
        return self.start_session()
