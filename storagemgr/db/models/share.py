"""Shares, their snapshots and their access rules."""

import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.db.models import base


class Share(base.Base, base.IdMixin, base.TimestampMixin):
    __tablename__ = 'shares'
    __table_args__ = (
        sa.Index('shares_display_name_idx', 'display_name'),
        sa.Index('shares_backend_idx', 'backend'),
        sa.Index('shares_status_idx', 'status'),
    )

    display_name: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    size: orm.Mapped[int] = orm.mapped_column(sa.Integer, nullable=False)
    share_proto: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    backend: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    status: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    export_locations: orm.Mapped[list] = orm.mapped_column(
        sa.JSON, nullable=True)
    snapshot_id: orm.Mapped[str] = orm.mapped_column(sa.String(36),
                                                     nullable=True)
    share_metadata: orm.Mapped[dict] = orm.mapped_column(
        'metadata', sa.JSON, nullable=True)
    task_state: orm.Mapped[str] = orm.mapped_column(sa.String(64),
                                                    nullable=True)
    progress: orm.Mapped[str] = orm.mapped_column(sa.String(32),
                                                  nullable=True)


class ShareSnapshot(base.Base, base.IdMixin, base.TimestampMixin):
    __tablename__ = 'share_snapshots'
    __table_args__ = (
        sa.Index('share_snapshots_share_idx', 'share_id'),
        sa.Index('share_snapshots_display_name_idx', 'display_name'),
        sa.Index('share_snapshots_status_idx', 'status'),
    )

    share_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('shares.id'))
    display_name: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    size: orm.Mapped[int] = orm.mapped_column(sa.Integer, nullable=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    provider_location: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    export_locations: orm.Mapped[list] = orm.mapped_column(
        sa.JSON, nullable=True)


class ShareAccessRule(base.Base, base.IdMixin, base.TimestampMixin):
    __tablename__ = 'share_access_rules'
    __table_args__ = (
        sa.UniqueConstraint('share_id', 'access_type', 'access_to',
                            name='uniq_share_access_rule'),
        sa.Index('share_access_rules_share_idx', 'share_id'),
    )

    share_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('shares.id'))
    access_type: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    access_to: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    access_level: orm.Mapped[str] = orm.mapped_column(sa.String(2))
    access_key: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                    nullable=True)
    state: orm.Mapped[str] = orm.mapped_column(sa.String(32))
