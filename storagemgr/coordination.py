"""Named locks across processes and hosts, through tooz.

The embedded default keeps file locks under state_path; production points
``[coordination] backend_url`` at Redis, etcd or ZooKeeper. Callers see the
same interface either way. A file lock dies with its process, which is how
a flow whose owner crashed is recognised.
"""

import os
import threading

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import uuidutils

from storagemgr import exception

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

_LOCK = threading.Lock()
_coordinator = None
_coordinator_pid = None


def _make_coordinator():
    # tooz brings futurist and eventlet (0.2-0.3 s): imported by the first
    # lock taken, not by every module that may take one.
    from tooz import coordination as tooz_coordination

    url = CONF.coordination.backend_url
    if url.startswith('file://'):
        os.makedirs(url[len('file://'):], mode=0o700, exist_ok=True)
    member = ('%s-%s-%s' % (CONF.host, os.getpid(),
                            uuidutils.generate_uuid()[:8])).encode()
    try:
        coordinator = tooz_coordination.get_coordinator(url, member)
        coordinator.start(start_heart=True)
    except Exception as e:
        # An unknown scheme, a missing client library, a server that is
        # down: all of them mean no lock can be taken, so no operation may
        # start; say which option to look at.
        raise exception.InvalidConfigValue(
            option='backend_url', section='coordination',
            reason='%r: %s: %s' % (url, type(e).__name__, e)) from e
    return coordinator


def get_coordinator():
    """The process's coordinator; a forked child gets its own."""
    global _coordinator, _coordinator_pid
    with _LOCK:
        if _coordinator is None or _coordinator_pid != os.getpid():
            _coordinator = _make_coordinator()
            _coordinator_pid = os.getpid()
        return _coordinator


def get_lock(name):
    """A tooz lock called ``name`` (use as a context manager)."""
    return get_coordinator().get_lock(('storagemgr-' + name).encode())


def remove_lock(name):
    """Remove the file behind lock ``name`` once nobody needs it again.

    Only for names that are never locked again for a new purpose: a flow's
    lock, once its flow is forgotten (a late taker of an unlinked file
    finds the flow gone and does nothing). Other backends keep no files.
    """
    url = CONF.coordination.backend_url
    if not url.startswith('file://'):
        return
    path = os.path.join(url[len('file://'):], 'storagemgr-' + name)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as e:
        LOG.debug('Could not remove lock file %s: %s', path, e)


def stop():
    global _coordinator
    with _LOCK:
        if _coordinator is not None and _coordinator_pid == os.getpid():
            try:
                _coordinator.stop()
            except Exception as e:  # noqa: B902 - best effort at exit
                LOG.debug('Stopping the coordinator failed: %s', e)
        _coordinator = None
