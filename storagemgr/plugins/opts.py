"""Options of the [storage_plugins] section."""

from oslo_config import cfg

from storagemgr.i18n import _

GROUP = 'storage_plugins'

plugin_opts = [
    cfg.ListOpt('modules',
                default=[],
                help=_('Extra storage plugin modules to load, as importable '
                       'module names, in addition to the plugins installed '
                       'through the storagemgr.storage_plugins entry '
                       'points.')),
    cfg.ListOpt('disabled',
                default=[],
                help=_('Names of installed plugins not to load.')),
    cfg.FloatOpt('default_update_period',
                 default=5.0, min=0.1,
                 help=_('Seconds between two update scans of a scannable '
                        'resource, unless its plugin sets update_period.')),
    cfg.ListOpt('debug_plugins',
                default=[],
                help=_('Plugins whose log is written at DEBUG level ("*" '
                       'for all); the others log WARNING and above.')),
]

scanner_opts = [
    cfg.FloatOpt('scan_retry_interval', default=5.0, min=0.01,
                 help=_('Seconds before a failed scan of a scannable '
                        'resource is retried; doubled after every further '
                        'failure.')),
    cfg.FloatOpt('scan_max_retry_interval', default=300.0, min=0.01,
                 help=_('Longest wait between two attempts to scan an '
                        'unreachable scannable resource.')),
]

stats_opts = [
    cfg.IntOpt('stats_retention', default=86400, min=1,
               help=_('Seconds a storage resource statistic sample is '
                      'kept.')),
    cfg.IntOpt('stats_max_samples', default=1000, min=1,
               help=_('Most samples kept per statistic of a storage '
                      'resource; older ones are dropped first.')),
]

AGENT_GROUP = 'agent'

agent_opts = [
    cfg.StrOpt('transport_class',
               default='storagemgr.plugins.agent_transport.'
                       'DatabaseTransport',
               help=_('Dotted path of the agent message transport. The '
                      'default passes messages through the database the '
                      'manager uses.')),
    cfg.FloatOpt('report_interval', default=10.0, min=0.1,
                 help=_('Seconds between two reports of storagemgr-agent '
                        'to the manager.')),
    cfg.IntOpt('max_message_bytes', default=16 * 1024 * 1024, min=1024,
               help=_('Largest agent message body accepted, in bytes.')),
]

CONF = cfg.CONF
CONF.register_opts(plugin_opts + scanner_opts + stats_opts, group=GROUP)
CONF.register_opts(agent_opts, group=AGENT_GROUP)


def list_opts():
    """Every storage plugin and agent option, for the sample generator."""
    return [(AGENT_GROUP, agent_opts),
            (GROUP, plugin_opts + scanner_opts + stats_opts)]
