"""The last known state of each backend, as its manager reported it."""

import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.db.models import base


class BackendState(base.Base, base.TimestampMixin):
    __tablename__ = 'backend_states'

    name: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                              primary_key=True)
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    driver: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=True)
    state: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    error: orm.Mapped[str] = orm.mapped_column(sa.Text, nullable=True)
    stats: orm.Mapped[dict] = orm.mapped_column(sa.JSON, nullable=True)
    # When a backend in error is next tried (UTC); None when not planned.
    next_attempt_at: orm.Mapped[object] = orm.mapped_column(
        sa.DateTime, nullable=True)
