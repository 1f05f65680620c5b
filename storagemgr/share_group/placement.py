"""Where a new share group goes.

A group's shares all live on its backend, so the group's pool must suit
every share type it allows (each passes the share filters, at size 0)
and the group type's specs. ``consistent_snapshot_support`` in group
specs is matched against the backend's ``share_group_stats``, as the
reference's consistent snapshot filter does.

The group's host is that pool's (``host@backend#pool``) when the backend
takes consistent snapshots per pool, so every share of the group lands
on that pool; otherwise it is the backend's (``host@backend``) and its
shares may be on any of the backend's pools.
"""

from storagemgr import exception
from storagemgr import hosts
from storagemgr.scheduler import filter_scheduler
from storagemgr.scheduler.filters import capabilities
from storagemgr.scheduler import placement

# Group specs that name a key of ``share_group_stats``.
_GROUP_STATS_SPECS = ('consistent_snapshot_support',)


def _group_checks(group_specs):
    specs = {}
    for key, value in (group_specs or {}).items():
        if key in _GROUP_STATS_SPECS:
            key = 'capabilities:share_group_stats:%s' % key
        specs[key] = value
    return capabilities.compile_specs(specs)


def consistent_snapshot_support(pool):
    """The scope of the pool's consistent group snapshots, or None."""
    stats = pool.capabilities.get('share_group_stats') or {}
    return stats.get('consistent_snapshot_support') if isinstance(
        stats, dict) else None


def group_host(pool):
    """The host string a group placed on ``pool`` records."""
    if consistent_snapshot_support(pool) == 'pool':
        return pool.host
    parsed = hosts.parse(pool.host)
    return hosts.join(parsed.host, parsed.backend)


def choose_pool(share_types, group_type, availability_zone=None,
                backend=None):
    """The PoolState for a new group, or NoValidHost saying why.

    :param share_types: the records of the share types it allows.
    :param group_type: the record of its group type.
    """
    pools, dropped = placement.candidates('share', backend)
    scheduler = placement.scheduler('share')
    passing = pools
    specs = [placement.request_spec(0, kind, availability_zone)
             for kind in share_types]
    for kind, spec in zip(share_types, specs):
        passing, report = scheduler.filter(passing, spec)
        if not passing:
            _no_pool('share type %s' % kind['name'],
                     filter_scheduler.format_report(report), dropped,
                     backend)
    checks = _group_checks(group_type['extra_specs'])
    misses = {p.host: capabilities.unmet(p.capabilities, checks)
              for p in passing}
    suited = [p for p in passing if misses[p.host] is None]
    if not suited:
        _no_pool('share group type %s' % group_type['name'],
                 '; '.join('%s: %s' % item
                           for item in sorted(misses.items())[:5]),
                 dropped, backend)
    weighed = scheduler.weigh(suited, scheduler.request(suited, specs[0]))
    return weighed[0][1]


def _no_pool(what, why, dropped, backend):
    notes = [why] if why else []
    notes.extend(str(note) for note in dropped.values())
    if backend is not None:
        notes.append('only %s was considered (--backend)' % backend)
    raise exception.NoValidHost(reason='no pool suits %s: %s' % (
        what, '; '.join(notes) or 'no enabled backend reports pools'))
