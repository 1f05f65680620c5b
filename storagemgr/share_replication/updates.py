"""The one place replication driver returns are checked and applied.

Each ``check_*`` validates one driver method's return and gives back plain,
JSON-able values (flows persist them); each ``apply_*`` writes them under
the rules of doc/source/admin/share-replication-rules.rst, whose row ids
(R1, R2...) the comments cite. Every write is guarded by the status the
row must still be in, so a result never overwrites a later change.
"""

from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db import bulk as db_bulk
from storagemgr.db import session as db_session
from storagemgr.driver_returns import ReturnChecker
from storagemgr.flows import common
from storagemgr.message import api as message_api
from storagemgr.scheduler import capacity
from storagemgr.share import model_updates
from storagemgr.share import private_storage
from storagemgr.share import records as share_records
from storagemgr.share_replication import constants
from storagemgr.share_replication import records

LOG = logging.getLogger(__name__)

Instance = records.Instance
SnapshotInstance = records.SnapshotInstance
RuleState = share_records.RuleState

_REPLICA_KEYS = ('export_locations', 'replica_state', 'access_rules_status')
_PROMOTED_KEYS = _REPLICA_KEYS
_SNAPSHOT_KEYS = ('status', 'provider_location', 'progress',
                  'export_locations')
_ACCESS_RULES_STATUSES = frozenset(['active', 'error', 'syncing',
                                    'out_of_sync'])


# -- checks -----------------------------------------------------------------

def _replica_update(checker, value, what):
    update = model_updates.known_keys(
        checker, checker.dict_or_none(value, what), _REPLICA_KEYS)
    if 'export_locations' in update:
        update['export_locations'] = model_updates.check_export_locations(
            checker, update['export_locations'],
            what + "['export_locations']")
    if update.get('replica_state') is not None:
        checker.status(update['replica_state'], constants.REPORTED_STATES,
                       what + "['replica_state']")
    if update.get('access_rules_status') is not None:
        checker.status(update['access_rules_status'],
                       _ACCESS_RULES_STATUSES,
                       what + "['access_rules_status']")
    return update


def check_create_replica(driver, value, replication_type=None):
    """``create_replica``: None or a replica update (R1-R4).

    Only a ``writable`` share's new replica may be reported ``active``:
    any other would make two active replicas.
    """
    checker = ReturnChecker(driver, 'create_replica')
    update = _replica_update(checker, value, 'the replica update')
    if (update.get('replica_state') == constants.ACTIVE and
            replication_type != constants.WRITABLE):
        raise checker.fail(
            "replica_state 'active' for a new replica of a %s share "
            "(only writable replicas are all active)" % replication_type)
    return update


def check_promote(driver, value, replica_ids):
    """``promote_replica``: None or a list of replica updates (R10-R14).

    :returns: ``{replica id: update}``; ``{}`` for None.
    """
    checker = ReturnChecker(driver, 'promote_replica')
    entries = checker.list_or_none(value, 'the replica list')
    checked = {}
    for index, entry in enumerate(entries or ()):
        label = 'the replica list[%d]' % index
        checker.of_type(entry, dict, label)
        replica_id = checker.required_key(entry, 'id', label)
        if replica_id not in replica_ids:
            raise checker.fail('%s names %r, which is not a replica of '
                               'this share' % (label, replica_id))
        # Drivers echo whole replica dicts back: only these keys count.
        checked[replica_id] = _replica_update(
            checker, {k: v for k, v in entry.items()
                      if k in _PROMOTED_KEYS}, label)
    return checked


def check_replica_state(driver, value):
    """``update_replica_state``: a polled state, or None (R20-R22)."""
    checker = ReturnChecker(driver, 'update_replica_state')
    if value is None:
        return None
    checker.of_type(value, str, 'the replica state')
    return checker.status(value, constants.POLLED_STATES, 'the replica state')


def _snapshot_update(checker, value, what):
    update = model_updates.known_keys(checker, value, _SNAPSHOT_KEYS)
    if update.get('status') is not None:
        checker.status(update['status'],
                       constants.SNAPSHOT_REPORTED_STATUSES,
                       what + "['status']")
    if update.get('provider_location') is not None:
        checker.of_type(update['provider_location'], str,
                        what + "['provider_location']")
    if 'export_locations' in update:
        update['export_locations'] = model_updates.check_export_locations(
            checker, update['export_locations'],
            what + "['export_locations']")
    if 'progress' in update:
        update['progress'] = model_updates.check_progress(
            checker, update['progress'])
    return update


def check_snapshot_list(driver, method, value, instance_ids):
    """``create/delete_replicated_snapshot``: a list of instance updates.

    :returns: ``{snapshot instance id: update}`` (R30-R36).
    """
    checker = ReturnChecker(driver, method)
    entries = checker.entries_by_id(value, set(instance_ids),
                                    'the snapshot instance list') or {}
    return {instance_id: _snapshot_update(
        checker, update, 'the update of snapshot instance %s' % instance_id)
        for instance_id, update in entries.items()}


