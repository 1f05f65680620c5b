"""Flows attaching a volume to this host and detaching it, via os-brick.

The order of calls is Cinder's (its volume manager, and cinderlib's
``Volume.attach``/``detach``):

* attach: the driver's ``create_export``, then ``initialize_connection``
  (its connection info is stored on the attachment), then os-brick's
  connector for that connection type runs ``connect_volume`` on this host
  and the device path it returns is recorded; the volume becomes
  ``in-use``. A failure at any step undoes the steps before it in reverse
  (``disconnect_volume``, ``terminate_connection``, ``remove_export``),
  removes the attachment and puts the volume back to ``available`` with a
  user message saying why.
* detach: ``disconnect_volume``, ``terminate_connection``,
  ``remove_export``; the attachment goes and the volume becomes
  ``available``. A failure puts the volume back to ``in-use`` (the
  attachment ``error_detaching``) with a user message; detaching again
  retries every step, which all tolerate what is already undone.

The connector properties are collected once, by the caller, before the
claim, and travel in the flow's store, so a flow resumed by the manager
after a crash finishes (or reverts) with the connector the driver saw.

Privileged commands (those os-brick runs through privsep) run in this
process when it is root, as cinderlib does; otherwise privsep's daemon
is started through ``[DEFAULT] root_helper``. With that option empty and
no root, nothing privileged is run: the connector holds only the
properties that need no privilege (enough for the ``local`` connection
type, which needs none), and device checks are plain reads.
"""

import contextlib
import logging as std_logging
import os
import platform
import shlex
import socket
import sys
import threading
import warnings

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import netutils
from taskflow.patterns import linear_flow
from taskflow.types import failure as tf_failure

from storagemgr.backend import process_registry
from storagemgr import context as sm_context
from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr.db.models import volume_attachment as attachment_models
from storagemgr.db import session as db_session
from storagemgr import driver_returns
from storagemgr import exception
from storagemgr.flows import common
from storagemgr.flows import tasks
from storagemgr.i18n import _
from storagemgr.message import api as message_api
from storagemgr.volume import constants as c
from storagemgr.volume import driver_views
from storagemgr.volume import volume_updates

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

attach_opts = [
    cfg.StrOpt('root_helper', default='sudo',
               help=_('Command prefix that starts os-brick\'s privileged '
                      'helper (privsep) when storagemgr attaches volumes '
                      'to this host without running as root. Unused when '
                      'running as root. Empty: run nothing privileged; '
                      'only connection types that need no privilege '
                      '(local) can then attach.')),
    cfg.StrOpt('my_ip', default=netutils.get_my_ipv4(),
               sample_default='<this host\'s IPv4 address>',
               help=_('IP address of this host, given to volume drivers '
                      'in the connector when a volume is attached here.')),
]

CONF.register_opts(attach_opts)

# The statuses of an attach and a detach, defined in volume.constants so
# that readers need not import this module (and taskflow); kept here under
# their old names.
ATTACHING = c.ATTACHING
IN_USE = c.IN_USE
DETACHING = c.DETACHING
ATTACH_ATTACHING = c.ATTACH_ATTACHING
ATTACH_ATTACHED = c.ATTACH_ATTACHED
ATTACH_DETACHING = c.ATTACH_DETACHING
ATTACH_ERROR_DETACHING = c.ATTACH_ERROR_DETACHING
ATTACH_MODE = c.ATTACH_MODE
DEVICE_SCAN_ATTEMPTS = 3

_privsep_lock = threading.Lock()
_privsep_ready = False


def list_opts():
    return [('DEFAULT', attach_opts)]


def _brick_connector_module():
    # os-brick pulls in privsep, which warns about eventlet on import; a
    # CLI command must not print that. Imported on first use only: it
    # costs a third of a second that other commands need not pay.
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        from os_brick.initiator import connector
    return connector


