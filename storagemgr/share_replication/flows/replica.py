"""Create, delete, promote and resync share replicas.

* create: ``create_replica`` on the new replica's backend; its return
  applies by rules R1-R4. Any exception: the replica goes to ``error``
  (replica state ``error``, rules ``error``).
* delete: ``delete_replica`` on the replica's backend, then its rows go.
  Any exception: ``error_deleting`` (replica state ``error``), unless the
  delete was forced, which removes the rows anyway.
* promote: ``promote_replica`` on the promoted replica's backend; the
  return applies by rules R10-R14. Any exception: every replica of the
  share in ``error`` (R15), as in the reference.
* resync: ``update_replica_state`` on the replica's backend (R20-R23),
  then one poll of the replica's snapshot instances still being created
  or deleted (R37-R39). Any exception: the replica in ``error``.
"""

from oslo_log import log as logging
from taskflow.patterns import linear_flow

from storagemgr.share_replication import constants
from storagemgr.share_replication.flows import base
from storagemgr.share_replication.flows import snapshot_poll
from storagemgr.share_replication import records
from storagemgr.share_replication import updates

LOG = logging.getLogger(__name__)


class CreateReplicaOnBackend(base.ReplicaTask):

    default_provides = 'replica_update'

    def execute(self, share_id, replica_id, backend, cast_readonly):
        driver = self.driver(backend)
        views, _ = base.replica_list(share_id)
        replication_type = records.replication_type(
            records.share_records.get_share(share_id))
        answer = driver.create_replica(
            self.context, list(views.values()), views[replica_id],
            base.access_rules(share_id, readonly=cast_readonly),
            records.replica_snapshot_pairs(share_id, replica_id),
            share_server=None)
        return updates.check_create_replica(driver, answer,
                                            replication_type)

    def revert(self, replica_id, **kwargs):
        updates.replica_failed(
            replica_id, [constants.STATUS_CREATING], 'create',
            failures=kwargs.get('flow_failures'),
            extra={'access_rules_status': 'error'})


class RecordReplicaCreated(base.ReplicaTask):

    def execute(self, replica_id, replica_update):
        updates.apply_replica_created(replica_id, replica_update)


class DeleteReplicaOnBackend(base.ReplicaTask):

    def execute(self, share_id, replica_id, backend, force):
        views, _ = base.replica_list(share_id)
        share = records.share_records.get_share(share_id)
        snapshots = [records.snapshot_instance_view(share, t)
                     for t in records.snapshot_instances(
                         share_id, replica_id=replica_id)]
        try:
            self.driver(backend).delete_replica(
                self.context, list(views.values()), snapshots,
                views[replica_id], share_server=None)
        except Exception as e:
            if not force:
                raise
            LOG.warning('Share replica %(id)s: the driver failed to delete '
                        'it (%(type)s: %(e)s); its records are removed '
                        'anyway (forced).', {'id': replica_id,
                                             'type': type(e).__name__,
                                             'e': e})

    def revert(self, replica_id, **kwargs):
        updates.replica_failed(
            replica_id, [constants.STATUS_DELETING], 'delete',
            failures=kwargs.get('flow_failures'),
            status=constants.STATUS_ERROR_DELETING)


class ForgetReplica(base.ReplicaTask):

    def execute(self, replica_id):
        updates.forget_replica(replica_id)


class PromoteOnBackend(base.ReplicaTask):

    default_provides = 'promote_updates'

    def execute(self, share_id, replica_id, backend):
        driver = self.driver(backend)
        views, _ = base.replica_list(share_id)
        answer = driver.promote_replica(
            self.context, list(views.values()), views[replica_id],
            base.access_rules(share_id), share_server=None)
        return updates.check_promote(driver, answer, set(views))

    def revert(self, share_id, replica_id, **kwargs):
        updates.promote_failed(share_id, replica_id,
                               failures=kwargs.get('flow_failures'))


class RecordPromotion(base.ReplicaTask):

    def execute(self, share_id, replica_id, promote_updates,
                cast_readonly):
        updates.apply_promoted(share_id, replica_id, promote_updates,
                               cast_readonly)


class UpdateReplicaState(base.ReplicaTask):

    default_provides = 'replica_state'

    def execute(self, share_id, replica_id, backend):
        driver = self.driver(backend)
        views, _ = base.replica_list(share_id)
        replica = views[replica_id]
        answer = driver.update_replica_state(
            self.context, list(views.values()), replica,
            base.access_rules(share_id,
                              readonly=replica['cast_rules_to_readonly']),
            records.replica_snapshot_pairs(share_id, replica_id),
            share_server=None)
        return updates.check_replica_state(driver, answer)

    def revert(self, replica_id, **kwargs):
        updates.replica_failed(
            replica_id, [constants.STATUS_AVAILABLE, constants.STATUS_ERROR],
            'update', failures=kwargs.get('flow_failures'))


class RecordReplicaState(base.ReplicaTask):

    def execute(self, replica_id, replica_state, backend):
        updates.apply_replica_state(replica_id, replica_state,
                                    driver_name='of backend %s' % backend)


def create_replica_flow():
    flow = linear_flow.Flow('create_share_replica')
    flow.add(CreateReplicaOnBackend(), RecordReplicaCreated())
    return flow


def delete_replica_flow():
    flow = linear_flow.Flow('delete_share_replica')
    flow.add(DeleteReplicaOnBackend(), ForgetReplica())
    return flow


def promote_replica_flow():
    flow = linear_flow.Flow('promote_share_replica')
    flow.add(PromoteOnBackend(), RecordPromotion())
    return flow


def resync_replica_flow():
    flow = linear_flow.Flow('resync_share_replica')
    flow.add(UpdateReplicaState(), RecordReplicaState(),
             snapshot_poll.PollReplicaSnapshots())
    return flow
