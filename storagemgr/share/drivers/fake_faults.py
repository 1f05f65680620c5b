"""Delays and injected faults for the fake share driver.

Each driver method can be given, by configuration or by a test:

* a delay in seconds (``fake_delays = create_share:0.05``), through an
  injectable ``sleep`` so tests never wait;
* an exception to raise instead of working (``fake_raise =
  create_share:builtins.RuntimeError``), any importable class;
* a wrong return (``fake_return = manage_existing:missing_size``), to test
  how the manager copes with a driver that breaks its contract.
"""

import functools

from oslo_utils import importutils

from storagemgr import exception
from storagemgr.i18n import _

# Kinds of wrong return a method can be told to give.
MALFORMED = 'malformed'          # a value of the wrong type
ERROR_STATUS = 'error_status'    # status (or state) 'error'
UNKNOWN_STATUS = 'unknown_status'  # a status the contract does not know
MISSING_SIZE = 'missing_size'    # a manage update without 'size'
NONE = 'none'                    # None
EMPTY = 'empty'                  # an empty dict or list
RETURN_KINDS = (MALFORMED, ERROR_STATUS, UNKNOWN_STATUS, MISSING_SIZE, NONE,
                EMPTY)

MALFORMED_VALUE = 'fake-malformed-return'
UNKNOWN_STATUS_VALUE = 'fake_unknown_status'


def resolve_exception(spec):
    """An exception class from a class, an instance or a dotted path."""
    if isinstance(spec, BaseException):
        return spec
    if isinstance(spec, type) and issubclass(spec, BaseException):
        return spec
    try:
        cls = importutils.import_class(spec)
    except (ImportError, ValueError, AttributeError) as e:
        raise exception.InvalidInput(reason=_(
            'cannot import exception class %(spec)r: %(e)s') % {
                'spec': spec, 'e': e})
    if not (isinstance(cls, type) and issubclass(cls, BaseException)):
        raise exception.InvalidInput(reason=_(
            '%r is not an exception class') % (spec,))
    return cls


def make_exception(spec, method):
    """An instance of the configured exception, its message naming it."""
    if isinstance(spec, BaseException):
        return spec
    cls = resolve_exception(spec)
    message = 'fake driver fault injected in %s' % method
    try:
        if issubclass(cls, exception.StorageManagerException):
            return cls(message=message)
        return cls(message)
    except Exception:
        return cls()


def _with_status(value, status):
    if isinstance(value, dict):
        return dict(value, status=status)
    if isinstance(value, list):
        return [_with_status(v, status) for v in value]
    if value is None:
        return {'status': status}
    return status


def wrong_return(method, value, kind):
    """Turn a correct return ``value`` into the ``kind`` of wrong one."""
    if kind == NONE:
        return None
    if kind == EMPTY:
        return [] if isinstance(value, list) else {}
    if kind == MALFORMED:
        return MALFORMED_VALUE
    if kind == MISSING_SIZE:
        value = dict(value or {})
        value.pop('size', None)
        return value
    status = 'error' if kind == ERROR_STATUS else UNKNOWN_STATUS_VALUE
    if method in ('update_access', 'snapshot_update_access'):
        return {rule_id: dict(update, state=status)
                for rule_id, update in (value or {}).items()}
    if method == 'ensure_shares':
        return {share_id: dict(update, status=status)
                for share_id, update in (value or {}).items()}
    if method == 'update_replica_state':
        return status
    if method in ('create_replica', 'promote_replica'):
        key = 'replica_state'
        if isinstance(value, list):
            return [dict(v, **{key: status}) for v in value]
        return dict(value or {}, **{key: status})
    return _with_status(value, status)


def faultable(method):
    """Decorate a fake driver method with its delay and faults."""
    name = method.__name__

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        self.calls.append(name)
        delay = self._delay_for(name)
        if delay:
            self.sleep(delay)
        fault = self._fault_for(name)
        if fault.get('raise') is not None:
            raise make_exception(fault['raise'], name)
        result = method(self, *args, **kwargs)
        if fault.get('return') is not None:
            return wrong_return(name, result, fault['return'])
        return result
    wrapper.faultable = True
    return wrapper
