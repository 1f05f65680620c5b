"""Volumes, their snapshots, consistency groups and group snapshots."""

import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.db.models import base


class ConsistencyGroup(base.IdMixin, base.TimestampMixin, base.Base):
    __tablename__ = 'consistencygroups'

    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=True)
    backend: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    # The source this group was created from, if any.
    cgsnapshot_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    source_cgid: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)


class Volume(base.IdMixin, base.TimestampMixin, base.Base):
    __tablename__ = 'volumes'

    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=True)
    size: orm.Mapped[int] = orm.mapped_column(sa.Integer)
    backend: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    provider_location: orm.Mapped[str] = orm.mapped_column(
        sa.String(1024), nullable=True)
    consistencygroup_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('consistencygroups.id'), nullable=True,
        index=True)
    snapshot_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    source_volid: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)


class CGSnapshot(base.IdMixin, base.TimestampMixin, base.Base):
    __tablename__ = 'cgsnapshots'

    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=True)
    consistencygroup_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('consistencygroups.id'), index=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))


class VolumeSnapshot(base.IdMixin, base.TimestampMixin, base.Base):
    __tablename__ = 'volume_snapshots'

    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=True)
    volume_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('volumes.id'), index=True)
    cgsnapshot_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('cgsnapshots.id'), nullable=True,
        index=True)
    size: orm.Mapped[int] = orm.mapped_column(sa.Integer)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    provider_location: orm.Mapped[str] = orm.mapped_column(
        sa.String(1024), nullable=True)
