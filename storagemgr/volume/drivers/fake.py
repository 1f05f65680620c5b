"""An in-memory volume driver for tests and benchmarks.

It keeps volumes and snapshots in dicts and can be slowed down and made
to fail on purpose:

* ``fake_delays`` (``method:seconds``) sleeps at the start of a method;
  ``fake_member_delay`` sleeps in every per-member call (create_snapshot,
  delete_snapshot, create_volume_from_snapshot, create_cloned_volume), which
  is what a group snapshot's latency is made of.
* ``fake_failures`` (``method:dotted.ExceptionClass``) makes a method raise
  that class, foreign ones included (``builtins.RuntimeError``).
* ``fake_total_capacity_gb`` and ``fake_thin_provisioning`` shape the
  stats the scheduler places volumes by (one pool named after the
  backend; free is the total less the sizes it holds).
* ``fake_native_groups``: when false (the default) the group methods raise
  NotImplementedError, so the manager's generic per-volume code runs.
* Attaching works through os-brick's local connector: ``create_export``
  makes an empty file of the volume's size under
  ``$state_path/fake-volume-exports/<backend>/``, ``initialize_connection``
  returns it as the ``device_path`` and ``remove_export`` deletes it.
  ``exports`` and ``connections`` say what is exported and to whom, so a
  test can check that nothing is left behind.
* ``set_fault(method, ...)`` does all that and more from Python: raise an
  exception instance or class, return per-member error statuses, leave a
  list out, or return malformed entries.
"""

import contextlib
import importlib
import os
import threading
import time

from oslo_config import cfg

from storagemgr import exception
from storagemgr.i18n import _
from storagemgr import paths
from storagemgr.volume import driver
from storagemgr.volume.drivers import capacity

fake_opts = [
    cfg.DictOpt('fake_delays', default={},
                help=_('Seconds the fake volume driver waits in a method, '
                       'as method:seconds pairs.')),
    cfg.FloatOpt('fake_member_delay', default=0.0, min=0,
                 help=_('Seconds the fake volume driver waits in each '
                        'per-member call (snapshot, clone...).')),
    cfg.DictOpt('fake_failures', default={},
                help=_('Methods of the fake volume driver that raise, as '
                       'method:dotted.ExceptionClass pairs.')),
    cfg.FloatOpt('fake_total_capacity_gb', default=1000.0, min=0,
                 help=_('Total capacity the fake volume driver reports; '
                        'its free capacity is that less the sizes of the '
                        'volumes it holds.')),
    cfg.BoolOpt('fake_thin_provisioning', default=True,
                help=_('Whether the fake volume driver reports thin '
                       'provisioning (else thick).')),
    cfg.BoolOpt('fake_native_groups', default=False,
                help=_('Whether the fake volume driver does consistency '
                       'group operations itself instead of leaving them '
                       'to the generic per-volume code.')),
]

_GROUP_METHODS = {
    'create_consistencygroup': 1, 'create_consistencygroup_from_src': 2,
    'delete_consistencygroup': 2, 'update_consistencygroup': 3,
    'create_cgsnapshot': 2, 'delete_cgsnapshot': 2,
}


def _import_class(path):
    module_name, _sep, name = path.rpartition('.')
    return getattr(importlib.import_module(module_name or 'builtins'), name)


class Fault(object):
    """What one method does instead of its job.

    :param exception: an exception class or instance to raise.
    :param model_status: status put in a group method's model_update.
    :param member_statuses: ``{index: status}`` for per-member entries.
    :param omit_list: return None for the member list.
    :param malformed: ``'no_id'``, ``'wrong_type'``, ``'unknown_status'``,
        ``'unknown_id'`` or ``'not_a_tuple'``.
    :param times: how many calls it affects (None: all).
    """

    def __init__(self, exception=None, model_status=None,
                 member_statuses=None, omit_list=False, malformed=None,
                 times=None):
        self.exception = exception
        self.model_status = model_status
        self.member_statuses = member_statuses or {}
        self.omit_list = omit_list
        self.malformed = malformed
        self.times = times


