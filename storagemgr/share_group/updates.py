"""How the manager applies what share group driver methods return.

One ``apply_*`` function per driver method. Each takes what the driver
returned (or the exception it raised, of any class) and decides, without
touching the database, what every record becomes: an *outcome*, a plain
JSON dict that a flow stores and ``write_*_outcome`` writes::

    {'failed': bool, 'reason': str or None,
     'group': {'status': ..., ...},          # status 'deleted': row goes
     'members': {id: {'status': ..., ...}}}  # status 'deleted': row goes

Members are the member shares (keyed by share id) for a group, the
members of a group snapshot for a group snapshot. Every rule is a row of
``doc/source/admin/share-group-rules.rst`` (tested row by row in
``storagemgr.tests.unit.share_group.test_rules``); where storagemgr
differs from the reference manager the row says so. In short:

* every exception class is a driver failure, and so is a malformed
  return (wrong type, an entry without a known ``id``, a status the
  contract does not allow), named in the reason;
* a returned ``error`` status fails the operation (the reference forces
  ``available`` over it);
* no record is left transitional: members the driver said nothing about
  take the operation's outcome;
* known provider keys are stored under ``provider_data``, other unknown
  keys are ignored with one warning per driver, method and key.

Writes are in bulk: one statement per step for all members
(``storagemgr.db.bulk``), never one per member.
"""


import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db import bulk
from storagemgr.db.models import share as share_models
from storagemgr.db.models import share_group as models
from storagemgr.db import session as db_session
from storagemgr.driver_returns import ReturnChecker
from storagemgr import exception
from storagemgr.share import model_updates
from storagemgr.share import private_storage
from storagemgr.share_group import constants

_GROUP_KEYS = ('status',)
_MEMBER_KEYS = ('status', 'provider_location', 'size')
# Keys of a group snapshot member's entry the manager drops silently: the
# reference does not support them there.
_MEMBER_DROPPED = ('export_locations',)
_NEW_SHARE_KEYS = ('status', 'export_locations', 'progress')


def _outcome(group_status, members, failed=False, reason=None,
             group_values=None):
    group = dict(group_values or {})
    group['status'] = group_status
    return {'failed': failed, 'reason': reason, 'group': group,
            'members': members}


def failed_outcome(group_status, members, reason):
    """A failed operation the driver was never asked to finish."""
    return _outcome(group_status, members, True, reason)


def _describe(error):
    """A failure's reason: a text as is, an exception with its class."""
    if isinstance(error, str):
        return error
    return '%s: %s' % (type(error).__name__, error)


def _all(ids, status):
    return {member_id: {'status': status} for member_id in ids}


def _values(checker, update, used, statuses, what):
    """The checked values of one update: used keys and provider_data."""
    values = model_updates.known_keys(checker, update, used)
    if 'status' in values:
        checker.status(values['status'], statuses, what + ' status')
    return values


def _group_update(checker, value):
    """A group's (or group snapshot's) model update: None or a dict."""
    update = checker.dict_or_none(value, 'the model update')
    return _values(checker, update, _GROUP_KEYS,
                   constants.GROUP_DRIVER_STATUSES, 'model update')


def _error_reported(checker, model, entries=None):
    """The reason when the driver reported an error status, else None."""
    where = ' (driver %s, %s)' % (checker.driver_name, checker.method)
    if model.get('status') in constants.ERROR_STATUSES:
        return 'the driver reported status %s%s' % (model['status'], where)
    for entry_id, values in sorted((entries or {}).items()):
        if values.get('status') in constants.ERROR_STATUSES:
            return 'the driver reported member %s in status %s%s' % (
                entry_id, values['status'], where)
    return None


# -- groups -----------------------------------------------------------------

def apply_create_group(driver, returned=None, error=None):
    """create_share_group: None or a model update.

    Success makes the group ``available`` (provider keys kept); an
    exception, a malformed return or an ``error`` status makes it
    ``error``.
    """
    checker = ReturnChecker(driver, 'create_share_group')
    if error is None:
        try:
            model = _group_update(checker, returned)
            error = _error_reported(checker, model)
        except exception.InvalidDriverReturn as e:
            error = e
    if error is not None:
        return failed_outcome(constants.STATUS_ERROR, {},
                              _describe(error))
    model.pop('status', None)
    return _outcome(constants.STATUS_AVAILABLE, {}, group_values=model)


