"""Validate and apply what share drivers return: the one place for it.

Each driver method's return has a ``check_*`` function, run right after
the call, which turns the value into plain JSON-able data or raises
``InvalidDriverReturn`` naming the driver and the method; and an
``apply_*`` function that writes the checked value to the database with a
conditional update (the row must still be in the transitional status the
operation set). The rules are those of the reference share manager (see
doc/source/admin/shares.rst):

* ``create_share`` returns export locations only; the share becomes
  ``available``.
* ``create_share_from_snapshot`` returns export locations (done) or a dict
  whose ``status`` is mandatory and is ``available`` or
  ``creating_from_snapshot``; the latter is finished by polling
  ``get_share_status``, which may also answer ``error``.
* ``create_snapshot`` returns None or a dict; a missing or ``available``
  status makes the snapshot ``available``; ``provider_location``, ``size``
  and ``export_locations`` are kept.
* ``update_access`` returns None or ``{rule_id: {state, access_key}}``.
* ``manage_existing`` must return ``size``; ``manage_existing_snapshot``
  falls back to the share's size.
* ``ensure_shares`` returns None or ``{share_id: {export_locations,
  status}}``; ``ensure_share`` returns None or export locations.
"""

from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db.models import share as models
from storagemgr.db.models import share_migration as migration_models
from storagemgr.db import session as db_session
from storagemgr.driver_returns import ReturnChecker
from storagemgr.scheduler import capacity
from storagemgr.share import constants
from storagemgr.share import private_storage
from storagemgr.share import records

LOG = logging.getLogger(__name__)

_SNAPSHOT_KEYS = ('status', 'provider_location', 'size', 'export_locations',
                  'progress')
_MANAGE_SHARE_KEYS = ('size', 'export_locations', 'metadata')
_ACCESS_KEYS = ('state', 'access_key')


# -- checks -----------------------------------------------------------------

def check_export_locations(checker, value, what='export locations'):
    """A list of ``{path, is_admin_only, metadata}`` (strings accepted).

    :returns: the normalised list, or None when the driver gave None.
    """
    value = checker.list_or_none(value, what)
    if value is None:
        return None
    locations = []
    for index, item in enumerate(value):
        label = '%s[%d]' % (what, index)
        if isinstance(item, str):
            item = {'path': item}
        checker.of_type(item, dict, label)
        path = checker.required_key(item, 'path', label)
        checker.of_type(path, str, label + "['path']")
        if not path.strip():
            raise checker.fail('%s has an empty path' % label)
        admin_only = item.get('is_admin_only', False)
        checker.of_type(admin_only, bool, label + "['is_admin_only']")
        metadata = item.get('metadata')
        if metadata is None:
            metadata = {}
        checker.of_type(metadata, dict, label + "['metadata']")
        locations.append({'path': path, 'is_admin_only': admin_only,
                          'metadata': dict(metadata)})
    return locations


def check_progress(checker, value):
    if value is None:
        return None
    checker.of_type(value, (str, int), 'progress')
    return str(value) if not isinstance(value, str) else value


def known_keys(checker, update, allowed):
    """The keys of ``update`` the operation uses, plus ``provider_data``.

    Known provider keys (``driver_returns.PROVIDER_KEYS``) the operation
    does not use are kept under ``provider_data``, to be stored on the
    instance; other keys are ignored with one warning per driver and key.
    """
    used, provider = checker.split_keys(update, allowed)
    if provider:
        used['provider_data'] = provider
    return used


def check_create_share(driver, value):
    """``create_share``: export locations; returns the normalised list."""
    checker = ReturnChecker(driver, 'create_share')
    return check_export_locations(checker, value) or []


def check_create_share_from_snapshot(driver, value):
    """``create_share_from_snapshot``: a list, or a dict with a status.

    :returns: ``{'status', 'export_locations', 'progress'}``.
    """
    checker = ReturnChecker(driver, 'create_share_from_snapshot')
    if isinstance(value, (list, tuple)):
        return {'status': constants.STATUS_AVAILABLE,
                'export_locations': check_export_locations(checker, value),
                'progress': '100%'}
    checker.of_type(value, dict, 'the return value')
    status = checker.required_key(value, 'status')
    checker.status(status, constants.CREATE_FROM_SNAPSHOT_STATUSES)
    return _share_progress_update(checker, value, status)


