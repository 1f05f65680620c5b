"""Delete a share: remove its access, delete it on the backend, forget it.

The store holds ``share``, the driver's view of the share as the service
layer found it when it claimed the delete.

A backend that no longer has the share (ShareResourceNotFound) is not an
error. Any other failure, of any exception class, leaves the share in
``error_deleting`` with its rows intact, so the delete can be retried.
"""

from oslo_log import log as logging
import sqlalchemy as sa
from taskflow.patterns import linear_flow

from storagemgr.db import api as db_api
from storagemgr.db.models import share as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.share import constants
from storagemgr.share import driver_views
from storagemgr.share.flows import base
from storagemgr.share import records

LOG = logging.getLogger(__name__)

_DELETING = [constants.STATUS_DELETING]


def _error_deleting(share_id, failures=None):
    base.error_out(models.Share, share_id, constants.STATUS_ERROR_DELETING,
                   _DELETING, action='delete', failures=failures)


class RemoveShareAccess(base.ShareTask):
    """Revoke every access rule on the backend before the share goes."""

    def execute(self, share_id, share, backend):
        rules = [driver_views.access_view(r)
                 for r in records.list_rules(share_id)]
        if not rules:
            return
        driver = self.driver(backend)
        try:
            try:
                driver.update_access(self.context, share, [], [], rules,
                                     share_server=None)
            except NotImplementedError:
                for rule in rules:
                    driver.deny_access(self.context, share, rule,
                                       share_server=None)
        except exception.ShareResourceNotFound:
            LOG.warning('Share %s is already gone from its backend; its '
                        'access rules go with it.', share_id)

    def revert(self, share_id, **kwargs):
        _error_deleting(share_id, kwargs.get('flow_failures'))


class DeleteShareOnBackend(base.ShareTask):

    def execute(self, share_id, share, backend):
        driver = self.driver(backend)
        try:
            driver.delete_share(self.context, share, share_server=None)
        except exception.ShareResourceNotFound:
            LOG.warning('Share %s was already gone from its backend.',
                        share_id)

    def revert(self, share_id, **kwargs):
        _error_deleting(share_id, kwargs.get('flow_failures'))


class ForgetShare(base.ShareTask):
    """Delete the share's rows (its access rules, then the share)."""

    def execute(self, share_id):
        forget_share(share_id)


def forget_share(share_id):
    """Delete a share's access rules and its row, in one transaction."""
    rules = models.ShareAccessRule
    with db_session.session_scope() as session:
        session.execute(sa.delete(rules).where(rules.share_id == share_id))
        db_api.delete(models.Share, share_id, session=session)


def delete_share_flow():
    flow = linear_flow.Flow('delete_share')
    flow.add(RemoveShareAccess(), DeleteShareOnBackend(), ForgetShare())
    return flow
