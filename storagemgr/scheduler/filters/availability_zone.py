"""AvailabilityZoneFilter: the request's zone and the type's zones."""

from storagemgr.scheduler import filters


class AvailabilityZoneFilter(filters.BaseFilter):
    """Keeps pools in the requested availability zone.

    The request may name one zone (``availability_zone``); the type may
    restrict zones with its ``availability_zones`` extra spec (a comma
    separated list). A pool must satisfy both.
    """

    def applies(self, request):
        return bool(request.availability_zone or request.type_zones)

    def reject(self, pool, request):
        zone = pool.availability_zone
        if request.availability_zone and zone != request.availability_zone:
            return 'in availability zone %s, not %s' % (
                zone or '(none)', request.availability_zone)
        if request.type_zones and zone not in request.type_zones:
            return 'availability zone %s is not one of the type\'s (%s)' % (
                zone or '(none)', ', '.join(request.type_zones))
        return None
