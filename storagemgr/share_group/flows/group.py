"""Flows of share groups: create, create from a group snapshot, delete.

Same shape as the group snapshot flows (see ``snapshot``): a task calls
the driver and decides the outcome, the next one writes it.
"""

from oslo_log import log as logging
from taskflow.patterns import linear_flow

from storagemgr.db import api as db_api
from storagemgr.db import bulk
from storagemgr.db.models import share as share_models
from storagemgr.db.models import share_group as models
from storagemgr.db import session as db_session
from storagemgr.flows import common
from storagemgr.message import api as message_api
from storagemgr.share import constants as share_constants
from storagemgr.share.flows import base
from storagemgr.share.flows import delete as share_delete
from storagemgr.share_group import constants
from storagemgr.share_group.flows import snapshot as snapshot_flows
from storagemgr.share_group import records
from storagemgr.share_group import updates

LOG = logging.getLogger(__name__)

_CREATING = [constants.STATUS_CREATING]
_DELETING = [constants.STATUS_DELETING]


def error_out(group_id, status, expected, share_ids=(), share_status=None,
              share_expected=(), failures=None, action=None):
    """Revert helper: the group and, in bulk, the shares named."""
    common.error_out(models.ShareGroup, group_id, status, expected=expected,
                     action=action, failures=failures)
    if share_ids:
        instance = share_models.ShareInstance
        with db_session.session_scope() as session:
            bulk.write(
                session, instance,
                {share_id: {'status': share_status}
                 for share_id in share_ids},
                share_expected, key=instance.share_id,
                criteria=[instance.active.is_(True)])


class WriteGroupOutcome(base.ShareTask):
    """Write the outcome; ``expected``: the status the operation set."""

    def __init__(self, expected, share_expected=(), **kwargs):
        super().__init__(**kwargs)
        self.expected = list(expected)
        self.share_expected = list(share_expected)

    def execute(self, group_id, outcome):
        action = message_api.action_in_progress(models.ShareGroup, group_id)
        if updates.write_group_outcome(group_id, outcome, self.expected,
                                       self.share_expected):
            message_api.record_outcome(models.ShareGroup, group_id,
                                       share_models.Share, action, outcome)


class CreateGroupOnBackend(base.ShareTask):
    default_provides = 'outcome'

    def execute(self, group_id, backend):
        driver = self.driver(backend)
        returned, error = base.call_driver(
            driver.create_share_group, self.context,
            records.group_view(group_id), share_server=None)
        return updates.apply_create_group(driver, returned, error)

    def revert(self, group_id, **kwargs):
        error_out(group_id, constants.STATUS_ERROR, _CREATING,
                  failures=kwargs.get('flow_failures'), action='create')


def create_group_flow():
    return linear_flow.Flow('create_share_group').add(
        CreateGroupOnBackend(), WriteGroupOutcome(_CREATING))


_NEW_SHARES = [share_constants.STATUS_CREATING]


class CreateGroupFromSnapshotOnBackend(base.ShareTask):
    """Every new share from its member of the source group snapshot."""

    default_provides = 'outcome'

    def execute(self, group_id, backend, group_snapshot_id):
        driver = self.driver(backend)
        group = records.group_view(group_id, with_shares=True)
        share_of_instance = {s['id']: s['share_id'] for s in group['shares']}
        returned, error = base.call_driver(
            driver.create_share_group_from_share_group_snapshot,
            self.context, group,
            records.group_snapshot_view(group_snapshot_id),
            share_server=None)
        return updates.apply_create_group_from_snapshot(
            driver, share_of_instance, returned, error)

    def revert(self, group_id, share_ids, **kwargs):
        error_out(group_id, constants.STATUS_ERROR, _CREATING, share_ids,
                  share_constants.STATUS_ERROR, _NEW_SHARES,
                  kwargs.get('flow_failures'), action='create')


def create_group_from_snapshot_flow():
    return linear_flow.Flow('create_share_group_from_snapshot').add(
        CreateGroupFromSnapshotOnBackend(),
        WriteGroupOutcome(_CREATING, _NEW_SHARES))


class DeleteGroupDependants(base.ShareTask):
    """A forced delete: the group's snapshots and shares go first.

    Each is deleted as its own delete would do it, and left in the same
    status when the driver fails. Rows already gone (a resumed flow) are
    skipped. Provides why the group must be kept, or None.
    """

    default_provides = 'dependants_failure'

    def execute(self, group_id, backend, group_snapshot_ids=(),
                share_ids=()):
        driver = self.driver(backend)
        failures = []
        for group_snapshot_id in group_snapshot_ids or ():
            if db_api.get_by(models.ShareGroupSnapshot,
                             id=group_snapshot_id) is None:
                continue
            outcome = snapshot_flows.delete_now(driver, self.context,
                                                group_snapshot_id)
            if outcome.get('failed'):
                failures.append('group snapshot %s: %s' % (
                    group_snapshot_id, outcome.get('reason')))
        for share_id in share_ids or ():
            if db_api.get_by(share_models.Share, id=share_id) is None:
                continue
            if db_api.count(models.ShareGroupSnapshotMember,
                            share_id=share_id):
                # Its group snapshot could not be deleted: deleting the
                # share would strand that snapshot's member.
                reason = 'it is in a group snapshot that was kept'
                base.error_out_share(
                    share_id, share_constants.STATUS_ERROR_DELETING,
                    [share_constants.STATUS_DELETING], action='delete',
                    detail=reason)
                failures.append('share %s: %s' % (share_id, reason))
                continue
            try:
                share_delete.delete_now(share_id, backend, self.context)
            except Exception as e:  # any driver exception, any class
                failures.append('share %s: %s: %s' % (
                    share_id, type(e).__name__, e))
        return '; '.join(failures) or None

    def revert(self, group_id, group_snapshot_ids=(), share_ids=(),
               **kwargs):
        failures = kwargs.get('flow_failures')
        for group_snapshot_id in group_snapshot_ids or ():
            snapshot_flows.error_out(
                group_snapshot_id, constants.STATUS_ERROR_DELETING,
                _DELETING, failures, action='delete')
        error_out(group_id, constants.STATUS_ERROR_DELETING, _DELETING,
                  share_ids, share_constants.STATUS_ERROR_DELETING,
                  [share_constants.STATUS_DELETING], failures,
                  action='delete')


class DeleteGroupOnBackend(base.ShareTask):
    default_provides = 'outcome'

    def execute(self, group_id, backend, dependants_failure=None):
        if dependants_failure:
            return updates.failed_outcome(
                constants.STATUS_ERROR_DELETING, {},
                'its snapshots and shares could not all be deleted, so '
                'the group was kept: %s' % dependants_failure)
        driver = self.driver(backend)
        returned, error = base.call_driver(
            driver.delete_share_group, self.context,
            records.group_view(group_id), share_server=None)
        return updates.apply_delete_group(driver, returned, error)

    def revert(self, group_id, **kwargs):
        error_out(group_id, constants.STATUS_ERROR_DELETING, _DELETING,
                  failures=kwargs.get('flow_failures'), action='delete')


def delete_group_flow():
    return linear_flow.Flow('delete_share_group').add(
        DeleteGroupDependants(), DeleteGroupOnBackend(),
        WriteGroupOutcome(_DELETING))
