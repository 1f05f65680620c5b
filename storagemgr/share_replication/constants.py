"""Replica states, replication types and the statuses replicas go through.

A replica is a share instance with a ``replica_state``. The share's active
instance is the active replica (``replica_state`` 'active', the one
writers use); the others are secondaries, ``in_sync`` or ``out_of_sync``
with it, or ``error``. The names are the reference share service's (it
writes a replica's ``error`` state with the generic error status name);
doc/source/admin/share-replication-rules.rst gives each rule that moves
them, and tests/unit/share_replication/test_rules.py tests each row.
"""

from storagemgr.share import constants as share_constants

ACTIVE = 'active'
IN_SYNC = 'in_sync'
OUT_OF_SYNC = 'out_of_sync'
ERROR = share_constants.STATUS_ERROR

REPLICA_STATES = (ACTIVE, IN_SYNC, OUT_OF_SYNC, ERROR)
# What update_replica_state may return (None: unchanged).
POLLED_STATES = frozenset([IN_SYNC, OUT_OF_SYNC, ERROR])
# What create_replica and promote_replica may report for a replica.
REPORTED_STATES = frozenset(REPLICA_STATES)

READABLE = 'readable'
WRITABLE = 'writable'
DR = 'dr'
REPLICATION_TYPES = (READABLE, WRITABLE, DR)

# A replica being promoted (the reference's status name).
STATUS_REPLICATION_CHANGE = 'replication_change'

STATUS_CREATING = share_constants.STATUS_CREATING
STATUS_AVAILABLE = share_constants.STATUS_AVAILABLE
STATUS_ERROR = share_constants.STATUS_ERROR
STATUS_DELETING = share_constants.STATUS_DELETING
STATUS_ERROR_DELETING = share_constants.STATUS_ERROR_DELETING
STATUS_DELETED = share_constants.STATUS_DELETED

# A replica in one of these statuses may be deleted; with --force, also
# a replica stuck creating or deleting (its owner is gone).
DELETABLE_STATUSES = (STATUS_AVAILABLE, STATUS_ERROR, STATUS_ERROR_DELETING)
FORCE_DELETABLE_STATUSES = DELETABLE_STATUSES + (STATUS_CREATING,
                                                 STATUS_DELETING)
# Statuses a replica operation must not run over.
BUSY_STATUSES = frozenset([STATUS_CREATING, STATUS_DELETING,
                           STATUS_REPLICATION_CHANGE])
# What an admin may set with ``share replica set``.
SETTABLE_STATUSES = (STATUS_AVAILABLE, STATUS_ERROR, STATUS_CREATING,
                     STATUS_DELETING, STATUS_ERROR_DELETING)
SETTABLE_REPLICA_STATES = (IN_SYNC, OUT_OF_SYNC, ERROR)

# Replicated snapshot instances.
SNAPSHOT_CREATING = share_constants.STATUS_CREATING
SNAPSHOT_AVAILABLE = share_constants.STATUS_AVAILABLE
SNAPSHOT_ERROR = share_constants.STATUS_ERROR
SNAPSHOT_DELETING = share_constants.STATUS_DELETING
SNAPSHOT_ERROR_DELETING = share_constants.STATUS_ERROR_DELETING
SNAPSHOT_RESTORING = share_constants.STATUS_RESTORING
# What a replicated snapshot driver return may set an instance to.
SNAPSHOT_REPORTED_STATUSES = frozenset([
    SNAPSHOT_CREATING, SNAPSHOT_AVAILABLE, SNAPSHOT_ERROR,
    SNAPSHOT_DELETING, STATUS_DELETED])
# Instances the periodic task asks the driver about.
SNAPSHOT_POLLED_STATUSES = (SNAPSHOT_CREATING, SNAPSHOT_DELETING)
