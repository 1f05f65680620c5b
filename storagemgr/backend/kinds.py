"""What differs between a share backend and a volume backend.

Everything else about backends (configuration, loading, setup, state) is
the same for both kinds and lives in one place.
"""

import collections

from storagemgr import loading

BackendKind = collections.namedtuple(
    'BackendKind', ['name', 'driver_option', 'loading_kind', 'stats_method',
                    'embedded_driver', 'builder'])

# ``builder`` is the dotted path of ``build(backend)``, which constructs
# the backend's driver the way the reference manager of that kind does
# (imported lazily: the families import the backend package).
SHARE = BackendKind('share', 'share_driver', loading.SHARE,
                    'get_share_stats', 'local',
                    'storagemgr.share.driver_building.build')
VOLUME = BackendKind('volume', 'volume_driver', loading.VOLUME,
                     'get_volume_stats', 'local',
                     'storagemgr.volume.driver_building.build')

ALL = (SHARE, VOLUME)
# The kind of a backend whose section chooses no driver, or two.
UNKNOWN = BackendKind('unknown', None, None, None, None, None)
BY_NAME = {kind.name: kind for kind in ALL}
