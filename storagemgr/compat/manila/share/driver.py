"""``manila.share.driver``: the share driver contract, storagemgr's own.

``ShareDriver`` is a thin subclass of
``storagemgr.share.driver.ShareDriver`` that only registers the few
options Manila's base class registers and storagemgr's does not; every
method is storagemgr's, so a Manila driver is a storagemgr driver for
every ``issubclass`` and ``isinstance`` check. ``ExecuteMixin`` likewise
adds the SSH options Manila's mixin registers.

``share_opts`` is storagemgr's list of common share driver options plus
those Manila-only options, for drivers that build a ``Configuration`` of
another backend themselves. Not served: ``GaneshaMixin`` and
``ganesha_opts`` (Ganesha-based drivers also need
``manila.share.drivers.ganesha``, which is not served either).
"""

from oslo_config import cfg

from storagemgr.i18n import _
from storagemgr.share import driver as _driver
from storagemgr.share import driver_execute
from storagemgr.share import driver_options

# Options Manila's base driver registers that storagemgr's does not need.
# Storagemgr has no network service: the network groups are read by
# drivers only.
manila_only_opts = [
    cfg.StrOpt('network_config_group',
               help=_('Section holding the share network options of this '
                      'backend (read by drivers written for Manila; '
                      'storagemgr has no network service).')),
    cfg.StrOpt('admin_network_config_group',
               help=_('Section holding the admin network options of this '
                      'backend (read by drivers written for Manila; '
                      'storagemgr has no network service).')),
    cfg.ListOpt('migration_ignore_files',
                default=['lost+found'],
                help=_('Files a host-assisted migration leaves out.')),
]

share_opts = list(driver_options.share_opts) + manila_only_opts

ssh_opts = [
    cfg.IntOpt('ssh_conn_timeout',
               default=60,
               help=_('Seconds before an SSH connection attempt to the '
                      'backend gives up.')),
    cfg.IntOpt('ssh_min_pool_conn',
               default=1,
               help=_('Fewest SSH connections kept open to the backend.')),
    cfg.IntOpt('ssh_max_pool_conn',
               default=10,
               help=_('Most SSH connections kept open to the backend.')),
]


class ExecuteMixin(driver_execute.ExecuteMixin):
    """storagemgr's ExecuteMixin, registering the SSH options as well."""

    def init_execute_mixin(self, *args, **kwargs):
        if getattr(self, 'configuration', None):
            self.configuration.append_config_values(ssh_opts)
        super().init_execute_mixin(*args, **kwargs)


class ShareDriver(_driver.ShareDriver):
    """storagemgr's ShareDriver with the options Manila's also registers."""

    def __init__(self, driver_handles_share_servers, *args, **kwargs):
        super().__init__(driver_handles_share_servers, *args, **kwargs)
        if self.configuration:
            self.configuration.append_config_values(manila_only_opts)
