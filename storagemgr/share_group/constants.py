"""Statuses of share groups, share group snapshots and their members.

The reference share service's names (see
doc/source/admin/share-group-rules.rst for how each driver return moves
them).
"""

from storagemgr.share import constants as share_constants

STATUS_CREATING = share_constants.STATUS_CREATING
STATUS_AVAILABLE = share_constants.STATUS_AVAILABLE
STATUS_ERROR = share_constants.STATUS_ERROR
STATUS_DELETING = share_constants.STATUS_DELETING
STATUS_ERROR_DELETING = share_constants.STATUS_ERROR_DELETING
# Not a status: an outcome's way of saying the row goes.
DELETED = share_constants.STATUS_DELETED

TRANSITIONAL_STATUSES = frozenset([STATUS_CREATING, STATUS_DELETING])
ERROR_STATUSES = frozenset([STATUS_ERROR, STATUS_ERROR_DELETING])

# A group, or a group snapshot, in one of these may be deleted.
DELETABLE_STATUSES = (STATUS_AVAILABLE, STATUS_ERROR, STATUS_ERROR_DELETING)

# What consistent_snapshot_support may say: the scope within which the
# backend's group snapshots are consistent (None: not consistent).
CONSISTENT_SNAPSHOT_SCOPES = (None, 'pool', 'host')

# What drivers may report for a group or a group snapshot.
GROUP_DRIVER_STATUSES = frozenset([STATUS_AVAILABLE, STATUS_ERROR])
# For a group snapshot member.
MEMBER_DRIVER_STATUSES = frozenset([STATUS_AVAILABLE, STATUS_ERROR])
# For a share of a group created from a group snapshot.
NEW_SHARE_STATUSES = share_constants.CREATE_FROM_SNAPSHOT_STATUSES
