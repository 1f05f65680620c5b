"""``cinder.objects``: the object classes Cinder drivers test against.

storagemgr hands drivers views (``storagemgr.volume.driver_views``), not
versioned objects. Each class here answers ``isinstance`` for the views
of its kind (``isinstance(volume, objects.Volume)`` is true for a volume
view, false for a plain dict), and calling it builds a view of that kind
from keyword arguments (``context`` is accepted and dropped). Lists are
plain lists of views. ``register_all()`` exists and does nothing.

Served: Volume, Snapshot, ConsistencyGroup, CGSnapshot, VolumeList,
SnapshotList. Not served: Group, GroupSnapshot, Backup and every other
object (storagemgr has no such resources).
"""

from storagemgr.volume import driver_views


class _ViewKind(type):
    """Class behaviour of the served objects: views stand for them."""

    def __instancecheck__(cls, instance):
        return isinstance(instance, cls.view_class)

    def __subclasscheck__(cls, subclass):
        return (type.__subclasscheck__(cls, subclass) or
                issubclass(subclass, cls.view_class))

    def __call__(cls, context=None, **kwargs):
        return cls.view_class(kwargs)


class Volume(metaclass=_ViewKind):
    view_class = driver_views.VolumeView


class Snapshot(metaclass=_ViewKind):
    view_class = driver_views.SnapshotView


class ConsistencyGroup(metaclass=_ViewKind):
    view_class = driver_views.GroupView


class CGSnapshot(metaclass=_ViewKind):
    view_class = driver_views.CGSnapshotView


class _ListKind(type):
    def __instancecheck__(cls, instance):
        return isinstance(instance, list) and all(
            isinstance(item, cls.item_class) for item in instance)

    def __call__(cls, context=None, objects=None):
        return list(objects or ())


class VolumeList(metaclass=_ListKind):
    item_class = Volume


class SnapshotList(metaclass=_ListKind):
    item_class = Snapshot


def register_all():
    """Cinder registers its versioned objects here; there are none."""