def check_snapshot_poll(driver, value):
    """``update_replicated_snapshot``: None or one instance update."""
    checker = ReturnChecker(driver, 'update_replicated_snapshot')
    update = checker.dict_or_none(value, 'the snapshot instance update')
    update.pop('id', None)
    return _snapshot_update(checker, update, 'the snapshot instance update')


# -- applying ---------------------------------------------------------------

def _write(model, row_id, values, expected, session):
    return db_api.conditional_update(
        model, row_id, values, expected={'status': list(expected)},
        session=session)


def apply_replica_created(replica_id, update):
    """R1-R4: locations, the reported state (else out_of_sync), rules."""
    values = {
        'status': constants.STATUS_AVAILABLE,
        'progress': '100%',
        'replica_state': update.get('replica_state') or
        constants.OUT_OF_SYNC,
        'access_rules_status': update.get('access_rules_status') or
        'active',
    }
    if update.get('export_locations') is not None:
        values['export_locations'] = update['export_locations']
    if update.get('provider_data'):
        values['provider_data'] = update['provider_data']
    if values['replica_state'] == constants.ERROR:
        values['status'] = constants.STATUS_ERROR  # R3
    with db_session.session_scope() as session:
        written = _write(Instance, replica_id, values,
                         [constants.STATUS_CREATING], session)
    if not written:
        LOG.warning('Share replica %s left creating while it was being '
                    'created; the driver\'s result was not recorded.',
                    replica_id)
    return written


def apply_promoted(share_id, promoted_id, updates, cast_old_active):
    """R10-R16: move the active flag and the rules; write each update.

    The old active replica keeps its rules' states (they move to the
    promoted replica, the one the share's rules are reported on); it
    becomes ``out_of_sync`` unless the driver said otherwise, and casts
    its rules to read-only for a readable share. Replicas absent from
    the return keep their state. The promoted replica is written last
    (the reference's fix for two replicas briefly reported active).
    """
    with db_session.session_scope() as session:
        old = share_records.active_instance(share_id, session=session)
        if old.id == promoted_id:
            return False
        written = db_api.conditional_update(
            Instance, promoted_id, {'active': True},
            expected={'status': [constants.STATUS_REPLICATION_CHANGE],
                      'active': False},
            session=session)
        if not written:
            LOG.warning('Share replica %s is no longer being promoted; '
                        'the driver\'s result was not recorded.',
                        promoted_id)
            return False
        db_api.update(Instance, old.id, {
            'active': False,
            'replica_state': constants.OUT_OF_SYNC,
            'cast_rules_to_readonly': cast_old_active}, session=session)
        session.execute(sa.update(RuleState).where(
            RuleState.share_instance_id == old.id).values(
            share_instance_id=promoted_id, updated_at=timeutils.utcnow()))
        ordered = sorted(updates.items(),
                         key=lambda item: item[0] == promoted_id)
        for replica_id, update in ordered:
            if replica_id == promoted_id:
                continue
            db_api.update(Instance, replica_id,
                          _promote_values(update), session=session)
        # R18: the promoted replica's snapshot instances still being
        # created or deleted have nobody to finish them (the poll asks
        # secondaries only).
        db_bulk.update_where(
            session, SnapshotInstance,
            {'status': constants.SNAPSHOT_ERROR},
            SnapshotInstance.share_instance_id == promoted_id,
            SnapshotInstance.status.in_(
                list(constants.SNAPSHOT_POLLED_STATUSES)))
        promoted = _promote_values(updates.get(promoted_id, {}))
        promoted.update(status=constants.STATUS_AVAILABLE,
                        replica_state=constants.ACTIVE,
                        cast_rules_to_readonly=False)
        db_api.update(Instance, promoted_id, promoted, session=session)
    return True


def _promote_values(update):
    values = {}
    if update.get('export_locations') is not None:
        values['export_locations'] = update['export_locations']
    if update.get('replica_state') is not None:
        values['replica_state'] = update['replica_state']
        if update['replica_state'] == constants.ERROR:
            values['status'] = constants.STATUS_ERROR  # R13
    if update.get('access_rules_status') is not None:
        values['access_rules_status'] = update['access_rules_status']
    return values


