"""Primitives for validating what drivers return.

Each driver contract has one module that validates and applies its
returns (``storagemgr.share.model_updates`` for share drivers,
``storagemgr.volume.group_updates`` for consistency groups). They build on
these checks, which all raise InvalidDriverReturn naming the driver, the
method and what was wrong.
"""

from storagemgr import exception


class ReturnChecker(object):
    """Validates one driver call's return; every error names both.

    ``checker = ReturnChecker(driver, 'create_share')`` then
    ``checker.dict_or_none(value)``, ``checker.status(value, allowed)``...
    """

    def __init__(self, driver, method):
        self.driver = driver
        self.method = method

    @property
    def driver_name(self):
        driver = self.driver
        if isinstance(driver, str):
            return driver
        cls = driver if isinstance(driver, type) else type(driver)
        return '%s.%s' % (cls.__module__, cls.__name__)

    def fail(self, reason):
        return exception.InvalidDriverReturn(
            driver=self.driver_name, method=self.method, reason=reason)

    def of_type(self, value, types, what='the return value'):
        if not isinstance(value, types):
            names = ' or '.join(t.__name__ if t is not type(None) else 'None'
                                for t in (types if isinstance(types, tuple)
                                          else (types,)))
            raise self.fail('%s must be %s, not %s (%r)' % (
                what, names, type(value).__name__, _short(value)))
        return value

    def dict_or_none(self, value, what='the model update'):
        self.of_type(value, (dict, type(None)), what)
        return dict(value or {})

    def list_or_none(self, value, what='the list'):
        self.of_type(value, (list, tuple, type(None)), what)
        return list(value) if value is not None else None

    def status(self, value, allowed, what='status'):
        if value not in allowed:
            raise self.fail('%s %r is not one of %s' % (
                what, value, ', '.join(sorted(str(a) for a in allowed))))
        return value

    def required_key(self, mapping, key, what='the model update'):
        if key not in mapping or mapping[key] is None:
            raise self.fail('%s has no %r' % (what, key))
        return mapping[key]

    def non_negative_int(self, value, what):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail('%s must be an integer, not %r' % (
                what, _short(value)))
        if value < 0:
            raise self.fail('%s must not be negative (%r)' % (what, value))
        return value

    def only_keys(self, mapping, allowed, what='the model update'):
        unknown = set(mapping) - set(allowed)
        if unknown:
            raise self.fail('%s has keys the contract does not allow: %s' %
                            (what, ', '.join(sorted(map(str, unknown)))))
        return mapping


def _short(value, limit=80):
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + '...'
