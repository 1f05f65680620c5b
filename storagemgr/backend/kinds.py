"""What differs between a share backend and a volume backend.

Everything else about backends (configuration, loading, setup, state) is
the same for both kinds and lives in one place.
"""

import collections

from storagemgr import loading

BackendKind = collections.namedtuple(
    'BackendKind', ['name', 'driver_option', 'loading_kind', 'stats_method',
                    'embedded_driver'])

SHARE = BackendKind('share', 'share_driver', loading.SHARE,
                    'get_share_stats', 'local')
VOLUME = BackendKind('volume', 'volume_driver', loading.VOLUME,
                     'get_volume_stats', 'local')

ALL = (SHARE, VOLUME)
# The kind of a backend whose section chooses no driver, or two.
UNKNOWN = BackendKind('unknown', None, None, None, None)
BY_NAME = {kind.name: kind for kind in ALL}
