"""``cinder.volume.driver``: the base classes Cinder volume drivers extend.

``BaseVD`` (and ``VolumeDriver``, ``ISCSIDriver``,
``FibreChannelDriver``) is a storagemgr volume driver
(``storagemgr.volume.driver.VolumeDriver`` and ``ConsistencyGroupDriver``)
that is built the way Cinder's volume manager builds drivers::

    driver_cls(configuration=..., db=..., host='host@backend',
               cluster_name=None, is_vol_db_empty=..., active_backend_id=None)

and keeps Cinder's base behaviour: ``execute`` (``self._execute``),
``self.db``, ``self.host``, ``get_volume_stats`` answering from
``self._stats`` that ``_update_volume_stats`` fills, the filter and
goodness functions of the configuration, and ``NotImplementedError`` for
what a driver must provide. A consistency group method that is not
overridden raises NotImplementedError too, so storagemgr's generic
per-volume group code does the work (``storagemgr.volume.generic``).

Served here: ``BaseVD``, ``VolumeDriver``, ``ISCSIDriver``,
``FibreChannelDriver``, the feature mixins (``LocalVD``, ``SnapshotVD``,
``ConsistencyGroupVD``, ``CloneableImageVD``, ``MigrateVD``,
``ExtendVD``, ``TransferVD``, ``ManageableVD``, ``ManageableSnapshotsVD``,
as empty markers) and ``volume_opts``.
"""

import time

from oslo_concurrency import processutils
from oslo_config import cfg
from oslo_log import log as logging

from storagemgr.compat.cinder import exception
from storagemgr.compat.cinder import utils
from storagemgr.i18n import _
from storagemgr.volume import driver as sm_driver

LOG = logging.getLogger(__name__)

volume_opts = [
    cfg.StrOpt('volume_backend_name',
               help=_('The backend name Cinder drivers report in their '
                      'stats (and LVM-based ones use as pool name).')),
    cfg.IntOpt('num_shell_tries', default=3, min=1,
               help=_('How many times a Cinder driver tries a failing '
                      'shell command (_try_execute).')),
    cfg.IntOpt('reserved_percentage', default=0, min=0, max=100,
               help=_('Percentage of backend capacity a Cinder driver '
                      'reports as reserved.')),
    cfg.FloatOpt('max_over_subscription_ratio', default=20.0,
                 help=_('Over-subscription ratio a Cinder driver reports '
                        'for thin provisioning.')),
    cfg.StrOpt('filter_function',
               help=_('Filter function a Cinder driver reports in its '
                      'stats (get_filter_function).')),
    cfg.StrOpt('goodness_function',
               help=_('Goodness function a Cinder driver reports in its '
                      'stats (get_goodness_function).')),
    cfg.StrOpt('iscsi_helper', default='tgtadm',
               help=_('iSCSI target helper Cinder drivers read from their '
                      'configuration.')),
    cfg.StrOpt('iscsi_ip_address', default='$my_ip',
               help=_('iSCSI address Cinder drivers read from their '
                      'configuration.')),
    cfg.PortOpt('iscsi_port', default=3260,
                help=_('iSCSI port Cinder drivers read from their '
                       'configuration.')),
    cfg.StrOpt('iscsi_protocol', default='iscsi',
               choices=['iscsi', 'iser'],
               help=_('iSCSI flavour Cinder drivers read from their '
                      'configuration.')),
    cfg.ListOpt('trace_flags',
                help=_('Cinder driver tracing: "method" logs every call '
                       'of a method decorated with trace_method.')),
    cfg.BoolOpt('driver_ssl_cert_verify', default=False,
                help=_('Whether a Cinder driver verifies its backend\'s '
                       'TLS certificate.')),
    cfg.StrOpt('driver_ssl_cert_path',
               help=_('CA bundle a Cinder driver verifies its backend\'s '
                      'TLS certificate with.')),
]

# ``$my_ip`` in iscsi_ip_address needs ``[DEFAULT] my_ip``, as in Cinder:
# the attach flows register it (one definition for both).
cfg.CONF.import_opt('my_ip', 'storagemgr.volume.flows.attach')


