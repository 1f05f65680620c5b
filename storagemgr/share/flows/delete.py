"""Delete a share: remove its access, delete it on the backend, forget it.

The store holds ``share``, the driver's view of the share as the service
layer found it when it claimed the delete.

A backend that no longer has the share (ShareResourceNotFound) is not an
error. Any other failure, of any exception class, leaves the share in
``error_deleting`` with its rows intact, so the delete can be retried.
"""

from oslo_log import log as logging
from taskflow.patterns import linear_flow

from storagemgr.backend import process_registry
from storagemgr.driver_view import DriverView
from storagemgr import exception
from storagemgr.share import constants
from storagemgr.share import driver_views
from storagemgr.share.flows import base
from storagemgr.share import model_updates
from storagemgr.share import records

LOG = logging.getLogger(__name__)

_DELETING = [constants.STATUS_DELETING]


def _error_deleting(share_id, failures=None, detail=None):
    base.error_out_share(share_id, constants.STATUS_ERROR_DELETING,
                         _DELETING, action='delete', failures=failures,
                         detail=detail)


def remove_access(driver, context, share_id, share):
    """Revoke every access rule of the share on the backend."""
    rules = [driver_views.access_view(r)
             for r in records.list_rules(share_id)]
    if not rules:
        return
    share = DriverView(share)
    try:
        try:
            driver.update_access(context, share, [], [], rules,
                                 share_server=None)
        except NotImplementedError:
            for rule in rules:
                driver.deny_access(context, share, rule, share_server=None)
    except exception.ShareResourceNotFound:
        LOG.warning('Share %s is already gone from its backend; its '
                    'access rules go with it.', share_id)


def delete_on_backend(driver, context, share_id, share):
    try:
        driver.delete_share(context, DriverView(share), share_server=None)
    except exception.ShareResourceNotFound:
        LOG.warning('Share %s was already gone from its backend.', share_id)


def delete_now(share_id, backend, context):
    """Delete a share claimed as ``deleting``, within the caller's task.

    For a flow that deletes shares as one of its steps (a forced share
    group delete): the same steps as ``delete_share_flow``. A driver
    failure leaves the share ``error_deleting`` and is raised.
    """
    driver = process_registry.driver_for(backend, 'share', context)
    share = records.share_view(share_id)
    try:
        remove_access(driver, context, share_id, share)
        delete_on_backend(driver, context, share_id, share)
    except Exception as e:  # any driver exception, any class
        _error_deleting(share_id, detail='%s: %s' % (type(e).__name__, e))
        raise
    model_updates.forget_share(share_id)


class RemoveShareAccess(base.ShareTask):
    """Revoke every access rule on the backend before the share goes."""

    def execute(self, share_id, share, backend):
        remove_access(self.driver(backend), self.context, share_id, share)

    def revert(self, share_id, **kwargs):
        _error_deleting(share_id, failures=kwargs.get('flow_failures'))


class DeleteShareOnBackend(base.ShareTask):

    def execute(self, share_id, share, backend):
        delete_on_backend(self.driver(backend), self.context, share_id,
                          share)

    def revert(self, share_id, **kwargs):
        _error_deleting(share_id, failures=kwargs.get('flow_failures'))


class ForgetShare(base.ShareTask):
    """Delete the share's rows: instances, access rules, the share."""

    def __init__(self, keep_private_data=False, **kwargs):
        super().__init__(**kwargs)
        self.keep_private_data = keep_private_data

    def execute(self, share_id):
        model_updates.forget_share(
            share_id, keep_private_data=self.keep_private_data)


def delete_share_flow():
    flow = linear_flow.Flow('delete_share')
    flow.add(RemoveShareAccess(), DeleteShareOnBackend(), ForgetShare())
    return flow
