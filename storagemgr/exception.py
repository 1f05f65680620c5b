"""Exceptions raised by storagemgr and by its drivers and plugins.

Every exception carries a message built from ``msg_fmt`` and the keyword
arguments given to it, so the text always names the thing at fault. A
format error never hides the original problem: the raw format string and
the keywords are used instead.

Sections below are grouped by area. Add new exceptions to the section of
the area they belong to.
"""

from oslo_log import log as logging

from storagemgr.i18n import _

LOG = logging.getLogger(__name__)


class StorageManagerException(Exception):
    """Base class of every storagemgr exception.

    Subclasses set ``msg_fmt``; keyword arguments fill it in. ``code`` is an
    HTTP-like status used by the CLI to tell user mistakes (4xx) from
    failures (5xx).
    """

    msg_fmt = _("An unknown exception occurred.")
    code = 500

    def __init__(self, message=None, detail_data=None, **kwargs):
        self.kwargs = kwargs
        self.detail_data = detail_data or {}
        if 'code' not in self.kwargs and hasattr(self, 'code'):
            self.kwargs['code'] = self.code
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except Exception:
                # A mismatch between msg_fmt and kwargs is a programming
                # error, but the caller still deserves the information.
                LOG.exception('Exception in string format operation for '
                              '%s', self.__class__.__name__)
                message = '%s %s' % (self.msg_fmt, kwargs)
        self.msg = str(message)
        super().__init__(self.msg)

    def __str__(self):
        return self.msg


# Manila-compatible name: drivers written against the reference contract
# raise and catch ``ManilaException``.
ManilaException = StorageManagerException


class Invalid(StorageManagerException):
    msg_fmt = _("Unacceptable parameters.")
    code = 400


class InvalidInput(Invalid):
    msg_fmt = _("Invalid input received: %(reason)s")


class InvalidParameterValue(Invalid):
    msg_fmt = _("%(err)s")


class InvalidState(Invalid):
    msg_fmt = _("%(resource)s %(id)s is %(status)s; %(action)s needs it "
                "to be %(expected)s.")
    code = 409


class ConditionNotMet(InvalidState):
    """The status fitted, but another guard of the transition did not."""
    msg_fmt = _("%(resource)s %(id)s is %(status)s, but %(action)s also "
                "needs %(conditions)s; nothing was changed.")


class NotFound(StorageManagerException):
    msg_fmt = _("Resource could not be found.")
    code = 404


class NotSupported(StorageManagerException):
    msg_fmt = _("Operation not supported: %(operation)s")
    code = 501


class ProcessExecutionError(StorageManagerException):
    def __init__(self, stdout=None, stderr=None, exit_code=None, cmd=None,
                 description=None):
        self.exit_code = exit_code
        self.stderr = stderr
        self.stdout = stdout
        self.cmd = cmd
        self.description = description
        if description is None:
            description = _('Unexpected error while running command.')
        message = _('%(description)s\nCommand: %(cmd)s\nExit code: '
                    '%(exit_code)s\nStdout: %(stdout)r\nStderr: '
                    '%(stderr)r') % {'description': description,
                                     'cmd': cmd, 'exit_code': exit_code,
                                     'stdout': stdout, 'stderr': stderr}
        super().__init__(message)


# ---------------------------------------------------------------------------
# Configuration and loading
# ---------------------------------------------------------------------------

class ConfigurationError(Invalid):
    """A mistake in storagemgr.conf; the message names the culprit."""
    msg_fmt = _("%(reason)s")


class BackendSectionMissing(ConfigurationError):
    msg_fmt = _("Backend '%(backend)s' is listed in [DEFAULT] "
                "enabled_backends but the configuration has no "
                "[%(backend)s] section.")


class BackendDriverMissing(ConfigurationError):
    msg_fmt = _("Backend section [%(backend)s] names no driver: set "
                "share_driver or volume_driver.")


class BackendDriverAmbiguous(ConfigurationError):
    msg_fmt = _("Backend section [%(backend)s] sets both share_driver and "
                "volume_driver; a backend has exactly one driver.")


class InvalidConfigValue(ConfigurationError):
    msg_fmt = _("Invalid value for option '%(option)s' in section "
                "[%(section)s]: %(reason)s")


class DriverNotFound(ConfigurationError):
    msg_fmt = _("Unknown %(kind)s driver '%(name)s'%(where)s. Available "
                "aliases: %(available)s; or give the dotted path of a "
                "driver class.")


class PluginNotFound(NotFound):
    msg_fmt = _("Unknown storage plugin '%(name)s'. Available plugins: "
                "%(available)s.")


