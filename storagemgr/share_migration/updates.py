"""Validate and apply what migration steps return: the one place for it.

Checks (run right after the driver call, before anything is persisted):

* ``migration_check_compatibility``: a dict; the five booleans
  ``compatible``, ``writable``, ``preserve_metadata``, ``nondisruptive``
  and ``preserve_snapshots`` (a missing one is False).
* ``migration_continue``: a boolean ("phase 1 is done").
* ``migration_get_progress``: ``{'total_progress': 0..100}``.
* ``migration_complete``: None or ``{'export_locations': [...],
  'snapshot_updates': {destination snapshot instance id:
  {'provider_location', 'export_locations'}}}``; a snapshot update naming
  an instance the migration did not create is refused.

Writes (each one transaction):

* ``unwind``: a migration that failed or was cancelled. The destination's
  rows go (its snapshot instances, rule states, the instance; its pool's
  count), the source instance and its snapshots are ``available`` again,
  and the share's task state becomes ``migration_error`` or
  ``migration_cancelled``, with a user message for an error.
* ``cut_over``: the destination becomes the active instance, in
  ``available``, with the export locations and snapshot updates the
  driver gave; the source instance is inactive and ``deleting`` (its
  backend copy is removed next), the rules' states move to the
  destination, the share takes its new type, and the task state becomes
  ``migration_success``.
* ``forget_source``: the source instance's rows, after its backend copy
  is gone.
"""

import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db.models import share as share_models
from storagemgr.db import session as db_session
from storagemgr.driver_returns import ReturnChecker
from storagemgr.message import api as message_api
from storagemgr.scheduler import capacity
from storagemgr.share import constants as share_constants
from storagemgr.share import model_updates
from storagemgr.share import private_storage
from storagemgr.share import records as share_records
from storagemgr.share_migration import constants
from storagemgr.share_migration import records

Instance = share_models.ShareInstance
SnapshotInstance = share_models.ShareSnapshotInstance
RuleState = share_models.ShareInstanceAccessRule

COMPATIBILITY_KEYS = ('compatible', 'writable', 'preserve_metadata',
                      'nondisruptive', 'preserve_snapshots')
_COMPLETE_KEYS = ('export_locations', 'snapshot_updates')
_SNAPSHOT_UPDATE_KEYS = ('provider_location', 'export_locations')


# -- checks -----------------------------------------------------------------

def check_compatibility(driver, value):
    checker = ReturnChecker(driver, 'migration_check_compatibility')
    checker.of_type(value, dict)
    answer = {}
    for key in COMPATIBILITY_KEYS:
        answer[key] = checker.of_type(value.get(key, False), bool, key)
    return answer


def check_continue(driver, value):
    checker = ReturnChecker(driver, 'migration_continue')
    return checker.of_type(value, bool)


def check_progress(driver, value):
    checker = ReturnChecker(driver, 'migration_get_progress')
    checker.of_type(value, dict)
    progress = checker.required_key(value, 'total_progress')
    if isinstance(progress, str) and progress.strip().rstrip('%').isdigit():
        progress = int(progress.strip().rstrip('%'))
    checker.non_negative_int(progress, 'total_progress')
    if progress > 100:
        raise checker.fail('total_progress %d is more than 100' % progress)
    return progress


def check_complete(driver, value, destination_snapshot_ids):
    """``{'export_locations': list or None, 'snapshot_updates': {...}}``."""
    checker = ReturnChecker(driver, 'migration_complete')
    update = model_updates.known_keys(checker, checker.dict_or_none(value),
                                      _COMPLETE_KEYS)
    update.pop('provider_data', None)  # nowhere to keep them: the share's
    locations = model_updates.check_export_locations(
        checker, update.get('export_locations'))
    snapshots = {}
    raw = checker.dict_or_none(update.get('snapshot_updates'),
                               'snapshot_updates')
    for snapshot_id, entry in raw.items():
        if snapshot_id not in destination_snapshot_ids:
            raise checker.fail(
                'snapshot_updates names %r, which is not one of the '
                'destination snapshots it was given' % snapshot_id)
        what = 'snapshot_updates[%s]' % snapshot_id
        entry = model_updates.known_keys(
            checker, checker.dict_or_none(entry, what),
            _SNAPSHOT_UPDATE_KEYS)
        if entry.get('provider_location') is not None:
            checker.of_type(entry['provider_location'], str,
                            what + '.provider_location')
        if 'export_locations' in entry:
            entry['export_locations'] = model_updates.check_export_locations(
                checker, entry['export_locations'],
                what + '.export_locations')
        snapshots[snapshot_id] = entry
    return {'export_locations': locations, 'snapshot_updates': snapshots}


