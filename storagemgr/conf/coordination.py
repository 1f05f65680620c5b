"""The [coordination] section: where locks live."""

from oslo_config import cfg

from storagemgr.i18n import _

GROUP = 'coordination'

coordination_opts = [
    cfg.StrOpt('backend_url',
               default='file://$state_path/locks',
               secret=True,
               help=_('tooz coordination backend for the locks that guard '
                      'flows and resources. The default, a directory of '
                      'file locks, serves one host. Use a shared backend '
                      '(for example redis://host:6379 or '
                      'etcd3+http://host:2379) when several managers share '
                      'a database.')),
]


def register_opts(conf):
    conf.register_opts(coordination_opts, group=GROUP)


def list_opts():
    return [(GROUP, coordination_opts)]
