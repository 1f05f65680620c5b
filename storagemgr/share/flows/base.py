"""What share flow tasks have in common.

A task's store values are plain ids and numbers (flows are persisted and
may be resumed by another process); a task looks up its driver by backend
name and its rows by id. Driver tasks validate the driver's return with
``storagemgr.share.model_updates`` before returning it, so only checked,
JSON-able values are ever persisted.
"""

from oslo_log import log as logging
from taskflow.types import failure as tf_failure

from storagemgr.backend import process_registry
from storagemgr import context as sm_context
from storagemgr.db.models import share as models
from storagemgr import exception
from storagemgr.flows import common
from storagemgr.flows import tasks
from storagemgr.message import api as message_api
from storagemgr.share import records

LOG = logging.getLogger(__name__)


class ShareTask(tasks.StorageTask):
    """A flow task of the share service."""

    @property
    def context(self):
        return sm_context.get_admin_context()

    def driver(self, backend):
        return process_registry.driver_for(backend, 'share', self.context)


def call_driver(method, *args, **kwargs):
    """``(returned, None)``, or ``(None, error)`` for any exception class.

    For tasks that turn the driver's exception into a documented outcome
    instead of failing (the group operations).
    """
    try:
        return method(*args, **kwargs), None
    except Exception as e:  # any driver exception, any class
        return None, e


def failed_with(result, *exception_classes):
    """Whether a revert's ``result`` failed with one of these classes."""
    return (isinstance(result, tf_failure.Failure) and
            result.check(*exception_classes) is not None)


def failure_detail_data(result):
    """``detail_data`` of the exception behind a revert's failure, or {}."""
    if not isinstance(result, tf_failure.Failure):
        return {}
    data = getattr(result.exception, 'detail_data', None)
    return data if isinstance(data, dict) else {}


def error_out_share(share_id, status, expected, extra=None, **message):
    """``error_out`` of the share's active instance.

    The user message is about the share; ``extra``: more instance values.
    """
    try:
        instance_id = records.active_instance(share_id).id
    except exception.NotFound:
        return False
    return error_out(models.ShareInstance, instance_id, status, expected,
                     extra=extra,
                     message_resource=(message_api.SHARE, share_id),
                     **message)


def error_out_snapshot(snapshot_id, status, expected, extra=None,
                       **message):
    """``error_out_share`` for a snapshot's instance."""
    try:
        instance_id = records.snapshot_instance(snapshot_id).id
    except exception.NotFound:
        return
    error_out(models.ShareSnapshotInstance, instance_id, status, expected,
              extra=extra,
              message_resource=(message_api.SHARE_SNAPSHOT, snapshot_id),
              **message)


def error_out(model, resource_id, status, expected, extra=None,
              **message):
    """Set an error status from a revert; True when it was written.

    ``message`` (action, detail, failures) is passed on to
    ``common.error_out`` to record a user message.
    """
    written = common.error_out(model, resource_id, status,
                               expected=list(expected), extra=extra,
                               **message)
    if written:
        LOG.info('%(model)s %(id)s set to %(status)s after a failure.',
                 {'model': model.__name__, 'id': resource_id,
                  'status': status})
    return written
