"""The pools the scheduler chooses from, built from the backends' stats.

Each enabled backend of a kind contributes its pools: the stats its
driver reported, with each pool's own keys over the backend's, and what
storagemgr has allocated there (``storagemgr.scheduler.capacity``).
Stats are taken, freshest first, from this process's backend (refreshed
at most every ``scheduler_stats_refresh_interval`` seconds), or from the
record another process saved (``backend_states``) when it is that fresh
too, or else by setting the backend up here and asking its driver. A
backend whose stats are older than ``scheduler_stats_max_age`` is left
out, as is one that is down; the scheduler's refusal names both.
"""

import datetime
import time

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr.backend import registry as backend_registry
from storagemgr.backend import state_store
from storagemgr import hosts
from storagemgr.scheduler import capacity
from storagemgr.scheduler import pool_state

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def pools_of(stats, backend_name, kind):
    """``[(pool name, capabilities)]`` of a backend's ``stats``.

    Each pool's keys win over the backend's. A backend that reports no
    pools is one pool, named by its ``pool_name``, its
    ``<kind>_backend_name`` or its section (as the reference schedulers
    name it).
    """
    common = {k: v for k, v in (stats or {}).items() if k != 'pools'}
    pools = [p for p in (stats or {}).get('pools') or []
             if isinstance(p, dict) and p.get('pool_name')]
    if not pools:
        name = (common.get('pool_name') or
                common.get('%s_backend_name' % kind) or backend_name)
        return [(str(name), common)]
    return [(str(p['pool_name']), dict(common, **p)) for p in pools]


def _epoch(value):
    if value is None:
        return None
    return value.replace(tzinfo=datetime.timezone.utc).timestamp()


def _availability_zone(backend):
    try:
        zone = backend.configuration.backend_availability_zone
    except (cfg.Error, AttributeError):
        zone = None
    return zone or CONF.storage_availability_zone


class HostManager(object):
    """Pool states of one kind's backends, from a backend registry."""

    def __init__(self, registry, kind, clock=time.time):
        self.registry = registry
        self.kind = kind
        self._clock = clock

    def _stats(self, backend, records, now):
        """``(stats, taken at)`` of ``backend``, or ``(None, reason)``.

        ``records()``: the saved backend states, read on first call.
        """
        refresh = CONF.scheduler_stats_refresh_interval
        taken = backend.stats_updated_at
        if backend.state == backend_registry.STATE_UP and taken and (
                now - taken <= refresh):
            return backend.stats, taken
        record = records().get(backend.name) or {}
        taken = _epoch(record.get('updated_at') or record.get('created_at'))
        if (record.get('state') == backend_registry.STATE_UP and taken and
                record.get('stats') and now - taken <= refresh):
            return record['stats'], taken
        if backend.setup():
            backend.refresh_stats()
            backend.record()
        if backend.state != backend_registry.STATE_UP:
            return None, 'backend %s is down (%s)' % (
                backend.name, backend.error or backend.state)
        taken = backend.stats_updated_at
        if not taken or now - taken > CONF.scheduler_stats_max_age:
            return None, 'backend %s reported no stats for %d s' % (
                backend.name, CONF.scheduler_stats_max_age)
        return backend.stats, taken

    def pool_states(self, backend=None):
        """``(pools, dropped)``: PoolStates and {backend: why left out}.

        ``backend``: only that backend's pools (a name or host string;
        with a pool, only that pool).
        """
        wanted = hosts.parse(backend) if backend else None
        now = self._clock()
        saved = []

        def records():
            # Read once, and only when a backend's own stats are stale.
            if not saved:
                saved.append(state_store.load_all())
            return saved[0]
        found, dropped = [], {}
        for item in self.registry:
            if item.kind.name != self.kind or (
                    wanted and item.name != wanted.backend):
                continue
            stats, taken = self._stats(item, records, now)
            if stats is None:
                dropped[item.name] = taken
                continue
            zone = _availability_zone(item)
            for name, capabilities in pools_of(stats, item.name, self.kind):
                if wanted and wanted.pool and name != wanted.pool:
                    continue
                found.append((hosts.join(item.host, item.name, name),
                              capabilities, taken, zone))
        if wanted and not found and not dropped:
            dropped[wanted.backend] = 'it reports no pool %s' % wanted.pool
        usage = capacity.allocated(self.kind, [f[0] for f in found])
        pools = [
            pool_state.PoolState(
                host, self.kind, capabilities,
                allocated_capacity_gb=usage.get(host, 0),
                updated_at=datetime.datetime.fromtimestamp(
                    taken, datetime.timezone.utc),
                availability_zone=zone)
            for host, capabilities, taken, zone in found]
        return pools, dropped
