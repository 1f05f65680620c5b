"""Attribute types of storage resources.

An attribute declared on a resource class (``size = attributes.Bytes()``)
checks every value assigned to it and tells the presentation layer how
to show it. Every type takes the common options:

* ``optional``: the value may be left unset (``None``);
* ``label``: the name shown to users (default: ``file_size`` shows as
  ``File size``);
* ``hidden``: left out of tabular listings;
* ``user_read_only``: set by the plugin only, never by an administrator
  (such an attribute must also be optional);
* ``default``: value (or callable taking the stored attribute dict) used
  when a mandatory value is missing.

A refused value raises ``InvalidAttributeValue``, which is also a
``ValueError``.
"""

import itertools
import json
import re
import uuid

from storagemgr import exception

# Declaration order of attributes, so listings follow the class body.
_creation_counter = itertools.count()


class BaseResourceAttribute(object):
    """Common behaviour: options, validation, (de)serialisation, display."""

    #: True for attributes whose values are other resources.
    is_reference = False

    def __init__(self, optional=False, label=None, hidden=False,
                 user_read_only=False, default=None):
        self.optional = optional
        self.label = label
        self.hidden = hidden
        self.user_read_only = user_read_only
        self.default = default
        self.creation_counter = next(_creation_counter)

    def get_label(self, name):
        """Label for users: the explicit one, else from the attribute name."""
        if self.label:
            return self.label
        words = name.replace('_', ' ').strip()
        return words[:1].upper() + words[1:]

    def _refuse(self, value, reason, name=None):
        raise exception.InvalidAttributeValue(
            value=value, attribute=name or type(self).__name__,
            reason=reason)

    def cast(self, value):
        """The value as stored (e.g. Boolean turns truthy into True)."""
        return value

    def validate(self, value, name=None):
        """Raise InvalidAttributeValue unless ``value`` is acceptable.

        ``None`` is accepted only for optional attributes.
        """
        if value is None:
            if not self.optional:
                self._refuse(value, 'a value is required', name)
            return
        self._check(value, name)

    def _check(self, value, name):
        """Type-specific check of a non-None value; subclasses override."""

    def encrypt(self, value):
        """Value as stored when an administrator types it in."""
        return value

    def to_json(self, value):
        """JSON text of the value, for persistence."""
        return json.dumps(value)

    def from_json(self, text):
        """Value back from ``to_json``."""
        return json.loads(text)

    def to_display(self, value):
        """Text shown to users."""
        return '' if value is None else str(value)

    def parse(self, text):
        """Value from a command-line ``attr=text`` argument."""
        return self.cast(text)

    def __repr__(self):
        return '%s()' % type(self).__name__


