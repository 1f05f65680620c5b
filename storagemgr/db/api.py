"""Generic data access used by every area.

Areas keep their own queries in their own modules; what lives here is the
small set of operations every resource needs, above all
``conditional_update``: the guard behind every state transition.
"""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from storagemgr.db import session as db_session
from storagemgr import exception


def _by_id(model, resource_id):
    return sa.inspect(model).primary_key[0] == resource_id


def create(model, values, session=None):
    """Insert a row and return it (detached, attributes loaded)."""
    def _create(sess):
        row = model(**values)
        sess.add(row)
        sess.flush()
        return row
    return db_session.run(_create, session)


def get(model, resource_id, session=None, resource_name=None):
    """Return the row with this primary key or raise NotFound."""
    def _get(sess):
        row = sess.get(model, resource_id)
        if row is None:
            raise exception.NotFound(
                '%s %s could not be found.' % (
                    resource_name or model.__name__, resource_id))
        return row
    return db_session.run(_get, session)


def get_by(model, session=None, **filters):
    """Return the single row matching ``filters``, or None."""
    def _get_by(sess):
        return sess.scalars(sa.select(model).filter_by(**filters)).first()
    return db_session.run(_get_by, session)


def query(model, session=None, order_by=None, **filters):
    """Return every row matching ``filters`` (equality, or IN for lists)."""
    stmt = sa.select(model)
    for key, value in filters.items():
        column = getattr(model, key)
        if isinstance(value, (list, tuple, set, frozenset)):
            stmt = stmt.where(column.in_(list(value)))
        else:
            stmt = stmt.where(column == value)
    if order_by is not None:
        stmt = stmt.order_by(order_by)
    if session is not None:
        return list(session.scalars(stmt))
    with db_session.session_scope() as sess:
        return list(sess.scalars(stmt))


def count(model, session=None, **filters):
    """How many rows match ``filters`` (equality)."""
    stmt = sa.select(sa.func.count()).select_from(model).filter_by(**filters)
    if session is not None:
        return session.scalar(stmt)
    with db_session.session_scope() as sess:
        return sess.scalar(stmt)


def update(model, resource_id, values, session=None):
    """Unconditionally update one row; raise NotFound when it is gone."""
    return _update(model, resource_id, values, None, (), session)


def conditional_update(model, resource_id, values, expected=None,
                       criteria=(), session=None):
    """Update one row only if it is in one of the expected states.

    :param expected: ``{column_name: value or list of values}``; every
        column must match (a list means any of its values).
    :param criteria: extra SQLAlchemy boolean expressions, for guards such
        as "has no snapshots" (a NOT EXISTS subquery).
    :returns: True if the row was updated, False if it did not match. The
        check and the write are one UPDATE statement, so two processes can
        never both win the same transition.
    """
    return _update(model, resource_id, values, expected or {}, criteria,
                   session)


def _update(model, resource_id, values, expected, criteria, session):
    stmt = sa.update(model).where(_by_id(model, resource_id))
    for key, wanted in (expected or {}).items():
        column = getattr(model, key)
        if isinstance(wanted, (list, tuple, set, frozenset)):
            wanted = list(wanted)
            if None in wanted:
                others = [w for w in wanted if w is not None]
                stmt = stmt.where(sa.or_(column.is_(None),
                                         column.in_(others)))
            else:
                stmt = stmt.where(column.in_(wanted))
        elif wanted is None:
            stmt = stmt.where(column.is_(None))
        else:
            stmt = stmt.where(column == wanted)
    for criterion in criteria:
        stmt = stmt.where(criterion)
    if hasattr(model, 'updated_at') and 'updated_at' not in values:
        from storagemgr.db.models import base
        values = dict(values, updated_at=base.utcnow())
    stmt = stmt.values(**values).execution_options(
        synchronize_session=False)

    def _run(sess):
        result = sess.execute(stmt)
        if result.rowcount == 0 and expected is None:
            raise exception.NotFound('%s %s could not be found.' % (
                model.__name__, resource_id))
        return result.rowcount == 1

    return db_session.run(_run, session)


def delete(model, resource_id, session=None):
    """Delete one row; return whether it existed."""
    stmt = sa.delete(model).where(_by_id(model, resource_id))
    if session is not None:
        return session.execute(stmt).rowcount == 1
    with db_session.session_scope() as sess:
        return sess.execute(stmt).rowcount == 1


def upsert(model, values, session=None):
    """Insert or replace the row with values' primary key."""
    def _upsert(sess):
        sess.merge(model(**values))
    try:
        if session is not None:
            return _upsert(session)
        with db_session.session_scope() as sess:
            return _upsert(sess)
    except db_exc.DBDuplicateEntry:
        # Two writers raced on the insert; the other one's row stands and
        # ours becomes an update.
        pk = sa.inspect(model).primary_key[0].key
        return update(model, values[pk], values, session=session)
