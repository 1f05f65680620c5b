"""Declarative base and column helpers shared by every model."""

from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa
from sqlalchemy import orm


class Base(orm.DeclarativeBase):
    """Base of every storagemgr model."""

    def to_dict(self):
        """The row's columns as a plain dict (what drivers and the CLI see)."""
        return {c.key: getattr(self, c.key)
                for c in sa.inspect(self).mapper.column_attrs}


def new_id():
    return uuidutils.generate_uuid()


def utcnow():
    return timeutils.utcnow()


# Table option for integer keys that must never be handed out twice (see
# storagemgr.db.models.plugin). Other databases never reuse them anyway.
NEVER_REUSE_IDS = {'sqlite_autoincrement': True}


class IdMixin(object):
    id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), primary_key=True, default=new_id)


class TimestampMixin(object):
    created_at: orm.Mapped[object] = orm.mapped_column(
        sa.DateTime, default=utcnow, nullable=False)
    updated_at: orm.Mapped[object] = orm.mapped_column(
        sa.DateTime, default=utcnow, onupdate=utcnow, nullable=True)