class String(BaseResourceAttribute):
    """Unicode text, optionally at most ``max_length`` characters."""

    def __init__(self, max_length=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    def _check(self, value, name):
        if not isinstance(value, str):
            self._refuse(value, 'must be a string', name)
        if self.max_length is not None and len(value) > self.max_length:
            self._refuse(value, 'longer than %d characters'
                         % self.max_length, name)


class Password(String):
    """A secret, stored as the plugin's ``encrypt_fn`` obfuscates it.

    The manager calls ``encrypt`` on what an administrator types; the
    plugin sees the obfuscated text. It is never displayed.
    """

    def __init__(self, encrypt_fn, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.encrypt_fn = encrypt_fn

    def encrypt(self, value):
        return self.encrypt_fn(value)

    def to_display(self, value):
        return '' if value is None else '********'


class Boolean(BaseResourceAttribute):
    """True or False; any truthy value is stored as True."""

    _FALSE_WORDS = ('', '0', 'false', 'no', 'off')

    def cast(self, value):
        return None if value is None else bool(value)

    def parse(self, text):
        return text.strip().lower() not in self._FALSE_WORDS


class Integer(BaseResourceAttribute):
    """An integer, optionally within inclusive ``min_val``/``max_val``."""

    def __init__(self, min_val=None, max_val=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.min_val = min_val
        self.max_val = max_val

    def _check(self, value, name):
        if isinstance(value, bool) or not isinstance(value, int):
            self._refuse(value, 'must be an integer', name)
        if self.min_val is not None and value < self.min_val:
            self._refuse(value, 'below the minimum %s' % self.min_val, name)
        if self.max_val is not None and value > self.max_val:
            self._refuse(value, 'above the maximum %s' % self.max_val, name)

    def parse(self, text):
        try:
            return int(text)
        except (TypeError, ValueError):
            self._refuse(text, 'must be an integer')


_UNITS = ('B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB')


def format_bytes(value):
    """``1536`` -> ``'1.5 KiB'``: a byte count with binary units."""
    size = float(value)
    for unit in _UNITS[:-1]:
        if abs(size) < 1024:
            return ('%d %s' % (size, unit) if unit == 'B'
                    else '%.1f %s' % (size, unit))
        size /= 1024
    return '%.1f %s' % (size, _UNITS[-1])


class Bytes(Integer):
    """An exact size in bytes, shown with binary units."""

    def to_display(self, value):
        return '' if value is None else format_bytes(value)


class Enum(BaseResourceAttribute):
    """One of the values given to the constructor."""

    def __init__(self, *options, **kwargs):
        super().__init__(**kwargs)
        self.options = list(options)

    def cast(self, value):
        # The declared option object itself: equal values read from JSON
        # then share one object (many resources, few states).
        for option in self.options:
            if option == value and type(option) is type(value):
                return option
        return value

    def _check(self, value, name):
        if value not in self.options:
            self._refuse(value, 'must be one of %s' % ', '.join(
                repr(o) for o in self.options), name)

    def parse(self, text):
        for option in self.options:
            if str(option) == text:
                return option
        return text


class Uuid(BaseResourceAttribute):
    """A UUID string, with or without hyphens."""

    def _check(self, value, name):
        if not isinstance(value, str):
            self._refuse(value, 'must be a UUID string', name)
        try:
            uuid.UUID(hex=value.replace('-', ''))
        except ValueError:
            self._refuse(value, 'not a UUID', name)


class PosixPath(BaseResourceAttribute):
    """An absolute or relative POSIX path; no NUL bytes."""

    def _check(self, value, name):
        if not isinstance(value, str) or not value or '\0' in value:
            self._refuse(value, 'must be a non-empty path without NUL '
                         'bytes', name)


_HOST_LABEL = re.compile(r'^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$')


class Hostname(BaseResourceAttribute):
    """A DNS name or an IP address (v4 or v6)."""

    def _check(self, value, name):
        if not isinstance(value, str) or not 0 < len(value) <= 255:
            self._refuse(value, 'must be a host name or address', name)
        if ':' in value:
            try:
                import ipaddress
                ipaddress.IPv6Address(value)
                return
            except ValueError:
                self._refuse(value, 'not a valid IPv6 address', name)
        labels = value[:-1].split('.') if value.endswith('.') else (
            value.split('.'))
        if not all(_HOST_LABEL.match(label) for label in labels):
            self._refuse(value, 'not a valid host name or address', name)


class ResourceReference(BaseResourceAttribute):
    """Another resource (assign the resource instance).

    When the referenced resource is deleted, a resource referring to it
    through a mandatory reference is deleted too; an optional reference
    is cleared instead.
    """

    is_reference = True

    def _check(self, value, name):
        # Imported here: resources imports this module.
        from storagemgr.plugins.api import resources
        if not isinstance(value, resources.Resource):
            self._refuse(value, 'must be a storage resource', name)

    def to_json(self, value):
        raise TypeError('a resource reference is persisted by the resource '
                        'manager, not as JSON')

    def to_display(self, value):
        return '' if value is None else str(value.get_label())
