"""Capacity stats of the native volume drivers, for the scheduler.

The scheduler judges a pool by what its driver reports: total and free
capacity, whether it provisions thin, how far thin volumes may
over-subscribe it and how much of it is kept free. The native drivers
report one pool named after their backend section, so a volume's host is
``host@backend#backend`` whatever ``volume_backend_name`` says.

The option names are Cinder's, so a Cinder backend section carries over.
"""

from oslo_config import cfg

from storagemgr.i18n import _

capacity_opts = [
    cfg.StrOpt('volume_backend_name',
               help=_('Name the backend reports in its capabilities (a '
                      'volume type\'s volume_backend_name extra spec '
                      'matches it). Defaults to the backend\'s section '
                      'name.')),
    cfg.IntOpt('reserved_percentage', default=0, min=0, max=100,
               help=_('Percentage of the backend capacity kept free: the '
                      'scheduler does not place volumes in it.')),
    cfg.FloatOpt('max_over_subscription_ratio', default=20.0, min=1.0,
                 help=_('How much space thin provisioned volumes may be '
                        'promised, as a multiple of the physical capacity: '
                        '1.0 forbids over-subscription.')),
]


def _option(configuration, name, default):
    value = (configuration.safe_get(name)
             if configuration is not None else None)
    return default if value is None else value


def backend_stats(configuration, section, total, free, thin, **extra):
    """Stats with one pool, ``section``, of ``total`` and ``free`` GiB.

    ``extra`` keys (vendor, protocol, group support...) go on the backend
    level; capacity keys are on both levels, as the reference drivers
    report them.
    """
    figures = {
        'total_capacity_gb': total,
        'free_capacity_gb': free,
        'reserved_percentage': _option(configuration, 'reserved_percentage',
                                       0),
        'max_over_subscription_ratio': _option(
            configuration, 'max_over_subscription_ratio', 20.0),
        'thin_provisioning_support': bool(thin),
        'thick_provisioning_support': not thin,
    }
    stats = dict(extra, **figures)
    stats['volume_backend_name'] = _option(configuration,
                                           'volume_backend_name', section)
    stats['pools'] = [dict(figures, pool_name=section)]
    return stats
