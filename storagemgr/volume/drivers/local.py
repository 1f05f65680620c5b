"""A volume driver that keeps volumes as sparse files on this host.

Each volume is one file under ``local_volume_root``, named by the volume's
id; its length is the volume's size. Snapshots live under ``snapshots/``
by snapshot id. Every directory it makes is 0700 and every file 0600,
whatever the umask, so only the user running storagemgr reads volume
data. Copies (snapshots, clones, volumes from snapshots) are reflinks
where the filesystem can share blocks, sparse copies otherwise, written
to a temporary name and renamed, so a copy cut short by a crash is never
taken for a finished one and every call can simply run again.

Attaching exposes the volume's file itself: ``initialize_connection``
returns ``driver_volume_type`` ``local`` with the file as
``device_path``, which os-brick's local connector hands back as the
attached device. Writes to that path are writes to the volume. Only this
host can attach them; nothing is exported, so the export calls have
nothing to do beyond checking the file is there.

A group snapshot copies every member while holding the group's lock
(``group-<id>``); every write path of this driver to a member volume takes
the same lock, so no member changes between the first copy and the last.
"""

import contextlib
import errno
import fcntl
import math
import os
import socket

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr import coordination
from storagemgr import exception
from storagemgr.i18n import _
from storagemgr import paths
from storagemgr.volume import driver
from storagemgr.volume.drivers import capacity
from storagemgr.volume import generic

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

GiB = 1024 ** 3
_FICLONE = 0x40049409
_NO_REFLINK = (errno.EOPNOTSUPP, errno.EXDEV, errno.EINVAL, errno.ENOTTY,
               errno.ENOSYS, errno.EBADF, errno.EPERM)

local_opts = [
    cfg.StrOpt('local_volume_root',
               help=_('Directory holding the volume files of a local '
                      'volume backend. Default: $state_path/volumes/'
                      '<backend name>.')),
]


PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path):
    """Make ``path`` (and any missing parent) a directory only we can use.

    Directories this creates, and ``path`` itself when it exists, end up
    exactly 0700 whatever the umask; parents that already exist are left
    alone (they may be shared, such as /srv).
    """
    path = os.path.abspath(path)
    missing = []
    probe = path
    while not os.path.isdir(probe):
        missing.append(probe)
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(directory, PRIVATE_DIR_MODE)
        os.chmod(directory, PRIVATE_DIR_MODE)
    mode = os.stat(path).st_mode & 0o7777
    if mode != PRIVATE_DIR_MODE:
        LOG.warning('Volume directory %(path)s was mode %(mode)04o; making '
                    'it 0700 so only this user reads volume data',
                    {'path': path, 'mode': mode})
        os.chmod(path, PRIVATE_DIR_MODE)
    return path