def check_share_status(driver, value):
    """``get_share_status``: ``{status, export_locations?, progress?}``."""
    checker = ReturnChecker(driver, 'get_share_status')
    checker.of_type(value, dict, 'the return value')
    status = checker.required_key(value, 'status')
    checker.status(status, constants.SHARE_POLL_STATUSES)
    return _share_progress_update(checker, value, status)


def _share_progress_update(checker, value, status):
    if status == constants.STATUS_AVAILABLE:
        progress = '100%'
    elif status == constants.STATUS_ERROR:
        progress = None
    else:
        progress = check_progress(checker, value.get('progress')) or '0%'
    return {'status': status,
            'export_locations': check_export_locations(
                checker, value.get('export_locations')),
            'progress': progress}


def check_snapshot_update(driver, value, method='create_snapshot'):
    """``create_snapshot``: None or a dict of snapshot updates."""
    checker = ReturnChecker(driver, method)
    update = known_keys(checker, checker.dict_or_none(value),
                        _SNAPSHOT_KEYS)
    status = update.get('status') or constants.STATUS_AVAILABLE
    update['status'] = checker.status(status,
                                      constants.SNAPSHOT_CREATE_STATUSES)
    if update.get('provider_location') is not None:
        checker.of_type(update['provider_location'], str,
                        'provider_location')
    if update.get('size') is not None:
        checker.non_negative_int(update['size'], 'size')
    if 'export_locations' in update:
        update['export_locations'] = check_export_locations(
            checker, update['export_locations'])
    update['progress'] = ('100%' if update['status'] ==
                          constants.STATUS_AVAILABLE else
                          check_progress(checker, update.get('progress')))
    return update


def check_access_updates(driver, value, rule_ids, method='update_access'):
    """``update_access``: None or ``{rule_id: {state, access_key}}``.

    Ids the manager did not send are ignored (with a warning): the driver
    cannot create rules.
    """
    checker = ReturnChecker(driver, method)
    updates = checker.dict_or_none(value, 'the access rule updates')
    checked = {}
    for rule_id, update in updates.items():
        label = 'the update of access rule %s' % rule_id
        checker.of_type(update, dict, label)
        update = known_keys(checker, update, _ACCESS_KEYS)
        if 'state' in update:
            checker.status(update['state'], constants.ACCESS_DRIVER_STATES,
                           'state of access rule %s' % rule_id)
        if update.get('access_key') is not None:
            checker.of_type(update['access_key'], str,
                            'access_key of rule %s' % rule_id)
        if rule_id not in rule_ids:
            LOG.warning('Driver %(driver)s returned an update for unknown '
                        'access rule %(rule)s; ignored.',
                        {'driver': checker.driver_name, 'rule': rule_id})
            continue
        checked[rule_id] = update
    return checked


def check_manage_share(driver, value, method='manage_existing'):
    """``manage_existing``: a dict whose ``size`` is required."""
    checker = ReturnChecker(driver, method)
    update = checker.dict_or_none(value)
    checker.required_key(update, 'size')
    update = known_keys(checker, update, _MANAGE_SHARE_KEYS)
    checker.non_negative_int(update['size'], 'size')
    if 'export_locations' in update:
        update['export_locations'] = check_export_locations(
            checker, update['export_locations'])
    if update.get('metadata') is not None:
        checker.of_type(update['metadata'], dict, 'metadata')
    return update


def check_manage_snapshot(driver, value, share_size,
                          method='manage_existing_snapshot'):
    """``manage_existing_snapshot``: a dict; size defaults to the share's."""
    checker = ReturnChecker(driver, method)
    update = known_keys(checker, checker.dict_or_none(value),
                        _SNAPSHOT_KEYS)
    if update.get('size') is None:
        LOG.warning('Driver %s did not report the size of a managed '
                    'snapshot; using its share\'s size.',
                    checker.driver_name)
        update['size'] = share_size
    checker.non_negative_int(update['size'], 'size')
    if update.get('provider_location') is not None:
        checker.of_type(update['provider_location'], str,
                        'provider_location')
    if 'export_locations' in update:
        update['export_locations'] = check_export_locations(
            checker, update['export_locations'])
    update.pop('status', None)
    update.pop('progress', None)
    return update


