"""The object drivers receive for a resource: a dict with attributes.

Manila drivers read ``share['id']`` as often as ``share.id``; Cinder
drivers read ``volume.name`` and ``volume['provider_location']``. A
``DriverView`` is a plain dict of plain values (so it can be persisted
with a flow and logged) that also answers attribute access, and answers
both with the same value. Nested dicts of a view are views too. A missing
key is an AttributeError through attributes, a KeyError through items,
as each style's callers expect.

Each family builds its views in one module (``storagemgr.share.
driver_views``, ``storagemgr.volume.driver_views``); this is only the
container.
"""


class DriverView(dict):
    """A dict whose keys are also attributes; see the module docstring."""

    __slots__ = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only containers need wrapping; most values are plain (a group
        # snapshot's view of 1,000 members holds some 50,000 of them).
        for key, value in self.items():
            if isinstance(value, (dict, list)) and \
                    not isinstance(value, DriverView):
                dict.__setitem__(self, key, wrap(value))

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                '%s view has no %r' % (self.get('__kind__', 'driver'),
                                       name)) from None

    def __setattr__(self, name, value):
        self[name] = wrap(value)

    def __delattr__(self, name):
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setitem__(self, key, value):
        super().__setitem__(key, wrap(value))

    def obj_attr_is_set(self, name):
        """Whether ``name`` is present (the versioned-object spelling)."""
        return name in self

    def to_dict(self):
        """A plain, deep copy (for drivers that serialise what they get)."""
        return unwrap(self)


def wrap(value):
    """``value`` with every dict in it turned into a DriverView."""
    if isinstance(value, DriverView):
        return value
    if isinstance(value, dict):
        return DriverView(value)
    if isinstance(value, list):
        return [wrap(item) for item in value]
    return value


def unwrap(value):
    """``value`` with every DriverView turned back into a plain dict."""
    if isinstance(value, dict):
        return {key: unwrap(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unwrap(item) for item in value]
    return value
