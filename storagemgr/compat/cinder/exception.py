"""``cinder.exception``: the exception classes Cinder drivers raise.

``CinderException`` keeps Cinder's calling convention: a class attribute
``message`` is the format, filled with the keyword arguments, unless a
message is given (a given message is used as is). It is a
``StorageManagerException``, so storagemgr reports it like its own; the
HTTP-like ``code`` tells user mistakes (4xx) from failures (5xx).

The classes served here are the ones volume drivers commonly raise or
catch, with Cinder's names and hierarchy; anything else is an
AttributeError naming what is missing (see the porting guide).
"""

from oslo_log import log as logging

from storagemgr import exception as sm_exception
from storagemgr.i18n import _

LOG = logging.getLogger(__name__)


class CinderException(sm_exception.StorageManagerException):
    """Base of the Cinder exceptions: ``message`` % keyword arguments."""

    message = _('An unknown exception occurred.')
    code = 500
    headers = {}
    safe = False

    def __init__(self, message=None, **kwargs):
        self.kwargs = dict(kwargs)
        self.kwargs.setdefault('code', self.code)
        for key, value in list(self.kwargs.items()):
            if isinstance(value, Exception):
                self.kwargs[key] = str(value)
        if isinstance(message, Exception):
            message = str(message)
        if message is None or '%(message)' in self.message:
            values = dict(self.kwargs, message=message)
            try:
                message = self.message % values
            except Exception:
                LOG.warning('%(cls)s: message %(fmt)r does not fit the '
                            'arguments %(args)s', {
                                'cls': type(self).__name__,
                                'fmt': self.message, 'args': kwargs})
                message = '%s %s' % (self.message, kwargs or '')
        super().__init__(message=str(message), **kwargs)
        self.msg = str(message)


