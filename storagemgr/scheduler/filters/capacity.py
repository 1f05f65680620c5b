"""CapacityFilter: room for the request, thin or thick."""

from storagemgr.scheduler import capacity
from storagemgr.scheduler import filters

_gib = capacity.format_gib


class CapacityFilter(filters.BaseFilter):
    """Keeps pools with room for the request's size.

    The rules are :meth:`PoolState.room_gb`'s: thin placement may promise
    up to total * max_over_subscription_ratio, thick placement up to the
    total less the reserved percentage and never more than the free
    space; a pool whose capacity is 'unknown' or 'infinite' passes (it is
    refused only when a reserved percentage cannot be computed).
    """

    def reject(self, pool, request):
        room, problem = pool.room_gb(request.thin)
        if problem:
            return problem
        if room is None or request.size <= room:
            return None
        thin = pool.is_thin(request.thin)
        if thin:
            mode = 'thin, max_over_subscription_ratio %g' % (
                pool.max_over_subscription_ratio)
        else:
            mode = 'thick'
        if pool.reserved_percentage:
            mode += ', %g%% reserved' % pool.reserved_percentage
        free = pool.free_capacity_gb
        return 'needs %s GiB, %s GiB left: %s of %s GiB allocated, %s GiB ' \
               'free, %s' % (
                   _gib(request.size), _gib(max(room, 0)),
                   _gib(pool.allocated_capacity_gb),
                   _gib(pool.total_capacity_gb),
                   _gib(free) if isinstance(free, float) else free, mode)
