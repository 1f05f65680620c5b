"""Record, list, show and expire user messages.

A user message tells the owner of a resource why an asynchronous operation
on it failed: the resource (type and id), the action that failed, and a
one-line detail. Flows record one when they put a resource into an error
status, whether the flow ran in the CLI process or was resumed by the
manager, so the reason never lives only in a log file.

Messages expire ``[message] message_ttl`` seconds after they are written:
expired ones are no longer listed or shown, and the manager deletes them
periodically (``storagemgr.message.periodic``).
"""

import builtins
import datetime

from oslo_config import cfg
from oslo_context import context as oslo_context
from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db.models import message as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.message import constants

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

# The constants live in a module without the database layer (the CLI
# builds parsers from them); they keep their names here.
LEVEL_ERROR = constants.LEVEL_ERROR
LEVELS = constants.LEVELS
SHARE = constants.SHARE
SHARE_SNAPSHOT = constants.SHARE_SNAPSHOT
VOLUME = constants.VOLUME
VOLUME_SNAPSHOT = constants.VOLUME_SNAPSHOT
CONSISTENCY_GROUP = constants.CONSISTENCY_GROUP
CONSISTENCY_GROUP_SNAPSHOT = constants.CONSISTENCY_GROUP_SNAPSHOT
SHARE_GROUP = constants.SHARE_GROUP
SHARE_GROUP_SNAPSHOT = constants.SHARE_GROUP_SNAPSHOT
SHARE_REPLICA = constants.SHARE_REPLICA
_TYPE_OF_TABLE = constants.TYPE_OF_TABLE
RESOURCE_TYPES = constants.RESOURCE_TYPES

# Longest detail kept; a driver may put a whole traceback in a message.
_MAX_DETAIL = 2000


def resource_type_of(model):
    """The message resource type of a model class or of one of its rows."""
    table = getattr(model, '__tablename__', None)
    if table in _TYPE_OF_TABLE:
        return _TYPE_OF_TABLE[table]
    name = model.__name__ if isinstance(model, type) else \
        type(model).__name__
    return name.lower()


def _to_record(row):
    return {
        'id': row.id,
        'resource_type': row.resource_type,
        'resource_id': row.resource_id,
        'action': row.action,
        'detail': row.detail,
        'message_level': row.message_level,
        'request_id': row.request_id,
        'created_at': _iso(row.created_at),
        'expires_at': _iso(row.expires_at),
    }


def _iso(value):
    return value.isoformat() if value is not None else None


def _request_id():
    current = oslo_context.get_current()
    return getattr(current, 'request_id', None)


def _clip(text):
    text = ' '.join(str(text).split())
    if len(text) > _MAX_DETAIL:
        text = text[:_MAX_DETAIL - 3] + '...'
    return text


def record(resource_type, resource_id, action, detail, level=LEVEL_ERROR):
    """Write a message about a resource; never raises.

    Called while handling a failure, so a message that cannot be written
    (a database error, a bad argument) is logged and forgotten: it must
    never replace the failure it describes.

    :returns: the message as a dict, or None when it could not be written.
    """
    try:
        now = timeutils.utcnow()
        values = {
            'resource_type': str(resource_type),
            'resource_id': str(resource_id),
            'action': str(action or 'unknown'),
            'detail': _clip(detail if detail is not None else
                            'unknown failure'),
            'message_level': str(level or LEVEL_ERROR),
            'request_id': _request_id(),
            'created_at': now,
            'expires_at': now + _ttl(),
        }
        row = db_api.create(models.Message, values)
    except Exception:
        LOG.exception('Could not record the message "%(detail)s" about '
                      '%(type)s %(id)s (%(action)s)',
                      {'detail': detail, 'type': resource_type,
                       'id': resource_id, 'action': action})
        return None
    LOG.debug('Recorded message %(msg)s about %(type)s %(id)s.',
              {'msg': row.id, 'type': resource_type, 'id': resource_id})
    return _to_record(row)


def _ttl():
    return datetime.timedelta(seconds=CONF.message.message_ttl)


def _live(stmt):
    return stmt.where(models.Message.expires_at > timeutils.utcnow())


def list(resource_type=None, resource_id=None):
    """Messages that have not expired, newest first, optionally filtered."""
    stmt = _live(sa.select(models.Message))
    if resource_type is not None:
        stmt = stmt.where(models.Message.resource_type == resource_type)
    if resource_id is not None:
        stmt = stmt.where(models.Message.resource_id == resource_id)
    stmt = stmt.order_by(models.Message.created_at.desc(),
                         models.Message.id)
    with db_session.session_scope() as session:
        return [_to_record(r) for r in session.scalars(stmt)]


