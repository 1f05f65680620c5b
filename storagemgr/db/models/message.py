"""User messages: why an asynchronous operation on a resource failed.

A message outlives the failed operation's log lines: it is kept in the
database, tied to the resource by type and id, until it expires. Its id is
a UUID, never a reused integer, because users refer to it by id.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.db.models import base


class Message(base.Base, base.IdMixin):
    __tablename__ = 'messages'
    __table_args__ = (
        sa.Index('messages_resource_idx', 'resource_type', 'resource_id'),
        sa.Index('messages_expires_at_idx', 'expires_at'),
    )

    resource_type: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    resource_id: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    action: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    detail: orm.Mapped[str] = orm.mapped_column(sa.Text)
    message_level: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    request_id: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                    nullable=True)
    created_at: orm.Mapped[object] = orm.mapped_column(
        sa.DateTime, default=base.utcnow, nullable=False)
    expires_at: orm.Mapped[object] = orm.mapped_column(sa.DateTime,
                                                       nullable=False)
