"""Primitives for validating what drivers return.

Each driver contract has one module that validates and applies its
returns (``storagemgr.share.model_updates`` for share drivers,
``storagemgr.volume.group_updates`` for consistency groups). They build on
these checks, which all raise InvalidDriverReturn naming the driver, the
method and what was wrong.
"""

import threading

from oslo_log import log as logging

from storagemgr import exception

LOG = logging.getLogger(__name__)

# Keys a driver may add to a model update beyond the ones an operation
# uses: they describe the backend object and are stored on the row
# (provider_location, provider_id, ...). Any other key is ignored.
PROVIDER_KEYS = frozenset(['provider_location', 'provider_id',
                           'provider_auth', 'provider_geometry',
                           'replication_status', 'replication_driver_data',
                           'replication_extended_status', 'metadata'])

_warned = set()
_warned_lock = threading.Lock()


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

    def values_tuple(self, value, count):
        """A tuple of ``count`` values; None stands for ``count`` Nones."""
        if value is None:
            return (None,) * count
        self.of_type(value, (tuple, list), 'the return value')
        if len(value) != count:
            raise self.fail('expected %d values, got %d' % (
                count, len(value)))
        return tuple(value)

    def entries_by_id(self, value, known_ids, what):
        """``{id: entry without its id}`` of a list of member updates.

        Each entry is a dict naming one of ``known_ids``; None is no list.
        """
        entries = self.list_or_none(value, what)
        if entries is None:
            return None
        by_id = {}
        for index, entry in enumerate(entries):
            label = '%s[%d]' % (what, index)
            self.of_type(entry, dict, label)
            entry_id = self.required_key(entry, 'id', label)
            if entry_id not in known_ids:
                raise self.fail('%s names %r, which is not one of the '
                                'members it was given' % (label, entry_id))
            by_id[entry_id] = {k: v for k, v in entry.items() if k != 'id'}
        return by_id

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

    def split_keys(self, mapping, used, stored=PROVIDER_KEYS):
        """Split a model update into the keys used and the provider keys.

        Known provider keys (``stored``) come back apart, for the caller
        to store on the row; any other key is ignored, with one warning
        per driver, method and key for the life of the process (drivers
        written for other managers often return bookkeeping such as
        ``updated_at``). Only the values' shapes of the used keys are the
        caller's to check; a provider key's value must be JSON-able.

        :returns: ``(used_part, provider_part)``, two new dicts.
        """
        used_part, provider_part = {}, {}
        for key, value in mapping.items():
            if key in used:
                used_part[key] = value
            elif key in stored:
                provider_part[key] = self.json_value(value, key)
            else:
                self._warn_ignored(key)
        return used_part, provider_part

    def json_value(self, value, what):
        """``value`` if it is plain JSON data (str, number, list, dict)."""
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        if isinstance(value, (list, tuple)):
            return [self.json_value(v, what) for v in value]
        if isinstance(value, dict):
            return {str(k): self.json_value(v, what)
                    for k, v in value.items()}
        raise self.fail('%s must be plain data (text, numbers, lists, '
                        'dicts), not %s' % (what, type(value).__name__))

    def _warn_ignored(self, key):
        marker = (self.driver_name, self.method, str(key))
        with _warned_lock:
            if marker in _warned:
                return
            _warned.add(marker)
        LOG.warning('Driver %(driver)s returned key %(key)r from '
                    '%(method)s, which storagemgr does not use; ignored.',
                    {'driver': self.driver_name, 'key': key,
                     'method': self.method})

    def only_keys(self, mapping, allowed, what='the model update'):
        unknown = set(mapping) - set(allowed)
        if unknown:
            raise self.fail('%s has keys the contract does not allow: %s' %
                            (what, ', '.join(sorted(map(str, unknown)))))
        return mapping


def _short(value, limit=80):
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + '...'
