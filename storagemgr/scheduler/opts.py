"""Options of the scheduler ([DEFAULT], as in the reference services)."""

from oslo_config import cfg

from storagemgr.i18n import _

CONF = cfg.CONF

_SHARE_FILTERS = ['AvailabilityZoneFilter', 'CapacityFilter',
                  'CapabilitiesFilter', 'DriverFilter',
                  'ShareReplicationFilter', 'CreateFromSnapshotFilter']
_VOLUME_FILTERS = ['AvailabilityZoneFilter', 'CapacityFilter',
                   'CapabilitiesFilter', 'DriverFilter',
                   'CreateFromSnapshotFilter']
_WEIGHERS = ['CapacityWeigher', 'GoodnessWeigher']

scheduler_opts = [
    cfg.ListOpt('scheduler_default_share_filters',
                default=_SHARE_FILTERS,
                help=_('Filters a pool must pass to receive a share, in '
                       'the order they run. Names are entry points of the '
                       'storagemgr.scheduler.filters namespace.')),
    cfg.ListOpt('scheduler_default_share_weighers',
                default=_WEIGHERS,
                help=_('Weighers that rank the pools left for a share. '
                       'Names are entry points of the '
                       'storagemgr.scheduler.weighers namespace.')),
    cfg.ListOpt('scheduler_default_volume_filters',
                default=_VOLUME_FILTERS,
                help=_('Filters a pool must pass to receive a volume, in '
                       'the order they run.')),
    cfg.ListOpt('scheduler_default_volume_weighers',
                default=_WEIGHERS,
                help=_('Weighers that rank the pools left for a volume.')),
    cfg.FloatOpt('capacity_weight_multiplier',
                 default=1.0,
                 help=_('Multiplier of the capacity weigher. Positive '
                        'values spread new resources over the pools with '
                        'the most room left; negative values stack them '
                        'on the fullest pools that still fit.')),
    cfg.FloatOpt('goodness_weight_multiplier',
                 default=1.0,
                 help=_('Multiplier of the goodness weigher, which ranks '
                        'pools by their backend\'s goodness_function '
                        '(0 to 100).')),
    cfg.IntOpt('scheduler_stats_refresh_interval',
               default=60, min=0,
               help=_('Seconds the backends\' capacity and capability '
                      'statistics may age before a process placing a '
                      'share or volume asks for fresh ones.')),
    cfg.IntOpt('scheduler_stats_max_age',
               default=300, min=1,
               help=_('Seconds after which a backend that has not reported '
                      'statistics is left out of scheduling.')),
]


def register_opts(conf):
    conf.register_opts(scheduler_opts)


register_opts(CONF)


def list_opts():
    return [('DEFAULT', scheduler_opts)]
