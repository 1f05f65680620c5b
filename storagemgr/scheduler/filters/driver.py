"""DriverFilter: the backend's own filter_function."""

from oslo_log import log as logging

from storagemgr.scheduler import filters

LOG = logging.getLogger(__name__)
# Longest function text quoted in a reason (the reasons end up in one
# line of a NoValidHost message).
QUOTED_LENGTH = 80


def quoted(function):
    text = str(function)
    if len(text) > QUOTED_LENGTH:
        text = text[:QUOTED_LENGTH - 3] + '...'
    return repr(text)


def run_pool_function(pool, request, key):
    """``(function, result, error)`` of the pool's ``key`` function.

    ``key`` is 'filter_function' or 'goodness_function'; function is None
    when the pool reports none. The function sees ``stats`` (the pool's
    capabilities and current figures), ``capabilities``, ``extra`` (the
    type's extra specs) and ``share`` or ``volume`` (the request). A
    malformed function is logged and returned as ``error``, never raised.
    """
    function = pool.capabilities.get(key)
    if function is None or function == '':
        return None, None, None
    # Imported when a pool has a function: the evaluator's grammar
    # (pyparsing) and oslo_utils.strutils cost about 0.1 s to import,
    # which a scheduler whose pools report none never needs.
    from storagemgr.scheduler import evaluator

    variables = dict(request.variables)
    variables['stats'] = pool.stats()
    variables['capabilities'] = pool.capabilities
    try:
        return function, evaluator.evaluate(function, **variables), None
    except evaluator.EvaluatorError as e:
        LOG.warning('%s of pool %s, %r, cannot be evaluated: %s',
                    key, pool.host, function, e)
        return function, None, e


class DriverFilter(filters.BaseFilter):
    """Keeps pools whose ``filter_function`` is true for the request.

    Pools that report no function pass; a function that does not parse
    or cannot be evaluated removes its pool, with the error as reason.
    """

    def reject(self, pool, request):
        if not pool.capabilities.get('filter_function'):
            return None
        function, result, error = run_pool_function(
            pool, request, 'filter_function')
        if error is not None:
            return 'filter_function %s failed: %s' % (quoted(function),
                                                      error)
        if function is not None and not result:
            return 'filter_function %s is false' % quoted(function)
        return None