def check_ensure_shares(driver, value, share_ids):
    """``ensure_shares``: None or {share_id: {export_locations, status}}."""
    checker = ReturnChecker(driver, 'ensure_shares')
    updates = checker.dict_or_none(value, 'the share updates')
    checked = {}
    for share_id, update in updates.items():
        label = 'the update of share %s' % share_id
        checker.of_type(update, dict, label)
        update = known_keys(checker, update,
                            ('export_locations', 'status',
                             'reapply_access_rules'))
        entry = {}
        if update.get('status') is not None:
            entry['status'] = checker.status(
                update['status'], constants.ENSURE_STATUSES,
                'status of share %s' % share_id)
        if update.get('export_locations') is not None:
            entry['export_locations'] = check_export_locations(
                checker, update['export_locations'])
        if share_id in share_ids:
            checked[share_id] = entry
    return checked


def check_ensure_share(driver, value):
    """``ensure_share``: None or the share's export locations."""
    checker = ReturnChecker(driver, 'ensure_share')
    return check_export_locations(checker, value)


def check_stats(driver, value):
    """``get_share_stats``: a dict; ``pools`` a list of dicts or None."""
    checker = ReturnChecker(driver, 'get_share_stats')
    stats = checker.dict_or_none(value, 'the stats')
    pools = checker.list_or_none(stats.get('pools'), 'pools') or []
    for index, pool in enumerate(pools):
        checker.of_type(pool, dict, 'pools[%d]' % index)
    return stats


# -- applying ---------------------------------------------------------------

def _written(what, resource_id, written, expected_status):
    if not written:
        LOG.warning('%(what)s %(id)s left %(status)s while its operation '
                    'ran; the driver\'s result was not recorded.',
                    {'what': what, 'id': resource_id,
                     'status': expected_status})
    return written


def _write_instance(what, instance, parent_model, parent_id, values,
                    expected_status, parent_values=None, on_written=None):
    """Write an instance's ``values`` if it is still in a status.

    ``instance(session)`` finds the instance row; ``expected_status``
    guards it; ``parent_values`` then go on the share or snapshot, and
    ``on_written(session, the instance's host before the write, parent)``
    runs first (it sees the parent's values before the change), in the
    same transaction. Only share instances have a host and a hook.
    """
    with db_session.session_scope() as session:
        row = instance(session)
        old_host = row.host if on_written is not None else None
        written = db_api.conditional_update(
            type(row), row.id, values,
            expected={'status': list(expected_status)}, session=session)
        if written and on_written is not None:
            on_written(session, old_host,
                       db_api.get(parent_model, parent_id, session=session))
        if written and parent_values:
            db_api.update(parent_model, parent_id, parent_values,
                          session=session)
    return _written(what, parent_id, written, expected_status)


def _write_share(share_id, values, expected_status, share_values=None,
                 on_written=None):
    """``_write_instance`` for the share's active instance."""
    return _write_instance(
        'Share', lambda session: records.active_instance(
            share_id, session=session),
        models.Share, share_id, values, expected_status, share_values,
        on_written)


def _counting_new_size(new_size, growth_reserved=False):
    """An ``on_written`` that moves the pool's count to ``new_size``.

    ``growth_reserved``: a growth was counted already (an extend's claim
    reserves it), so only a shrink moves the count here.
    """
    def count(session, host, share):
        delta = new_size - (share.size or 0)
        capacity.adjust(session, host,
                        min(delta, 0) if growth_reserved else delta)
    return count


def _write_snapshot(snapshot_id, values, expected_status,
                    snapshot_values=None):
    """``_write_instance`` for the snapshot's instance."""
    return _write_instance(
        'Share snapshot', lambda session: records.snapshot_instance(
            snapshot_id, session=session),
        models.ShareSnapshot, snapshot_id, values, expected_status,
        snapshot_values)


def apply_share_created(share_id, update,
                        expected=(constants.STATUS_CREATING,)):
    """Record a create (or create-from-snapshot, or a poll) result.

    ``update`` is what one of the ``check_*`` functions returned for a
    share: ``status``, ``export_locations`` (None leaves them alone),
    ``progress`` and perhaps ``provider_data``.
    """
    values = {'status': update['status'], 'progress': update['progress']}
    if update.get('export_locations'):
        values['export_locations'] = update['export_locations']
    if update.get('provider_data'):
        values['provider_data'] = update['provider_data']
    return _write_share(share_id, values, expected)


def apply_share_resized(share_id, new_size, expected_status):
    """The share has its new size; its pool's count follows.

    An extend's growth was counted by its claim; a shrink's is given back
    here.
    """
    return _write_share(share_id, {'status': constants.STATUS_AVAILABLE},
                        [expected_status], share_values={'size': new_size},
                        on_written=_counting_new_size(
                            new_size, growth_reserved=True))


