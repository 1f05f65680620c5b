"""Status names and limits of volumes, snapshots and consistency groups.

The names are the reference's (Cinder's ``objects/fields.py``), so scripts
written against it read the same words.
"""

# A volume's status while it is attached to a host, and while an attach or
# a detach runs.
ATTACHING = 'attaching'
IN_USE = 'in-use'
DETACHING = 'detaching'

# Attachment statuses (Cinder's VolumeAttachStatus names) and the mode
# attachments are made in.
ATTACH_ATTACHING = 'attaching'
ATTACH_ATTACHED = 'attached'
ATTACH_DETACHING = 'detaching'
ATTACH_ERROR_DETACHING = 'error_detaching'
ATTACH_MODE = 'rw'

# Volumes
VOLUME_CREATING = 'creating'
VOLUME_AVAILABLE = 'available'
VOLUME_DELETING = 'deleting'
VOLUME_ERROR = 'error'
VOLUME_ERROR_DELETING = 'error_deleting'
VOLUME_EXTENDING = 'extending'
VOLUME_ERROR_EXTENDING = 'error_extending'
VOLUME_DELETED = 'deleted'

VOLUME_STATUSES = frozenset([
    VOLUME_CREATING, VOLUME_AVAILABLE, VOLUME_DELETING, VOLUME_ERROR,
    VOLUME_ERROR_DELETING, VOLUME_EXTENDING, VOLUME_ERROR_EXTENDING,
    VOLUME_DELETED, IN_USE])

# Snapshots (of one volume, or members of a group snapshot)
SNAPSHOT_CREATING = 'creating'
SNAPSHOT_AVAILABLE = 'available'
SNAPSHOT_DELETING = 'deleting'
SNAPSHOT_ERROR = 'error'
SNAPSHOT_ERROR_DELETING = 'error_deleting'
SNAPSHOT_DELETED = 'deleted'

SNAPSHOT_STATUSES = frozenset([
    SNAPSHOT_CREATING, SNAPSHOT_AVAILABLE, SNAPSHOT_DELETING, SNAPSHOT_ERROR,
    SNAPSHOT_ERROR_DELETING, SNAPSHOT_DELETED, 'updating'])

# Consistency groups and group snapshots (ConsistencyGroupStatus)
GROUP_CREATING = 'creating'
GROUP_AVAILABLE = 'available'
GROUP_DELETING = 'deleting'
GROUP_UPDATING = 'updating'
GROUP_ERROR = 'error'
GROUP_ERROR_DELETING = 'error_deleting'
GROUP_DELETED = 'deleted'

GROUP_STATUSES = frozenset([
    GROUP_CREATING, GROUP_AVAILABLE, GROUP_DELETING, GROUP_UPDATING,
    GROUP_ERROR, GROUP_ERROR_DELETING, GROUP_DELETED])

# Statuses a failure may report; either one marks the whole group failed.
ERROR_STATUSES = frozenset([GROUP_ERROR, GROUP_ERROR_DELETING])

TRANSITIONAL_STATUSES = frozenset([
    VOLUME_CREATING, VOLUME_DELETING, VOLUME_EXTENDING, GROUP_UPDATING])

# What a volume must be to join or leave a group (reference manager
# constants VALID_ADD_VOL_TO_GROUP_STATUS / VALID_REMOVE_VOL_FROM_...).
VALID_ADD_VOLUME_STATUSES = (VOLUME_AVAILABLE, IN_USE)
VALID_REMOVE_VOLUME_STATUSES = (VOLUME_AVAILABLE, IN_USE, VOLUME_ERROR,
                                VOLUME_ERROR_DELETING)
# What a resource must be to be deleted.
DELETABLE_STATUSES = (VOLUME_AVAILABLE, VOLUME_ERROR,
                      VOLUME_ERROR_DELETING, VOLUME_ERROR_EXTENDING)

# What a group or group snapshot must be to be deleted.
GROUP_DELETABLE_STATUSES = (GROUP_AVAILABLE, GROUP_ERROR)

# Keys a driver's model update may set, per resource.
VOLUME_UPDATE_KEYS = frozenset(['status', 'provider_location', 'size'])
SNAPSHOT_UPDATE_KEYS = frozenset(['status', 'provider_location', 'size'])
GROUP_UPDATE_KEYS = frozenset(['status'])
