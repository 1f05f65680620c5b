"""GoodnessWeigher: the backend's own goodness_function (0 to 100)."""

from oslo_log import log as logging

from storagemgr.scheduler.filters import driver
from storagemgr.scheduler import weighers

LOG = logging.getLogger(__name__)


class GoodnessWeigher(weighers.BaseWeigher):
    """Weighs pools by their ``goodness_function``.

    0 is a poor choice, 100 a perfect one; a true result counts 100, a
    false one 0. A missing function, one that fails, or a result outside
    0..100 counts 0 (logged).
    """

    def multiplier(self):
        return self.conf.goodness_weight_multiplier

    def weigh_all(self, pools, request):
        return [self.weigh(pool, request)
                if pool.capabilities.get('goodness_function') else 0.0
                for pool in pools]

    def weigh(self, pool, request):
        function, result, error = driver.run_pool_function(
            pool, request, 'goodness_function')
        if function is None or error is not None:
            return 0.0
        if isinstance(result, bool):
            return 100.0 if result else 0.0
        if not isinstance(result, (int, float)) or not 0 <= result <= 100:
            LOG.warning('goodness_function of pool %s, %r, gave %r; a '
                        'goodness is 0 to 100: counting 0.',
                        pool.host, function, result)
            return 0.0
        return float(result)