class BackendNotFound(NotFound):
    msg_fmt = _("No backend named '%(backend)s'. Enabled backends: "
                "%(available)s.")


class BackendKindMismatch(Invalid):
    msg_fmt = _("Backend '%(backend)s' is a %(actual)s backend, not a "
                "%(expected)s backend.")


class BackendUnavailable(StorageManagerException):
    msg_fmt = _("Backend '%(backend)s' is not available: %(reason)s")
    code = 503


class DriverSetupError(StorageManagerException):
    msg_fmt = _("Driver setup failed for backend '%(backend)s': "
                "%(reason)s")


# ---------------------------------------------------------------------------
# Database and flows
# ---------------------------------------------------------------------------

class DBMigrationError(StorageManagerException):
    msg_fmt = _("Database migration failed: %(reason)s")


class ResourceBusy(InvalidState):
    """A conditional update found the row in an unexpected status."""
    msg_fmt = _("%(resource)s %(id)s is busy (status %(status)s); "
                "%(action)s is refused.")


class InvalidDriverReturn(StorageManagerException):
    """A driver returned something its contract does not allow."""
    msg_fmt = _("Driver %(driver)s returned an invalid value from "
                "%(method)s: %(reason)s")


class FlowResumeError(StorageManagerException):
    msg_fmt = _("Could not resume flow %(flow)s: %(reason)s")


# ---------------------------------------------------------------------------
# Types and scheduling (storagemgr.types, storagemgr.scheduler)
# ---------------------------------------------------------------------------

class TypeNotFound(NotFound):
    """No share, volume or share group type of that name or id."""
    msg_fmt = _("No %(kind)s type %(name)s.")


class TypeExists(Invalid):
    msg_fmt = _("A %(kind)s type named %(name)s already exists.")
    code = 409


class TypeInUse(InvalidState):
    msg_fmt = _("%(kind)s type %(name)s is in use by %(users)s.")


class InvalidExtraSpec(Invalid):
    msg_fmt = _("Invalid extra spec %(key)s: %(reason)s")


class NoValidHost(Invalid):
    """The scheduler found no pool for a request; ``reason`` says why."""
    msg_fmt = _("No valid host was found. %(reason)s")


class CapacityExceeded(NoValidHost):
    """A pool's allocation would pass its limit (raised by a claim)."""
    msg_fmt = _("No valid host was found. Pool %(host)s cannot take "
                "%(size)s GiB more: %(allocated)s of %(limit)s GiB are "
                "allocated.")


# ---------------------------------------------------------------------------
# Shares (storagemgr.share)
# ---------------------------------------------------------------------------

class OperationInterrupted(StorageManagerException):
    """A task was interrupted (KeyboardInterrupt, SystemExit) mid-call."""
    msg_fmt = _("%(task)s was interrupted by %(signal)s")


class OutcomeNotRecorded(StorageManagerException):
    """A revert could not write its outcome; its flow is kept to retry."""
    msg_fmt = _("Could not set %(resource)s %(id)s to %(status)s "
                "(%(reason)s); the operation will be finished by the "
                "manager.")


class ShareBackendException(StorageManagerException):
    """A share backend failed to do what it was asked."""
    msg_fmt = _("Share backend error: %(msg)s")


class ShareMigrationFailed(StorageManagerException):
    msg_fmt = _("Share migration failed: %(reason)s")


class ShareMigrationCancelled(StorageManagerException):
    msg_fmt = _("The migration of share %(share_id)s was cancelled.")


class NetworkBadConfigurationException(StorageManagerException):
    msg_fmt = _("Bad network configuration: %(reason)s")


class InvalidShare(Invalid):
    msg_fmt = _("Invalid share: %(reason)s")


class InvalidShareInstance(InvalidShare):
    msg_fmt = _("Invalid share instance: %(reason)s")


class InvalidShareSnapshot(Invalid):
    msg_fmt = _("Invalid share snapshot: %(reason)s")


class InvalidShareAccess(Invalid):
    msg_fmt = _("Invalid access rule: %(reason)s")


class InvalidShareGroup(Invalid):
    msg_fmt = _("Invalid share group: %(reason)s")


class ShareAccessExists(Invalid):
    msg_fmt = _("Share access %(access_type)s:%(access)s exists.")
    code = 409


class ManageInvalidShare(InvalidShare):
    msg_fmt = _("Manage existing share failed due to invalid share: "
                "%(reason)s")


class UnmanageInvalidShare(InvalidShare):
    msg_fmt = _("Unmanage existing share failed due to invalid share: "
                "%(reason)s")