class BaseVD(sm_driver.VolumeDriver, sm_driver.ConsistencyGroupDriver):
    """A Cinder volume driver, as storagemgr runs it."""

    VERSION = 'N/A'
    SUPPORTS_ACTIVE_ACTIVE = False
    SUPPORTED = True

    def __init__(self, execute=utils.execute, *args, **kwargs):
        # Cinder's manager passes only keywords; positional extras are
        # accepted and ignored, as Cinder's base class does.
        super().__init__(execute=execute, **kwargs)
        configuration = self.configuration
        # Set here too, whatever storagemgr's base keeps of them.
        self.db = kwargs.get('db')
        self.host = kwargs.get('host')
        self.cluster_name = kwargs.get('cluster_name')
        self.active_backend_id = kwargs.get('active_backend_id')
        self._execute = execute
        self._stats = {}
        self._throttle = None
        self.pools = []
        self.capabilities = {}
        self._initialized = False
        if configuration is not None:
            utils.setup_tracing(configuration.safe_get('trace_flags'))

    @staticmethod
    def get_driver_options():
        return sm_driver.VolumeDriver.get_driver_options() + volume_opts

    # Setup --------------------------------------------------------------

    def set_initialized(self):
        self._initialized = True

    @property
    def initialized(self):
        return self._initialized

    @property
    def supported(self):
        return self.SUPPORTED

    def get_version(self):
        return self.VERSION

    def do_setup(self, context):
        """Nothing to prepare by default."""

    def check_for_setup_error(self):
        """Nothing to check by default."""

    def _try_execute(self, *command, **kwargs):
        """``self._execute``, retried ``num_shell_tries`` times."""
        tries = 0
        attempts = max(1, self.configuration.safe_get('num_shell_tries')
                       or 1) if self.configuration is not None else 1
        while True:
            try:
                return self._execute(*command, **kwargs)
            except processutils.ProcessExecutionError:
                tries += 1
                if tries >= attempts:
                    raise
                LOG.warning('Command %(cmd)s failed; retrying (%(n)d of '
                            '%(total)d).', {'cmd': command, 'n': tries,
                                            'total': attempts})
                time.sleep(tries ** 2)

    # Stats --------------------------------------------------------------

    def _update_volume_stats(self):
        """Fill ``self._stats``; drivers override this."""
        name = (self.configuration.safe_get('volume_backend_name')
                if self.configuration is not None else None)
        self._stats = {
            'volume_backend_name': name or type(self).__name__,
            'vendor_name': 'Unknown',
            'driver_version': self.VERSION,
            'storage_protocol': 'unknown',
            'total_capacity_gb': 'unknown',
            'free_capacity_gb': 'unknown',
            'reserved_percentage': 0,
            'consistencygroup_support': False,
        }

    def get_volume_stats(self, refresh=False):
        """``self._stats``, filled first when asked or still empty."""
        if refresh or not self._stats:
            self._update_volume_stats()
        return self._stats

    def get_filter_function(self):
        return (self.configuration.safe_get('filter_function')
                if self.configuration is not None else None) or \
            self.get_default_filter_function()

    def get_goodness_function(self):
        return (self.configuration.safe_get('goodness_function')
                if self.configuration is not None else None) or \
            self.get_default_goodness_function()

    def get_default_filter_function(self):
        return None

    def get_default_goodness_function(self):
        return None

    def get_pool(self, volume):
        """The pool part of the volume's host (``host@backend#pool``)."""
        host = volume.get('host') or ''
        return host.partition('#')[2] or None

    def init_capabilities(self):
        self.capabilities = dict(self.get_volume_stats(True) or {})

    def update_provider_info(self, volumes, snapshots):
        return None, None

    # What a driver provides -----------------------------------------------

    def create_volume(self, volume):
        raise NotImplementedError()

    def delete_volume(self, volume):
        raise NotImplementedError()

    def create_snapshot(self, snapshot):
        raise NotImplementedError()

    def delete_snapshot(self, snapshot):
        raise NotImplementedError()

    def create_volume_from_snapshot(self, volume, snapshot):
        raise NotImplementedError()

    def create_cloned_volume(self, volume, src_vref):
        raise NotImplementedError()

    def extend_volume(self, volume, new_size):
        raise NotImplementedError()

    def local_path(self, volume):
        raise NotImplementedError()

    def ensure_export(self, context, volume):
        raise NotImplementedError()

    def create_export(self, context, volume, connector):
        raise NotImplementedError()

    def create_export_snapshot(self, context, snapshot, connector):
        raise NotImplementedError()

    def remove_export(self, context, volume):
        raise NotImplementedError()

    def remove_export_snapshot(self, context, snapshot):
        raise NotImplementedError()

    def initialize_connection(self, volume, connector, **kwargs):
        raise NotImplementedError()

    def initialize_connection_snapshot(self, snapshot, connector, **kwargs):
        raise NotImplementedError()

    def terminate_connection(self, volume, connector, **kwargs):
        raise NotImplementedError()

    def terminate_connection_snapshot(self, snapshot, connector, **kwargs):
        raise NotImplementedError()

    def validate_connector(self, connector):
        """Any connector will do unless a driver says otherwise."""

    @staticmethod
    def validate_connector_has_setting(connector, setting):
        """InvalidConnectorException unless ``connector`` has ``setting``."""
        if setting not in (connector or {}):
            raise exception.InvalidConnectorException(missing=setting)

    def clone_image(self, context, volume, image_location, image_meta,
                    image_service):
        """No image service in storagemgr: never cloned."""
        return None, False

    def copy_image_to_volume(self, context, volume, image_service, image_id):
        raise NotImplementedError(
            'storagemgr has no image service to copy images from')

    def copy_volume_to_image(self, context, volume, image_service,
                             image_meta):
        raise NotImplementedError(
            'storagemgr has no image service to copy images to')

    def retype(self, context, volume, new_type, diff, host):
        return False, None

    def migrate_volume(self, context, volume, host):
        return False, None

    def manage_existing_snapshot(self, snapshot, existing_ref):
        raise NotImplementedError()

    def manage_existing_snapshot_get_size(self, snapshot, existing_ref):
        raise NotImplementedError()

    def unmanage_snapshot(self, snapshot):
        raise NotImplementedError()

    # Generic volume groups (Cinder's newer API): not in storagemgr.

    def create_group(self, context, group):
        raise NotImplementedError()

    def delete_group(self, context, group, volumes):
        raise NotImplementedError()

    def update_group(self, context, group, add_volumes=None,
                     remove_volumes=None):
        raise NotImplementedError()

    def create_group_from_src(self, context, group, volumes,
                              group_snapshot=None, snapshots=None,
                              source_group=None, source_vols=None):
        raise NotImplementedError()

    def create_group_snapshot(self, context, group_snapshot, snapshots):
        raise NotImplementedError()

    def delete_group_snapshot(self, context, group_snapshot, snapshots):
        raise NotImplementedError()


