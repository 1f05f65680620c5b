"""How the manager applies what a consistency group driver returns.

One function per driver method, named after the contract it applies. Each
takes what the driver returned (or the exception it raised) and decides,
without touching the database, what every record becomes. The result is
an *outcome*, a plain JSON dict that a flow stores and
``write_group_outcome`` writes::

    {'failed': bool, 'reason': str or None,
     'group': {'status': ..., ...},          # 'deleted': remove the row
     'members': {id: {'status': ..., ...}},  # 'deleted': remove the row
     'add': [volume ids], 'remove': [volume ids]}   # update only

The rules follow the interface text and the reference manager (Cinder),
with these deliberate differences, each marked ``Beyond the reference`` in
``doc/source/admin/consistency-group-rules.rst``:

* every exception class counts as a driver failure, not only the
  project's own (the reference catches only CinderException on group
  snapshots);
* a malformed return (wrong type, entry without a known ``id``, unknown
  status) is a driver failure too, named in the reason. Keys beyond the
  ones an operation uses are not: known provider keys (``provider_id``,
  ``metadata``...) are stored on the row, as the reference stores every
  field it knows, and any other key is ignored with one warning per
  driver, method and key;
* create-from-source checks the statuses returned (the reference ignores
  them and marks everything available);
* an ``error`` entry fails create-from-source and update too, as it does
  delete and the group snapshot operations;
* no member is left in a transitional status: a member the driver said
  nothing about, in a failed operation, becomes ``error``.
"""

import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db import bulk
from storagemgr.db.models import volume as models
from storagemgr.db import session as db_session
from storagemgr import driver_returns
from storagemgr import exception
from storagemgr.volume import constants as c
from storagemgr.volume import volume_updates

_DELETED = 'deleted'


def _outcome(group_status, members, failed=False, reason=None,
             group_values=None, add=(), remove=()):
    group = dict(group_values or {})
    group['status'] = group_status
    return {'failed': failed, 'reason': reason, 'group': group,
            'members': members, 'add': list(add), 'remove': list(remove)}


def failed_outcome(members, reason):
    """A failed operation the driver was never asked to do."""
    return _outcome(c.GROUP_ERROR, members, True, reason)


def _describe(error):
    return '%s: %s' % (type(error).__name__, error)


def _check_values(checker, values, allowed_keys, statuses, what):
    """The row values of one update.

    Used keys are checked, provider keys stored, any other key ignored
    (one warning per driver, method and key).
    """
    values = volume_updates.split_update(checker, values, allowed_keys,
                                         what)
    if 'status' in values:
        checker.status(values['status'], statuses, what + ' status')
    if values.get('provider_location') is not None:
        checker.of_type(values['provider_location'], str,
                        what + ' provider_location')
    if 'size' in values:
        checker.non_negative_int(values['size'], what + ' size')
    return values


def _model_update(checker, value):
    model = checker.dict_or_none(value, 'model_update')
    return _check_values(checker, model, c.GROUP_UPDATE_KEYS,
                         c.GROUP_STATUSES, 'model_update')


def _entries(checker, value, member_ids, allowed_keys, statuses, what):
    """Validate an update list; return {member id: values} or None."""
    entries = checker.entries_by_id(value, member_ids, what)
    if entries is None:
        return None
    return {member_id: _check_values(checker, values, allowed_keys,
                                     statuses, '%s[%d]' % (what, index))
            for index, (member_id, values) in enumerate(entries.items())}


def _model_and_entries(checker, returned, member_ids, keys, statuses,
                       what):
    """Validate a ``(model_update, member updates)`` return."""
    model_value, entries_value = checker.values_tuple(returned, 2)
    return (_model_update(checker, model_value),
            _entries(checker, entries_value, set(member_ids), keys,
                     statuses, what))


def _read_pair(driver, method, member_ids, returned, error, keys, statuses,
               what):
    """Check a ``(model_update, member updates)`` return.

    :returns: ``(model, entries, None)`` with member errors already
        copied into the model, or ``(None, None, outcome)`` when the
        driver raised or returned something malformed: every member
        ``error``.
    """
    checker = driver_returns.ReturnChecker(driver, method)
    if error is None:
        try:
            model, entries = _model_and_entries(checker, returned,
                                                member_ids, keys, statuses,
                                                what)
            return _propagate_errors(model, entries), entries, None
        except exception.InvalidDriverReturn as e:
            error = e
    return None, None, _outcome(c.GROUP_ERROR,
                                _all(member_ids, c.VOLUME_ERROR), True,
                                _describe(error))


def _succeeded(member_ids, entries, status):
    """Members after success: their entry's values, and ``status``."""
    members = {}
    for member_id in member_ids:
        values = dict((entries or {}).get(member_id, {}))
        values['status'] = status
        members[member_id] = values
    return members


def _propagate_errors(model, entries):
    """An error entry marks the whole group failed (interface rule)."""
    if model.get('status') in c.ERROR_STATUSES:
        return model
    for values in (entries or {}).values():
        if values.get('status') in c.ERROR_STATUSES:
            model['status'] = values['status']
            break
    return model


