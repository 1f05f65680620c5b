"""Volumes, their snapshots, consistency groups and group snapshots."""

import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.db.models import base

# The row attribute of each provider key a driver's model update may carry
# (``storagemgr.driver_returns.PROVIDER_KEYS``); every table here has them
# all. ``metadata`` is a reserved name on a declarative class, so that one
# key is stored in the ``metadata`` column through another attribute name.
PROVIDER_ATTRIBUTES = {
    'provider_location': 'provider_location',
    'provider_id': 'provider_id',
    'provider_auth': 'provider_auth',
    'provider_geometry': 'provider_geometry',
    'replication_status': 'replication_status',
    'replication_driver_data': 'replication_driver_data',
    'replication_extended_status': 'replication_extended_status',
    'metadata': 'provider_metadata',
}


class ProviderMixin(object):
    """What a driver said about the backend object behind a row."""

    provider_location: orm.Mapped[str] = orm.mapped_column(
        sa.String(1024), nullable=True)
    provider_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    provider_auth: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    provider_geometry: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    replication_status: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    replication_driver_data: orm.Mapped[str] = orm.mapped_column(
        sa.Text, nullable=True)
    replication_extended_status: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    provider_metadata: orm.Mapped[dict] = orm.mapped_column(
        'metadata', sa.JSON, nullable=True)


class ConsistencyGroup(ProviderMixin, base.IdMixin, base.TimestampMixin,
                       base.Base):
    __tablename__ = 'consistencygroups'

    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=True)
    backend: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    # The source this group was created from, if any.
    cgsnapshot_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    source_cgid: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)


class Volume(ProviderMixin, base.IdMixin, base.TimestampMixin, base.Base):
    __tablename__ = 'volumes'

    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=True)
    size: orm.Mapped[int] = orm.mapped_column(sa.Integer)
    backend: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    # ``host@backend#pool`` the scheduler placed the volume on.
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=True,
                                              index=True)
    volume_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    consistencygroup_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('consistencygroups.id'), nullable=True,
        index=True)
    snapshot_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    source_volid: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)


class CGSnapshot(ProviderMixin, base.IdMixin, base.TimestampMixin,
                 base.Base):
    __tablename__ = 'cgsnapshots'

    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=True)
    consistencygroup_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('consistencygroups.id'), index=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))


class VolumeSnapshot(ProviderMixin, base.IdMixin, base.TimestampMixin,
                     base.Base):
    __tablename__ = 'volume_snapshots'

    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=True)
    volume_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('volumes.id'), index=True)
    cgsnapshot_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('cgsnapshots.id'), nullable=True,
        index=True)
    size: orm.Mapped[int] = orm.mapped_column(sa.Integer)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))
