"""Options of the [DEFAULT] section."""

import os
import socket

from oslo_config import cfg

from storagemgr.i18n import _


def _default_state_path():
    # A per-user directory, so the embedded default works without root and
    # without any configuration file.
    base = os.environ.get('XDG_STATE_HOME') or os.path.join(
        os.path.expanduser('~'), '.local', 'state')
    return os.path.join(base, 'storagemgr')


EMBEDDED_SHARE_BACKEND = 'local-share'
EMBEDDED_VOLUME_BACKEND = 'local-volume'

core_opts = [
    cfg.StrOpt('state_path',
               default=_default_state_path(),
               sample_default='$XDG_STATE_HOME/storagemgr or '
                              '~/.local/state/storagemgr',
               help=_('Directory where storagemgr keeps its state: the '
                      'embedded SQLite database, the local drivers\' data, '
                      'rendered export files and locks. Created with mode '
                      '0700 when missing.')),
    cfg.HostAddressOpt('host',
                       default=socket.gethostname(),
                       sample_default='<this host name>',
                       help=_('Name of this host. Appears in export '
                              'locations and identifies the manager that '
                              'owns a flow.')),
    cfg.ListOpt('enabled_backends',
                default=None,
                help=_('Names of the backends to run; each needs a section '
                       'of that name with share_driver or volume_driver '
                       'set. When the option is not set at all, storagemgr '
                       'runs the embedded default: a local share backend '
                       'named "%(share)s" and a local volume backend named '
                       '"%(volume)s", both under state_path. Set it to an '
                       'empty value to run no backends.') % {
                           'share': EMBEDDED_SHARE_BACKEND,
                           'volume': EMBEDDED_VOLUME_BACKEND}),
    cfg.IntOpt('periodic_interval',
               default=60, min=1,
               help=_('Seconds between two runs of the manager\'s periodic '
                      'loop. Each periodic task also has its own spacing.')),
    cfg.IntOpt('migration_driver_continue_interval',
               default=60, min=1,
               help=_('Seconds between two migration_continue polls, by '
                      'the manager, of a driver-assisted migration\'s '
                      'first phase.')),
    cfg.FloatOpt('migration_wait_poll_interval',
                 default=1.0, min=0.05,
                 help=_('Seconds between two migration_continue polls while '
                        '"share migration start --wait" waits for the first '
                        'phase to end.')),
    cfg.IntOpt('migration_cancel_timeout',
               default=60, min=0,
               help=_('Seconds "share migration cancel" waits for a copy '
                      'running in another process to stop and undo '
                      'itself.')),
    cfg.IntOpt('replica_state_update_interval',
               default=300, min=1,
               help=_('Seconds between two update_replica_state polls, by '
                      'the manager, of every secondary share replica on '
                      'its backends, and of their replicated snapshot '
                      'instances still being created or deleted. '
                      '"share replica resync" polls one replica at once.')),
    cfg.StrOpt('storage_availability_zone',
               default='nova',
               help=_('Availability zone of this host\'s backends, for the '
                      'scheduler\'s availability zone filter. A backend\'s '
                      'backend_availability_zone overrides it.')),
    cfg.IntOpt('backend_stats_interval',
               default=60, min=1,
               help=_('Seconds between two refreshes of each backend\'s '
                      'capacity and capability statistics.')),
    cfg.IntOpt('flow_resume_interval',
               default=60, min=1,
               help=_('Seconds between two searches for flows that a dead '
                      'process left unfinished.')),
    cfg.StrOpt('share_name_template',
               default='share-%s',
               help=_('Template of the name share drivers get for a share '
                      'instance (%s is the instance id); drivers name '
                      'their backend objects after it. Changing it makes '
                      'existing shares unreachable for drivers that do.')),
    cfg.StrOpt('share_snapshot_name_template',
               default='share-snapshot-%s',
               help=_('Template of the name share drivers get for a '
                      'snapshot instance (%s is the instance id).')),
    cfg.IntOpt('member_worker_pool_size',
               default=128, min=1,
               help=_('Threads of the one pool that runs per-member driver '
                      'calls of group operations (share group snapshots '
                      'without native support, generic consistency group '
                      'operations) in this process. A backend\'s '
                      'group_member_workers caps how many of one '
                      'operation\'s members run at once.')),
]


def register_opts(conf):
    conf.register_opts(core_opts)


def list_opts():
    return [('DEFAULT', core_opts)]
