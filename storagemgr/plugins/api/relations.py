"""Links between resources of different plugins, matched on attributes.

``Provide(provide_to, attributes)`` on class P says: a P resource is a
parent of every ``provide_to`` resource (or of a subclass) whose listed
attributes have the same values. ``Subscribe(subscribe_to, attributes)``
on class S says the same from the other side: every ``subscribe_to``
resource with matching values is a parent of the S resource.

``provide_to``/``subscribe_to`` is a resource class or a
``('plugin', 'ClassName')`` tuple, resolved when plugins are loaded. The
loader adds the mirror relation on the other side, so both carry the
same ``key``: the manager links a provider and a subscriber when their
``(key, value)`` pairs are equal. With ``ignorecase=True`` string values
match regardless of case.
"""


def _class_name(target):
    if isinstance(target, tuple):
        return '%s.%s' % target
    key = getattr(target, 'resource_class_key', None)
    return '%s.%s' % key() if key else str(target)


class BaseRelation(object):

    def __init__(self, target, attributes, ignorecase=False):
        if isinstance(attributes, str):
            attributes = (attributes,)
        self.attributes = tuple(attributes)
        self.ignorecase = ignorecase
        self.target = target
        self._key = None

    @property
    def key(self):
        """Match key shared by a relation and its mirror on the other side."""
        return self._key or '%s:%s:%s' % (
            self.direction, _class_name(self.target),
            ','.join(self.attributes))

    def val(self, resource):
        """The values to match, or None if any is unset."""
        values = []
        for name in self.attributes:
            value = getattr(resource, name, None)
            if value is None:
                return None
            if self.ignorecase and isinstance(value, str):
                value = value.lower()
            values.append(value)
        return tuple(values)

    def __repr__(self):
        return '%s(%s, %r, ignorecase=%r)' % (
            type(self).__name__, _class_name(self.target), self.attributes,
            self.ignorecase)


class Provide(BaseRelation):
    """This class's resources are parents of matching ``provide_to`` ones."""

    direction = 'provide'

    def __init__(self, provide_to, attributes, ignorecase=False):
        super().__init__(provide_to, attributes, ignorecase)

    @property
    def provide_to(self):
        return self.target


class Subscribe(BaseRelation):
    """Matching ``subscribe_to`` resources are parents of this class's."""

    direction = 'subscribe'

    def __init__(self, subscribe_to, attributes, ignorecase=False):
        super().__init__(subscribe_to, attributes, ignorecase)

    @property
    def subscribe_to(self):
        return self.target
