"""``cinder.volume.drivers.lvm``: ``LVMVolumeDriver`` on storagemgr's files.

Cinder drivers that extend the LVM reference driver (its fake drivers
among them) override some methods and rely on the base for the rest.
Here the base is storagemgr's local volume driver
(``storagemgr.volume.drivers.local``), the way cinderlib runs Cinder
drivers outside Cinder: each volume is a sparse file under
``local_volume_root`` (default ``$state_path/volumes/<backend>``), and
snapshots, clones and volumes from snapshots are copies of those files.
So create, delete, snapshot, clone, extend, manage and stats are real.

``self.vg`` stands for the volume group. Given as ``vg_obj`` (or set by
a subclass, such as the fake drivers' ``FakeBrickLVM``), it is used for
stats as Cinder's driver does; otherwise ``check_for_setup_error`` sets it
to a ``LocalVolumeGroup``, which answers the volume group queries the
base class makes (size, free space, volumes) from the volume directory.

No iSCSI target is made: ``create_export``, ``ensure_export`` and
``remove_export`` have nothing to do (the local driver's methods are used
when it has them), and ``initialize_connection`` gives os-brick's
``local`` connection type with the file as ``device_path``. Consistency
groups are not native (as in Cinder's LVM driver): storagemgr's generic
per-volume code does them, unless a subclass overrides the methods.
"""

import os
import socket

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr.compat.cinder.volume import driver
from storagemgr.i18n import _
from storagemgr.volume.drivers import local

LOG = logging.getLogger(__name__)

GiB = 1024 ** 3

volume_opts = [
    cfg.StrOpt('volume_group', default='cinder-volumes',
               help=_('Name of the volume group an LVM-based Cinder driver '
                      'reports; volumes are files under local_volume_root '
                      'whatever it says.')),
    cfg.IntOpt('lvm_mirrors', default=0, min=0,
               help=_('Mirror count an LVM-based Cinder driver reads; only '
                      '0 is served (files are not mirrored).')),
    cfg.StrOpt('lvm_type', default='default',
               choices=['default', 'thin', 'auto'],
               help=_('LVM type an LVM-based Cinder driver reads; files are '
                      'sparse (thin) whatever it says.')),
    cfg.StrOpt('lvm_conf_file', default='/etc/cinder/lvm.conf',
               help=_('LVM configuration file an LVM-based Cinder driver '
                      'reads (not used here).')),
    cfg.FloatOpt('lvm_max_over_subscription_ratio', default=1.0,
                 help=_('Over-subscription ratio an LVM-based Cinder '
                        'driver reports; None keeps '
                        'max_over_subscription_ratio.')),
    cfg.BoolOpt('lvm_suppress_fd_warnings', default=False,
                help=_('Read by LVM-based Cinder drivers (not used here).')),
]


class LocalVolumeGroup(object):
    """The volume group queries of Cinder's LVM driver, on a directory."""

    def __init__(self, vg_name, root):
        self.vg_name = vg_name
        self.root = root
        self.vg_size = 0.0
        self.vg_free_space = 0.0
        self.vg_provisioned_capacity = 0.0
        self.vg_thin_pool_size = 0.0
        self.vg_thin_pool_free_space = 0.0

    def _files(self):
        try:
            return sorted(name for name in os.listdir(self.root)
                          if os.path.isfile(os.path.join(self.root, name))
                          and not name.endswith('.part'))
        except FileNotFoundError:
            return []

    def update_volume_group_info(self):
        st = os.statvfs(self.root)
        self.vg_size = round(st.f_blocks * st.f_frsize / GiB, 2)
        self.vg_free_space = round(st.f_bavail * st.f_frsize / GiB, 2)
        provisioned = sum(os.path.getsize(os.path.join(self.root, name))
                          for name in self._files())
        self.vg_provisioned_capacity = round(provisioned / GiB, 2)
        self.vg_thin_pool_size = self.vg_size
        self.vg_thin_pool_free_space = self.vg_free_space

    def get_volumes(self, lv_name=None):
        names = self._files()
        if lv_name is not None:
            names = [n for n in names if n == lv_name]
        return [{'vg': self.vg_name, 'name': n,
                 'size': round(os.path.getsize(os.path.join(self.root, n)) /
                               GiB, 2)} for n in names]

    def get_volume(self, name):
        found = self.get_volumes(name)
        return found[0] if found else None

    def supports_thin_provisioning(self):
        return True


