"""Pool states and requests for the scheduler's tests."""

from storagemgr.scheduler import filter_scheduler
from storagemgr.scheduler import pool_state


def pool(host='h@b1#p1', kind='share', allocated=0, zone=None, **caps):
    """A PoolState with 100 GiB total and free unless told otherwise."""
    capabilities = {'total_capacity_gb': 100, 'free_capacity_gb': 100,
                    'reserved_percentage': 0}
    capabilities.update(caps)
    return pool_state.PoolState(host, kind, capabilities,
                                allocated_capacity_gb=allocated,
                                availability_zone=zone)


def request(size=1, extra_specs=None, kind='share', pools=(), **spec):
    spec.update(size=size, resource_type={'name': 't',
                                          'extra_specs': extra_specs or {}})
    return filter_scheduler.Request(kind, spec, pools)