def _all(member_ids, status):
    return {member_id: {'status': status} for member_id in member_ids}


def _after_failure(member_ids, entries, default_status):
    """Members after a failed call that returned a list.

    Each takes its entry's values; one the driver said nothing about gets
    ``default_status`` rather than keeping a transitional one.
    """
    members = {}
    for member_id in member_ids:
        values = dict((entries or {}).get(member_id, {}))
        values.setdefault('status', default_status)
        members[member_id] = values
    return members


def apply_create_group_update(driver, returned=None, error=None):
    """create_consistencygroup: model_update or None.

    Success makes the group ``available``; a returned ``error`` status or
    any exception makes it ``error`` and fails the operation.
    """
    checker = driver_returns.ReturnChecker(driver, 'create_consistencygroup')
    if error is None:
        try:
            model = _model_update(checker, returned)
        except exception.InvalidDriverReturn as e:
            error = e
    if error is not None:
        return _outcome(c.GROUP_ERROR, {}, True, _describe(error))
    if model.get('status') in c.ERROR_STATUSES:
        return _outcome(c.GROUP_ERROR, {}, True,
                        'the driver reported status %s' % model['status'])
    return _outcome(c.GROUP_AVAILABLE, {}, group_values=model)


def apply_create_group_from_src_update(driver, volume_ids, returned=None,
                                       error=None):
    """create_consistencygroup_from_src: (model_update, volumes_update).

    Success makes the group and every volume ``available`` (entries may
    also set ``provider_location`` and ``size``). An ``error`` in either
    (beyond the reference, which ignores them) or any exception makes the
    group ``error``; volumes take their entry's status, and ``error``
    when they have none.
    """
    return _apply_create(driver, 'create_consistencygroup_from_src',
                         volume_ids, returned, error, c.VOLUME_UPDATE_KEYS,
                         c.VOLUME_STATUSES, 'volumes_model_update')


def apply_delete_group_update(driver, volume_ids, returned=None, error=None):
    """delete_consistencygroup: (model_update, volumes_model_update).

    An ``error``/``error_deleting`` entry is copied into model_update; an
    error status there fails the operation: the group becomes ``error``,
    volumes take their entry's status (``deleted`` ones lose their row)
    and ``error`` when they have none. An exception, or no list, makes
    every volume ``error``. Success removes the group and every volume.
    """
    return _apply_delete(driver, 'delete_consistencygroup', volume_ids,
                         returned, error, c.VOLUME_UPDATE_KEYS,
                         c.VOLUME_STATUSES, 'volumes_model_update')


def apply_delete_group_snapshot_update(driver, snapshot_ids, returned=None,
                                       error=None):
    """delete_cgsnapshot: (model_update, snapshots_model_update).

    The same rules as ``apply_delete_group_update``, for the group
    snapshot and its member snapshots.
    """
    return _apply_delete(driver, 'delete_cgsnapshot', snapshot_ids,
                         returned, error, c.SNAPSHOT_UPDATE_KEYS,
                         c.SNAPSHOT_STATUSES, 'snapshots_model_update')


def _apply_delete(driver, method, member_ids, returned, error, keys,
                  statuses, what):
    model, entries, failed = _read_pair(driver, method, member_ids,
                                        returned, error, keys, statuses,
                                        what)
    if failed:
        return failed
    kept = sorted(member_id for member_id, values in (entries or {}).items()
                  if values.get('status', _DELETED) != _DELETED)
    if model.get('status') in c.ERROR_STATUSES or kept:
        members = _after_failure(member_ids, entries, c.VOLUME_ERROR)
        reason = ('the driver reported status %s' % model['status']
                  if model.get('status') in c.ERROR_STATUSES else
                  'the driver did not delete %s' % ', '.join(kept))
        return _outcome(c.GROUP_ERROR, members, True, reason)
    return _outcome(_DELETED, _all(member_ids, _DELETED))


def apply_update_group_update(driver, add_ids, remove_ids, returned=None,
                              error=None):
    """update_consistencygroup: (model_update, add_update, remove_update).

    Success makes the group ``available`` and moves the volumes in and
    out; entries may change a volume's fields, and a volume with no entry
    keeps its status. A returned ``error`` status (in model_update or,
    beyond the reference, in an entry) or any exception makes the group
    and every volume being added or removed ``error``, and membership
    stays as it was.
    """
    checker = driver_returns.ReturnChecker(driver, 'update_consistencygroup')
    volume_ids = list(add_ids) + list(remove_ids)
    if error is None:
        try:
            model_value, add_value, remove_value = checker.values_tuple(
                returned, 3)
            model = _model_update(checker, model_value)
            entries = _entries(checker, add_value, set(add_ids),
                               c.VOLUME_UPDATE_KEYS, c.VOLUME_STATUSES,
                               'add_volumes_update') or {}
            entries.update(_entries(checker, remove_value, set(remove_ids),
                                    c.VOLUME_UPDATE_KEYS, c.VOLUME_STATUSES,
                                    'remove_volumes_update') or {})
        except exception.InvalidDriverReturn as e:
            error = e
    if error is None:
        _propagate_errors(model, entries)
        if model.get('status') in c.ERROR_STATUSES:
            error = 'the driver reported status %s' % model['status']
    if error is not None:
        reason = error if isinstance(error, str) else _describe(error)
        outcome = _outcome(c.GROUP_ERROR, _all(volume_ids, c.VOLUME_ERROR),
                           True, reason)
        # The API claimed the volumes being added by setting their group;
        # membership stays as it was, so that claim is given back.
        outcome['release'] = list(add_ids)
        return outcome
    model.pop('status', None)
    return _outcome(c.GROUP_AVAILABLE, entries, group_values=model,
                    add=add_ids, remove=remove_ids)


