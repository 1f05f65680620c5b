"""Periodic tasks of the manager service.

Each area registers its tasks with the ``periodic_task`` decorator in a
module listed in ``AREA_MODULES``. A task is a function of the manager; it
runs when its spacing has passed, lowest ``order`` first, so backend stats
are refreshed before anything that reads them.
"""

import collections
import importlib

PeriodicTask = collections.namedtuple(
    'PeriodicTask', ['name', 'func', 'spacing', 'order'])

_TASKS = {}

AREA_MODULES = (
    'storagemgr.service.backend_tasks',
    'storagemgr.share.periodic',
    'storagemgr.volume.periodic',
    'storagemgr.plugins.periodic',
)


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


def load_area_tasks():
    for module_name in AREA_MODULES:
        try:
            importlib.import_module(module_name)
        except ImportError as e:
            # An area that is not installed has no tasks; any other import
            # failure is a bug and must surface.
            if e.name != module_name:
                raise


def all_tasks():
    load_area_tasks()
    return sorted(_TASKS.values(), key=lambda t: (t.order, t.name))
