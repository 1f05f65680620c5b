"""Writes to many rows at once: one statement per step, not one per row.

Group operations write every member's outcome; a group of a thousand
members must not cost a thousand round trips.
"""

import collections

import sqlalchemy as sa

from storagemgr.db.models import base as models_base


def insert(session, model, rows):
    """Insert rows in one statement, their timestamps filled in."""
    if not rows:
        return
    now = models_base.utcnow()
    session.execute(sa.insert(model), [
        dict(row, created_at=now, updated_at=now) for row in rows])


def update_where(session, model, values, *criteria):
    """One UPDATE of every row meeting ``criteria``; returns its count."""
    return session.execute(sa.update(model).where(*criteria).values(
        dict(values, updated_at=models_base.utcnow())).execution_options(
        synchronize_session=False)).rowcount


def write(session, model, values_by_id, expected_status=None, key=None,
          criteria=()):
    """Write each id's values: one statement per set of columns written.

    Rows whose updates name the same columns (the usual case: every
    member gets a status and its own provider location) are one UPDATE
    run with every row's parameters (executemany), not one per row.

    :param key: the column ids are matched on (default the primary key).
    :param expected_status: only rows still in one of these statuses.
    """
    key = key if key is not None else model.id
    same_columns = collections.defaultdict(list)
    for row_id, values in values_by_id.items():
        same_columns[tuple(sorted(values))].append((row_id, values))
    now = models_base.utcnow()
    for columns, rows in same_columns.items():
        stmt = sa.update(model.__table__).where(
            key == sa.bindparam('row_key'), *criteria)
        if expected_status is not None:
            # Not IN (...): an expanding parameter cannot be executemany'd.
            stmt = stmt.where(sa.or_(sa.false(), *(
                model.status == status
                for status in sorted(expected_status))))
        stmt = stmt.values(updated_at=now, **{
            column: sa.bindparam('new_' + column) for column in columns})
        session.execute(stmt, [
            dict({'new_' + column: values[column] for column in columns},
                 row_key=row_id) for row_id, values in rows])


def delete(session, model, ids, key=None):
    """Delete the rows with these ids in one statement."""
    if not ids:
        return 0
    key = key if key is not None else model.id
    return session.execute(sa.delete(model).where(
        key.in_(sorted(ids))).execution_options(
            synchronize_session=False)).rowcount