def _privileged_possible():
    return os.geteuid() == 0 or bool(CONF.root_helper)


def _set_up_privsep():
    """Run privileged calls here when root, else through root_helper."""
    global _privsep_ready
    with _privsep_lock:
        if _privsep_ready:
            return
        _brick_connector_module()
        import os_brick.privileged
        from oslo_privsep import priv_context
        if os.geteuid() == 0:
            for context in (os_brick.privileged.default,
                            os_brick.privileged.brick_privsep_hide_output):
                context.set_client_mode(False)
        elif CONF.root_helper:
            priv_context.init(root_helper=shlex.split(CONF.root_helper))
        _privsep_ready = True


def _multipath(backend_name):
    try:
        config = process_registry.get_registry().lookup(
            backend_name).configuration
        return (bool(config.safe_get('use_multipath_for_image_xfer')),
                bool(config.safe_get('enforce_multipath_for_image_xfer')))
    except Exception:
        return False, False


@contextlib.contextmanager
def _quiet_host_probe():
    """os-brick's warnings about initiators this host lacks, as debug.

    Probing for every protocol warns about each one the host has no
    tools for (no iSCSI initiator name, no nvme CLI...): facts about the
    host, not problems of the volume being attached.
    """
    brick_log = std_logging.getLogger('os_brick')
    level = brick_log.level
    if not getattr(CONF, 'debug', False):
        brick_log.setLevel(std_logging.ERROR)
    try:
        yield
    finally:
        brick_log.setLevel(level)


def connector_properties(backend_name):
    """This host's os-brick connector properties, for a volume's driver.

    :raises VolumeDriverException: os-brick could not collect them (a
        root helper that cannot run, multipath enforced without its
        daemon...).
    """
    multipath, enforce = _multipath(backend_name)
    if not _privileged_possible():
        return {'platform': platform.machine(), 'os_type': sys.platform,
                'ip': CONF.my_ip, 'host': CONF.host,
                'multipath': multipath, 'enforce_multipath': enforce}
    try:
        _set_up_privsep()
        with _quiet_host_probe():
            return _brick_connector_module().get_connector_properties(
                CONF.root_helper, CONF.my_ip, multipath, enforce,
                host=CONF.host)
    except Exception as e:
        raise exception.VolumeDriverException(
            msg='could not collect the connector properties of host %s '
                '(root_helper %r): %s: %s' % (CONF.host, CONF.root_helper,
                                              type(e).__name__, e)) from e


def brick_connector(connection_info, use_multipath=False):
    """The os-brick connector for ``connection_info``'s connection type."""
    _set_up_privsep()
    module = _brick_connector_module()
    return module.InitiatorConnector.factory(
        connection_info['driver_volume_type'].upper(), CONF.root_helper,
        use_multipath=use_multipath,
        device_scan_attempts=DEVICE_SCAN_ATTEMPTS,
        conn=connection_info, do_local_attach=True)


def _readable(brick, path):
    if _privileged_possible():
        return brick.check_valid_device(path)
    try:
        with open(path, 'rb') as f:
            f.read(1)
        return True
    except OSError:
        return False


def check_connection_info(driver, returned):
    """What ``initialize_connection`` returned, checked and completed."""
    checker = driver_returns.ReturnChecker(driver, 'initialize_connection')
    info = dict(checker.of_type(returned, dict, 'the connection info'))
    protocol = checker.of_type(info.get('driver_volume_type'), str,
                               'driver_volume_type')
    if not protocol:
        raise checker.fail('driver_volume_type must not be empty')
    data = dict(checker.of_type(info.get('data'), dict, 'data'))
    data.setdefault('access_mode', ATTACH_MODE)
    info['data'] = data
    return info


def _volume_and_driver(volume_id):
    volume = db_api.get(models.Volume, volume_id)
    return (driver_views.volume_view(volume),
            process_registry.driver_for(volume.backend, 'volume'))


