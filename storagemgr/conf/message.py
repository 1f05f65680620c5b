"""Options of user messages (the [message] section)."""

from oslo_config import cfg

from storagemgr.i18n import _

GROUP = 'message'

message_opts = [
    cfg.IntOpt('message_ttl',
               default=30 * 24 * 3600, min=1,
               help=_('Seconds a user message (why an operation on a '
                      'resource failed) is kept before it expires. Expired '
                      'messages are no longer listed and the manager '
                      'deletes them.')),
    cfg.IntOpt('message_reap_interval',
               default=3600, min=1,
               help=_('Seconds between two runs of the manager\'s cleanup '
                      'of expired user messages.')),
]


def register_opts(conf):
    conf.register_opts(message_opts, group=GROUP)


def list_opts():
    return [(GROUP, message_opts)]
