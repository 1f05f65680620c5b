"""``manila.share.manager``: only the options drivers read from it.

``share_manager_opts`` are the per-backend options Manila's share manager
registers, as real oslo.config options, for drivers that register them in
a configuration and read them (Manila's dummy driver reads
``share_driver`` from another backend's section). ``share_driver`` is
storagemgr's own backend option; storagemgr does not act on the others
(no hook drivers, no share servers, no periodic usage gathering).

Not served: the ``ShareManager`` class; storagemgr's share flows play its
part.
"""

from oslo_config import cfg

from storagemgr.conf import backend as _backend
from storagemgr.i18n import _

_SHARE_DRIVER = [opt for opt in _backend.backend_opts
                 if opt.dest == 'share_driver'][0]

share_manager_opts = [
    _SHARE_DRIVER,
    cfg.ListOpt('hook_drivers',
                default=[],
                help=_('Hook drivers of the backend (storagemgr runs '
                       'none; kept for drivers that read it).')),
    cfg.BoolOpt('delete_share_server_with_last_share',
                default=False,
                help=_('Whether a share server goes with its last share '
                       '(read by drivers only).')),
    cfg.BoolOpt('unmanage_remove_access_rules',
                default=False,
                help=_('Whether abandoning a share removes its access '
                       'rules first (read by drivers only).')),
    cfg.BoolOpt('automatic_share_server_cleanup',
                default=True,
                help=_('Whether unused share servers are removed '
                       '(read by drivers only).')),
    cfg.IntOpt('unused_share_server_cleanup_interval',
               default=10, min=10, max=60,
               help=_('Minutes a share server stays unused before it is '
                      'removed (read by drivers only).')),
    cfg.IntOpt('replica_state_update_interval',
               default=300,
               help=_('Seconds between replica state checks.')),
    cfg.IntOpt('migration_driver_continue_update_interval',
               default=60,
               help=_('Seconds between two steps of a driver-assisted '
                      'migration.')),
    cfg.IntOpt('share_usage_size_update_interval',
               default=300,
               help=_('Seconds between two gatherings of share usage.')),
    cfg.BoolOpt('enable_gathering_share_usage_size',
                default=False,
                help=_('Whether share usage is gathered.')),
]
