"""Placing a new share or volume: choose a pool, then claim it atomically.

The families call :func:`place` with their request spec and a ``claim``
that inserts the rows and reserves the capacity in one transaction
(``storagemgr.scheduler.capacity.reserve``). When the claim finds that
another request took the space meanwhile, the pools are read again and
the choice is made again, a few times, before the request is refused.
"""

import threading

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr.backend import process_registry
from storagemgr import exception
from storagemgr import hosts
from storagemgr.scheduler import capacity
from storagemgr.scheduler import filter_scheduler
from storagemgr.scheduler import host_manager
from storagemgr.scheduler import pool_state

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# Claims that lost a race are retried this many times in all.
ATTEMPTS = 3

_LOCK = threading.Lock()
_SCHEDULERS = {}


def scheduler(kind):
    """The FilterScheduler of ``kind`` for the filters configured now."""
    key = (kind, tuple(CONF['scheduler_default_%s_filters' % kind]),
           tuple(CONF['scheduler_default_%s_weighers' % kind]),
           CONF.capacity_weight_multiplier, CONF.goodness_weight_multiplier)
    with _LOCK:
        if key not in _SCHEDULERS:
            _SCHEDULERS[key] = filter_scheduler.FilterScheduler(kind)
        return _SCHEDULERS[key]


def candidates(kind, backend=None, registry=None):
    """``(pools, dropped)`` of ``kind`` (see HostManager.pool_states)."""
    registry = registry or process_registry.get_registry()
    if backend is not None:
        # An unknown backend, one of the other kind or one that is down is
        # named as such, not as a pool no filter could pass.
        registry.get(hosts.backend_of(backend), kind=kind)
    return host_manager.HostManager(registry, kind).pool_states(backend)


def choose(kind, request_spec, backend=None, registry=None):
    """The PoolState for ``request_spec``, or NoValidHost saying why."""
    pools, dropped = candidates(kind, backend, registry)
    try:
        return scheduler(kind).select(pools, request_spec)
    except exception.NoValidHost as e:
        reason = e.kwargs.get('reason') or str(e)
        notes = ['%s' % why for why in dropped.values()]
        if backend is not None:
            notes.append('only %s was considered (--backend)' % backend)
        if notes:
            reason = '%s; %s' % (reason.rstrip('.'), '; '.join(notes))
        raise exception.NoValidHost(reason=reason) from None


def place(kind, request_spec, claim, backend=None, registry=None):
    """Choose a pool and return ``claim(pool)``; choose again on a race.

    ``claim`` raises CapacityExceeded when the pool filled up since it
    was read; after ATTEMPTS such losses the last one is raised.
    """
    for attempt in range(1, ATTEMPTS + 1):
        pool = choose(kind, request_spec, backend, registry)
        try:
            return claim(pool)
        except exception.CapacityExceeded as e:
            LOG.info('Pool %(pool)s filled up before the claim (attempt '
                     '%(n)d of %(all)d): %(e)s', {
                         'pool': pool.host, 'n': attempt, 'all': ATTEMPTS,
                         'e': e})
            if attempt == ATTEMPTS:
                raise


def request_spec(size, type_record, availability_zone=None, **more):
    """The request the filters judge pools by, for a type's resource."""
    return dict(more, size=size, availability_zone=availability_zone,
                resource_type={'name': type_record['name'],
                               'extra_specs': type_record['extra_specs']})


def pools_at(kind, where, registry=None):
    """``{host: PoolState}`` of the pools ``where`` names, reporting now.

    ``where`` is a backend name or a host string; a backend unknown or
    down is refused as such.
    """
    pools, _ = candidates(kind, where, registry)
    return {pool.host: pool for pool in pools}


def pool_at(kind, host, registry=None):
    """The PoolState of the pool ``host`` names; None if not reporting."""
    if not host:
        return None
    return pools_at(kind, host, registry).get(host)


def reserve_on(session, host, size, pool, extra_specs):
    """Count ``size`` GiB more on ``host`` in the caller's transaction.

    Refused (CapacityExceeded) past ``pool``'s limit for a type with
    ``extra_specs``. A pool that does not report now (``pool`` None) has
    no known limit: the size is counted and the driver decides.
    """
    if pool is None:
        capacity.adjust(session, host, size)
        return
    capacity.reserve(session, host, size, pool.limit_gb(
        pool_state.thin_requested(extra_specs)))


def list_pools(kind, type_ref=None, backend=None, registry=None):
    """Pools of ``kind`` as plain dicts, as ``share pool list`` shows them.

    ``type_ref``: only pools whose capabilities meet that type's extra
    specs (what the capabilities filter checks; capacity is not).
    """
    from storagemgr.scheduler.filters import capabilities
    from storagemgr.types import api as types_api
    pools, _ = candidates(kind, backend, registry)
    if type_ref is not None:
        family = (types_api.share_types if kind == 'share'
                  else types_api.volume_types)
        checks = capabilities.compile_specs(
            family.get(type_ref)['extra_specs'])
        pools = [p for p in pools
                 if capabilities.unmet(p.capabilities, checks) is None]
    shown = []
    for pool in sorted(pools, key=lambda p: p.host):
        record = pool.describe()
        record.update(total_capacity_gb=pool.total_capacity_gb,
                      free_capacity_gb=pool.free_capacity_gb)
        shown.append(record)
    return shown