class ManageInvalidShareSnapshot(InvalidShareSnapshot):
    msg_fmt = _("Manage existing share snapshot failed due to invalid "
                "share snapshot: %(reason)s")


class UnmanageInvalidShareSnapshot(InvalidShareSnapshot):
    msg_fmt = _("Unmanage existing share snapshot failed due to invalid "
                "share snapshot: %(reason)s")


class ShareResourceNotFound(NotFound):
    msg_fmt = _("Share id %(share_id)s could not be found in the share "
                "backend.")


class SnapshotResourceNotFound(NotFound):
    msg_fmt = _("Snapshot %(name)s could not be found in the share "
                "backend.")


class ShareShrinkingPossibleDataLoss(StorageManagerException):
    msg_fmt = _("Shrinking share %(share_id)s would lose data: it uses "
                "more than the requested size.")
    code = 400


class ShareSizeExceedsAvailableQuota(Invalid):
    msg_fmt = _("The size %(size)s GiB asked for share %(share_id)s is "
                "more than the backend can hold (%(available)s GiB "
                "free).")


class ShareGroupSnapshotNotSupported(NotSupported):
    msg_fmt = _("Share group %(share_group)s does not support snapshots: "
                "its backend does not support share snapshots.")

# ---------------------------------------------------------------------------
# Volumes and consistency groups (storagemgr.volume)
# ---------------------------------------------------------------------------


class VolumeDriverException(StorageManagerException):
    """A volume backend failed, or reported failure, at what it was asked."""
    msg_fmt = _("Volume driver error: %(msg)s")


class VolumeNotFound(NotFound):
    msg_fmt = _("Volume %(volume)s could not be found.")


class VolumeSnapshotNotFound(NotFound):
    msg_fmt = _("Volume snapshot %(snapshot)s could not be found.")


class ConsistencyGroupNotFound(NotFound):
    msg_fmt = _("Consistency group %(group)s could not be found.")


class CGSnapshotNotFound(NotFound):
    msg_fmt = _("Consistency group snapshot %(cgsnapshot)s could not be "
                "found.")


class AmbiguousName(Invalid):
    msg_fmt = _("%(resource)s name %(name)r matches %(count)d resources; "
                "use its id.")
    code = 409


class InvalidVolume(Invalid):
    msg_fmt = _("Invalid volume: %(reason)s")


class InvalidConsistencyGroup(Invalid):
    msg_fmt = _("Invalid consistency group: %(reason)s")
    code = 409


class InvalidCGSnapshot(Invalid):
    msg_fmt = _("Invalid consistency group snapshot: %(reason)s")
    code = 409


# ---------------------------------------------------------------------------
# Storage plugins (storagemgr.plugins)
# ---------------------------------------------------------------------------

# Runtime: resource graph, scannables, agent sessions.

class ResourceGraphCycle(Invalid):
    """A parent edge that would make the resource graph cyclic."""
    msg_fmt = _("Refusing to make %(parent)s a parent of %(child)s: "
                "%(child)s already affects %(parent)s, so the resource "
                "graph would have a cycle.")


class ScannableNotFound(NotFound):
    msg_fmt = _("No scannable resource %(scannable)s.")


class InvalidScannable(Invalid):
    msg_fmt = _("Cannot add a %(resource_class)s scannable: %(reason)s")


class ScannableExists(Invalid):
    msg_fmt = _("A %(resource_class)s scannable with %(identity)s already "
                "exists (id %(id)s).")


class AgentSessionError(StorageManagerException):
    msg_fmt = _("Agent session %(session)s: %(reason)s")


class PluginProgrammingError(Invalid):
    """A storage plugin module breaks a rule of the plugin API."""
    msg_fmt = _("Storage plugin '%(plugin)s': %(reason)s")


class ResourceProgrammingError(PluginProgrammingError):
    """A resource class declaration breaks a rule of the plugin API."""
    msg_fmt = _("Resource class '%(resource_class)s': %(reason)s")


class PluginVersionError(PluginProgrammingError):
    """A plugin module declares no API version, or one not supported."""


class InvalidAttributeValue(Invalid, ValueError):
    """A value refused by a resource attribute (also a ValueError)."""
    msg_fmt = _("Invalid value %(value)r for attribute '%(attribute)s': "
                "%(reason)s")


class StorageResourceNotFound(NotFound):
    msg_fmt = _("No %(resource_class)s resource with %(what)s.")


class PluginValidationFailed(Invalid):
    msg_fmt = _("Storage plugin '%(plugin)s' has %(count)d problem(s): "
                "%(problems)s")
