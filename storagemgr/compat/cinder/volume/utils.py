"""``cinder.volume.utils``: host strings and small helpers.

Served: ``extract_host``, ``append_host``, ``hosts_are_equivalent``,
``extract_id_from_volume_name``, ``extract_id_from_snapshot_name``,
``convert_config_string_to_dict``. A host is ``host@backend#pool``, as
storagemgr's views spell it.
"""

import ast
import re

from oslo_log import log as logging

from storagemgr.volume import driver_views

LOG = logging.getLogger(__name__)

DEFAULT_POOL_NAME = '_pool0'


def extract_host(host, level='backend', default_pool_name=False):
    """One part of ``host@backend#pool``.

    :param level: ``host`` (``host``), ``backend`` (``host@backend``) or
        ``pool`` (the pool, or None when there is none; with
        ``default_pool_name`` true, ``_pool0`` then).
    """
    if host is None:
        raise ValueError('extract_host needs a host string, not None')
    if level == 'host':
        return host.partition('#')[0].partition('@')[0]
    if level == 'backend':
        return host.partition('#')[0]
    if level == 'pool':
        pool = host.partition('#')[2]
        if pool:
            return pool
        return DEFAULT_POOL_NAME if default_pool_name else None
    raise ValueError('extract_host level must be host, backend or pool, '
                     'not %r' % (level,))


def append_host(host, pool):
    """``host#pool`` (``host`` alone when either is empty)."""
    if not host or not pool:
        return host
    return '%s#%s' % (host, pool)


def hosts_are_equivalent(host_1, host_2):
    """Whether two host strings name the same backend (pools ignored)."""
    if not (host_1 and host_2):
        return host_1 == host_2
    return extract_host(host_1) == extract_host(host_2)


def _extract_id(template, name):
    pattern = re.escape(template).replace(re.escape('%s'), '(.+)')
    match = re.fullmatch(pattern, name or '')
    return match.group(1) if match else None


def extract_id_from_volume_name(vol_name):
    """The id in a name made by ``volume_name_template``, or None."""
    return _extract_id(driver_views.CONF.volume_name_template, vol_name)


def extract_id_from_snapshot_name(snap_name):
    """The id in a name made by ``snapshot_name_template``, or None."""
    return _extract_id(driver_views.CONF.snapshot_name_template, snap_name)


def convert_config_string_to_dict(config_string):
    """``"{'a': 'b'}"`` as a dict; an empty dict (and a warning) if not."""
    try:
        result = ast.literal_eval((config_string or '').strip() or '{}')
    except (ValueError, SyntaxError):
        result = None
    if not isinstance(result, dict):
        LOG.warning('Configuration value %r is not a dict; using {}.',
                    config_string)
        return {}
    return result