class LVMVolumeDriver(driver.VolumeDriver):
    """Cinder's LVM reference driver, served by storagemgr's local files."""

    VERSION = '3.0.0'

    def __init__(self, vg_obj=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.configuration.append_config_values(volume_opts)
        self.hostname = socket.gethostname()
        self.vg = vg_obj
        self.backend_name = (self.configuration.safe_get(
            'volume_backend_name') or 'LVM')
        self.protocol = 'local'
        self._sparse_copy_volume = True
        self._local = local.LocalVolumeDriver(
            configuration=self.configuration)
        ratio = self.configuration.safe_get('lvm_max_over_subscription_ratio')
        if ratio is not None:
            self.configuration.max_over_subscription_ratio = ratio

    @staticmethod
    def get_driver_options():
        return (driver.VolumeDriver.get_driver_options() + volume_opts +
                local.local_opts)

    # Setup and stats -------------------------------------------------------

    def do_setup(self, context):
        self._local.do_setup(context)

    def check_for_setup_error(self):
        self._local.check_for_setup_error()
        if self.vg is None:
            self.vg = LocalVolumeGroup(
                self.configuration.safe_get('volume_group'),
                self._local.root)

    def _update_volume_stats(self):
        if self.vg is None:
            LOG.warning('Backend %s: no volume group yet, so no stats.',
                        self.backend_name)
            return
        self.vg.update_volume_group_info()
        thin = self.configuration.safe_get('lvm_type') == 'thin'
        if thin:
            total = self.vg.vg_thin_pool_size
            free = self.vg.vg_thin_pool_free_space
            provisioned = self.vg.vg_provisioned_capacity
        else:
            total, free = self.vg.vg_size, self.vg.vg_free_space
            provisioned = round(float(total) - float(free), 2)
        pool = {
            'pool_name': self.backend_name,
            'total_capacity_gb': total,
            'free_capacity_gb': free,
            'reserved_percentage':
                self.configuration.safe_get('reserved_percentage') or 0,
            'location_info': 'LVMVolumeDriver:%s:%s:%s:%s' % (
                self.hostname, self.configuration.safe_get('volume_group'),
                self.configuration.safe_get('lvm_type'),
                self.configuration.safe_get('lvm_mirrors')),
            'QoS_support': False,
            'provisioned_capacity_gb': provisioned,
            'max_over_subscription_ratio':
                self.configuration.safe_get('max_over_subscription_ratio'),
            'thin_provisioning_support': thin,
            'thick_provisioning_support': not thin,
            'total_volumes': len(self.vg.get_volumes()),
            'filter_function': self.get_filter_function(),
            'goodness_function': self.get_goodness_function(),
            'multiattach': True,
            'consistencygroup_support': False,
        }
        self._stats = {
            'volume_backend_name': self.backend_name,
            'vendor_name': 'Open Source',
            'driver_version': self.VERSION,
            'storage_protocol': self.protocol,
            'sparse_copy_volume': self._sparse_copy_volume,
            'pools': [pool],
        }

    def get_volume_stats(self, refresh=False):
        if refresh:
            self._update_volume_stats()
        return self._stats

    def get_pool(self, volume):
        return self.backend_name

    # Volumes and snapshots: storagemgr's local driver ---------------------

    def local_path(self, volume, vg=None):
        return self._local._volume_path(volume['id'])

    def create_volume(self, volume):
        return self._local.create_volume(volume)

    def delete_volume(self, volume):
        return self._local.delete_volume(volume)

    def create_snapshot(self, snapshot):
        return self._local.create_snapshot(snapshot)

    def delete_snapshot(self, snapshot):
        return self._local.delete_snapshot(snapshot)

    def create_volume_from_snapshot(self, volume, snapshot):
        return self._local.create_volume_from_snapshot(volume, snapshot)

    def create_cloned_volume(self, volume, src_vref):
        return self._local.create_cloned_volume(volume, src_vref)

    def extend_volume(self, volume, new_size):
        return self._local.extend_volume(volume, new_size)

    def manage_existing(self, volume, existing_ref):
        return self._local.manage_existing(volume, existing_ref)

    def manage_existing_get_size(self, volume, existing_ref):
        return self._local.manage_existing_get_size(volume, existing_ref)

    def unmanage(self, volume):
        return self._local.unmanage(volume)

    # Exports and connections ---------------------------------------------

    def _from_local(self, name, *args, default=None, **kwargs):
        """The local driver's method ``name``, when it has one that works.

        The local driver makes no exports of its own today; when it gains
        them (the volume attach work), they are used from here on.
        """
        method = getattr(self._local, name, None)
        if method is not None:
            try:
                return method(*args, **kwargs)
            except NotImplementedError:
                pass
        return default() if default is not None else None

    def ensure_export(self, context, volume):
        return self._from_local('ensure_export', context, volume)

    def create_export(self, context, volume, connector, vg=None):
        return self._from_local('create_export', context, volume, connector)

    def remove_export(self, context, volume):
        return self._from_local('remove_export', context, volume)

    def initialize_connection(self, volume, connector, **kwargs):
        return self._from_local(
            'initialize_connection', volume, connector,
            default=lambda: {'driver_volume_type': 'local',
                             'data': {'device_path':
                                      self.local_path(volume)}}, **kwargs)

    def terminate_connection(self, volume, connector, **kwargs):
        return self._from_local('terminate_connection', volume, connector,
                                **kwargs)

    def validate_connector(self, connector):
        """A local file needs nothing of the connector."""
