"""Message levels and resource types, without the database layer.

``storagemgr.message.api`` re-exports every name here; the CLI reads the
resource types from this module to build ``message list``'s parser
without importing the ORM.
"""

LEVEL_ERROR = 'ERROR'
LEVELS = (LEVEL_ERROR,)

# Resource types, named as the CLI names the resources.
SHARE = 'share'
SHARE_SNAPSHOT = 'share_snapshot'
VOLUME = 'volume'
VOLUME_SNAPSHOT = 'volume_snapshot'
CONSISTENCY_GROUP = 'consistency_group'
CONSISTENCY_GROUP_SNAPSHOT = 'consistency_group_snapshot'
SHARE_GROUP = 'share_group'
SHARE_GROUP_SNAPSHOT = 'share_group_snapshot'
# A replica is a share instance; messages about it name the instance.
SHARE_REPLICA = 'share_replica'

# The resource type of a row, by its table.
TYPE_OF_TABLE = {
    'shares': SHARE,
    'share_snapshots': SHARE_SNAPSHOT,
    'volumes': VOLUME,
    'volume_snapshots': VOLUME_SNAPSHOT,
    'consistencygroups': CONSISTENCY_GROUP,
    'cgsnapshots': CONSISTENCY_GROUP_SNAPSHOT,
    'share_groups': SHARE_GROUP,
    'share_group_snapshots': SHARE_GROUP_SNAPSHOT,
}
RESOURCE_TYPES = tuple(sorted(set(TYPE_OF_TABLE.values()) |
                              {SHARE_REPLICA}))