def promote_failed(share_id, replica_id, failures=None):
    """R15: a failed promote leaves every replica in ``error``.

    Replica states stay as they were: nobody knows which copy is current.
    The message is about the replica being promoted.
    """
    with db_session.session_scope() as session:
        session.execute(sa.update(Instance).where(
            Instance.share_id == share_id, records.is_replica(),
            Instance.id != replica_id).values(
            status=constants.STATUS_ERROR, updated_at=timeutils.utcnow()))
    common.error_out(Instance, replica_id, constants.STATUS_ERROR,
                     expected=[constants.STATUS_REPLICATION_CHANGE],
                     action='promote', failures=failures,
                     message_resource=(records.MESSAGE_RESOURCE,
                                       replica_id))


def apply_replica_state(replica_id, state, driver_name=None):
    """R20-R23: write a polled state; None changes nothing.

    ``error`` puts the replica in ``error`` with a message saying the
    driver reported it (R22); a replica that reports a state again after
    an ``error`` is available again (R23).
    """
    if state is None:
        return False
    status = (constants.STATUS_ERROR if state == constants.ERROR
              else constants.STATUS_AVAILABLE)
    with db_session.session_scope() as session:
        written = db_api.conditional_update(
            Instance, replica_id, {'replica_state': state, 'status': status},
            expected={'status': [constants.STATUS_AVAILABLE,
                                 constants.STATUS_ERROR],
                      'active': False},
            session=session)
    if written and state == constants.ERROR:
        message_api.record(
            records.MESSAGE_RESOURCE, replica_id, 'update',
            'the driver %s reported the replica in error '
            '(update_replica_state)' % (driver_name or 'of its backend'))
    return written


def replica_failed(replica_id, expected, action, failures=None,
                   status=constants.STATUS_ERROR,
                   replica_state=constants.ERROR, extra=None):
    """A replica's failure: status and replica state, and a message."""
    return common.error_out(
        Instance, replica_id, status, expected=list(expected),
        extra=dict(extra or {}, replica_state=replica_state),
        action=action, failures=failures,
        message_resource=(records.MESSAGE_RESOURCE, replica_id))


def _snapshot_values(update):
    values = {k: v for k, v in update.items() if v is not None or
              k == 'export_locations'}
    if values.get('status') == constants.SNAPSHOT_AVAILABLE:
        values['progress'] = '100%'
    return values


def apply_snapshot_updates(updates, expected):
    """R30-R36: write each instance's update; 'deleted' removes it.

    :returns: the ids of the instances removed.
    """
    removed = []
    with db_session.session_scope() as session:
        for instance_id, update in sorted(updates.items()):
            if update.get('status') == constants.STATUS_DELETED:
                session.execute(sa.delete(SnapshotInstance).where(
                    SnapshotInstance.id == instance_id,
                    SnapshotInstance.status.in_(list(expected))))
                removed.append(instance_id)
                continue
            values = _snapshot_values(update)
            if values:
                _write(SnapshotInstance, instance_id, values, expected,
                       session)
    return removed


def snapshot_instances_to(instance_ids, status, expected):
    """Every listed snapshot instance still in ``expected`` to ``status``."""
    if not instance_ids:
        return
    with db_session.session_scope() as session:
        session.execute(sa.update(SnapshotInstance).where(
            SnapshotInstance.id.in_(list(instance_ids)),
            SnapshotInstance.status.in_(list(expected))).values(
            status=status, updated_at=timeutils.utcnow()))


def forget_snapshot_if_empty(snapshot_id):
    """Delete a snapshot row once none of its instances is left."""
    with db_session.session_scope() as session:
        left = session.scalar(sa.select(sa.func.count()).select_from(
            SnapshotInstance).where(
            SnapshotInstance.snapshot_id == snapshot_id))
        if left:
            return False
    model_updates.forget_snapshot(snapshot_id)
    return True


def forget_replica(replica_id):
    """Delete a replica, its snapshot instances and drivers' data on them."""
    with db_session.session_scope() as session:
        snapshot_instance_ids = list(session.scalars(
            sa.select(SnapshotInstance.id).where(
                SnapshotInstance.share_instance_id == replica_id)))
        private_storage.delete_entities(
            [replica_id] + snapshot_instance_ids, session=session)
        session.execute(sa.delete(SnapshotInstance).where(
            SnapshotInstance.share_instance_id == replica_id))
        session.execute(sa.delete(RuleState).where(
            RuleState.share_instance_id == replica_id))
        replica = db_api.get(Instance, replica_id, session=session)
        share = share_records.get_share(replica.share_id, session=session)
        capacity.release(session, replica.host, share.size)
        session.execute(sa.delete(Instance).where(
            Instance.id == replica_id))


def secondaries_to_state(share_id, replica_state):
    """Every available secondary of the share to ``replica_state``."""
    with db_session.session_scope() as session:
        session.execute(sa.update(Instance).where(
            Instance.share_id == share_id, records.is_replica(),
            Instance.active.is_(False),
            Instance.status == constants.STATUS_AVAILABLE).values(
            replica_state=replica_state, updated_at=timeutils.utcnow()))
