"""How the manager applies what a volume driver returns for one volume.

``create_volume``, ``create_volume_from_snapshot``, ``create_cloned_volume``
and ``create_snapshot`` return a model update or None. The keys in
``constants.VOLUME_UPDATE_KEYS`` / ``SNAPSHOT_UPDATE_KEYS`` are used (a
``status`` among them is ignored: success makes the record ``available``,
failure is an exception); known provider keys (``provider_id``,
``provider_auth``, ``replication_status``, ``metadata``...) are stored on
the row; any other key (drivers written for Cinder return bookkeeping
such as ``updated_at``) is ignored with one warning per driver, method and
key. Only a value of the wrong type is an error.

The writes that change what a volume holds on its pool (its creation
with the size the driver reports, a failed extend, its deletion) move the
pool's allocated capacity in the same transaction.
"""

import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr.db import session as db_session
from storagemgr import driver_returns
from storagemgr.scheduler import capacity
from storagemgr.volume import constants as c

# The provider keys the volume tables have a column for.
STORED_KEYS = frozenset(models.PROVIDER_ATTRIBUTES)


def check_volume_update(driver, method, returned):
    checker = driver_returns.ReturnChecker(driver, method)
    update = checker.dict_or_none(returned)
    return _plain(checker, update, c.VOLUME_UPDATE_KEYS)


def check_snapshot_update(driver, method, returned):
    checker = driver_returns.ReturnChecker(driver, method)
    update = checker.dict_or_none(returned)
    return _plain(checker, update, c.SNAPSHOT_UPDATE_KEYS)


def split_update(checker, mapping, used_keys, what='the model update'):
    """Used keys as given, provider keys as row values; the rest ignored.

    :returns: one dict of row attribute names (``metadata`` is stored as
        ``provider_metadata``) to values; the used keys' values are the
        caller's to check.
    """
    used, provider = checker.split_keys(mapping, used_keys,
                                        stored=STORED_KEYS)
    for key, value in provider.items():
        used[models.PROVIDER_ATTRIBUTES[key]] = _provider_value(
            checker, key, value, what)
    return used


def _provider_value(checker, key, value, what):
    label = '%s %s' % (what, key)
    if value is None:
        return None
    if key == 'metadata':
        return checker.of_type(value, dict, label)
    if isinstance(value, int) and not isinstance(value, bool):
        # Cinder's string fields take numbers too (a backend LUN id).
        return str(value)
    return checker.of_type(value, str, label)


def _plain(checker, update, used_keys):
    values = split_update(checker, update, used_keys)
    values.pop('status', None)
    if values.get('provider_location') is not None:
        checker.of_type(values['provider_location'], str,
                        'provider_location')
    if 'size' in values:
        checker.non_negative_int(values['size'], 'size')
    return values


def _placed(session, volume_id):
    """``(host, size)`` of a volume, or None when its row is gone."""
    return session.execute(sa.select(
        models.Volume.host, models.Volume.size).where(
        models.Volume.id == volume_id)).first()


def write_counted(volume_id, values, expected=None, session=None):
    """Write ``values`` on a volume; a new ``size`` moves its pool's count.

    A driver may report another size than the one asked for (a backend
    that rounds up); the pool then counts what the volume really holds.
    Returns whether the row was written.
    """
    def work(session):
        row = _placed(session, volume_id)
        if row is None or not db_api.conditional_update(
                models.Volume, volume_id, values, expected=expected,
                session=session):
            return False
        new_size = values.get('size')
        if new_size is not None and new_size != row.size:
            capacity.adjust(session, row.host, new_size - (row.size or 0))
        return True
    return db_session.run(work, session)


def forget_volume(volume_id, session=None):
    """Delete a volume's row and give its size back to its pool.

    One transaction; a row already gone (a resumed flow) is not an error.
    """
    def work(session):
        row = _placed(session, volume_id)
        if row is not None and db_api.delete(models.Volume, volume_id,
                                             session=session):
            capacity.release(session, row.host, row.size)
    db_session.run(work, session)


def release_extend(volume_id, new_size):
    """Give back what a failed extend's claim reserved on the pool.

    The volume kept its size, so the growth is ``new_size`` less it.
    """
    def work(session):
        row = _placed(session, volume_id)
        if row is not None:
            capacity.release(session, row.host,
                             new_size - (row.size or 0))
    db_session.run(work)
