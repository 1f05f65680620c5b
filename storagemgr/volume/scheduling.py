"""Where a volume goes, and what it counts on its pool.

A new volume is placed by the scheduler from its volume type's extra
specs; the claim that inserts its row also reserves its size on the
chosen pool (``storagemgr.scheduler.capacity``), so two requests racing
for the last GiB cannot both win. Growth (an extend) is reserved the same
way against the limit of the pool the volume is on; what leaves a pool is
released in the transaction that deletes the row.
"""

from storagemgr import exception
from storagemgr.scheduler import capacity
from storagemgr.scheduler import placement
from storagemgr.scheduler import pool_state
from storagemgr.types import api as types_api

KIND = 'volume'


def resolve_type(volume_type, inherited_id=None):
    """The type of a new volume: the one asked for, else the source's.

    A volume made from a snapshot or a clone keeps its source's type
    unless told otherwise, as in the reference; otherwise the default
    type (or the implicit one).
    """
    if volume_type is None and inherited_id is not None:
        return types_api.volume_types.resolve(inherited_id)
    return types_api.volume_types.resolve(volume_type)


def request_spec(size, kind, availability_zone=None):
    """The request the filters judge pools by."""
    return {'size': size,
            'resource_type': {'name': kind['name'],
                              'extra_specs': kind['extra_specs']},
            'availability_zone': availability_zone}


def specs_of(type_id):
    """The extra specs of the type a volume has (none for no type)."""
    if type_id is None:
        return {}
    try:
        return types_api.volume_types.get(type_id)['extra_specs']
    except exception.TypeNotFound:
        return {}


def type_names(type_ids):
    """What records show for these types: ``{id: name}`` (one read).

    A type whose row is gone shows as its id.
    """
    found = types_api.volume_types.names_of(type_ids)
    return {i: found.get(i, i) for i in type_ids if i is not None}


def pools_by_host(where, registry=None):
    """``{host: PoolState}`` of the pools ``where`` names, reporting now.

    ``where`` is a backend name or a host string; a backend unknown or
    down is refused as such.
    """
    pools, _ = placement.candidates(KIND, where, registry)
    return {pool.host: pool for pool in pools}


def pool_at(host, registry=None):
    """The PoolState of the pool ``host`` names, or None if not reporting."""
    if not host:
        return None
    return pools_by_host(host, registry).get(host)


def reserve(session, host, size, pool, extra_specs):
    """Count ``size`` GiB more on ``host`` in the caller's transaction.

    Refused (CapacityExceeded) past the pool's limit for a type with
    ``extra_specs``. A pool that does not report now (``pool`` None) has
    no known limit: the size is counted and the driver decides.
    """
    if pool is None:
        capacity.adjust(session, host, size)
        return
    capacity.reserve(session, host, size,
                     pool.limit_gb(pool_state.thin_requested(extra_specs)))