def release_extend(share_id, new_size):
    """Give back what a failed extend's claim counted on the pool."""
    with db_session.session_scope() as session:
        share = records.get_share(share_id, session=session)
        instance = records.active_instance(share_id, session=session)
        capacity.release(session, instance.host, new_size - share.size)


def _split_snapshot_update(update):
    """Instance values and snapshot values of a checked snapshot update."""
    values = {k: v for k, v in update.items()
              if k not in ('size', 'progress')}
    if 'progress' in update:
        values['progress'] = update['progress']
    snapshot_values = ({'size': update['size']}
                       if update.get('size') is not None else None)
    return values, snapshot_values


def apply_snapshot_created(snapshot_id, update,
                           expected=(constants.STATUS_CREATING,)):
    values, snapshot_values = _split_snapshot_update(update)
    return _write_snapshot(snapshot_id, values, list(expected),
                           snapshot_values)


def apply_share_managed(share_id, update):
    values = {'status': constants.STATUS_AVAILABLE, 'progress': '100%'}
    if update.get('export_locations'):
        # The driver's list replaces what the user gave.
        values['export_locations'] = update['export_locations']
    if update.get('provider_data'):
        values['provider_data'] = update['provider_data']
    share_values = {'size': update['size']}
    if update.get('metadata'):
        share_values['share_metadata'] = update['metadata']
    return _write_share(share_id, values, [constants.STATUS_MANAGING],
                        share_values, _counting_new_size(update['size']))


def apply_snapshot_managed(snapshot_id, update):
    values, snapshot_values = _split_snapshot_update(update)
    values.update(status=constants.STATUS_AVAILABLE, progress='100%')
    return _write_snapshot(snapshot_id, values, [constants.STATUS_MANAGING],
                           snapshot_values)


def _rule_state_row(session, instance_id, rule_id):
    return db_api.get_by(models.ShareInstanceAccessRule, session=session,
                         share_instance_id=instance_id, access_id=rule_id)


def _set_rule_state(session, instance_id, rule_id, values, expected):
    """Conditionally write a rule's state (and key) on one instance."""
    state_values = {k: v for k, v in values.items() if k == 'state'}
    row = _rule_state_row(session, instance_id, rule_id)
    if row is None:
        return False
    written = (not state_values) or db_api.conditional_update(
        models.ShareInstanceAccessRule, row.id, state_values,
        expected={'state': list(expected)}, session=session)
    if written and values.get('access_key') is not None:
        db_api.update(models.ShareAccessRule, rule_id,
                      {'access_key': values['access_key']}, session=session)
    return written


def forget_rule(session, instance_id, rule_id):
    """Remove a rule from an instance; the rule goes with its last one."""
    row = _rule_state_row(session, instance_id, rule_id)
    if row is not None:
        db_api.delete(models.ShareInstanceAccessRule, row.id,
                      session=session)
    if not db_api.count(models.ShareInstanceAccessRule, session=session,
                        access_id=rule_id):
        db_api.delete(models.ShareAccessRule, rule_id, session=session)


def apply_access_updates(share_id, updates, applied_ids, denied_ids):
    """Settle the rules an access flow handled on the active instance.

    Rules being applied become ``active`` unless the driver said
    otherwise; rules being denied are removed unless the driver put them
    in ``error``. ``updates`` may also touch other rules of the share.
    """
    with db_session.session_scope() as session:
        instance_id = records.active_instance(share_id, session=session).id
        for rule_id in applied_ids:
            values = {'state': constants.ACCESS_STATE_ACTIVE}
            values.update(updates.get(rule_id) or {})
            _set_rule_state(session, instance_id, rule_id, values,
                            [constants.ACCESS_STATE_APPLYING])
        for rule_id in denied_ids:
            if (updates.get(rule_id) or {}).get('state') == \
                    constants.ACCESS_STATE_ERROR:
                _set_rule_state(session, instance_id, rule_id,
                                {'state': constants.ACCESS_STATE_ERROR},
                                [constants.ACCESS_STATE_DENYING])
            else:
                forget_rule(session, instance_id, rule_id)
        handled = set(applied_ids) | set(denied_ids)
        for rule_id, update in updates.items():
            if rule_id not in handled and update:
                _set_rule_state(session, instance_id, rule_id, update,
                                [constants.ACCESS_STATE_ACTIVE,
                                 constants.ACCESS_STATE_ERROR])