class FakeVolumeDriver(driver.VolumeDriver, driver.ConsistencyGroupDriver):
    """Volumes in memory, with delays and failures on demand."""

    def __init__(self, configuration=None, **kwargs):
        super().__init__(configuration=configuration, **kwargs)
        self.volumes = {}
        self.snapshots = {}
        self.calls = []
        self.exports = {}
        self.connections = {}
        self._faults = {}
        self._lock = threading.Lock()
        self._options = {}

    @staticmethod
    def get_driver_options():
        return (driver.VolumeDriver.get_driver_options() +
                capacity.capacity_opts + fake_opts)

    def _option(self, name, default):
        # Read once: oslo.config lookups are slow next to a fake call, and
        # a hundred members calling at once would queue on them.
        if name not in self._options:
            value = None
            if self.configuration is not None:
                value = self.configuration.safe_get(name)
            self._options[name] = default if value is None else value
        return self._options[name]

    def set_fault(self, method, **kwargs):
        """Make ``method`` misbehave; see ``Fault`` for the keywords."""
        self._faults[method] = Fault(**kwargs)

    def clear_faults(self):
        self._faults.clear()

    def _take_fault(self, method):
        with self._lock:
            fault = self._faults.get(method)
            if fault is not None and fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    del self._faults[method]
        return fault

    def _enter(self, method, per_member=False):
        with self._lock:
            self.calls.append(method)
        delay = float(self._option('fake_delays', {}).get(method, 0) or 0)
        if per_member:
            delay += self._option('fake_member_delay', 0.0)
        if delay:
            time.sleep(delay)
        failing = self._option('fake_failures', {}).get(method)
        if failing:
            raise _import_class(failing)('injected failure in %s' % method)
        fault = self._take_fault(method)
        if fault is not None and fault.exception is not None:
            raise fault.exception
        return fault

    # Volumes ---------------------------------------------------------------

    def create_volume(self, volume):
        self._enter('create_volume')
        self.volumes[volume['id']] = {'size': volume['size'], 'data': None}
        return {'provider_location': 'fake://volume/%s' % volume['id']}

    def delete_volume(self, volume):
        self._enter('delete_volume', per_member=True)
        self.volumes.pop(volume['id'], None)

    def extend_volume(self, volume, new_size):
        self._enter('extend_volume')
        self.volumes.setdefault(volume['id'], {'data': None})['size'] = \
            new_size

    def create_snapshot(self, snapshot):
        self._enter('create_snapshot', per_member=True)
        source = self.volumes.get(snapshot['volume_id'], {})
        self.snapshots[snapshot['id']] = {'data': source.get('data')}
        return {'provider_location': 'fake://snapshot/%s' % snapshot['id']}

    def delete_snapshot(self, snapshot):
        self._enter('delete_snapshot', per_member=True)
        self.snapshots.pop(snapshot['id'], None)

    def create_volume_from_snapshot(self, volume, snapshot):
        self._enter('create_volume_from_snapshot', per_member=True)
        data = self.snapshots.get(snapshot['id'], {}).get('data')
        self.volumes[volume['id']] = {'size': volume['size'], 'data': data}
        return {'provider_location': 'fake://volume/%s' % volume['id']}

    def create_cloned_volume(self, volume, src_vref):
        self._enter('create_cloned_volume', per_member=True)
        data = self.volumes.get(src_vref['id'], {}).get('data')
        self.volumes[volume['id']] = {'size': volume['size'], 'data': data}
        return {'provider_location': 'fake://volume/%s' % volume['id']}

    def get_volume_stats(self, refresh=False):
        total = float(self._option('fake_total_capacity_gb', 1000.0))
        used = sum(v.get('size') or 0 for v in list(self.volumes.values()))
        return capacity.backend_stats(
            self.configuration,
            getattr(self.configuration, 'config_group', None) or 'fake',
            total, max(0.0, total - used),
            self._option('fake_thin_provisioning', True),
            vendor_name='storagemgr', driver_version='1.0',
            storage_protocol='fake', consistencygroup_support=True)

    def manage_existing(self, volume, existing_ref):
        self._enter('manage_existing')
        self.volumes[volume['id']] = {'size': volume['size'], 'data': None}

    def manage_existing_get_size(self, volume, existing_ref):
        self._enter('manage_existing_get_size')
        return int((existing_ref or {}).get('size', 1))

    def unmanage(self, volume):
        self._enter('unmanage')
        self.volumes.pop(volume['id'], None)

    # Exports and connections -----------------------------------------------

    def _export_path(self, volume):
        directory = paths.state_path(
            'fake-volume-exports',
            getattr(self.configuration, 'config_group', None) or 'fake',
            create=True)
        return paths.safe_join(directory, volume['id'])

    def create_export(self, context, volume, connector):
        self._enter('create_export')
        path = self._export_path(volume)
        with open(path, 'ab') as f:
            f.truncate(volume['size'] * 1024 ** 3)
        self.exports[volume['id']] = path
        return {'provider_auth': 'fake-auth %s' % volume['id']}

    def ensure_export(self, context, volume):
        self._enter('ensure_export')
        if not os.path.exists(self._export_path(volume)):
            self.create_export(context, volume, None)

    def remove_export(self, context, volume):
        self._enter('remove_export')
        self.exports.pop(volume['id'], None)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._export_path(volume))

    def initialize_connection(self, volume, connector):
        self._enter('initialize_connection')
        path = self._export_path(volume)
        if not os.path.exists(path):
            raise exception.VolumeDriverException(
                msg='volume %s is not exported' % volume['id'])
        self.connections[volume['id']] = dict(connector or {})
        return {'driver_volume_type': 'local',
                'data': {'device_path': path}}

    def terminate_connection(self, volume, connector, **kwargs):
        self._enter('terminate_connection')
        self.connections.pop(volume['id'], None)

    # Consistency groups ----------------------------------------------------

    def _group_call(self, method, members, do_native):
        """Faulty return, native work, or NotImplementedError."""
        fault = self._enter(method)
        if fault is None:
            if not self._option('fake_native_groups', False):
                raise NotImplementedError()
            return do_native()
        entries = []
        for index, member in enumerate(members):
            entry = {'id': member['id']}
            if index in fault.member_statuses:
                entry['status'] = fault.member_statuses[index]
            entries.append(entry)
        entries = self._malform(fault.malformed, entries)
        model = ({'status': fault.model_status}
                 if fault.model_status else None)
        if fault.malformed == 'not_a_tuple':
            return 'garbage'
        if _GROUP_METHODS[method] == 1:
            return model
        listed = None if fault.omit_list else entries
        if _GROUP_METHODS[method] == 3:
            return model, listed, None
        return model, listed

    @staticmethod
    def _malform(kind, entries):
        if not entries or kind in (None, 'not_a_tuple'):
            return entries
        if kind == 'no_id':
            entries[0].pop('id')
        elif kind == 'wrong_type':
            entries[0] = 'not a dict'
        elif kind == 'unknown_status':
            entries[0]['status'] = 'exploded'
        elif kind == 'unknown_id':
            entries[0]['id'] = 'no-such-member'
        return entries

    def create_consistencygroup(self, context, group):
        return self._group_call('create_consistencygroup', [], lambda: None)

    def update_consistencygroup(self, context, group, add_volumes=None,
                                remove_volumes=None):
        return self._group_call('update_consistencygroup',
                                list(add_volumes or ()),
                                lambda: (None, None, None))

    def delete_consistencygroup(self, context, group, volumes):
        def native():
            for volume in volumes:
                self.volumes.pop(volume['id'], None)
            return None, [{'id': v['id'], 'status': 'deleted'}
                          for v in volumes]
        return self._group_call('delete_consistencygroup', volumes, native)

    def create_consistencygroup_from_src(self, context, group, volumes,
                                         cgsnapshot=None, snapshots=None,
                                         source_cg=None, source_vols=None):
        def native():
            for volume, source in zip(volumes, snapshots or source_vols):
                store = self.snapshots if snapshots else self.volumes
                self.volumes[volume['id']] = {
                    'size': volume['size'],
                    'data': store.get(source['id'], {}).get('data')}
            return None, None
        return self._group_call('create_consistencygroup_from_src', volumes,
                                native)

    def create_cgsnapshot(self, context, cgsnapshot, snapshots):
        def native():
            for snapshot in snapshots:
                self.create_snapshot(snapshot)
            return None, None
        return self._group_call('create_cgsnapshot', snapshots, native)

    def delete_cgsnapshot(self, context, cgsnapshot, snapshots):
        def native():
            for snapshot in snapshots:
                self.snapshots.pop(snapshot['id'], None)
            return None, None
        return self._group_call('delete_cgsnapshot', snapshots, native)
