"""The base class of storagemgr's flow tasks.

Task names are derived from the module and class, plus an optional suffix,
so logs and stored atom details can be traced back to code (the habit is
Cinder's ``flow_utils``).

A driver that raises ``KeyboardInterrupt`` or ``SystemExit`` (or a Ctrl-C
that lands inside a task) would otherwise escape taskflow, which only
handles ``Exception``, and leave the flow RUNNING with its resource in a
transitional status. Every task's ``execute`` and ``revert`` turn them into
``OperationInterrupted``, so the flow reverts to its documented error
state like for any other failure.
"""

import functools

from taskflow import task

from storagemgr import exception

_INTERRUPTS = (KeyboardInterrupt, SystemExit)


def make_task_name(cls, addons=None):
    base = '.'.join([cls.__module__, cls.__name__])
    if addons:
        base += ';' + ', '.join(addons)
    return base


def _interrupts_as_failures(method):
    if getattr(method, '_interrupts_handled', False):
        return method

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _INTERRUPTS as e:
            raise exception.OperationInterrupted(
                task=self.name, signal=type(e).__name__) from None
    wrapper._interrupts_handled = True
    return wrapper


class StorageTask(task.Task):
    """A task whose name says where its code lives."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in ('execute', 'revert'):
            if name in cls.__dict__:
                setattr(cls, name, _interrupts_as_failures(cls.__dict__[name]))

    def __init__(self, addons=None, **kwargs):
        super().__init__(self.make_name(addons), **kwargs)

    @classmethod
    def make_name(cls, addons=None):
        return make_task_name(cls, addons)
