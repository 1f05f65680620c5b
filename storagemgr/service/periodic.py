"""Periodic tasks of the manager service.

Each area registers its tasks with the ``periodic_task`` decorator in a
module named by an entry point of the ``storagemgr.periodic_tasks``
namespace (see setup.cfg), so an installed extension adds its own tasks
without editing this module. A task is a function of the manager; it runs
when its spacing has passed, lowest ``order`` first, so backend stats are
refreshed before anything that reads them.
"""

import collections

from stevedore import extension

from storagemgr import exception

NAMESPACE = 'storagemgr.periodic_tasks'

PeriodicTask = collections.namedtuple(
    'PeriodicTask', ['name', 'func', 'spacing', 'order'])

_TASKS = {}
_LOADED = []


def periodic_task(spacing, order=50, name=None):
    """Register ``func(manager)`` to run every ``spacing()`` seconds.

    :param spacing: a callable returning seconds, read at every run so a
        task follows its configuration option.
    """
    def decorator(func):
        task_name = name or '%s.%s' % (func.__module__, func.__name__)
        _TASKS[task_name] = PeriodicTask(task_name, func, spacing, order)
        return func
    return decorator


def _load_failed(manager, entry_point, error):
    raise exception.StorageManagerException(
        'periodic task module %s (entry point %r of %s) failed to load: '
        '%s: %s' % (entry_point.value, entry_point.name, NAMESPACE,
                    type(error).__name__, error))


def load_area_tasks():
    """Import every area's task module; a module that fails is an error.

    A silently skipped module would leave a whole area's housekeeping
    (stats, resuming flows, scans) undone with nothing in the logs.
    """
    if _LOADED:
        return
    extension.ExtensionManager(
        NAMESPACE, invoke_on_load=False,
        on_load_failure_callback=_load_failed)
    _LOADED.append(True)


def all_tasks():
    load_area_tasks()
    return sorted(_TASKS.values(), key=lambda t: (t.order, t.name))
