"""Making a share reachable on this host for a host-assisted copy.

``connection_info`` is a driver's ``connection_get_info()``. A driver whose
shares are directories of this host (storagemgr's local driver) gives
``local_path``: that directory is used as it is. Otherwise the Manila
form: ``mount`` and ``unmount`` command templates, already filled in by the
driver except for ``%(path)s`` (the mount point) and ``%(options)s``.

A template is split into words with ``shlex`` *before* anything is
substituted, and each word is then filled in on its own, so a mount point
or an option holding spaces, quotes or semicolons stays one argument and
never reaches a shell (there is none: ``processutils.execute`` runs the
argv). A word that is exactly ``%(options)s`` becomes the options' own
words (none when there are no options).
"""

import contextlib
import os
import shlex

from oslo_concurrency import processutils
from oslo_config import cfg
from oslo_log import log as logging

from storagemgr.data import errors

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

PATH = '%(path)s'
OPTIONS = '%(options)s'


def command(template, path, options=''):
    """The argv of a mount/unmount template (see the module's doc)."""
    argv = []
    for word in shlex.split(template):
        if word == OPTIONS:
            argv.extend(shlex.split(options or ''))
            continue
        # str.replace, not '%': the driver's text may hold a literal '%'.
        argv.append(word.replace(PATH, path).replace(OPTIONS, options or ''))
    if not argv:
        raise errors.DataCopyFailed(reason='empty command template %r'
                                    % template)
    return argv


def _execute(argv):
    helper = CONF.data.mount_root_helper
    as_root = bool(helper) and os.geteuid() != 0
    return processutils.execute(*argv, run_as_root=as_root,
                                root_helper=helper if as_root else '')


def mount_point(instance_id):
    name = str(instance_id)
    if not name or '/' in name or name in ('.', '..') or '\0' in name:
        raise errors.DataCopyFailed(reason='bad share instance id %r'
                                    % name)
    return os.path.join(CONF.data.mount_tmp_location, name)


@contextlib.contextmanager
def mounted(connection_info, instance_id, options=''):
    """Yield the local path of the share; unmount on the way out."""
    local = connection_info.get('local_path')
    if local:
        if not os.path.isabs(local) or not os.path.isdir(local):
            raise errors.DataCopyFailed(
                reason='local_path %r of share instance %s is not an '
                       'absolute path to a directory' % (local, instance_id))
        yield local
        return
    for key in ('mount', 'unmount'):
        if not connection_info.get(key):
            raise errors.DataCopyFailed(
                reason='share instance %s: the driver gave no %s command '
                       'and no local_path' % (instance_id, key))
    path = mount_point(instance_id)
    os.makedirs(path, mode=0o700, exist_ok=True)
    unmount = command(connection_info['unmount'], path, options)
    if os.path.ismount(path):
        # Left by a process killed during a copy: start from a clean state.
        LOG.info('Unmounting %s, left mounted by an earlier copy.', path)
        _run(unmount, instance_id, 'unmount')
    _run(command(connection_info['mount'], path, options), instance_id,
         'mount')
    try:
        yield path
    finally:
        try:
            _run(unmount, instance_id, 'unmount')
        finally:
            try:
                os.rmdir(path)
            except OSError as e:
                LOG.warning('Could not remove mount point %(path)s: %(e)s',
                            {'path': path, 'e': e})


def _run(argv, instance_id, what):
    try:
        _execute(argv)
    except (processutils.ProcessExecutionError, OSError) as e:
        raise errors.DataCopyFailed(
            reason='%s of share instance %s failed (%s): %s' % (
                what, instance_id, ' '.join(shlex.quote(a) for a in argv),
                getattr(e, 'stderr', None) or e))
