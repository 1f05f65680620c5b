"""The base class of storagemgr's flow tasks.

Task names are derived from the module and class, plus an optional suffix,
so logs and stored atom details can be traced back to code (the habit is
Cinder's ``flow_utils``).
"""

from taskflow import task


def make_task_name(cls, addons=None):
    base = '.'.join([cls.__module__, cls.__name__])
    if addons:
        base += ';' + ', '.join(addons)
    return base


class StorageTask(task.Task):
    """A task whose name says where its code lives."""

    def __init__(self, addons=None, **kwargs):
        super().__init__(self.make_name(addons), **kwargs)

    @classmethod
    def make_name(cls, addons=None):
        return make_task_name(cls, addons)
