"""Scheduler weighers: rank the pools that passed the filters.

A weigher is a stevedore plugin of the ``storagemgr.scheduler.weighers``
namespace, a subclass of :class:`BaseWeigher` built with the
configuration. As in the reference services, each weigher's raw weights
are normalised to 0..1 over the pools at hand (all equal: all 0), then
multiplied by the weigher's multiplier and summed; the highest total wins.
"""


def normalize(weights, minval=None, maxval=None):
    """``weights`` scaled to 0..1 between ``minval`` and ``maxval``.

    The bounds default to the list's own; equal bounds give zeros.
    """
    if not weights:
        return []
    low = min(weights) if minval is None else minval
    high = max(weights) if maxval is None else maxval
    if low == high:
        return [0.0] * len(weights)
    span = float(high - low)
    return [(w - low) / span for w in weights]


class BaseWeigher(object):
    """Base of the scheduler's weighers."""

    def __init__(self, conf):
        self.conf = conf

    @property
    def name(self):
        return type(self).__name__

    def multiplier(self):
        """How much this weigher counts; read from the configuration."""
        return 1.0

    def weigh_all(self, pools, request):
        """Raw weights, one float per pool, higher is better."""
        return [self.weigh(pool, request) for pool in pools]

    def weigh(self, pool, request):
        raise NotImplementedError()


def _totals(weighers, pools, request):
    totals = [0.0] * len(pools)
    for weigher in weighers:
        multiplier = weigher.multiplier()
        if not multiplier:
            continue
        for i, value in enumerate(normalize(weigher.weigh_all(pools,
                                                              request))):
            totals[i] += multiplier * value
    return totals


def weigh(weighers, pools, request):
    """``[(total weight, pool)]`` sorted best first (stable on ties)."""
    totals = _totals(weighers, pools, request)
    order = sorted(range(len(pools)), key=lambda i: -totals[i])
    return [(totals[i], pools[i]) for i in order]


def best(weighers, pools, request):
    """The pool :func:`weigh` puts first, without sorting them all."""
    totals = _totals(weighers, pools, request)
    return pools[max(range(len(pools)), key=totals.__getitem__)]
