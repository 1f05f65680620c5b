"""``cinder.utils``: the helpers of Cinder's that drivers call.

Served: ``trace_method``/``trace`` (log entry and exit at debug level when
the backend's ``trace_flags`` include ``method``), ``setup_tracing``,
``execute`` and ``get_root_helper`` (commands run by oslo.concurrency;
``run_as_root`` uses ``sudo -n`` unless storagemgr already runs as root),
``synchronized`` (an inter-process lock under storagemgr's lock path),
``as_int``, ``convert_str`` and ``check_exclusive_options``. Nothing else:
the porting guide lists what is not served.
"""

import functools
import os

from oslo_concurrency import lockutils
from oslo_concurrency import processutils
from oslo_log import log as logging

from storagemgr.compat.cinder import exception
from storagemgr import paths

LOG = logging.getLogger(__name__)

_TRACE = {'method': False, 'api': False}


def setup_tracing(trace_flags):
    """Turn method (and API) tracing on for the flags given."""
    flags = set(trace_flags or ())
    for flag in _TRACE:
        _TRACE[flag] = flag in flags
    unknown = flags - set(_TRACE)
    if unknown:
        LOG.warning('Unknown trace_flags ignored: %s',
                    ', '.join(sorted(unknown)))


def trace_method(func):
    """Log calls of ``func`` (arguments and result) when tracing is on."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if not _TRACE['method']:
            return func(*args, **kwargs)
        LOG.debug('==> %(name)s: call %(args)r %(kwargs)r',
                  {'name': func.__qualname__, 'args': args[1:],
                   'kwargs': kwargs})
        try:
            result = func(*args, **kwargs)
        except Exception as e:
            LOG.debug('<== %(name)s: raised %(error)r',
                      {'name': func.__qualname__, 'error': e})
            raise
        LOG.debug('<== %(name)s: return %(result)r',
                  {'name': func.__qualname__, 'result': result})
        return result
    return wrapper


def trace(func):
    """Cinder's ``trace`` decorator: here the same as ``trace_method``."""
    return trace_method(func)


trace_api = trace


def get_root_helper():
    """How commands run as root: nothing when already root, else sudo."""
    return '' if os.geteuid() == 0 else 'sudo -n'


def execute(*cmd, **kwargs):
    """Run a command (oslo.concurrency ``execute``); ``(stdout, stderr)``.

    ``run_as_root=True`` runs it through ``get_root_helper()`` unless a
    ``root_helper`` is given.
    """
    if kwargs.get('run_as_root') and 'root_helper' not in kwargs:
        helper = get_root_helper()
        if helper:
            kwargs['root_helper'] = helper
        else:
            kwargs['run_as_root'] = False
    return processutils.execute(*cmd, **kwargs)


def synchronized(name, external=True):
    """A lock named ``name`` shared by every storagemgr process."""
    return lockutils.synchronized(
        'cinder-' + name, external=external,
        lock_path=paths.state_path('locks'))


def as_int(obj, quiet=True):
    """``obj`` as an int; on failure ``obj`` itself, or InvalidInput."""
    try:
        return int(float(obj))
    except (ValueError, TypeError):
        if quiet:
            return obj
        raise exception.InvalidInput(
            reason='can not convert %r to an integer' % (obj,))


def convert_str(text):
    """``text`` as str (bytes are decoded as UTF-8)."""
    if isinstance(text, bytes):
        return text.decode('utf-8')
    return str(text)


def check_exclusive_options(**kwargs):
    """InvalidInput if more than one of the keyword arguments is set."""
    pretty_keys = kwargs.pop('pretty_keys', True)
    given = [key for key, value in kwargs.items() if value is not None]
    if len(given) > 1:
        if pretty_keys:
            given = [key.replace('_', ' ') for key in given]
        raise exception.InvalidInput(
            reason='may specify only one of %s' % ', '.join(sorted(given)))
