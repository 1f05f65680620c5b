"""Options every share driver understands.

They are registered in each share backend's section through
``ShareDriver.get_driver_options()``, and the sample configuration lists
them under ``[backend_defaults]``.
"""

from oslo_config import cfg

from storagemgr.i18n import _

share_opts = [
    cfg.IntOpt('num_shell_tries',
               default=3, min=1,
               help=_('How many times a driver runs a backend command that '
                      'fails before giving up.')),
    cfg.IntOpt('reserved_share_percentage',
               default=0, min=0, max=100,
               help=_('Percentage of the backend capacity kept free: the '
                      'scheduler does not place shares in it.')),
    cfg.StrOpt('share_backend_name',
               help=_('Name the backend reports in its capabilities. '
                      'Defaults to the backend\'s section name.')),
    cfg.BoolOpt('driver_handles_share_servers',
                help=_('Whether the driver creates and manages share '
                       'servers itself. When not set, a driver that '
                       'supports a single mode runs in that mode; a '
                       'driver that supports both must be told.')),
    cfg.FloatOpt('max_over_subscription_ratio',
                 default=20.0,
                 help=_('How much space may be promised to thin '
                        'provisioned shares, as a multiple of the physical '
                        'capacity: 20.0 lets shares add up to twenty times '
                        'the capacity, 1.0 forbids over-subscription. '
                        'Values below 1.0 are refused at setup.')),
    cfg.StrOpt('share_mount_template',
               default='mount -vt %(proto)s %(options)s %(export)s '
                       '%(path)s',
               help=_('Command template a data mover uses to mount this '
                      'backend\'s shares; %(export)s and %(path)s are '
                      'required, %(proto)s and %(options)s optional.')),
    cfg.StrOpt('share_unmount_template',
               default='umount -v %(path)s',
               help=_('Command template a data mover uses to unmount this '
                      'backend\'s shares; %(path)s is required.')),
    cfg.DictOpt('protocol_access_mapping',
                default={'ip': 'nfs', 'user': 'cifs'},
                help=_('Share protocols each access type applies to, as '
                       'access_type:protocols pairs with the protocols '
                       'separated by ";", for example ip:nfs;cifs,'
                       'user:cifs.')),
    cfg.StrOpt('replication_domain',
               help=_('Backends that may replicate shares to one another '
                      'share the same replication domain. Unset means '
                      'the backend does not replicate.')),
    cfg.IntOpt('group_member_workers', default=128, min=1,
               help=_('How many member shares or snapshots one share group '
                      'operation that the driver does member by member '
                      '(the group snapshot fallback) handles at the same '
                      'time, out of [DEFAULT] member_worker_pool_size.')),
    cfg.StrOpt('backend_availability_zone',
               help=_('Availability zone of this share backend.')),
    cfg.StrOpt('filter_function',
               help=_('Expression the scheduler evaluates to decide '
                      'whether this backend may take a share.')),
    cfg.StrOpt('goodness_function',
               help=_('Expression the scheduler evaluates to rank this '
                      'backend (0 to 100) against others.')),
    cfg.ListOpt('share_ip_versions',
                default=['4'],
                item_type=cfg.types.String(choices=['4', '6']),
                help=_('IP versions the backend exports shares on, for '
                       'drivers that implement IPv6: 4, 6 or both.')),
]


def list_opts():
    return list(share_opts)
