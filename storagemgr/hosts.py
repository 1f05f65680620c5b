"""Host strings: ``host@backend#pool``, parsed and built in one place.

Every share instance and volume lives on a pool named this way, as in the
reference services: the manager's host, the backend's configuration
section, and the pool the driver reported. Where a user names a place
(``--backend``, ``share adopt``, a migration destination), a bare backend
name and a full host string are both accepted; :func:`parse` tells them
apart.
"""

import collections

from storagemgr import exception

Host = collections.namedtuple('Host', ['host', 'backend', 'pool'])


def _part(value, what, text):
    if not value or any(c in value for c in '@#') or any(
            ord(c) < 32 or c.isspace() for c in value):
        raise exception.InvalidInput(
            reason='%r is not a valid host (host@backend#pool): bad %s %r'
            % (text, what, value))
    return value


def parse(text):
    """``Host(host, backend, pool)`` of ``text``.

    ``text`` is ``host@backend#pool``, ``host@backend``, ``backend#pool``
    or a bare ``backend``; the parts it does not give are None.
    """
    if not isinstance(text, str) or not text:
        raise exception.InvalidInput(
            reason='a host must be a non-empty string, not %r' % (text,))
    rest, hash_sign, pool = text.partition('#')
    host, at_sign, backend = rest.rpartition('@')
    if not at_sign:
        host = None
    return Host(
        _part(host, 'host name', text) if host is not None else None,
        _part(backend, 'backend', text),
        _part(pool, 'pool', text) if hash_sign else None)


def join(host, backend, pool=None):
    """``host@backend#pool`` (``host@backend`` without a pool)."""
    text = '%s@%s' % (host, backend)
    return '%s#%s' % (text, pool) if pool else text


def backend_of(text):
    """The backend section named by a host string or a bare backend."""
    return parse(text).backend


def pool_of(text):
    """The pool of a host string; None when it names none."""
    return parse(text).pool


def same_backend(first, second):
    """True when two host strings name the same host and backend."""
    a, b = parse(first), parse(second)
    return (a.host, a.backend) == (b.host, b.backend)
