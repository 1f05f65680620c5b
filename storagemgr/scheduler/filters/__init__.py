"""Scheduler filters: each removes the pools that cannot take a request.

A filter is a stevedore plugin of the ``storagemgr.scheduler.filters``
namespace, a subclass of :class:`BaseFilter` built with the configuration.
It says why it removes a pool, in a few words: the scheduler's "no valid
host" message is made of those reasons.
"""


class BaseFilter(object):
    """Base of the scheduler's filters."""

    def __init__(self, conf):
        self.conf = conf

    @property
    def name(self):
        return type(self).__name__

    def applies(self, request):
        """False when the request cannot make this filter remove a pool.

        Lets the scheduler skip the per-pool loop (most requests carry no
        availability zone, snapshot or replica).
        """
        return True

    def reject(self, pool, request):
        """None when ``pool`` passes, else why it does not (a short text).

        :param pool: a PoolState.
        :param request: a filter_scheduler.Request.
        """
        raise NotImplementedError()

    def filter_all(self, pools, request):
        """``(passing pools, [(pool, reason), ...] removed)``."""
        if not self.applies(request):
            return list(pools), []
        reject = self.reject
        reasons = [reject(pool, request) for pool in pools]
        passing = [p for p, r in zip(pools, reasons) if r is None]
        if len(passing) == len(reasons):
            return passing, []
        return passing, [(p, r) for p, r in zip(pools, reasons)
                         if r is not None]
