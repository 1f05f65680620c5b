"""Checks of the specs users put in a type, as Manila and Cinder check them.

Every key and value is text of at most 255 printable characters; a key is
not empty. Share types add Manila's rules for the specs the share service
itself understands:

* ``driver_handles_share_servers`` is required and boolean (``true``,
  ``1``, ``yes``... and their opposites); it is stored as ``True`` or
  ``False``;
* ``snapshot_support``, ``create_share_from_snapshot_support``,
  ``revert_to_snapshot_support`` and ``mount_snapshot_support`` are
  booleans, plain or as ``<is> True`` / ``<is> False``, stored in that
  canonical spelling;
* ``replication_type`` is ``readable``, ``writable`` or ``dr``;
* ``availability_zones`` is a comma-separated list of zone names, stored
  without blanks around the commas;
* ``provisioning:min_share_size``, ``provisioning:max_share_size`` and
  ``provisioning:max_share_extend_size`` are whole numbers of GiB.

Other values are kept as typed: they may carry the scheduler's operators
(``<is> True``, ``<in> gold``, ``>= 10``...), which the capabilities filter
interprets. Scoped keys (``vendor:option``, ``capabilities:...``) are not
checked beyond the common rules.
"""

import re

from storagemgr import exception
from storagemgr import input_checks

MAX_LENGTH = 255

DHSS = 'driver_handles_share_servers'
REQUIRED_SHARE_TYPE_SPECS = (DHSS,)
BOOLEAN_SHARE_TYPE_SPECS = (
    'snapshot_support',
    'create_share_from_snapshot_support',
    'revert_to_snapshot_support',
    'mount_snapshot_support',
)
REPLICATION_TYPE = 'replication_type'
REPLICATION_TYPES = ('readable', 'writable', 'dr')
AVAILABILITY_ZONES = 'availability_zones'
SIZE_SPECS = (
    'provisioning:min_share_size',
    'provisioning:max_share_size',
    'provisioning:max_share_extend_size',
)

_IS_BOOLEAN = re.compile(r'^<is>\s*(?P<value>\S+)$', re.IGNORECASE)


def _shown(text):
    # Enough of a key to recognise it in a one-line error.
    text = repr(text)
    return text if len(text) <= 60 else text[:57] + '...'


def check_key(key, what='extra spec'):
    """A spec key: non-empty printable text of at most 255 characters."""
    if not isinstance(key, str) or not key:
        raise exception.InvalidInput(
            reason='%s keys must be non-empty text, not %s' % (
                what, _shown(key)))
    return input_checks.display_name(key, what='%s key %s' % (
        what, _shown(key)))


def check_value(key, value, what='extra spec'):
    """A spec value: printable text of at most 255 characters."""
    if not isinstance(value, str):
        raise exception.InvalidExtraSpec(
            key=key, reason='the value must be text, not %s' %
            type(value).__name__)
    return input_checks.display_name(value, what='the value of %s %s' % (
        what, _shown(key)))


def check_generic(specs, what='extra spec'):
    """Common rules only: the specs of volume and share group types."""
    if specs is None:
        return {}
    if not isinstance(specs, dict):
        raise exception.InvalidInput(
            reason='%ss must be a mapping of key to value' % what)
    return {check_key(k, what): check_value(k, v, what)
            for k, v in specs.items()}


def parse_bool(key, value):
    """A plain boolean spec value (``true``, ``0``, ``yes``...) as a bool."""
    # Imported here: oslo_utils.strutils costs about 80 ms to import, and
    # reading shares imports this module without parsing any spec.
    from oslo_utils import strutils

    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise exception.InvalidExtraSpec(
            key=key, reason='%r is not a boolean (use True or False)' %
            value)


def _canonical_bool(key, value):
    match = _IS_BOOLEAN.match(value.strip())
    if match:
        return '<is> %s' % parse_bool(key, match.group('value'))
    return str(parse_bool(key, value))


def _canonical_zones(key, value):
    zones = [zone.strip() for zone in value.split(',')]
    if not all(zones):
        raise exception.InvalidExtraSpec(
            key=key, reason='%r is not a comma-separated list of zone '
                            'names (an entry is empty)' % value)
    return ','.join(zones)


def _canonical_size(key, value):
    if not value.strip().isdigit() or int(value) < 1:
        raise exception.InvalidExtraSpec(
            key=key, reason='%r is not a whole number of GiB of at least '
                            '1' % value)
    return str(int(value))


def _canonical_replication_type(key, value):
    if value not in REPLICATION_TYPES:
        raise exception.InvalidExtraSpec(
            key=key, reason='%r is not one of %s' % (
                value, ', '.join(REPLICATION_TYPES)))
    return value


_SHARE_TYPE_RULES = dict(
    [(DHSS, lambda key, value: str(parse_bool(key, value))),
     (REPLICATION_TYPE, _canonical_replication_type),
     (AVAILABILITY_ZONES, _canonical_zones)] +
    [(key, _canonical_bool) for key in BOOLEAN_SHARE_TYPE_SPECS] +
    [(key, _canonical_size) for key in SIZE_SPECS])


def check_share_type_specs(specs, complete=True):
    """The common rules, then Manila's rules for the keys it knows.

    :param complete: the specs of a new type: the required specs must be
        there. An update (``complete=False``) may name any subset.
    :returns: the specs in their canonical spelling.
    """
    specs = check_generic(specs)
    if complete:
        missing = [k for k in REQUIRED_SHARE_TYPE_SPECS if k not in specs]
        if missing:
            raise exception.InvalidExtraSpec(
                key=', '.join(missing),
                reason='required by every share type')
    return {key: _SHARE_TYPE_RULES[key](key, value)
            if key in _SHARE_TYPE_RULES else value
            for key, value in specs.items()}


def split_share_type_specs(specs):
    """``(required, optional)`` specs of a share type, as Manila shows them."""
    required = {k: v for k, v in specs.items()
                if k in REQUIRED_SHARE_TYPE_SPECS}
    optional = {k: v for k, v in specs.items()
                if k not in REQUIRED_SHARE_TYPE_SPECS}
    return required, optional
