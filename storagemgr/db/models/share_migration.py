"""The record of a share's migration: how it goes and what was asked.

One row per migration started. The share's ``task_state`` is where the
migration is; this row keeps what both phases (and a process resuming
either) need to know: which instances, which method, the user's flags,
and how far the copy got. Rows stay after the migration ends, so
``share migration show`` can still say how the last one ended.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.db.models import base


class ShareMigration(base.Base, base.IdMixin, base.TimestampMixin):
    __tablename__ = 'share_migrations'
    __table_args__ = (
        sa.Index('share_migrations_share_idx', 'share_id'),
    )

    share_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('shares.id'), nullable=False)
    source_instance_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=False)
    destination_instance_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=False)
    source_host: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=False)
    destination_host: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=False)
    # 'driver' or 'host'; None until phase 1 chose.
    method: orm.Mapped[str] = orm.mapped_column(sa.String(16),
                                                nullable=True)
    writable: orm.Mapped[bool] = orm.mapped_column(
        sa.Boolean, nullable=False, default=False)
    nondisruptive: orm.Mapped[bool] = orm.mapped_column(
        sa.Boolean, nullable=False, default=False)
    preserve_metadata: orm.Mapped[bool] = orm.mapped_column(
        sa.Boolean, nullable=False, default=False)
    preserve_snapshots: orm.Mapped[bool] = orm.mapped_column(
        sa.Boolean, nullable=False, default=False)
    force_host_assisted: orm.Mapped[bool] = orm.mapped_column(
        sa.Boolean, nullable=False, default=False)
    # The share type the share has after the migration (None: its own).
    new_share_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    # Host-assisted copy progress, written as the copy goes.
    bytes_total: orm.Mapped[int] = orm.mapped_column(
        sa.BigInteger, nullable=True)
    bytes_copied: orm.Mapped[int] = orm.mapped_column(
        sa.BigInteger, nullable=True)
    files_total: orm.Mapped[int] = orm.mapped_column(
        sa.Integer, nullable=True)
    files_copied: orm.Mapped[int] = orm.mapped_column(
        sa.Integer, nullable=True)
    # Why it failed or was refused, for show.
    detail: orm.Mapped[str] = orm.mapped_column(sa.Text, nullable=True)
