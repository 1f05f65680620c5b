"""Where a volume goes, and what it counts on its pool.

A new volume is placed by the scheduler from its volume type's extra
specs; the claim that inserts its row also reserves its size on the
chosen pool (``storagemgr.scheduler.placement.reserve_on``), so two
requests racing for the last GiB cannot both win. Growth (an extend) is
reserved the same way against the limit of the pool the volume is on;
what leaves a pool is released in the transaction that deletes the row.
Here: what is the volumes' own (a type inherited from the source, names
of the types of many volumes).
"""

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


def type_names(type_ids):
    """What records show for these types: ``{id: name}`` (one read).

    A type whose row is gone shows as its id.
    """
    found = types_api.volume_types.names_of(type_ids)
    return {i: found.get(i, i) for i in type_ids if i is not None}
