"""Allocated capacity per pool: atomic reservations and releases.

The scheduler picks a pool from a snapshot of the pools' state; between
that moment and the insert of the new share instance or volume another
process may have taken the space. So the insert's transaction also makes
the reservation, as one conditional update checked by its row count::

    UPDATE pool_usage SET allocated_capacity_gb = allocated + :size
     WHERE host = :host AND allocated + :size <= :limit

Every database re-reads the row under its lock for such an update, so of
two creates racing for the last GiB exactly one wins; the loser's whole
transaction (its rows and its saved flow) rolls back and the caller
schedules again. A row's deletion releases its size in the transaction
that deletes it. The rows are made when the scheduler first sees a pool,
from what the database already holds there (:func:`ensure_rows`).
"""

from oslo_db import exception as db_exc
from oslo_log import log as logging
import sqlalchemy as sa

from storagemgr.db.models import pool_usage as models
from storagemgr.db import session as db_session
from storagemgr import exception

LOG = logging.getLogger(__name__)

PoolUsage = models.PoolUsage


def format_gib(value):
    """GiB as people read them: whole numbers plain, fractions to 0.01."""
    if value is None:
        return 'unknown'
    value = float(value)
    return '%d' % value if value.is_integer() else '%.2f' % value


def _sizes_on_hosts(session, kind, hosts):
    """{host: GiB} that the shares' instances or the volumes hold there."""
    if kind == 'share':
        from storagemgr.db.models import share as share_models
        instance, share = share_models.ShareInstance, share_models.Share
        query = sa.select(instance.host, sa.func.sum(share.size)).join(
            share, share.id == instance.share_id).where(
            instance.host.in_(hosts)).group_by(instance.host)
    else:
        from storagemgr.db.models import volume as volume_models
        volume = volume_models.Volume
        query = sa.select(volume.host, sa.func.sum(volume.size)).where(
            volume.host.in_(hosts)).group_by(volume.host)
    return {host: int(total or 0) for host, total in
            session.execute(query)}


def allocated(kind, hosts):
    """{host: allocated GiB} for ``hosts``, making the rows it lacks."""
    hosts = list(hosts)
    if not hosts:
        return {}
    with db_session.session_scope() as session:
        found = dict(session.execute(
            sa.select(PoolUsage.host, PoolUsage.allocated_capacity_gb).where(
                PoolUsage.host.in_(hosts))).all())
    missing = [h for h in hosts if h not in found]
    if missing:
        found.update(ensure_rows(kind, missing))
    return found


def ensure_rows(kind, hosts):
    """Make the usage rows of ``hosts`` from what the database holds.

    The sums and the inserts share one transaction, so a share created or
    deleted meanwhile is either in the sum or adjusts the row afterwards.
    """
    try:
        with db_session.session_scope() as session:
            sizes = _sizes_on_hosts(session, kind, hosts)
            for host in hosts:
                session.add(PoolUsage(host=host, kind=kind,
                                      allocated_capacity_gb=sizes.get(
                                          host, 0)))
    except db_exc.DBDuplicateEntry:
        # Another process made one of them first; read its figure and
        # make the rest (each round has fewer rows to make).
        return allocated(kind, hosts)
    return {host: sizes.get(host, 0) for host in hosts}


def reserve(session, host, size, limit):
    """Add ``size`` GiB to ``host``'s allocation, never past ``limit``.

    ``limit`` None means the pool reports no bound ('infinite' or
    'unknown' capacity). Raises CapacityExceeded (the caller's
    transaction then rolls back) when the pool is full or has no row.
    """
    usage = PoolUsage.__table__.c
    criteria = [usage.host == host]
    if limit is not None:
        criteria.append(usage.allocated_capacity_gb + size <= int(limit))
    result = session.execute(
        PoolUsage.__table__.update().where(*criteria).values(
            allocated_capacity_gb=usage.allocated_capacity_gb + size))
    if result.rowcount == 1:
        return
    row = session.get(PoolUsage, host)
    raise exception.CapacityExceeded(
        host=host, size=size,
        allocated=row.allocated_capacity_gb if row else 'unknown',
        limit=format_gib(limit))


def release(session, host, size):
    """Take ``size`` GiB off ``host``'s allocation (never below zero)."""
    adjust(session, host, -(size or 0))


def adjust(session, host, delta):
    """Count ``delta`` GiB more (or fewer) on ``host``, without a limit.

    For what is already on the pool and cannot be refused: an adopted
    share or volume, a revert to a bigger snapshot, a share given back. A
    pool without a row yet is counted when the scheduler first sees it.
    The count never goes below zero.
    """
    if not host or not delta:
        return
    usage = PoolUsage.__table__.c
    session.execute(PoolUsage.__table__.update().where(
        usage.host == host).values(allocated_capacity_gb=sa.case(
            (usage.allocated_capacity_gb + delta > 0,
             usage.allocated_capacity_gb + delta), else_=0)))


def reconcile(host):
    """Set ``host``'s count to what the database holds there; the drift.

    The row is locked first and the sizes summed in a later statement, so
    a claim that reserved before has committed (it held the lock) and is
    in the sum, and one that reserves after adds to the corrected figure.
    The drift (new minus old) is what a crash between a failed extend and
    its release, say, had left wrong; None when the pool has no row.
    """
    with db_session.session_scope() as session:
        row = session.execute(sa.select(PoolUsage).where(
            PoolUsage.host == host).with_for_update()).scalar()
        if row is None:
            return None
        held = _sizes_on_hosts(session, row.kind, [host]).get(host, 0)
        drift = held - row.allocated_capacity_gb
        if drift:
            LOG.warning('Pool %(host)s counted %(old)d GiB allocated but '
                        'holds %(new)d GiB; corrected.', {
                            'host': host, 'old': row.allocated_capacity_gb,
                            'new': held})
            row.allocated_capacity_gb = held
        return drift


def hosts_of(prefixes):
    """The pools with a usage row whose host string starts with a prefix."""
    with db_session.session_scope() as session:
        return [host for host in session.scalars(sa.select(PoolUsage.host))
                if host.startswith(tuple(prefixes))]
