"""Shares and their instances, snapshots and their instances, access.

The split is the reference share service's: a share (and a snapshot) is
what the user asked for (name, protocol, size, type, group); an instance
is where it lives and how it is doing there (host ``host@backend#pool``,
status, export locations, replica state, progress). Every share has one
active instance; migration adds a destination instance and replication
adds replica instances. A snapshot has one instance per share instance it
was taken on. An access rule is the user's grant; its state on each
share instance is a row of ``share_instance_access_rules``.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.db.models import base


class Share(base.Base, base.IdMixin, base.TimestampMixin):
    __tablename__ = 'shares'
    __table_args__ = (
        sa.Index('shares_display_name_idx', 'display_name'),
        sa.Index('shares_share_group_idx', 'share_group_id'),
    )

    display_name: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    size: orm.Mapped[int] = orm.mapped_column(sa.Integer, nullable=False)
    share_proto: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    snapshot_id: orm.Mapped[str] = orm.mapped_column(sa.String(36),
                                                     nullable=True)
    share_metadata: orm.Mapped[dict] = orm.mapped_column(
        'metadata', sa.JSON, nullable=True)
    task_state: orm.Mapped[str] = orm.mapped_column(sa.String(64),
                                                    nullable=True)
    share_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    share_group_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)


class ShareInstance(base.Base, base.IdMixin, base.TimestampMixin):
    __tablename__ = 'share_instances'
    __table_args__ = (
        sa.Index('share_instances_share_idx', 'share_id'),
        sa.Index('share_instances_host_idx', 'host'),
        sa.Index('share_instances_status_idx', 'status'),
        sa.Index('share_instances_replica_state_idx', 'replica_state'),
    )

    share_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('shares.id'), nullable=False)
    # The instance the share's status, host and export locations come
    # from (replicas and migration destinations are not active).
    active: orm.Mapped[bool] = orm.mapped_column(
        sa.Boolean, nullable=False, default=True)
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                              nullable=False)
    # The backend section of ``host``, kept apart for lookups and lists.
    backend: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                 nullable=False)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(64),
                                                nullable=False)
    export_locations: orm.Mapped[list] = orm.mapped_column(
        sa.JSON, nullable=True)
    progress: orm.Mapped[str] = orm.mapped_column(sa.String(32),
                                                  nullable=True)
    replica_state: orm.Mapped[str] = orm.mapped_column(
        sa.String(64), nullable=True)
    share_server_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    share_network_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    share_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    availability_zone: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    access_rules_status: orm.Mapped[str] = orm.mapped_column(
        sa.String(32), nullable=True)
    # A readable secondary replica: every rule reaches its driver
    # read-only, whatever level the user gave it.
    cast_rules_to_readonly: orm.Mapped[bool] = orm.mapped_column(
        sa.Boolean, nullable=False, default=False,
        server_default=sa.false())
    # Provider keys a driver reported in a model update.
    provider_data: orm.Mapped[dict] = orm.mapped_column(
        sa.JSON, nullable=True)
    # The group snapshot member this instance was created from, for the
    # shares of a group created from a group snapshot.
    source_share_group_snapshot_member_id: orm.Mapped[str] = (
        orm.mapped_column(sa.String(36), nullable=True))


class ShareSnapshot(base.Base, base.IdMixin, base.TimestampMixin):
    __tablename__ = 'share_snapshots'
    __table_args__ = (
        sa.Index('share_snapshots_share_idx', 'share_id'),
        sa.Index('share_snapshots_display_name_idx', 'display_name'),
    )

    share_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('shares.id'))
    display_name: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    size: orm.Mapped[int] = orm.mapped_column(sa.Integer, nullable=True)


class ShareSnapshotInstance(base.Base, base.IdMixin, base.TimestampMixin):
    __tablename__ = 'share_snapshot_instances'
    __table_args__ = (
        sa.Index('share_snapshot_instances_snapshot_idx', 'snapshot_id'),
        sa.Index('share_snapshot_instances_share_instance_idx',
                 'share_instance_id'),
        sa.Index('share_snapshot_instances_status_idx', 'status'),
    )

    snapshot_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('share_snapshots.id'), nullable=False)
    share_instance_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('share_instances.id'), nullable=False)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(64),
                                                nullable=False)
    progress: orm.Mapped[str] = orm.mapped_column(sa.String(32),
                                                  nullable=True)
    provider_location: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    export_locations: orm.Mapped[list] = orm.mapped_column(
        sa.JSON, nullable=True)
    provider_data: orm.Mapped[dict] = orm.mapped_column(
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


class ShareInstanceAccessRule(base.Base, base.IdMixin,
                              base.TimestampMixin):
    """The state of one access rule on one share instance."""

    __tablename__ = 'share_instance_access_rules'
    __table_args__ = (
        sa.UniqueConstraint('share_instance_id', 'access_id',
                            name='uniq_share_instance_access_rule'),
        sa.Index('share_instance_access_rules_access_idx', 'access_id'),
    )

    share_instance_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('share_instances.id'), nullable=False)
    access_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('share_access_rules.id'),
        nullable=False)
    state: orm.Mapped[str] = orm.mapped_column(sa.String(32),
                                               nullable=False)
