"""``manila.exception``: the exceptions drivers written for Manila raise.

Each name Manila drivers commonly raise or catch is storagemgr's own
class where storagemgr has one (so the share flows recognize it: a
``ShareShrinkingPossibleDataLoss`` from a driver sets the status Manila
sets), and otherwise a class defined here on storagemgr's hierarchy.
Every class takes the keyword arguments Manila's does (``reason=``,
``msg=``, ``share_id=``...) or a ready message as first argument.

Not served: exception classes defined by a driver with a ``message``
class attribute (Manila's spelling) get no formatting; storagemgr formats
``msg_fmt``. Vendor-specific exceptions not listed here are not served.
"""

from storagemgr import exception as _sm
from storagemgr.i18n import _

# The very classes storagemgr uses.
ManilaException = _sm.StorageManagerException
Invalid = _sm.Invalid
InvalidInput = _sm.InvalidInput
InvalidParameterValue = _sm.InvalidParameterValue
NotFound = _sm.NotFound
ProcessExecutionError = _sm.ProcessExecutionError
ShareBackendException = _sm.ShareBackendException
NetworkBadConfigurationException = _sm.NetworkBadConfigurationException
InvalidShare = _sm.InvalidShare
InvalidShareInstance = _sm.InvalidShareInstance
InvalidShareSnapshot = _sm.InvalidShareSnapshot
InvalidShareAccess = _sm.InvalidShareAccess
InvalidShareGroup = _sm.InvalidShareGroup
ShareAccessExists = _sm.ShareAccessExists
ManageInvalidShare = _sm.ManageInvalidShare
UnmanageInvalidShare = _sm.UnmanageInvalidShare
ManageInvalidShareSnapshot = _sm.ManageInvalidShareSnapshot
UnmanageInvalidShareSnapshot = _sm.UnmanageInvalidShareSnapshot
ShareResourceNotFound = _sm.ShareResourceNotFound
SnapshotResourceNotFound = _sm.SnapshotResourceNotFound
ShareShrinkingPossibleDataLoss = _sm.ShareShrinkingPossibleDataLoss
ShareSizeExceedsAvailableQuota = _sm.ShareSizeExceedsAvailableQuota
ShareGroupSnapshotNotSupported = _sm.ShareGroupSnapshotNotSupported
InvalidVolume = _sm.InvalidVolume
VolumeNotFound = _sm.VolumeNotFound
VolumeSnapshotNotFound = _sm.VolumeSnapshotNotFound


# Names storagemgr's own code has no use for, on its hierarchy.

class BadConfigurationException(_sm.ConfigurationError):
    msg_fmt = _("Bad configuration: %(reason)s")


class InvalidDriverMode(Invalid):
    msg_fmt = _("Invalid driver mode: %(driver_mode)s.")


class InvalidHost(Invalid):
    msg_fmt = _("Invalid host: %(reason)s")


class InvalidUUID(Invalid):
    msg_fmt = _("%(uuid)s is not a valid UUID.")


class InvalidShareAccessLevel(Invalid):
    msg_fmt = _("Invalid access level: %(level)s.")


class InvalidSnapshotAccess(Invalid):
    msg_fmt = _("Invalid snapshot access rule: %(reason)s")


class InvalidMetadata(Invalid):
    msg_fmt = _("Invalid metadata.")


class InvalidExtraSpec(Invalid):
    msg_fmt = _("Invalid extra spec: %(reason)s")


class InvalidShareServer(Invalid):
    msg_fmt = _("Share server %(share_server_id)s is not valid.")


class ShareBusyException(InvalidShare):
    msg_fmt = _("Share is busy: %(reason)s")


class ShareNotFound(NotFound):
    msg_fmt = _("Share %(share_id)s could not be found.")


class ShareSnapshotNotFound(NotFound):
    msg_fmt = _("Snapshot %(snapshot_id)s could not be found.")


class ShareSnapshotInstanceNotFound(NotFound):
    msg_fmt = _("Snapshot instance %(instance_id)s could not be found.")


class ShareServerNotFound(NotFound):
    msg_fmt = _("Share server %(share_server_id)s could not be found.")


class ShareReplicaNotFound(NotFound):
    msg_fmt = _("Share replica %(replica_id)s could not be found.")


class ExportLocationNotFound(NotFound):
    msg_fmt = _("Export location %(uuid)s could not be found.")


class FileNotFound(NotFound):
    msg_fmt = _("File %(file_path)s could not be found.")


class StorageResourceException(ManilaException):
    msg_fmt = _("The storage resource failed.")


class StorageResourceNotFound(StorageResourceException):
    msg_fmt = _("Storage resource %(name)s not found.")


class ShareSnapshotIsBusy(ManilaException):
    msg_fmt = _("Snapshot %(snapshot_name)s is busy.")


class ShareSnapshotNotSupported(ManilaException):
    msg_fmt = _("Share %(share_name)s does not support snapshots.")


class ShareExtendingError(ManilaException):
    msg_fmt = _("Share %(share_id)s could not be extended: %(reason)s")


class ShareShrinkingError(ManilaException):
    msg_fmt = _("Share %(share_id)s could not be shrunk: %(reason)s")


class ShareMountException(ManilaException):
    msg_fmt = _("Could not mount the share: %(reason)s")


class ShareUmountException(ManilaException):
    msg_fmt = _("Could not unmount the share: %(reason)s")


class ShareCopyDataException(ManilaException):
    msg_fmt = _("Could not copy the share's data: %(reason)s")


class ShareMigrationError(ManilaException):
    msg_fmt = _("Share migration error: %(reason)s")


class ShareMigrationFailed(ManilaException):
    msg_fmt = _("Share migration failed: %(reason)s")


class ShareServerNotCreated(ManilaException):
    msg_fmt = _("Share server %(share_server_id)s was not created.")


class ReplicationException(ManilaException):
    msg_fmt = _("Replication error: %(reason)s")


class DriverNotInitialized(ManilaException):
    msg_fmt = _("Share driver '%(driver)s' is not initialized.")


class EvaluatorParseException(ManilaException):
    msg_fmt = _("Could not parse the expression: %(reason)s")


class ManageShareServerError(ManilaException):
    msg_fmt = _("Could not adopt the share server: %(reason)s")


class NetworkException(ManilaException):
    msg_fmt = _("A network operation failed.")


class SSHException(ManilaException):
    msg_fmt = _("An SSH operation failed.")


class SSHInjectionThreat(ManilaException):
    msg_fmt = _("SSH command injection detected: %(command)s")


class StorageCommunicationException(ShareBackendException):
    msg_fmt = _("Could not talk to the storage backend.")


class LockCreationFailed(ManilaException):
    msg_fmt = _("Could not create a lock: coordination is not running.")


class LockingFailed(ManilaException):
    msg_fmt = _("Could not take a lock.")
