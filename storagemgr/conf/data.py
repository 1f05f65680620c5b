"""Options of the data copy service (the [data] section).

Host-assisted share migration mounts both shares on this host and copies
the tree with ``storagemgr.data.copy.CopyJob``.
"""

from oslo_config import cfg

from storagemgr.i18n import _

GROUP = 'data'

data_opts = [
    cfg.IntOpt('copy_workers',
               default=4, min=1,
               help=_('Files copied at the same time by one copy job. The '
                      'data moves inside the kernel (reflink, '
                      'copy_file_range) and hashing releases the GIL, so '
                      'threads scale up to the disks\' and CPUs\' limits.')),
    cfg.BoolOpt('copy_verify',
                default=True,
                help=_('Hash every copied file (xxHash XXH3-128) at the '
                       'source and at the destination and fail the copy on '
                       'a difference.')),
    cfg.StrOpt('copy_journal_dir',
               default='$state_path/data_copies',
               help=_('Directory of the copy jobs\' journals: one file per '
                      'job, one line per finished file, so a copy '
                      'interrupted by a crash resumes where it stopped.')),
    cfg.FloatOpt('copy_journal_checkpoint_interval',
                 default=10.0, min=0,
                 help=_('Seconds between two checkpoints of a copy '
                        'journal: the destination filesystem is synced '
                        '(syncfs) and then the journal, so the files '
                        'listed before a checkpoint survive a power loss, '
                        'not only a crash of the process (which needs no '
                        'checkpoint). Each checkpoint waits for the disk, '
                        'so frequent ones slow a copy that fits in the '
                        'page cache (0.5 s cost a 1 GiB copy about 1.6x '
                        'its time here). 0 turns checkpoints off: a resume '
                        'after a reboot then redoes the whole copy.')),
    cfg.StrOpt('mount_tmp_location',
               default='$state_path/data_mounts',
               help=_('Directory under which the shares of a host-assisted '
                      'migration are mounted, one sub-directory per share '
                      'instance.')),
    cfg.StrOpt('mount_root_helper',
               default='sudo',
               help=_('Command prefix that runs the mount and unmount '
                      'commands of a host-assisted migration with root '
                      'privileges. Empty runs them as this user.')),
]


def register_opts(conf):
    # Registering twice with the same options is a no-op for oslo.config;
    # the data service calls this at import until conf/__init__ does.
    conf.register_opts(data_opts, group=GROUP)


def list_opts():
    return [(GROUP, data_opts)]
