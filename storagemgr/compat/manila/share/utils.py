"""``manila.share.utils``: host strings and replica lists.

A share's host is ``host@backend#pool``. Not served: Manila's
notification helpers (storagemgr sends no notifications) and the access
rule helpers for read-only migration.
"""

from storagemgr.compat.manila.common import constants
from storagemgr import exception
from storagemgr.i18n import _

DEFAULT_POOL_NAME = '_pool0'

_LEVELS = ('host', 'backend', 'backend_name', 'pool')


def extract_host(host, level='backend', use_default_pool_name=False):
    """One part of ``host@backend#pool``.

    :param level: 'host' (``host``), 'backend' (``host@backend``),
        'backend_name' (``backend``) or 'pool' (``pool``).
    :param use_default_pool_name: with level 'pool' and no pool in
        ``host``, return DEFAULT_POOL_NAME instead of None.
    :raises InvalidInput: ``host`` is not a string, the level is not one
        of the above, or level 'backend_name' meets a host without '@'.
    """
    if not isinstance(host, str):
        raise exception.InvalidInput(reason=_(
            'extract_host: host %r is not a string.') % (host,))
    if level not in _LEVELS:
        raise exception.InvalidInput(reason=_(
            "extract_host: unknown level %(level)r; use one of "
            "%(levels)s.") % {'level': level, 'levels': ', '.join(_LEVELS)})
    without_pool, hash_sign, pool = host.partition('#')
    if level == 'host':
        return without_pool.partition('@')[0]
    if level == 'backend':
        return without_pool
    if level == 'backend_name':
        parts = without_pool.split('@')
        if len(parts) < 2:
            raise exception.InvalidInput(reason=_(
                "extract_host: host %r names no backend (no '@').") % host)
        return parts[1]
    # level == 'pool': a single '#' names the pool, as in Manila.
    if hash_sign and '#' not in pool:
        return pool
    return DEFAULT_POOL_NAME if use_default_pool_name is True else None


def append_host(host, pool):
    """``host#pool``; ``host`` unchanged when either is empty."""
    if not host or not pool:
        return host
    return '%s#%s' % (host, pool)


def get_active_replica(replica_list):
    """The first replica whose replica_state is 'active', or None."""
    for replica in replica_list:
        if replica['replica_state'] == constants.REPLICA_STATE_ACTIVE:
            return replica
    return None
