"""Poll replicated snapshot instances on a secondary replica (R37-R39).

``update_replicated_snapshot`` is asked about each of the replica's
snapshot instances still ``creating`` or ``deleting``. Its dict applies
(``available`` means 100%); SnapshotResourceNotFound of an instance being
deleted removes it; any other exception, or that one while creating,
puts the instance in ``error``. One instance's failure never stops the
others'. A snapshot whose last instance went is deleted.
"""

import collections

from oslo_log import log as logging

from storagemgr import exception
from storagemgr.message import api as message_api
from storagemgr.share_replication import constants
from storagemgr.share_replication.flows import base
from storagemgr.share_replication import records
from storagemgr.share_replication import updates

LOG = logging.getLogger(__name__)


def poll_replica_snapshots(driver, context, share_id, replica_id):
    """One poll of the replica's pending snapshot instances; the count.

    The share's snapshot instances are read once, for all the polls.
    """
    share = records.share_records.get_share(share_id)
    by_snapshot, pending = collections.defaultdict(list), []
    for triple in records.snapshot_instances(share_id):
        snapshot, instance, replica = triple
        view = records.snapshot_instance_view(share, triple)
        by_snapshot[snapshot.id].append(view)
        if (replica.id == replica_id and
                instance.status in constants.SNAPSHOT_POLLED_STATUSES):
            pending.append((snapshot.id, instance.status, view))
    if not pending:
        return 0
    views, _ = base.replica_list(share_id)
    for snapshot_id, status, view in pending:
        _poll_one(driver, context, views, replica_id, view,
                  by_snapshot[snapshot_id], snapshot_id, status)
    return len(pending)


def _poll_one(driver, context, views, replica_id, view,
              all_of_snapshot, snapshot_id, status):
    try:
        update = updates.check_snapshot_poll(
            driver, driver.update_replicated_snapshot(
                context, list(views.values()), views[replica_id],
                all_of_snapshot, view, share_server=None))
    except exception.SnapshotResourceNotFound:
        if status == constants.SNAPSHOT_DELETING:
            updates.apply_snapshot_updates(
                {view['id']: {'status': constants.STATUS_DELETED}},
                [status])
            updates.forget_snapshot_if_empty(snapshot_id)
            return
        update = {'status': constants.SNAPSHOT_ERROR}
    except Exception as e:
        LOG.error('Snapshot instance %(id)s on replica %(replica)s: '
                  '%(type)s: %(e)s', {'id': view['id'],
                                      'replica': replica_id,
                                      'type': type(e).__name__, 'e': e})
        message_api.record(
            message_api.SHARE_SNAPSHOT, snapshot_id, 'update',
            'update_replicated_snapshot of its instance %s on replica %s '
            'failed: %s: %s' % (view['id'], replica_id, type(e).__name__,
                                e))
        update = {'status': constants.SNAPSHOT_ERROR}
    if status == constants.SNAPSHOT_DELETING and update.get(
            'status') == constants.SNAPSHOT_ERROR:
        update['status'] = constants.SNAPSHOT_ERROR_DELETING
    updates.apply_snapshot_updates({view['id']: update}, [status])
    if update.get('status') == constants.STATUS_DELETED:
        updates.forget_snapshot_if_empty(snapshot_id)


class PollReplicaSnapshots(base.ReplicaTask):
    """Settle the replica's pending snapshot instances (never fails)."""

    def execute(self, share_id, replica_id, backend):
        try:
            poll_replica_snapshots(self.driver(backend), self.context,
                                   share_id, replica_id)
        except Exception:
            LOG.exception('Could not poll the snapshot instances of share '
                          'replica %s', replica_id)
