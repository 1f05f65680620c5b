"""Checks of what users type, shared by every area.

Each check returns the value to store or raises ``InvalidInput`` with one
line that names the field and what is wrong with it, so bad input is
refused before the database sees it.
"""

from storagemgr import exception

# Longest display name, as the name columns hold it.
MAX_NAME_LENGTH = 255

# Largest size in GiB: 2**31 - 1. It fits the signed 32-bit INTEGER that
# the size columns are on PostgreSQL and MySQL (SQLite's are 64-bit), and
# in bytes (times 2**30) it stays below 2**61, inside a signed 64-bit
# file offset.
MAX_SIZE_GB = 2 ** 31 - 1


def display_name(name, what='name'):
    """A name of at most 255 printable characters, or None.

    Printable is ``str.isprintable``: letters, digits, punctuation and the
    plain space of any script; no control characters, tabs, newlines or
    format characters.
    """
    if name is None:
        return None
    if not isinstance(name, str):
        raise exception.InvalidInput(
            reason='%s must be text, not %s' % (what, type(name).__name__))
    if len(name) > MAX_NAME_LENGTH:
        raise exception.InvalidInput(
            reason='%s must be at most %d printable characters, not %d' % (
                what, MAX_NAME_LENGTH, len(name)))
    for position, char in enumerate(name):
        if not char.isprintable():
            raise exception.InvalidInput(
                reason='%s must be printable characters; character %d is '
                       'U+%04X' % (what, position + 1, ord(char)))
    return name


def size_gb(size, what='size', text=False):
    """A whole number of GiB from 1 to ``MAX_SIZE_GB``.

    :param text: also accept a decimal string (for callers that pass what
        was typed as is).
    """
    value = None
    if isinstance(size, int) and not isinstance(size, bool):
        value = size
    elif text and isinstance(size, str) and \
            size.strip().lstrip('-').isdigit():
        value = int(size)
    if value is None:
        raise exception.InvalidInput(
            reason='%s must be a whole number of GiB, not %r' % (what, size))
    if value < 1:
        raise exception.InvalidInput(
            reason='%s must be at least 1 GiB, not %d' % (what, value))
    if value > MAX_SIZE_GB:
        raise exception.InvalidInput(
            reason='%s %d GiB is too large; the most is %d GiB' % (
                what, value, MAX_SIZE_GB))
    return value