def private_file(path):
    """Open ``path`` for writing, created or truncated, mode exactly 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                 PRIVATE_FILE_MODE)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
        return os.fdopen(fd, 'wb')
    except BaseException:
        os.close(fd)
        raise


def copy_file(source, target):
    """Copy ``source`` to ``target``: reflink if possible, else sparse.

    The copy is written next to the target, private (0600), and renamed
    into place; ``cp`` writes into that file and keeps its mode.
    """
    private_dir(os.path.dirname(target))
    partial = target + '.part'
    with contextlib.suppress(FileNotFoundError):
        os.unlink(partial)
    with open(source, 'rb') as src, private_file(partial) as dst:
        try:
            fcntl.ioctl(dst.fileno(), _FICLONE, src.fileno())
            cloned = True
        except OSError as e:
            if e.errno not in _NO_REFLINK:
                raise
            cloned = False
    if not cloned:
        # Imported here: it costs about 80 ms (oslo_utils.strutils), and
        # every CLI command loads this driver.
        from oslo_concurrency import processutils

        processutils.execute('cp', '--reflink=auto', '--sparse=always',
                             '--', source, partial)
    os.rename(partial, target)


class LocalVolumeDriver(driver.VolumeDriver, driver.ConsistencyGroupDriver):
    """Volumes as sparse files; consistency groups done natively."""

    def __init__(self, configuration=None, **kwargs):
        super().__init__(configuration=configuration, **kwargs)
        self.backend_name = getattr(configuration, 'config_group', 'local')
        self.root = None

    @staticmethod
    def get_driver_options():
        return (driver.VolumeDriver.get_driver_options() +
                capacity.capacity_opts + local_opts)

    # Setup and paths -------------------------------------------------------

    def do_setup(self, context):
        root = self.configuration.safe_get('local_volume_root')
        if not root:
            root = paths.state_path('volumes', self.backend_name)
        self.root = os.path.abspath(root)
        private_dir(self.root)
        private_dir(os.path.join(self.root, 'snapshots'))

    def check_for_setup_error(self):
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise exception.VolumeDriverException(
                msg='volume root %s is not writable' % self.root)

    def _volume_path(self, volume_id):
        return paths.safe_join(self.root, volume_id)

    def _snapshot_path(self, snapshot_id):
        return paths.safe_join(self.root, 'snapshots', snapshot_id)

    @staticmethod
    def _group_lock(volume):
        group_id = volume.get('consistencygroup_id')
        if not group_id:
            return contextlib.nullcontext()
        return coordination.get_lock('group-%s' % group_id)

    def _set_size(self, path, size_gb):
        with open(path, 'r+b') as f:
            f.truncate(size_gb * GiB)

    def _model(self, volume_id):
        return {'provider_location': self._volume_path(volume_id)}

    # Volumes ---------------------------------------------------------------

    def create_volume(self, volume):
        path = self._volume_path(volume['id'])
        with self._group_lock(volume):
            if not os.path.exists(path):
                private_dir(self.root)
                with private_file(path + '.part') as f:
                    f.truncate(volume['size'] * GiB)
                os.rename(path + '.part', path)
        return self._model(volume['id'])

    def delete_volume(self, volume):
        with self._group_lock(volume):
            self._unlink(self._volume_path(volume['id']))

    @staticmethod
    def _unlink(path):
        for name in (path, path + '.part'):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)

    def extend_volume(self, volume, new_size):
        with self._group_lock(volume):
            self._set_size(self._volume_path(volume['id']), new_size)

    def _copy_into_volume(self, volume, source_path):
        target = self._volume_path(volume['id'])
        with self._group_lock(volume):
            copy_file(source_path, target)
            if os.path.getsize(target) < volume['size'] * GiB:
                self._set_size(target, volume['size'])
        return self._model(volume['id'])

    def create_volume_from_snapshot(self, volume, snapshot):
        return self._copy_into_volume(volume,
                                      self._snapshot_path(snapshot['id']))

    def create_cloned_volume(self, volume, src_vref):
        with self._group_lock(src_vref):
            return self._copy_into_volume(
                volume, self._volume_path(src_vref['id']))

    # Snapshots -------------------------------------------------------------

    def create_snapshot(self, snapshot):
        path = self._snapshot_path(snapshot['id'])
        copy_file(self._volume_path(snapshot['volume_id']), path)
        return {'provider_location': path}

    def delete_snapshot(self, snapshot):
        self._unlink(self._snapshot_path(snapshot['id']))

    # Stats and manage ------------------------------------------------------

    def get_volume_stats(self, refresh=False):
        st = os.statvfs(self.root)
        # Sparse files: thin, over-subscribed up to the configured ratio.
        return capacity.backend_stats(
            self.configuration, self.backend_name,
            st.f_blocks * st.f_frsize // GiB,
            st.f_bavail * st.f_frsize // GiB, True,
            vendor_name='storagemgr', driver_version='1.0',
            storage_protocol='file', consistencygroup_support=True)

    def _existing_path(self, existing_ref):
        name = (existing_ref or {}).get('source-name')
        path = paths.safe_join(self.root, name or '')
        if not os.path.isfile(path):
            raise exception.InvalidInput(
                reason='no volume file %r under %s' % (name, self.root))
        return path

    def manage_existing_get_size(self, volume, existing_ref):
        return max(1, int(math.ceil(
            os.path.getsize(self._existing_path(existing_ref)) / GiB)))

    def manage_existing(self, volume, existing_ref):
        target = self._volume_path(volume['id'])
        os.rename(self._existing_path(existing_ref), target)
        os.chmod(target, PRIVATE_FILE_MODE)
        return self._model(volume['id'])

    def unmanage(self, volume):
        """The file stays where it is, now nobody's."""

    # Exports and connections -----------------------------------------------

    def _existing_volume_file(self, volume):
        path = self._volume_path(volume['id'])
        if not os.path.isfile(path):
            raise exception.VolumeDriverException(
                msg='volume %s has no file %s on this host' % (
                    volume['id'], path))
        return path

    def create_export(self, context, volume, connector):
        """Nothing to export: the file is reachable on this host only."""
        self._existing_volume_file(volume)
        return None

    def ensure_export(self, context, volume):
        self._existing_volume_file(volume)
        return None

    def remove_export(self, context, volume):
        return None

    def initialize_connection(self, volume, connector):
        """The volume's file, for os-brick's local connector.

        Refused for a connector of another host: the file is only here.
        """
        host = (connector or {}).get('host')
        if host and host not in (CONF.host, socket.gethostname()):
            raise exception.VolumeDriverException(
                msg='volume %s is a file on host %s and cannot be '
                    'attached to host %s' % (volume['id'], CONF.host, host))
        return {'driver_volume_type': 'local',
                'data': {'device_path': self._existing_volume_file(volume)}}

    def terminate_connection(self, volume, connector, **kwargs):
        return None

    # Consistency groups ----------------------------------------------------

    def create_consistencygroup(self, context, group):
        return None

    def update_consistencygroup(self, context, group, add_volumes=None,
                                remove_volumes=None):
        return None, None, None

    def delete_consistencygroup(self, context, group, volumes):
        with coordination.get_lock('group-%s' % group['id']):
            for volume in volumes:
                self._unlink(self._volume_path(volume['id']))
        return None, [{'id': v['id'], 'status': 'deleted'} for v in volumes]

    def create_cgsnapshot(self, context, cgsnapshot, snapshots):
        """Copy every member while no member can be written by us."""
        with coordination.get_lock('group-%s' %
                                   cgsnapshot['consistencygroup_id']):
            results = generic.run_per_member(self, self.create_snapshot,
                                             snapshots)
        failed = [e for _m, _r, e in results if e is not None]
        if failed:
            for snapshot in snapshots:
                self.delete_snapshot(snapshot)
            raise failed[0]
        return None, [dict(update, id=member['id'])
                      for member, update, _e in results]

    def delete_cgsnapshot(self, context, cgsnapshot, snapshots):
        for snapshot in snapshots:
            self.delete_snapshot(snapshot)
        return None, [{'id': s['id'], 'status': 'deleted'}
                      for s in snapshots]

    def create_consistencygroup_from_src(self, context, group, volumes,
                                         cgsnapshot=None, snapshots=None,
                                         source_cg=None, source_vols=None):
        if snapshots is not None:
            sources = [self._snapshot_path(s['id']) for s in snapshots]
            lock = contextlib.nullcontext()
        else:
            sources = [self._volume_path(v['id']) for v in source_vols]
            lock = coordination.get_lock('group-%s' % source_cg['id'])
        pairs = [dict(volume, _source=source)
                 for volume, source in zip(volumes, sources)]

        def _copy(pair):
            target = self._volume_path(pair['id'])
            copy_file(pair['_source'], target)
            if os.path.getsize(target) < pair['size'] * GiB:
                self._set_size(target, pair['size'])
            return self._model(pair['id'])

        with lock:
            results = generic.run_per_member(self, _copy, pairs)
        updates = []
        for member, update, error in results:
            if error is not None:
                updates.append({'id': member['id'], 'status': 'error'})
            else:
                updates.append(dict(update, id=member['id'],
                                    status='available'))
        return None, updates