def _new_share_values(checker, entry, label):
    """One new share's entry: status and export locations, checked."""
    values = _values(checker, entry, _NEW_SHARE_KEYS,
                     constants.NEW_SHARE_STATUSES, label)
    status = values.setdefault('status', constants.STATUS_AVAILABLE)
    if status == constants.STATUS_AVAILABLE:
        # A share made now is reachable at once: where is required.
        values['export_locations'] = model_updates.check_export_locations(
            checker, checker.required_key(entry, 'export_locations', label),
            label + ' export_locations')
        values['progress'] = '100%'
        return values
    # Still being made: the poll of get_share_status reports where.
    locations = model_updates.check_export_locations(
        checker, values.pop('export_locations', None),
        label + ' export_locations')
    if locations:
        values['export_locations'] = locations
    values['progress'] = str(values.get('progress') or '0%')
    return values


def apply_create_group_from_snapshot(driver, share_of_instance,
                                     returned=None, error=None):
    """create_share_group_from_share_group_snapshot.

    :param share_of_instance: ``{share instance id: share id}`` of the new
        shares; the driver's entries name instances, the outcome shares.
    :returns: an outcome whose members are keyed by share id. Success
        makes the group ``available`` and each share its entry's status
        (``available``, or ``creating_from_snapshot``, which the manager
        then polls) with its export locations; a share without an entry
        becomes ``available``. A failure makes the group and every new
        share ``error``.
    """
    checker = ReturnChecker(
        driver, 'create_share_group_from_share_group_snapshot')
    share_ids = list(share_of_instance.values())
    if error is None:
        try:
            model_value, entries_value = checker.values_tuple(returned, 2)
            model = _group_update(checker, model_value)
            entries = {
                instance_id: _new_share_values(
                    checker, dict(entry), 'share_update_list entry %s' %
                    instance_id)
                for instance_id, entry in (checker.entries_by_id(
                    entries_value, set(share_of_instance),
                    'share_update_list') or {}).items()}
            error = _error_reported(checker, model)
        except exception.InvalidDriverReturn as e:
            error = e
    if error is not None:
        return failed_outcome(constants.STATUS_ERROR,
                              _all(share_ids, constants.STATUS_ERROR),
                              _describe(error))
    members = _all(share_ids, constants.STATUS_AVAILABLE)
    for instance_id, values in entries.items():
        members[share_of_instance[instance_id]] = values
    model.pop('status', None)
    return _outcome(constants.STATUS_AVAILABLE, members, group_values=model)


def apply_delete_group(driver, returned=None, error=None):
    """delete_share_group: None or a model update.

    Success removes the group; an exception, a malformed return or an
    ``error`` status leaves it ``error_deleting`` (the reference: ``error``).
    """
    checker = ReturnChecker(driver, 'delete_share_group')
    if error is None:
        try:
            error = _error_reported(checker, _group_update(checker, returned))
        except exception.InvalidDriverReturn as e:
            error = e
    if error is not None:
        return failed_outcome(constants.STATUS_ERROR_DELETING, {},
                              _describe(error))
    return _outcome(constants.DELETED, {})


# -- group snapshots --------------------------------------------------------

def _member_values(checker, entry, label):
    for key in _MEMBER_DROPPED:
        entry.pop(key, None)
    values = _values(checker, entry, _MEMBER_KEYS,
                     constants.MEMBER_DRIVER_STATUSES, label)
    if values.get('provider_location') is not None:
        checker.of_type(values['provider_location'], str,
                        label + ' provider_location')
    if 'size' in values:
        checker.non_negative_int(values['size'], label + ' size')
    return values


def _read_snapshot_pair(checker, returned, member_ids, what):
    model_value, entries_value = checker.values_tuple(returned, 2)
    model = _group_update(checker, model_value)
    entries = {member_id: _member_values(checker, dict(entry),
                                         '%s entry %s' % (what, member_id))
               for member_id, entry in (checker.entries_by_id(
                   entries_value, set(member_ids), what) or {}).items()}
    return model, entries


