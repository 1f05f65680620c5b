"""What storagemgr has allocated on each pool, for atomic capacity claims.

One row per pool (``host@backend#pool``). A create adds its size in the
same transaction that inserts the share instance or volume, with a
conditional update that refuses to pass the pool's limit; a delete takes
it off in the transaction that removes the row. Two creates racing for
the last GiB therefore cannot both win, on any database.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.db.models import base


class PoolUsage(base.Base, base.TimestampMixin):
    __tablename__ = 'pool_usage'

    host: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                              primary_key=True)
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(16),
                                              nullable=False)
    allocated_capacity_gb: orm.Mapped[int] = orm.mapped_column(
        sa.Integer, nullable=False, default=0)
