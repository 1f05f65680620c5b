"""Options of the types area: the default share and volume types."""

from oslo_config import cfg

from storagemgr.i18n import _

type_opts = [
    cfg.StrOpt('default_share_type',
               help=_('Name or id of the share type used when a share is '
                      'created without --share-type. When not set, such '
                      'shares get the implicit default type, which has no '
                      'extra specs and fits every backend.')),
    cfg.StrOpt('default_volume_type',
               help=_('Name or id of the volume type used when a volume is '
                      'created without --volume-type. When not set, such '
                      'volumes get the implicit default type, which has no '
                      'extra specs and fits every backend.')),
]

CONF = cfg.CONF
CONF.register_opts(type_opts)


def list_opts():
    return [('DEFAULT', type_opts)]
