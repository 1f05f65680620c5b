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
    return [(GROUP, plugin_opts)]