def apply_create_group_snapshot_update(driver, snapshot_ids, returned=None,
                                       error=None):
    """create_cgsnapshot: (model_update, snapshots_model_update).

    An ``error`` entry is copied into model_update; an error status there
    fails the operation: the group snapshot becomes ``error``, snapshots
    take their entry's status and ``error`` when they have none. An
    exception of any class, or no list, makes every snapshot ``error``.
    Success makes the group snapshot and every snapshot ``available``.
    """
    return _apply_create(driver, 'create_cgsnapshot', snapshot_ids,
                         returned, error, c.SNAPSHOT_UPDATE_KEYS,
                         c.SNAPSHOT_STATUSES, 'snapshots_model_update')


def _apply_create(driver, method, member_ids, returned, error, keys,
                  statuses, what):
    """Both creates with members: success makes everything available."""
    model, entries, failed = _read_pair(driver, method, member_ids,
                                        returned, error, keys, statuses,
                                        what)
    if failed:
        return failed
    if model.get('status') in c.ERROR_STATUSES:
        return _outcome(c.GROUP_ERROR,
                        _after_failure(member_ids, entries, c.VOLUME_ERROR),
                        True, 'the driver reported status %s' %
                        model['status'])
    model.pop('status', None)
    return _outcome(c.GROUP_AVAILABLE,
                    _succeeded(member_ids, entries, c.VOLUME_AVAILABLE),
                    group_values=model)


def write_group_outcome(group_model, group_id, member_model, outcome):
    """Write an outcome: group and members, membership, removed rows.

    One transaction, so a crash never leaves half of it; member rows go
    first so a removed group never leaves members pointing at it. A
    deleted volume gives its size back to its pool; a volume whose size
    the driver changed counts the difference. Safe to run again (a
    resumed flow may).
    """
    with db_session.session_scope() as session:
        if member_model is models.Volume:
            _write_volumes(session, outcome['members'])
        else:
            _write_members(session, member_model, outcome['members'])
        release_claims(group_id, outcome.get('release') or (), session)
        if not outcome['failed']:
            for volume_id in outcome.get('add') or ():
                db_api.conditional_update(
                    models.Volume, volume_id,
                    {'consistencygroup_id': group_id},
                    expected={'consistencygroup_id': [None, group_id]},
                    session=session)
            for volume_id in outcome.get('remove') or ():
                db_api.conditional_update(
                    models.Volume, volume_id, {'consistencygroup_id': None},
                    expected={'consistencygroup_id': group_id},
                    session=session)
        group_values = outcome['group']
        if group_values.get('status') == _DELETED:
            db_api.delete(group_model, group_id, session=session)
        else:
            db_api.conditional_update(group_model, group_id, group_values,
                                      session=session)


def _write_volumes(session, members):
    """Volume members, one by one: a pool counts what each one holds."""
    for member_id, values in sorted(members.items()):
        if values.get('status') == _DELETED:
            volume_updates.forget_volume(member_id, session=session)
        else:
            volume_updates.write_counted(member_id, values,
                                         session=session)


def _column_values(model, values):
    """Row attribute names to column names (``provider_metadata``)."""
    mapper = sa.inspect(model)
    return {mapper.get_property(key).columns[0].name: value
            for key, value in values.items()}


def _write_members(session, member_model, members):
    """Members without capacity (snapshots), in bulk.

    The deleted ones in one DELETE; the others in one UPDATE per set of
    columns written, whatever the member count.
    """
    deleted = sorted(member_id for member_id, values in members.items()
                     if values.get('status') == _DELETED)
    if deleted:
        session.execute(sa.delete(member_model).where(
            member_model.id.in_(deleted)).execution_options(
            synchronize_session=False))
    bulk.write(session, member_model, {
        member_id: _column_values(member_model, values)
        for member_id, values in members.items()
        if values.get('status') != _DELETED})


def release_claims(group_id, volume_ids, session=None):
    """Volumes claimed for joining a group that they did not join."""
    for volume_id in volume_ids:
        db_api.conditional_update(
            models.Volume, volume_id, {'consistencygroup_id': None},
            expected={'consistencygroup_id': group_id}, session=session)


def raise_if_failed(outcome, action, resource_id):
    """The CLI's error for a failed outcome (records already written)."""
    if outcome and outcome.get('failed'):
        raise exception.VolumeDriverException(
            msg='%s %s failed: %s' % (action, resource_id,
                                      outcome.get('reason')))