def apply_create_group_snapshot(driver, member_ids, returned=None,
                                error=None):
    """create_share_group_snapshot: (model update, member updates).

    Success makes the group snapshot and every member ``available``
    (entries may set ``provider_location`` and ``size``). An exception, a
    malformed return or an ``error`` status (of the group snapshot or of
    any member) makes the group snapshot ``error`` and every member
    ``error`` but those whose entry the driver gave.
    """
    checker = ReturnChecker(driver, 'create_share_group_snapshot')
    entries = {}
    if error is None:
        try:
            model, entries = _read_snapshot_pair(
                checker, returned, member_ids, 'member_update_list')
            error = _error_reported(checker, model, entries)
        except exception.InvalidDriverReturn as e:
            error, entries = e, {}
    if error is not None:
        members = _all(member_ids, constants.STATUS_ERROR)
        for member_id, values in entries.items():
            members[member_id].update(values)
        return failed_outcome(constants.STATUS_ERROR, members,
                              _describe(error))
    members = _all(member_ids, constants.STATUS_AVAILABLE)
    for member_id, values in entries.items():
        members[member_id].update(values)
    model.pop('status', None)
    return _outcome(constants.STATUS_AVAILABLE, members, group_values=model)


def apply_delete_group_snapshot(driver, member_ids, returned=None,
                                error=None, force=False):
    """delete_share_group_snapshot: (model update, member updates).

    Success removes the group snapshot and its members. An exception, a
    malformed return or an ``error`` status leaves them
    ``error_deleting`` (the reference: ``error``), unless ``force``: then
    they go anyway, the failure only logged in the outcome's reason.
    """
    checker = ReturnChecker(driver, 'delete_share_group_snapshot')
    if error is None:
        try:
            model, entries = _read_snapshot_pair(
                checker, returned, member_ids, 'member_update_list')
            error = _error_reported(checker, model, entries)
        except exception.InvalidDriverReturn as e:
            error = e
    if error is not None and not force:
        return failed_outcome(
            constants.STATUS_ERROR_DELETING,
            _all(member_ids, constants.STATUS_ERROR_DELETING),
            _describe(error))
    outcome = _outcome(constants.DELETED, _all(member_ids, constants.DELETED))
    if error is not None:
        outcome['reason'] = 'forced past a driver failure: %s' % (
            _describe(error))
    return outcome


# -- writing ----------------------------------------------------------------

def _claim_write(session, model, row_id, values, expected_status):
    """Write the group's (or group snapshot's) values if still expected.

    A row that goes (status ``deleted``) is only touched here, and locked
    until the commit; the caller deletes it after its children. True when
    the row was still in ``expected_status``.
    """
    deleting = values.get('status') == constants.DELETED
    return db_api.conditional_update(
        model, row_id, {} if deleting else values,
        expected={'status': list(expected_status)}, session=session)


def write_group_outcome(group_id, outcome, expected_status,
                        expected_share_status=()):
    """Write a group's outcome and its member shares' values.

    One transaction. The group must still be in ``expected_status`` (a
    resumed flow writing twice changes nothing the second time); member
    shares are written on their active instances, in bulk, if still in
    ``expected_share_status``. A removed group takes its share type
    mapping and its drivers' private data with it.
    """
    group = models.ShareGroup
    with db_session.session_scope() as session:
        if not _claim_write(session, group, group_id, outcome['group'],
                            expected_status):
            return False
        instance = share_models.ShareInstance
        bulk.write(session, instance, outcome['members'],
                   expected_share_status, key=instance.share_id,
                   criteria=[instance.active.is_(True)])
        if outcome['group'].get('status') == constants.DELETED:
            mapping = models.ShareGroupShareType
            session.execute(sa.delete(mapping).where(
                mapping.share_group_id == group_id))
            db_api.delete(group, group_id, session=session)
            private_storage.delete_entities([group_id], session=session)
    return True


def write_group_snapshot_outcome(group_snapshot_id, outcome,
                                 expected_status):
    """Write a group snapshot's outcome and its members', in bulk."""
    snapshot = models.ShareGroupSnapshot
    member = models.ShareGroupSnapshotMember
    with db_session.session_scope() as session:
        if not _claim_write(session, snapshot, group_snapshot_id,
                            outcome['group'], expected_status):
            return False
        members = outcome['members']
        gone = [m for m, v in members.items()
                if v.get('status') == constants.DELETED]
        bulk.delete(session, member, gone)
        bulk.write(session, member,
                   {m: v for m, v in members.items() if m not in gone},
                   criteria=[member.share_group_snapshot_id ==
                             group_snapshot_id])
        if outcome['group'].get('status') == constants.DELETED:
            db_api.delete(snapshot, group_snapshot_id, session=session)
            private_storage.delete_entities(gone + [group_snapshot_id],
                                            session=session)
    return True
