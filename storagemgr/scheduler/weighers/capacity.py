"""CapacityWeigher: spread (or stack) by the room left in each pool."""

from storagemgr.scheduler import weighers


class CapacityWeigher(weighers.BaseWeigher):
    """Weighs pools by the GiB they can still take (PoolState.room_gb).

    Thin placement counts the over-subscribed room, thick placement the
    free space less the reserve. With a positive
    ``capacity_weight_multiplier`` the roomiest pool wins (spreading); a
    negative one stacks. Pools whose room cannot be computed ('unknown'
    capacity) rank last either way, as in the reference services.
    """

    def multiplier(self):
        return self.conf.capacity_weight_multiplier

    def weigh_all(self, pools, request):
        rooms = []
        for pool in pools:
            room, problem = pool.room_gb(request.thin)
            rooms.append(None if problem else room)
        known = [r for r in rooms if r is not None]
        if len(known) == len(rooms):
            return rooms
        if not known:
            return [0.0] * len(rooms)
        # Just past the worst known value, on the side that loses.
        last = (min(known) - 1 if self.multiplier() > 0
                else max(known) + 1)
        return [last if r is None else r for r in rooms]
