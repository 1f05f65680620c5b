"""How a resource is told apart from others of its class.

* ``GlobalId(*attrs)``: the attributes are unique everywhere; the same
  resource may be reported by several scannables (a disk seen by two
  controllers) and is stored once.
* ``ScopedId(*attrs)``: unique within the scannable that reports it.
* ``AutoId()``: no natural key; the manager assigns one. Only for
  scannable resources, which administrators create.
"""


class ResourceIdentifier(object):
    """The attribute names that together identify a resource."""

    #: True when the identity is scoped to the reporting scannable.
    scoped = False

    def __init__(self, *id_fields):
        self.id_fields = tuple(id_fields)

    def __repr__(self):
        return '%s(%s)' % (type(self).__name__,
                           ', '.join(repr(f) for f in self.id_fields))


class GlobalId(ResourceIdentifier):
    """Identity independent of who reports the resource."""


class ScopedId(ResourceIdentifier):
    """Identity within the reporting scannable resource."""

    scoped = True


class AutoId(GlobalId):
    """A generated identity, kept in the hidden attribute ``auto_id``."""

    FIELD = 'auto_id'

    def __init__(self):
        super().__init__(self.FIELD)