# -- writes -----------------------------------------------------------------

def _snapshot_instances(session, instance_id):
    return list(session.scalars(sa.select(SnapshotInstance).where(
        SnapshotInstance.share_instance_id == instance_id)))


def map_snapshots(migration_id):
    """Give the destination one snapshot instance per source one.

    Source snapshot instances become ``migrating``, the new ones
    ``migrating_to``; returns ``{source snapshot instance id: destination
    snapshot instance id}``. Run again (a resumed flow), it returns the
    mapping it made.
    """
    with db_session.session_scope() as session:
        migration = records.get(migration_id, session=session)
        existing = {row.snapshot_id: row.id for row in _snapshot_instances(
            session, migration.destination_instance_id)}
        mapping = {}
        for source in _snapshot_instances(session,
                                          migration.source_instance_id):
            if source.snapshot_id not in existing:
                created = db_api.create(SnapshotInstance, {
                    'snapshot_id': source.snapshot_id,
                    'share_instance_id': migration.destination_instance_id,
                    'status': share_constants.STATUS_MIGRATING_TO,
                    'progress': '0%'}, session=session)
                existing[source.snapshot_id] = created.id
                db_api.update(SnapshotInstance, source.id,
                              {'status': share_constants.STATUS_MIGRATING},
                              session=session)
            mapping[source.id] = existing[source.snapshot_id]
        return mapping


def _drop_instance(session, instance_id, host, size):
    session.execute(sa.delete(RuleState).where(
        RuleState.share_instance_id == instance_id))
    session.execute(sa.delete(SnapshotInstance).where(
        SnapshotInstance.share_instance_id == instance_id))
    db_api.delete(Instance, instance_id, session=session)
    capacity.release(session, host, size)
    private_storage.delete_entities([instance_id], session=session)


def unwind(share_id, migration_id, final_state, detail=None,
           failures=None):
    """Undo a migration's rows; the share is back on its source.

    Idempotent: run again after a crash it finds nothing left to undo and
    moves the task state only if it has not moved yet.
    """
    with db_session.session_scope() as session:
        migration = records.get(migration_id, session=session)
        share = db_api.get(share_models.Share, share_id, session=session)
        destination = session.get(Instance,
                                  migration.destination_instance_id)
        if destination is not None and not destination.active:
            _drop_instance(session, destination.id, destination.host,
                           share.size)
        session.execute(sa.update(SnapshotInstance).where(
            SnapshotInstance.share_instance_id ==
            migration.source_instance_id,
            SnapshotInstance.status == share_constants.STATUS_MIGRATING
        ).values(status=share_constants.STATUS_AVAILABLE))
        db_api.conditional_update(
            Instance, migration.source_instance_id,
            {'status': share_constants.STATUS_AVAILABLE},
            expected={'status': [share_constants.STATUS_MIGRATING]},
            session=session)
        reason = detail or (message_api.reason(flow_failures=failures)
                            if failures else None)
        if reason and migration.detail and share.task_state == final_state:
            # An abort recorded why it failed; this is its clean-up's.
            reason = '%s; cleaning up failed too: %s' % (
                migration.detail, reason)
        if reason:
            records.update(migration_id, {'detail': reason},
                           session=session)
        moved = db_api.conditional_update(
            share_models.Share, share_id, {'task_state': final_state},
            expected={'task_state': list(
                constants.TRANSITIONS[final_state])}, session=session)
    if moved and final_state == constants.ERROR:
        message_api.record(message_api.SHARE, share_id, 'migrate',
                           reason or 'the migration failed')
    return moved