def _not_found(message_id):
    return exception.NotFound('No message with id %r.' % (message_id,))


def get(message_id):
    """The message with this id; NotFound when unknown or expired."""
    if not isinstance(message_id, str) or not message_id:
        raise _not_found(message_id)
    stmt = _live(sa.select(models.Message).where(
        models.Message.id == message_id))
    with db_session.session_scope() as session:
        row = session.scalars(stmt).first()
        if row is None:
            raise _not_found(message_id)
        return _to_record(row)


def delete(message_id):
    """Delete a message; NotFound when there is no such message."""
    if not isinstance(message_id, str) or not message_id:
        raise _not_found(message_id)
    with db_session.session_scope() as session:
        result = session.execute(sa.delete(models.Message).where(
            models.Message.id == message_id))
        if result.rowcount != 1:
            raise _not_found(message_id)


def latest_for(resource_type, resource_id):
    """The newest live message about a resource, or None."""
    stmt = _live(sa.select(models.Message).where(
        models.Message.resource_type == resource_type,
        models.Message.resource_id == resource_id))
    stmt = stmt.order_by(models.Message.created_at.desc()).limit(1)
    with db_session.session_scope() as session:
        row = session.scalars(stmt).first()
        return _to_record(row) if row is not None else None


def failure_detail(row):
    """The latest message's detail for a row in an error status, or None.

    For the ``show`` of a resource: a row whose status is not an error
    status has no failure to explain. Never raises, so a show still works
    when the messages cannot be read.
    """
    return failure_detail_of(resource_type_of(row), row.id,
                             getattr(row, 'status', None))


def failure_detail_of(resource_type, resource_id, status):
    """``failure_detail`` for a resource whose status is kept elsewhere."""
    if not status or 'error' not in str(status):
        return None
    try:
        latest = latest_for(resource_type, resource_id)
    except Exception:
        LOG.exception('Could not read the messages about %s', resource_id)
        return None
    return latest['detail'] if latest else None


_ACTION_OF_STATUS = {
    'creating': 'create',
    'updating': 'update',
    'deleting': 'delete',
}


def action_in_progress(model, resource_id):
    """The action a row's transitional status stands for; never raises.

    For tasks that write an outcome decided earlier in the flow (group
    operations), to name the action in the message before the status
    changes.
    """
    try:
        status = db_api.get(model, resource_id).status
    except Exception:
        return 'unknown'
    return _ACTION_OF_STATUS.get(status, 'unknown')


def record_outcome(group_model, group_id, member_model, action, outcome):
    """A message for a failed group outcome and each member it errored.

    ``outcome`` is what ``storagemgr.volume.group_updates`` builds; a
    successful one records nothing. Never raises.
    """
    try:
        if not outcome or not outcome.get('failed'):
            return
        detail = outcome.get('reason') or 'unknown failure'
        record(resource_type_of(group_model), group_id, action, detail)
        for member_id, values in sorted(
                (outcome.get('members') or {}).items()):
            if 'error' in str((values or {}).get('status')):
                record(resource_type_of(member_model), member_id, action,
                       detail)
    except Exception:
        LOG.exception('Could not record the failure of %s', group_id)


def cleanup_expired(now=None):
    """Delete every expired message; returns how many were deleted."""
    now = now or timeutils.utcnow()
    with db_session.session_scope() as session:
        result = session.execute(sa.delete(models.Message).where(
            models.Message.expires_at <= now))
        count = result.rowcount
    if count:
        LOG.info('Deleted %d expired user messages.', count)
    return count


def reason(result=None, flow_failures=None):
    """One line saying why a flow failed, from a task revert's arguments.

    ``result`` is the reverting task's own failure when it is the task that
    failed; otherwise the failure is among ``flow_failures``.
    """
    failures = builtins.list((flow_failures or {}).values())
    if result is not None and hasattr(result, 'exception_str'):
        failures.insert(0, result)
    for failure in failures:
        return '%s: %s' % (_class_name(failure), failure.exception_str)
    return None


def _class_name(failure):
    # A failure loaded from the flow's logbook (a resumed flow) has no
    # exception object, only the names of its classes.
    if getattr(failure, 'exception', None) is not None:
        return type(failure.exception).__name__
    try:
        names = failure.to_dict().get('exc_type_names')
    except Exception:
        names = None
    return str(names[0]).rsplit('.', 1)[-1] if names else 'Error'
