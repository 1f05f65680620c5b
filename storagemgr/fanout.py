"""One driver call per group member, over one bounded worker pool.

Group operations that a driver does member by member (a share group
snapshot without native support, the generic consistency group methods,
the local drivers' own group snapshots) run their members in parallel:
a group snapshot of a hundred members takes a few member latencies, not a
hundred. Every family uses this one pool, sized by ``[DEFAULT]
member_worker_pool_size``, so two groups at once never start more threads
than that; a backend's ``group_member_workers`` caps one operation's share
of it.

A call made from one of the pool's own threads (a member call that fans
out again) runs its members inline: waiting on the pool from inside it
could starve it.
"""

from concurrent import futures
import threading

from oslo_config import cfg
from oslo_log import log as logging

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

_pool = None
_pool_size = None
_pool_lock = threading.Lock()
_here = threading.local()


def _mark_worker():
    _here.worker = True


def _executor():
    """The process's pool, (re)made when its configured size changed."""
    global _pool, _pool_size
    size = CONF.member_worker_pool_size
    with _pool_lock:
        if _pool is None or _pool_size != size:
            old = _pool
            _pool = futures.ThreadPoolExecutor(
                max_workers=size, thread_name_prefix='group-member',
                initializer=_mark_worker)
            _pool_size = size
            if old is not None:
                old.shutdown(wait=False)
        return _pool


def _member_limit(configuration):
    """A backend's ``group_member_workers``, or None (no cap of its own)."""
    if configuration is None:
        return None
    try:
        return configuration.safe_get('group_member_workers')
    except Exception:  # a foreign configuration object
        return None


def run_for_driver(driver, func, members):
    """``run_per_member`` capped by the driver's backend option."""
    return run_per_member(func, members, _member_limit(
        getattr(driver, 'configuration', None)))


def _call(func, member):
    try:
        return member, func(member), None
    except Exception as e:  # any driver exception, any class
        LOG.warning('Member %(id)s failed: %(cls)s: %(error)s',
                    {'id': _member_id(member), 'cls': type(e).__name__,
                     'error': e})
        return member, None, e


def _member_id(member):
    try:
        return member.get('id')
    except AttributeError:
        return member


def run_per_member(func, members, limit=None):
    """Call ``func(member)`` for every member, at most ``limit`` at once.

    :returns: ``[(member, result, error)]`` in the members' order; an
        exception of any class is caught and returned as ``error``.
    """
    members = list(members)
    if not members:
        return []
    if getattr(_here, 'worker', False) or len(members) == 1 or limit == 1:
        return [_call(func, member) for member in members]
    pool = _executor()
    window = max(1, min(len(members), limit or len(members)))
    results = [None] * len(members)
    running = {}
    queue = iter(enumerate(members))

    def _submit_next():
        for index, member in queue:
            running[pool.submit(_call, func, member)] = index
            return

    for _ in range(window):
        _submit_next()
    while running:
        done, _pending = futures.wait(list(running),
                                      return_when=futures.FIRST_COMPLETED)
        for future in done:
            results[running.pop(future)] = future.result()
            _submit_next()
    return results