def _attachment(attachment_id):
    return db_api.get_by(attachment_models.VolumeAttachment,
                         id=attachment_id)


def _ran(result):
    return not isinstance(result, tf_failure.Failure)


def _reason(e):
    return '%s: %s' % (type(e).__name__, e)


# Attach ----------------------------------------------------------------------


class CreateExportTask(tasks.StorageTask):
    """The driver's ``create_export``; its model update goes on the volume.

    Its revert runs last when an attach fails: it removes the export
    (when this step had made it), the attachment record, and puts the
    volume back to ``available`` with a user message.
    """

    def execute(self, volume_id, connector):
        view, driver = _volume_and_driver(volume_id)
        returned = driver.create_export(sm_context.get_admin_context(), view,
                                        connector)
        checker = driver_returns.ReturnChecker(driver, 'create_export')
        values = volume_updates.split_update(
            checker, checker.dict_or_none(returned), frozenset())
        if values:
            db_api.conditional_update(models.Volume, volume_id, values,
                                      expected={'status': [ATTACHING]})

    def revert(self, volume_id, attachment_id, result, **kwargs):
        cleanup_error = None
        if _ran(result):
            try:
                view, driver = _volume_and_driver(volume_id)
                driver.remove_export(sm_context.get_admin_context(), view)
            except Exception as e:
                LOG.exception('Could not remove the export of volume %s '
                              'after a failed attach', volume_id)
                cleanup_error = e
        db_api.delete(attachment_models.VolumeAttachment, attachment_id)
        detail = message_api.reason(
            result, flow_failures=kwargs.get('flow_failures'))
        if cleanup_error is not None:
            detail = '%s (and removing its export failed: %s)' % (
                detail, _reason(cleanup_error))
        common.error_out(models.Volume, volume_id, c.VOLUME_AVAILABLE,
                         expected=[ATTACHING], action='attach',
                         detail=detail)


class InitializeConnectionTask(tasks.StorageTask):
    """The driver's ``initialize_connection``, stored on the attachment."""

    default_provides = 'connection_info'

    def execute(self, volume_id, attachment_id, connector):
        view, driver = _volume_and_driver(volume_id)
        info = check_connection_info(
            driver, driver.initialize_connection(view, connector))
        db_api.update(attachment_models.VolumeAttachment, attachment_id,
                      {'connection_info': info})
        return info

    def revert(self, volume_id, connector, result, **kwargs):
        if not _ran(result):
            return
        try:
            view, driver = _volume_and_driver(volume_id)
            driver.terminate_connection(view, connector, force=True)
        except Exception:
            LOG.exception('Could not terminate the connection of volume %s '
                          'after a failed attach', volume_id)


class ConnectVolumeTask(tasks.StorageTask):
    """os-brick's ``connect_volume`` on this host; records the device."""

    def execute(self, volume_id, attachment_id, connection_info):
        volume = db_api.get(models.Volume, volume_id)
        multipath, _enforce = _multipath(volume.backend)
        brick = brick_connector(connection_info, multipath)
        device = brick.connect_volume(connection_info['data'])
        path = (device or {}).get('path')
        db_api.update(attachment_models.VolumeAttachment, attachment_id,
                      {'device_info': device, 'attached_path': path})
        if not path or not _readable(brick, path):
            raise exception.VolumeDriverException(
                msg='volume %s was connected at %r, which cannot be read' % (
                    volume_id, path))
        return device

    def revert(self, volume_id, attachment_id, connection_info, **kwargs):
        # Also after connect_volume itself failed: it may have left a
        # device half set up.
        row = _attachment(attachment_id)
        device = row.device_info if row is not None else None
        try:
            volume = db_api.get(models.Volume, volume_id)
            multipath, _enforce = _multipath(volume.backend)
            brick_connector(connection_info, multipath).disconnect_volume(
                connection_info['data'], device, force=True,
                ignore_errors=True)
        except Exception:
            LOG.exception('Could not disconnect volume %s after a failed '
                          'attach', volume_id)


