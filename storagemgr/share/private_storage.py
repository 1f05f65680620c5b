"""Driver private storage: what a share driver remembers about its objects.

Every share driver is handed a ``DriverPrivateData`` as its
``private_storage`` (the reference share manager does the same). A driver
keeps key-value pairs under the id of a share instance, snapshot instance
or anything else it names by UUID::

    self.private_storage.update(share['id'], {'dataset': 'tank/s1'})
    self.private_storage.get(share['id'], key='dataset')  # 'tank/s1'
    self.private_storage.delete(share['id'])

Values are kept as text, as the reference keeps them: ``2`` comes back as
``'2'``. Keys are non-empty strings of at most 255 characters, values
strings, numbers, booleans or None of at most 1023 characters of text.

The rows of an instance are removed by the share flows when the instance
is deleted (``delete_entities``); they stay when it is abandoned, because
drivers keep there what they need to adopt the same object again.
"""

import uuid

from oslo_log import log as logging
from oslo_utils import uuidutils
import sqlalchemy as sa

from storagemgr.db.models import driver_private as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.i18n import _

LOG = logging.getLogger(__name__)

_SCALARS = (str, int, float, bool, type(None))


class InvalidPrivateData(exception.InvalidInput, ValueError):
    """A driver handed private storage an id, key or value it cannot keep.

    Also a ValueError, which is what the reference raises for a bad
    entity id, so drivers that catch that keep working.
    """


def _bad(reason):
    return InvalidPrivateData(reason=reason)


def _check_entity_id(entity_id):
    """The id in canonical form (lower case, dashed)."""
    if not isinstance(entity_id, str) or not uuidutils.is_uuid_like(
            entity_id):
        raise _bad(_('driver private data: entity id %r is not a UUID.')
                   % (entity_id,))
    return str(uuid.UUID(entity_id))


def _check_key(key):
    if not isinstance(key, str) or not key:
        raise _bad(_('driver private data: key %r is not a non-empty '
                     'string.') % (key,))
    if len(key) > models.KEY_LENGTH:
        raise _bad(_('driver private data: key %(key)r is longer than '
                     '%(max)d characters.') % {'key': key[:40] + '...',
                                               'max': models.KEY_LENGTH})
    return key


def _check_keys(key):
    """None (every key), one key, or a list of keys."""
    if key is None:
        return None
    if isinstance(key, (list, tuple, set, frozenset)):
        return [_check_key(k) for k in key]
    return _check_key(key)


def _as_text(key, value):
    if not isinstance(value, _SCALARS):
        raise _bad(_('driver private data: the value of key %(key)r is a '
                     '%(type)s; give a string, number, boolean or None '
                     '(serialize structures yourself, for example as '
                     'JSON).') % {'key': key, 'type': type(value).__name__})
    text = str(value)
    if len(text) > models.VALUE_LENGTH:
        raise _bad(_('driver private data: the value of key %(key)r is '
                     '%(len)d characters long; at most %(max)d fit.') % {
            'key': key, 'len': len(text), 'max': models.VALUE_LENGTH})
    return text


def _rows(session, entity_id, keys=None):
    Row = models.DriverPrivateData
    stmt = sa.select(Row).where(Row.entity_uuid == entity_id)
    if isinstance(keys, list):
        stmt = stmt.where(Row.key.in_(keys))
    elif keys is not None:
        stmt = stmt.where(Row.key == keys)
    return list(session.scalars(stmt.order_by(Row.key)))


class DriverPrivateData(object):
    """The private storage a share driver is handed.

    :param backend_name: the backend the driver serves, for log lines.
    """

    def __init__(self, backend_name=None):
        self.backend_name = backend_name

    def get(self, entity_id, key=None, default=None):
        """One value, or a dict of several.

        :param entity_id: the UUID the data is kept under.
        :param key: None for every key of the entity, one key, or a list
            of keys.
        :param default: what a single missing key returns.
        :returns: the value (text) of ``key`` or ``default``; a dict of
            the keys found when ``key`` is None or a list (empty when
            none is found).
        :raises InvalidPrivateData: a malformed entity id or key.
        """
        entity_id = _check_entity_id(entity_id)
        keys = _check_keys(key)

        def _get(session):
            rows = _rows(session, entity_id, keys)
            if keys is None or isinstance(keys, list):
                return {row.key: row.value for row in rows}
            return rows[0].value if rows else default
        return db_session.run(_get)

    def update(self, entity_id, details, delete_existing=False):
        """Create or replace key-value pairs of ``entity_id``.

        :param details: a dict of key to value; values are stored as text.
        :param delete_existing: also remove the entity's keys that
            ``details`` does not name.
        :raises InvalidPrivateData: a malformed entity id, a ``details``
            that is not a dict, or a key or value that cannot be kept
            (nothing is written then).
        """
        entity_id = _check_entity_id(entity_id)
        if not isinstance(details, dict):
            raise _bad(_('driver private data: details for %(id)s must be '
                         'a dict, not %(type)s.') % {
                'id': entity_id, 'type': type(details).__name__})
        wanted = {_check_key(k): _as_text(k, v) for k, v in details.items()}

        def _update(session):
            existing = {row.key: row for row in _rows(session, entity_id)}
            for key, row in existing.items():
                if key in wanted:
                    if row.value != wanted[key]:
                        row.value = wanted[key]
                elif delete_existing:
                    session.delete(row)
            for key, value in wanted.items():
                if key not in existing:
                    session.add(models.DriverPrivateData(
                        entity_uuid=entity_id, key=key, value=value))
            session.flush()
        db_session.run(_update)

    def delete(self, entity_id, key=None):
        """Remove every key of ``entity_id``, one key, or a list of keys.

        Removing what is not there is not an error.

        :raises InvalidPrivateData: a malformed entity id or key.
        """
        entity_id = _check_entity_id(entity_id)
        keys = _check_keys(key)

        def _delete(session):
            Row = models.DriverPrivateData
            stmt = sa.delete(Row).where(Row.entity_uuid == entity_id)
            if isinstance(keys, list):
                stmt = stmt.where(Row.key.in_(keys))
            elif keys is not None:
                stmt = stmt.where(Row.key == keys)
            session.execute(stmt)
        db_session.run(_delete)


def delete_entities(entity_ids, session=None):
    """Remove all private data of the given share or snapshot instances.

    For the delete flows, once an instance is deleted (never when it is
    abandoned). Pass the instance ids, and the share's or snapshot's own
    id too: some drivers keep their data under the parent's id.

    :param entity_ids: an iterable of ids; ids that are not UUIDs are
        refused, since no driver can have stored data under them.
    :param session: the caller's session, to remove the rows in the
        caller's transaction; a session of its own otherwise.
    :returns: how many key-value pairs were removed.
    :raises InvalidPrivateData: an id is not a UUID.
    """
    if isinstance(entity_ids, str):
        raise _bad(_('driver private data: delete_entities takes a list '
                     'of ids, not the string %r.') % (entity_ids,))
    ids = sorted({_check_entity_id(entity_id) for entity_id in entity_ids})
    if not ids:
        return 0

    def _delete(sess):
        Row = models.DriverPrivateData
        result = sess.execute(sa.delete(Row).where(Row.entity_uuid.in_(ids)))
        return result.rowcount
    removed = db_session.run(_delete, session)
    if removed:
        LOG.debug('Removed %(count)d driver private data pairs of %(ids)s.',
                  {'count': removed, 'ids': ', '.join(ids)})
    return removed
