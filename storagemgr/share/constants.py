"""Status names of shares, share snapshots and access rules.

The names are the reference share service's (see
doc/source/admin/shares.rst for the transitions storagemgr implements), so
that scripts and operators used to it read the same words.
"""

# Shares and snapshots.
STATUS_CREATING = 'creating'
STATUS_CREATING_FROM_SNAPSHOT = 'creating_from_snapshot'
STATUS_DELETING = 'deleting'
STATUS_DELETED = 'deleted'
STATUS_ERROR = 'error'
STATUS_ERROR_DELETING = 'error_deleting'
STATUS_AVAILABLE = 'available'
STATUS_INACTIVE = 'inactive'
STATUS_MANAGING = 'manage_starting'
STATUS_MANAGE_ERROR = 'manage_error'
STATUS_UNMANAGING = 'unmanage_starting'
STATUS_UNMANAGE_ERROR = 'unmanage_error'
STATUS_UNMANAGED = 'unmanaged'
STATUS_EXTENDING = 'extending'
STATUS_EXTENDING_ERROR = 'extending_error'
STATUS_SHRINKING = 'shrinking'
STATUS_SHRINKING_ERROR = 'shrinking_error'
STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR = (
    'shrinking_possible_data_loss_error')
STATUS_MIGRATING = 'migrating'
STATUS_MIGRATING_TO = 'migrating_to'
STATUS_RESTORING = 'restoring'
STATUS_REVERTING = 'reverting'
STATUS_REVERTING_ERROR = 'reverting_error'

TRANSITIONAL_STATUSES = frozenset([
    STATUS_CREATING, STATUS_CREATING_FROM_SNAPSHOT, STATUS_DELETING,
    STATUS_MANAGING, STATUS_UNMANAGING, STATUS_EXTENDING,
    STATUS_SHRINKING, STATUS_MIGRATING, STATUS_MIGRATING_TO,
    STATUS_RESTORING, STATUS_REVERTING,
])

# A share in one of these statuses may be deleted (or abandoned).
SHARE_DELETABLE_STATUSES = (
    STATUS_AVAILABLE, STATUS_ERROR, STATUS_ERROR_DELETING,
    STATUS_MANAGE_ERROR, STATUS_UNMANAGE_ERROR, STATUS_EXTENDING_ERROR,
    STATUS_SHRINKING_ERROR, STATUS_SHRINKING_POSSIBLE_DATA_LOSS_ERROR,
    STATUS_REVERTING_ERROR, STATUS_INACTIVE,
)
SHARE_UNMANAGEABLE_STATUSES = (
    STATUS_AVAILABLE, STATUS_ERROR, STATUS_MANAGE_ERROR,
    STATUS_UNMANAGE_ERROR,
)
SNAPSHOT_DELETABLE_STATUSES = (
    STATUS_AVAILABLE, STATUS_ERROR, STATUS_ERROR_DELETING,
    STATUS_MANAGE_ERROR, STATUS_UNMANAGE_ERROR,
)
SNAPSHOT_UNMANAGEABLE_STATUSES = (
    STATUS_AVAILABLE, STATUS_ERROR, STATUS_MANAGE_ERROR,
    STATUS_UNMANAGE_ERROR,
)

# What create_share_from_snapshot and get_share_status may report.
CREATE_FROM_SNAPSHOT_STATUSES = frozenset([
    STATUS_AVAILABLE, STATUS_CREATING_FROM_SNAPSHOT])
SHARE_POLL_STATUSES = frozenset([
    STATUS_AVAILABLE, STATUS_CREATING_FROM_SNAPSHOT, STATUS_ERROR])
# What create_snapshot may report (None means available).
SNAPSHOT_CREATE_STATUSES = frozenset([
    STATUS_AVAILABLE, STATUS_CREATING, STATUS_ERROR])
# What ensure_shares may report for a share.
ENSURE_STATUSES = frozenset([STATUS_AVAILABLE, STATUS_ERROR])

# Access rules.
ACCESS_STATE_QUEUED_TO_APPLY = 'queued_to_apply'
ACCESS_STATE_APPLYING = 'applying'
ACCESS_STATE_ACTIVE = 'active'
ACCESS_STATE_ERROR = 'error'
ACCESS_STATE_QUEUED_TO_DENY = 'queued_to_deny'
ACCESS_STATE_DENYING = 'denying'

ACCESS_TRANSITIONAL_STATES = frozenset([
    ACCESS_STATE_QUEUED_TO_APPLY, ACCESS_STATE_APPLYING,
    ACCESS_STATE_QUEUED_TO_DENY, ACCESS_STATE_DENYING])
ACCESS_DRIVER_STATES = frozenset([ACCESS_STATE_ACTIVE, ACCESS_STATE_ERROR])

ACCESS_TYPES = ('ip', 'user', 'cert')
ACCESS_LEVELS = ('rw', 'ro')

# The protocols the API accepts, the reference's: whether a backend serves
# one is its driver's call (the local driver refuses all but NFS and CIFS,
# and the share goes to error, as with the reference).
SHARE_PROTOCOLS = ('NFS', 'CIFS', 'GLUSTERFS', 'HDFS', 'CEPHFS', 'MAPRFS')

# The backend name template the reference uses; drivers name backend
# objects after it, never after the user's display name.
SHARE_NAME_TEMPLATE = 'share-%s'
SNAPSHOT_NAME_TEMPLATE = 'share-snapshot-%s'
