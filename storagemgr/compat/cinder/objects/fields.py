"""``cinder.objects.fields``: the status names, with Cinder's values.

Each class lists its values as attributes and in ``ALL``, as Cinder's
enums do. These are the words storagemgr's own records use
(``storagemgr.volume.constants``).
"""


class _Statuses(object):
    ALL = ()


def _statuses(name, **values):
    attributes = dict(values)
    attributes['ALL'] = tuple(values.values())
    attributes['__doc__'] = 'Cinder\'s %s values.' % name
    return type(name, (_Statuses,), attributes)


_COMMON = dict(ERROR='error', AVAILABLE='available', CREATING='creating',
               DELETING='deleting', DELETED='deleted', UPDATING='updating',
               ERROR_DELETING='error_deleting')

BackupStatus = _statuses('BackupStatus', ERROR='error',
                         ERROR_DELETING='error_deleting',
                         CREATING='creating', AVAILABLE='available',
                         DELETING='deleting', DELETED='deleted',
                         RESTORING='restoring')
ConsistencyGroupStatus = _statuses('ConsistencyGroupStatus', **_COMMON)
GroupStatus = _statuses('GroupStatus', IN_USE='in-use', **_COMMON)
GroupSnapshotStatus = _statuses('GroupSnapshotStatus', **_COMMON)
SnapshotStatus = _statuses('SnapshotStatus', UNMANAGING='unmanaging',
                           **_COMMON)
ReplicationStatus = _statuses(
    'ReplicationStatus', ERROR='error', ENABLED='enabled',
    DISABLED='disabled', NOT_CAPABLE='not-capable',
    FAILING_OVER='failing-over', FAILOVER_ERROR='failover-error',
    FAILED_OVER='failed-over')
QoSConsumerValues = _statuses('QoSConsumerValues', BACK_END='back-end',
                              FRONT_END='front-end', BOTH='both')
VolumeAttachStatus = _statuses(
    'VolumeAttachStatus', ATTACHED='attached', ATTACHING='attaching',
    DETACHED='detached', RESERVED='reserved',
    ERROR_ATTACHING='error_attaching', ERROR_DETACHING='error_detaching',
    DELETED='deleted')
