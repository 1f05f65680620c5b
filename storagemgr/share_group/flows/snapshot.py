"""Flows of share group snapshots: create and delete.

The shape of every share group flow: one task calls the driver and turns
what came back, exception included, into an outcome with
``storagemgr.share_group.updates``; the next task writes it. The call
task never raises for a driver failure (the outcome already holds the
documented error statuses), so its revert only guards against failures
of storagemgr itself. A killed call task runs again when the flow is
resumed: the drivers' group snapshot methods may be called again for the
same members (the fallback's and the local driver's are).
"""

from oslo_log import log as logging
from taskflow.patterns import linear_flow

from storagemgr.db import bulk
from storagemgr.db.models import share_group as models
from storagemgr.db import session as db_session
from storagemgr.flows import common
from storagemgr.message import api as message_api
from storagemgr.share.flows import base
from storagemgr.share_group import constants
from storagemgr.share_group import records
from storagemgr.share_group import updates

LOG = logging.getLogger(__name__)

_CREATING = [constants.STATUS_CREATING]
_DELETING = [constants.STATUS_DELETING]


def error_out(group_snapshot_id, status, expected, failures=None,
              action=None):
    """Revert helper: the group snapshot and its members, in bulk."""
    common.error_out(models.ShareGroupSnapshot, group_snapshot_id, status,
                     expected=expected, action=action, failures=failures)
    member = models.ShareGroupSnapshotMember
    with db_session.session_scope() as session:
        bulk.write(
            session, member,
            {m.id: {'status': status} for m, _s, _i in
             records.members_of(group_snapshot_id, session)},
            expected, criteria=[member.share_group_snapshot_id ==
                                group_snapshot_id])


class WriteGroupSnapshotOutcome(base.ShareTask):
    """Write the outcome; ``expected``: the status the operation set."""

    def __init__(self, expected, **kwargs):
        super().__init__(**kwargs)
        self.expected = list(expected)

    def execute(self, group_snapshot_id, outcome):
        action = message_api.action_in_progress(models.ShareGroupSnapshot,
                                                group_snapshot_id)
        if outcome.get('reason') and not outcome.get('failed'):
            LOG.warning('Share group snapshot %(id)s: %(reason)s; the '
                        'backend may still hold its member snapshots.',
                        {'id': group_snapshot_id,
                         'reason': outcome['reason']})
        if updates.write_group_snapshot_outcome(group_snapshot_id, outcome,
                                                self.expected):
            message_api.record_outcome(
                models.ShareGroupSnapshot, group_snapshot_id,
                models.ShareGroupSnapshotMember, action, outcome)


class CreateGroupSnapshotOnBackend(base.ShareTask):
    default_provides = 'outcome'

    def execute(self, group_snapshot_id, backend):
        view = records.group_snapshot_view(group_snapshot_id)
        member_ids = [m['id'] for m in view['share_group_snapshot_members']]
        driver = self.driver(backend)
        returned, error = base.call_driver(
            driver.create_share_group_snapshot, self.context, view,
            share_server=None)
        return updates.apply_create_group_snapshot(driver, member_ids,
                                                   returned, error)

    def revert(self, group_snapshot_id, **kwargs):
        error_out(group_snapshot_id, constants.STATUS_ERROR, _CREATING,
                  kwargs.get('flow_failures'), action='create')


def create_group_snapshot_flow():
    return linear_flow.Flow('create_share_group_snapshot').add(
        CreateGroupSnapshotOnBackend(),
        WriteGroupSnapshotOutcome(_CREATING))


def delete_on_backend(driver, context, group_snapshot_id, force=False):
    """Have the driver delete a group snapshot; return the outcome."""
    view = records.group_snapshot_view(group_snapshot_id)
    member_ids = [m['id'] for m in view['share_group_snapshot_members']]
    returned, error = base.call_driver(
        driver.delete_share_group_snapshot, context, view, share_server=None)
    return updates.apply_delete_group_snapshot(driver, member_ids, returned,
                                               error, force=force)


def delete_now(driver, context, group_snapshot_id):
    """Delete a group snapshot claimed ``deleting``, within a task.

    For a flow that deletes it as one of its steps (a forced group
    delete); returns the outcome written.
    """
    outcome = delete_on_backend(driver, context, group_snapshot_id)
    WriteGroupSnapshotOutcome(_DELETING).execute(group_snapshot_id,
                                                 outcome)
    return outcome


class DeleteGroupSnapshotOnBackend(base.ShareTask):
    default_provides = 'outcome'

    def execute(self, group_snapshot_id, backend, force=False):
        return delete_on_backend(self.driver(backend), self.context,
                                 group_snapshot_id, force)

    def revert(self, group_snapshot_id, **kwargs):
        error_out(group_snapshot_id, constants.STATUS_ERROR_DELETING,
                  _DELETING, kwargs.get('flow_failures'), action='delete')


def delete_group_snapshot_flow():
    return linear_flow.Flow('delete_share_group_snapshot').add(
        DeleteGroupSnapshotOnBackend(),
        WriteGroupSnapshotOutcome(_DELETING))