def apply_ensure_update(share_id, update):
    """Record what ensure_shares or ensure_share said about a share."""
    values = {}
    if update.get('export_locations'):
        values['export_locations'] = update['export_locations']
    if update.get('status'):
        values['status'] = update['status']
    if update.get('host'):
        values['host'] = update['host']
    if not values:
        return False

    def move_count(session, old_host, share):
        if values.get('host', old_host) != old_host:
            capacity.adjust(session, old_host, -(share.size or 0))
            capacity.adjust(session, values['host'], share.size or 0)
    return _write_share(share_id, values,
                        [constants.STATUS_AVAILABLE, constants.STATUS_ERROR],
                        on_written=move_count)


def apply_share_reverted(share_id, snapshot_id):
    """The share took its snapshot's size; both are available again."""
    with db_session.session_scope() as session:
        snapshot = records.get_snapshot(snapshot_id, session=session)
        share = records.get_share(share_id, session=session)
        size = snapshot.size if snapshot.size is not None else share.size
        instance = records.active_instance(share_id, session=session)
        if db_api.conditional_update(
                models.ShareInstance, instance.id,
                {'status': constants.STATUS_AVAILABLE},
                expected={'status': [constants.STATUS_REVERTING]},
                session=session):
            capacity.adjust(session, instance.host, size - share.size)
            db_api.update(models.Share, share_id, {'size': size},
                          session=session)
        db_api.conditional_update(
            models.ShareSnapshotInstance,
            records.snapshot_instance(snapshot_id, session=session).id,
            {'status': constants.STATUS_AVAILABLE},
            expected={'status': [constants.STATUS_RESTORING]},
            session=session)


def forget_share(share_id, keep_private_data=False):
    """Delete a share's rows, in one transaction.

    Its access rules and their per-instance states, its instances, the
    record of its migrations, the share; and, unless
    ``keep_private_data`` (an abandoned share), what drivers stored about
    its instances.
    """
    instances = models.ShareInstance
    with db_session.session_scope() as session:
        placed = session.execute(
            sa.select(instances.id, instances.host).where(
                instances.share_id == share_id)).all()
        instance_ids = [instance_id for instance_id, _ in placed]
        size = records.get_share(share_id, session=session).size
        for _, host in placed:
            capacity.release(session, host, size)
        rule_ids = sa.select(models.ShareAccessRule.id).where(
            models.ShareAccessRule.share_id == share_id)
        session.execute(sa.delete(models.ShareInstanceAccessRule).where(
            models.ShareInstanceAccessRule.access_id.in_(rule_ids)))
        session.execute(sa.delete(models.ShareAccessRule).where(
            models.ShareAccessRule.share_id == share_id))
        session.execute(sa.delete(instances).where(
            instances.share_id == share_id))
        session.execute(sa.delete(migration_models.ShareMigration).where(
            migration_models.ShareMigration.share_id == share_id))
        db_api.delete(models.Share, share_id, session=session)
        if not keep_private_data:
            private_storage.delete_entities(instance_ids + [share_id],
                                            session=session)


def forget_snapshot(snapshot_id, keep_private_data=False):
    """Delete a snapshot, its instances and (unless kept) their data."""
    instances = models.ShareSnapshotInstance
    with db_session.session_scope() as session:
        instance_ids = list(session.scalars(
            sa.select(instances.id).where(
                instances.snapshot_id == snapshot_id)))
        session.execute(sa.delete(instances).where(
            instances.snapshot_id == snapshot_id))
        db_api.delete(models.ShareSnapshot, snapshot_id, session=session)
        if not keep_private_data:
            private_storage.delete_entities(instance_ids + [snapshot_id],
                                            session=session)


def move_rules(share_id, moves):
    """Move rules from one state to another on the active instance.

    ``moves`` pairs a list of rule ids with ``(from_state, to_state)``; a
    rule in another state stays as it is.
    """
    with db_session.session_scope() as session:
        instance_id = records.active_instance(share_id, session=session).id
        for rule_ids, (queued, moving) in moves:
            for rule_id in rule_ids:
                _set_rule_state(session, instance_id, rule_id,
                                {'state': moving}, [queued])


def rules_in_transition_to_error(share_id):
    """Every rule of the share in transition goes to ``error``."""
    states = models.ShareInstanceAccessRule
    with db_session.session_scope() as session:
        instance_id = records.active_instance(share_id, session=session).id
        session.execute(sa.update(states).where(
            states.share_instance_id == instance_id,
            states.state.in_(sorted(constants.ACCESS_TRANSITIONAL_STATES))
        ).values(state=constants.ACCESS_STATE_ERROR,
                 updated_at=timeutils.utcnow()))