# name: (base name, code or None to inherit, message format)
_CLASSES = (
    ('Error', 'CinderException', None, _('%(message)s')),
    ('VolumeBackendAPIException', 'CinderException', None,
     _('The volume backend answered badly: %(data)s')),
    ('VolumeDriverException', 'CinderException', None,
     _('The volume driver failed: %(message)s')),
    ('ProgrammingError', 'CinderException', None,
     _('Programming error: %(reason)s')),
    ('NotAuthorized', 'CinderException', 403, _('Not authorized.')),
    ('AdminRequired', 'NotAuthorized', None,
     _('The action needs administrator privileges.')),
    ('DriverNotInitialized', 'CinderException', None,
     _('The volume driver is not initialized.')),
    ('Invalid', 'CinderException', 400, _('Unacceptable parameters.')),
    ('InvalidSnapshot', 'Invalid', None, _('Invalid snapshot: %(reason)s')),
    ('InvalidVolumeAttachMode', 'Invalid', None,
     _('Invalid attach mode %(mode)s for volume %(volume_id)s.')),
    ('VolumeAttached', 'Invalid', None,
     _('Volume %(volume_id)s is still attached.')),
    ('InvalidResults', 'Invalid', None, _('The results are invalid.')),
    ('InvalidInput', 'Invalid', None, _('Invalid input: %(reason)s')),
    ('InvalidVolumeType', 'Invalid', None,
     _('Invalid volume type: %(reason)s')),
    ('InvalidVolume', 'Invalid', None, _('Invalid volume: %(reason)s')),
    ('InvalidHost', 'Invalid', None, _('Invalid host: %(reason)s')),
    ('InvalidParameterValue', 'Invalid', None, _('%(err)s')),
    ('InvalidAuthKey', 'Invalid', None, _('Invalid auth key: %(reason)s')),
    ('InvalidConfigurationValue', 'Invalid', None,
     _('Value "%(value)s" is not valid for configuration option '
       '"%(option)s".')),
    ('ServiceUnavailable', 'Invalid', None,
     _('Service is unavailable at this time.')),
    ('ImageUnacceptable', 'Invalid', None,
     _('Image %(image_id)s is unacceptable: %(reason)s')),
    ('DeviceUnavailable', 'Invalid', None,
     _('The device at %(path)s is unavailable: %(reason)s')),
    ('SnapshotUnavailable', 'VolumeBackendAPIException', None,
     _('The snapshot is unavailable: %(data)s')),
    ('InvalidUUID', 'Invalid', None, _('Expected a UUID but got %(uuid)s.')),
    ('InvalidConsistencyGroup', 'Invalid', None,
     _('Invalid consistency group: %(reason)s')),
    ('InvalidCgSnapshot', 'Invalid', None,
     _('Invalid consistency group snapshot: %(reason)s')),
    ('InvalidGroup', 'Invalid', None, _('Invalid group: %(reason)s')),
    ('InvalidGroupSnapshot', 'Invalid', None,
     _('Invalid group snapshot: %(reason)s')),
    ('InvalidReplicationTarget', 'Invalid', None,
     _('Invalid replication target: %(reason)s')),
    ('InvalidConnectorException', 'VolumeDriverException', None,
     _('The connector has no required information: %(missing)s')),
    ('APIException', 'CinderException', None,
     _('Error while requesting the %(service)s API.')),
    ('APITimeout', 'APIException', None,
     _('Timeout while calling the %(service)s API.')),
    ('Duplicate', 'CinderException', None, _('Resource already exists.')),
    ('NotFound', 'CinderException', 404, _('Resource could not be found.')),
    ('VolumeNotFound', 'NotFound', None,
     _('Volume %(volume_id)s could not be found.')),
    ('VolumeMetadataNotFound', 'NotFound', None,
     _('Volume %(volume_id)s has no metadata with key '
       '%(metadata_key)s.')),
    ('SnapshotNotFound', 'NotFound', None,
     _('Snapshot %(snapshot_id)s could not be found.')),
    ('ConsistencyGroupNotFound', 'NotFound', None,
     _('Consistency group %(consistencygroup_id)s could not be found.')),
    ('CgSnapshotNotFound', 'NotFound', None,
     _('Consistency group snapshot %(cgsnapshot_id)s could not be '
       'found.')),
    ('GroupNotFound', 'NotFound', None,
     _('Group %(group_id)s could not be found.')),
    ('GroupSnapshotNotFound', 'NotFound', None,
     _('Group snapshot %(group_snapshot_id)s could not be found.')),
    ('VolumeTypeNotFound', 'NotFound', None,
     _('Volume type %(volume_type_id)s could not be found.')),
    ('HostNotFound', 'NotFound', None,
     _('Host %(host)s could not be found.')),
    ('FileNotFound', 'NotFound', None,
     _('File %(file_path)s could not be found.')),
    ('ISCSITargetNotFoundForVolume', 'NotFound', None,
     _('No target was found for volume %(volume_id)s.')),
    ('VolumeDeviceNotFound', 'CinderException', None,
     _('The volume device was not found at %(device)s.')),
    ('VolumeIsBusy', 'CinderException', None,
     _('Volume %(volume_name)s is busy.')),
    ('SnapshotIsBusy', 'CinderException', None,
     _('Snapshot %(snapshot_name)s is busy.')),
    ('ExportFailure', 'Invalid', None,
     _('Failed to export volume %(volume_id)s: %(reason)s')),
    ('RemoveExportException', 'VolumeDriverException', None,
     _('Failed to remove the export of volume %(volume)s: %(reason)s')),
    ('ManageExistingInvalidReference', 'CinderException', None,
     _('The existing reference %(existing_ref)s is invalid: %(reason)s')),
    ('ManageExistingAlreadyManaged', 'CinderException', None,
     _('Volume %(volume_ref)s is already managed.')),
    ('ManageExistingVolumeTypeMismatch', 'CinderException', None,
     _('The existing volume does not fit the volume type: %(reason)s')),
    ('ExtendVolumeError', 'CinderException', None,
     _('Error extending the volume: %(reason)s')),
    ('ReplicationError', 'CinderException', None,
     _('Volume %(volume_id)s replication error: %(reason)s')),
    ('UnableToFailOver', 'CinderException', None,
     _('Unable to fail over to the replication target: %(reason)s')),
    ('VolumeGroupNotFound', 'CinderException', None,
     _('Volume group %(vg_name)s could not be found.')),
    ('VolumeGroupCreationFailed', 'CinderException', None,
     _('Volume group %(vg_name)s could not be created.')),
    ('ImageCopyFailure', 'Invalid', None,
     _('Failed to copy the image to the volume: %(reason)s')),
    ('NotSupportedOperation', 'Invalid', 405,
     _('Operation not supported: %(operation)s.')),
    ('MetadataAbsent', 'CinderException', None,
     _('There is no metadata in the database.')),
    ('ZoneManagerException', 'CinderException', None,
     _('Fibre Channel connection control failed: %(reason)s')),
    ('FCZoneDriverException', 'CinderException', None,
     _('Fibre Channel zone operation failed: %(reason)s')),
    ('ParameterNotFound', 'NotFound', None,
     _('Could not find the parameter %(param)s.')),
    ('ConfigNotFound', 'NotFound', None,
     _('Could not find the configuration at %(path)s.')),
    ('MalformedResponse', 'VolumeDriverException', None,
     _('Malformed response to command %(cmd)s: %(reason)s')),
    ('UnknownCmd', 'VolumeDriverException', None,
     _('Unknown or unsupported command %(cmd)s.')),
    ('RemoteFSException', 'VolumeDriverException', None,
     _('Exception in the remote filesystem driver.')),
)


def _define():
    for name, base_name, code, fmt in _CLASSES:
        attributes = {'message': fmt, '__module__': __name__,
                      '__doc__': 'Cinder\'s %s.' % name}
        if code is not None:
            attributes['code'] = code
        globals()[name] = type(name, (globals()[base_name],), attributes)


_define()
SERVED = tuple(name for name, _base, _code, _fmt in _CLASSES)
