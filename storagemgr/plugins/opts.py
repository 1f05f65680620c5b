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

CONF = cfg.CONF
CONF.register_opts(plugin_opts, group=GROUP)


def list_opts():
    """Every storage plugin and agent option, for the sample generator."""
    # The runtime modules keep their options next to the code that reads
    # them; import them here only, so loading plugins stays light.
    from storagemgr.plugins import agent_transport
    from storagemgr.plugins import scanner
    from storagemgr.plugins import statistics_store
    groups = {GROUP: list(plugin_opts)}
    for module in (scanner, statistics_store, agent_transport):
        for group, opts in module.list_opts():
            groups.setdefault(group, []).extend(opts)
    return sorted(groups.items())
