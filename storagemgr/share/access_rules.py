"""Validation of share access rules before they reach any driver.

A rule's ``access_to`` ends up in an exports file, an smb.conf line or a
command line, so it is treated as hostile: only a strict shape per type is
accepted, and anything that could start an option (a leading ``-``), split
a line or a list (whitespace, newlines, commas), open an option block
(parentheses), quote or glob (quotes, ``*``) is refused with a message
naming the value.
"""

import ipaddress
import re

from storagemgr import exception
from storagemgr.share import constants

# Characters refused in every access_to, whatever its type; checked first so
# the message names the real problem rather than "not an IP address".
_FORBIDDEN = re.compile(r'[\s,()\'"`*;|&<>\\{}\[\]!#=]')
# User and group names: letters, digits and a few separators; may end with
# "$" (machine accounts). Never starts with "-".
_USER = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9._@-]{0,253}\$?$')
# TLS certificate common names, as the reference allows them, minus spaces.
_CERT = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}$')


def _refuse(reason):
    return exception.InvalidShareAccess(reason=reason)


def validate_access_level(access_level):
    if access_level not in constants.ACCESS_LEVELS:
        raise _refuse('access level %r is not one of %s' % (
            access_level, ', '.join(constants.ACCESS_LEVELS)))
    return access_level


def _check_common(access_to):
    if not isinstance(access_to, str) or not access_to:
        raise _refuse('the access target must be a non-empty string')
    if len(access_to) > 255:
        raise _refuse('the access target is longer than 255 characters')
    if _FORBIDDEN.search(access_to) or any(
            ord(c) < 32 or ord(c) == 127 for c in access_to):
        raise _refuse('%r contains characters that are not allowed in an '
                      'access target (whitespace, control characters, '
                      'quotes, commas, parentheses, "*" and shell '
                      'metacharacters)' % access_to)
    if access_to.startswith('-'):
        raise _refuse('%r must not start with "-"' % access_to)


def _validate_ip(access_to):
    try:
        if '/' in access_to:
            network = ipaddress.ip_network(access_to, strict=True)
            return str(network)
        return str(ipaddress.ip_address(access_to))
    except ValueError as e:
        hint = ''
        if '/' in access_to and 'host bits set' in str(e):
            hint = '; did you mean %s?' % ipaddress.ip_network(
                access_to, strict=False)
        raise _refuse('%r is not an IPv4 or IPv6 address or network%s' % (
            access_to, hint))


def _validate_user(access_to):
    if not _USER.match(access_to):
        raise _refuse('%r is not a valid user or group name (letters, '
                      'digits, ".", "_", "@", "-", optionally ending with '
                      '"$")' % access_to)
    return access_to


def _validate_cert(access_to):
    if not _CERT.match(access_to):
        raise _refuse('%r is not a valid certificate common name (up to 64 '
                      'letters, digits, ".", "_", "@", "-")' % access_to)
    return access_to


_VALIDATORS = {
    'ip': _validate_ip,
    'user': _validate_user,
    'cert': _validate_cert,
}


def validate_access_to(access_type, access_to):
    """Return ``access_to`` in canonical form, or raise InvalidShareAccess.

    IP addresses and networks come back in ``ipaddress``'s canonical text
    (compressed IPv6), so duplicates are recognised whatever their
    spelling.
    """
    validator = _VALIDATORS.get(access_type)
    if validator is None:
        raise _refuse('access type %r is not one of %s' % (
            access_type, ', '.join(constants.ACCESS_TYPES)))
    _check_common(access_to)
    return validator(access_to)


def validate_rule(access_type, access_to, access_level):
    """Validate a whole rule; return (type, canonical access_to, level)."""
    canonical = validate_access_to(access_type, access_to)
    return access_type, canonical, validate_access_level(access_level)


def find_duplicate(existing_rules, access_type, access_to):
    """The rule among ``existing_rules`` granting the same target, or None.

    ``existing_rules`` are dicts with ``access_type`` and ``access_to``
    (canonical). A rule still being denied counts too: the target is only
    free once the rule is gone.
    """
    for rule in existing_rules:
        if (rule['access_type'] == access_type and
                rule['access_to'] == access_to):
            return rule
    return None