class FinishAttachTask(tasks.StorageTask):
    """The volume ``in-use``, its attachment ``attached``: one commit."""

    def execute(self, volume_id, attachment_id):
        with db_session.session_scope() as session:
            db_api.conditional_update(
                attachment_models.VolumeAttachment, attachment_id,
                {'attach_status': ATTACH_ATTACHED},
                expected={'attach_status': [ATTACH_ATTACHING]},
                session=session)
            db_api.conditional_update(models.Volume, volume_id,
                                      {'status': IN_USE},
                                      expected={'status': [ATTACHING]},
                                      session=session)


def attach_volume_flow():
    return linear_flow.Flow('attach_volume').add(
        CreateExportTask(), InitializeConnectionTask(), ConnectVolumeTask(),
        FinishAttachTask())


# Detach ----------------------------------------------------------------------


class DisconnectVolumeTask(tasks.StorageTask):
    """os-brick's ``disconnect_volume``; a failed detach reverts here."""

    def execute(self, volume_id, attachment_id):
        row = db_api.get(attachment_models.VolumeAttachment, attachment_id)
        info = row.connection_info
        if not info:
            return  # never connected (a record older than its connection)
        volume = db_api.get(models.Volume, volume_id)
        multipath, _enforce = _multipath(volume.backend)
        brick_connector(info, multipath).disconnect_volume(
            info['data'], row.device_info)
        db_api.update(attachment_models.VolumeAttachment, attachment_id,
                      {'device_info': None, 'attached_path': None})

    def revert(self, volume_id, attachment_id, **kwargs):
        with db_session.session_scope() as session:
            db_api.conditional_update(
                attachment_models.VolumeAttachment, attachment_id,
                {'attach_status': ATTACH_ERROR_DETACHING},
                expected={'attach_status': [ATTACH_DETACHING]},
                session=session)
        common.error_out(models.Volume, volume_id, IN_USE,
                         expected=[DETACHING], action='detach',
                         failures=kwargs.get('flow_failures'))


class TerminateConnectionTask(tasks.StorageTask):
    def execute(self, volume_id, attachment_id):
        row = db_api.get(attachment_models.VolumeAttachment, attachment_id)
        view, driver = _volume_and_driver(volume_id)
        driver.terminate_connection(view, row.connector or {})


class RemoveExportTask(tasks.StorageTask):
    def execute(self, volume_id):
        view, driver = _volume_and_driver(volume_id)
        driver.remove_export(sm_context.get_admin_context(), view)


class FinishDetachTask(tasks.StorageTask):
    """The attachment gone, the volume ``available``: one commit."""

    def execute(self, volume_id, attachment_id):
        with db_session.session_scope() as session:
            db_api.delete(attachment_models.VolumeAttachment, attachment_id,
                          session=session)
            db_api.conditional_update(models.Volume, volume_id,
                                      {'status': c.VOLUME_AVAILABLE},
                                      expected={'status': [DETACHING]},
                                      session=session)


def detach_volume_flow():
    return linear_flow.Flow('detach_volume').add(
        DisconnectVolumeTask(), TerminateConnectionTask(),
        RemoveExportTask(), FinishDetachTask())


def this_host():
    """The host name attachments made here record."""
    return CONF.host or socket.gethostname()


def attachment_record(row):
    """An attachment as the plain dict callers print."""
    info = row.connection_info or {}
    return {
        'id': row.id,
        'volume_id': row.volume_id,
        'attach_status': row.attach_status,
        'attach_mode': row.attach_mode,
        'attached_host': row.attached_host,
        'attached_path': row.attached_path,
        'driver_volume_type': info.get('driver_volume_type'),
        'connection_info': info or None,
        'connector': row.connector,
        'created_at': (row.created_at.isoformat()
                       if row.created_at is not None else None),
    }
