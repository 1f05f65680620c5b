"""``cinder.zonemanager.utils``: the FC zoning decorators.

storagemgr runs no Fibre Channel zone manager. ``add_fc_zone`` and
``remove_fc_zone`` call the decorated connection method and return its
result unchanged; when that result asks for zoning (a ``fibre_channel``
volume type with an ``initiator_target_map``), one warning per method says
that no zone was made or removed, so an operator knows to zone the fabric
by hand. ``create_zone_manager`` and ``create_lookup_service`` return
None, which Cinder drivers already treat as "no zone manager".
"""

import functools

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

_warned = set()


def create_zone_manager():
    return None


def create_lookup_service():
    return None


def get_formatted_wwn(wwn_str):
    """A WWN as colon-separated pairs (``50:01:...``)."""
    if len(wwn_str) != 16:
        return wwn_str.lower()
    return ':'.join(wwn_str[i:i + 2] for i in range(0, 16, 2)).lower()


def _needs_zoning(info):
    return (isinstance(info, dict) and
            info.get('driver_volume_type') == 'fibre_channel' and
            bool((info.get('data') or {}).get('initiator_target_map')))


def _decorate(method, action):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        info = method(*args, **kwargs)
        if _needs_zoning(info) and method.__qualname__ not in _warned:
            _warned.add(method.__qualname__)
            LOG.warning('%(method)s asks for Fibre Channel zones to be '
                        '%(action)s; storagemgr has no zone manager, so '
                        'the fabric must be zoned by hand.',
                        {'method': method.__qualname__, 'action': action})
        return info
    return wrapper


def add_fc_zone(initialize_connection):
    return _decorate(initialize_connection, 'added')


def remove_fc_zone(terminate_connection):
    return _decorate(terminate_connection, 'removed')
