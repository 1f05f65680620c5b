"""Reading and moving migration records.

``advance`` is the only writer of a share's ``task_state``: one
conditional update guarded by ``constants.TRANSITIONS``.
"""

import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db.models import share as share_models
from storagemgr.db.models import share_migration as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.share_migration import constants

Share = share_models.Share
Migration = models.ShareMigration


def advance(share_id, to_state, session=None, extra=None, criteria=(),
            action=None):
    """Move the share's ``task_state`` to ``to_state``, or refuse.

    The states it may come from are ``TRANSITIONS[to_state]``; the check
    and the write are one UPDATE. ``extra``: more share columns to write.

    :raises InvalidState: the share is in another task state (or a
        criterion refused it); nothing changed.
    """
    allowed = constants.TRANSITIONS[to_state]
    values = dict(extra or {}, task_state=to_state)
    if db_api.conditional_update(Share, share_id, values,
                                 expected={'task_state': list(allowed)},
                                 criteria=criteria, session=session):
        return
    current = db_api.get(Share, share_id, session=session,
                         resource_name='Share')
    raise exception.InvalidState(
        resource='Share', id=share_id,
        status='task state %s' % current.task_state,
        action=action or 'move its migration to %s' % to_state,
        expected=' or '.join(str(s) for s in allowed))


def task_state(share_id, session=None):
    return db_api.get(Share, share_id, session=session,
                      resource_name='Share').task_state


def latest(share_id, session=None):
    """The share's last migration row, or None."""
    stmt = sa.select(Migration).where(
        Migration.share_id == share_id).order_by(
        Migration.created_at.desc(), Migration.id.desc()).limit(1)
    return db_session.run(lambda s: s.scalars(stmt).first(), session)


def get(migration_id, session=None):
    return db_api.get(Migration, migration_id, session=session,
                      resource_name='Share migration')


def update(migration_id, values, session=None):
    db_api.update(Migration, migration_id, values, session=session)


def require(share_id, session=None):
    """The share's migration row; NotFound if it never started one."""
    row = latest(share_id, session=session)
    if row is None:
        raise exception.NotFound(
            'share %s has never been migrated' % share_id)
    return row


def walk_to(share_id, path, target, session=None):
    """Advance along ``path`` (a phase's states, in order) to ``target``.

    A resumed task runs again from its start: the states the share
    already reached (up to ``target`` or past it) are not taken twice,
    which ``advance`` would refuse; the ones between are, each with its
    own conditional update.

    :raises ShareMigrationCancelled: a cancel came in between two steps
        (the flow's revert undoes phase 1 and ends in
        ``migration_cancelled``).
    :raises InvalidState: the share is not on ``path`` at all.
    """
    current = task_state(share_id, session=session)
    if current == constants.CANCEL_IN_PROGRESS:
        raise exception.ShareMigrationCancelled(share_id=share_id)
    if current not in path:
        raise exception.InvalidState(
            resource='Share', id=share_id,
            status='task state %s' % current,
            action='move its migration to %s' % target,
            expected=' or '.join(str(s) for s in path))
    for state in path[path.index(current) + 1:path.index(target) + 1]:
        advance(share_id, state, session=session)