class LocalVD(object):
    """Marker of Cinder's feature interfaces (nothing to provide)."""


class SnapshotVD(object):
    """Marker of Cinder's feature interfaces (nothing to provide)."""


class ConsistencyGroupVD(object):
    """Marker of Cinder's feature interfaces (nothing to provide)."""


class CloneableImageVD(object):
    """Marker of Cinder's feature interfaces (nothing to provide)."""


class MigrateVD(object):
    """Marker of Cinder's feature interfaces (nothing to provide)."""


class ExtendVD(object):
    """Marker of Cinder's feature interfaces (nothing to provide)."""


class TransferVD(object):
    """Marker of Cinder's feature interfaces (nothing to provide)."""


class ManageableVD(object):
    """Marker of Cinder's feature interfaces (nothing to provide)."""


class ManageableSnapshotsVD(object):
    """Marker of Cinder's feature interfaces (nothing to provide)."""


class VolumeDriver(ManageableVD, CloneableImageVD, ManageableSnapshotsVD,
                   MigrateVD, BaseVD):
    """Cinder's ``VolumeDriver``: the class most drivers extend."""


class ISCSIDriver(VolumeDriver):
    """An iSCSI driver: connection data from provider_location/auth.

    ``provider_location`` is ``"<ip>:<port>,<portal tag> <iqn> <lun>"``
    and ``provider_auth`` ``"<method> <user> <password>"``, as Cinder's
    iSCSI drivers store them. Target discovery (iscsiadm) is not served:
    a volume without a provider_location is an error.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.protocol = 'iSCSI'

    def _get_iscsi_properties(self, volume, multipath=False):
        location = volume.get('provider_location')
        if not location:
            raise exception.InvalidVolume(
                reason='volume %s has no provider_location to connect to' %
                volume.get('id'))
        try:
            portal, iqn, lun = location.split(' ')[:3]
            lun = int(lun)
        except ValueError:
            raise exception.InvalidVolume(
                reason='provider_location %r of volume %s is not '
                       '"<portal> <iqn> <lun>"' % (location, volume.get('id')))
        properties = {'target_discovered': False,
                      'target_portal': portal.split(',')[0],
                      'target_iqn': iqn, 'target_lun': lun,
                      'volume_id': volume.get('id'),
                      'discard': False}
        auth = volume.get('provider_auth')
        if auth:
            method, user, secret = auth.split(' ', 2)
            properties.update(auth_method=method, auth_username=user,
                              auth_password=secret)
        return properties

    def initialize_connection(self, volume, connector, **kwargs):
        protocol = 'iser' if (self.configuration is not None and
                              self.configuration.safe_get(
                                  'iscsi_protocol') == 'iser') else 'iscsi'
        return {'driver_volume_type': protocol,
                'data': self._get_iscsi_properties(volume)}

    def validate_connector(self, connector):
        self.validate_connector_has_setting(connector, 'initiator')

    def terminate_connection(self, volume, connector, **kwargs):
        """Nothing to undo for the connection data alone."""


class FibreChannelDriver(VolumeDriver):
    """A Fibre Channel driver: the connector must carry WWPNs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.protocol = 'FC'

    def validate_connector(self, connector):
        self.validate_connector_has_setting(connector, 'wwpns')
        self.validate_connector_has_setting(connector, 'wwnns')