def record_destination_created(instance_id, export_locations):
    """The destination share exists on its backend (host-assisted)."""
    db_api.conditional_update(
        Instance, instance_id,
        {'export_locations': export_locations or []},
        expected={'status': [share_constants.STATUS_MIGRATING_TO]})


def cut_over(share_id, migration_id, export_locations=None,
             snapshot_updates=None):
    """The destination becomes the share's active instance.

    Guarded by the task state (``migration_completing``): run twice (a
    resumed flow) it changes nothing the second time.
    """
    snapshot_updates = snapshot_updates or {}
    with db_session.session_scope() as session:
        migration = records.get(migration_id, session=session)
        share = db_api.get(share_models.Share, share_id, session=session)
        share_values = {}
        if migration.new_share_type_id:
            share_values['share_type_id'] = migration.new_share_type_id
        try:
            records.advance(share_id, constants.SUCCESS, session=session,
                            extra=share_values)
        except Exception:
            if records.task_state(share_id, session) == constants.SUCCESS:
                return False
            raise
        source_id = migration.source_instance_id
        destination_id = migration.destination_instance_id
        source = db_api.get(Instance, source_id, session=session)
        values = {'status': share_constants.STATUS_AVAILABLE,
                  'active': True, 'progress': '100%'}
        if export_locations:
            values['export_locations'] = export_locations
        db_api.update(Instance, source_id,
                      {'status': share_constants.STATUS_DELETING,
                       'active': False}, session=session)
        db_api.update(Instance, destination_id, values, session=session)
        # The rules' states move to the destination: the rules were
        # applied there before the cut-over.
        session.execute(sa.update(RuleState).where(
            RuleState.share_instance_id == source_id).values(
            share_instance_id=destination_id))
        for row in _snapshot_instances(session, destination_id):
            update = dict(snapshot_updates.get(row.id) or {})
            update.pop('provider_data', None)
            update.update(status=share_constants.STATUS_AVAILABLE,
                          progress='100%')
            db_api.update(SnapshotInstance, row.id, update, session=session)
        session.execute(sa.delete(SnapshotInstance).where(
            SnapshotInstance.share_instance_id == source_id))
        capacity.release(session, source.host, share.size)
    return True


def forget_source(migration_id):
    """Drop the old source instance's rows once its data is gone."""
    with db_session.session_scope() as session:
        migration = records.get(migration_id, session=session)
        source = session.get(Instance, migration.source_instance_id)
        if source is None or source.active:
            return
        session.execute(sa.delete(RuleState).where(
            RuleState.share_instance_id == source.id))
        db_api.delete(Instance, source.id, session=session)
        private_storage.delete_entities([source.id], session=session)


def source_removal_failed(migration_id, detail):
    """The share moved, but its old copy could not be removed."""
    with db_session.session_scope() as session:
        migration = records.get(migration_id, session=session)
        db_api.conditional_update(
            Instance, migration.source_instance_id,
            {'status': share_constants.STATUS_ERROR_DELETING},
            expected={'status': [share_constants.STATUS_DELETING]},
            session=session)
        records.update(migration_id, {'detail': detail}, session=session)
    message_api.record(message_api.SHARE, migration.share_id, 'migrate',
                       'moved, but the old copy could not be removed: %s'
                       % detail)


def rules_failed_on_destination(share_id, detail):
    """The moved share's backend refused its rules: they are in error."""
    with db_session.session_scope() as session:
        instance = share_records.active_instance(share_id, session=session)
        session.execute(sa.update(RuleState).where(
            RuleState.share_instance_id == instance.id).values(
            state=share_constants.ACCESS_STATE_ERROR))
    message_api.record(message_api.SHARE, share_id, 'migrate',
                       'moved, but its access rules could not be applied '
                       'at the destination: %s' % detail)
