"""Share groups, the share types they allow, group snapshots, members.

A share group is a set of shares on one backend (on one pool when the
backend's snapshots are consistent per pool) whose snapshots are taken
together. Its shares point at it (``shares.share_group_id``). A group
snapshot has one member per share that was in the group when it was
taken; a member is the snapshot of that share's active instance, so a
group created from the group snapshot has one new share per member
(``share_instances.source_share_group_snapshot_member_id``).
"""

import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.db.models import base


class ShareGroup(base.Base, base.IdMixin, base.TimestampMixin):
    __tablename__ = 'share_groups'
    __table_args__ = (
        sa.Index('share_groups_display_name_idx', 'display_name'),
        sa.Index('share_groups_status_idx', 'status'),
    )

    display_name: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    description: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(64),
                                                nullable=False)
    # ``host@backend`` or, when snapshots are consistent per pool,
    # ``host@backend#pool``: where every share of the group must be.
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                              nullable=False)
    backend: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                 nullable=False)
    share_group_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    source_share_group_snapshot_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    availability_zone: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    consistent_snapshot_support: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    share_network_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    share_server_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), nullable=True)
    provider_data: orm.Mapped[dict] = orm.mapped_column(
        sa.JSON, nullable=True)


class ShareGroupShareType(base.Base, base.TimestampMixin):
    """A share type the shares of a group may be of."""

    __tablename__ = 'share_group_share_types'

    share_group_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('share_groups.id'), primary_key=True)
    share_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), primary_key=True)


class ShareGroupSnapshot(base.Base, base.IdMixin, base.TimestampMixin):
    __tablename__ = 'share_group_snapshots'
    __table_args__ = (
        sa.Index('share_group_snapshots_group_idx', 'share_group_id'),
        sa.Index('share_group_snapshots_display_name_idx', 'display_name'),
    )

    share_group_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('share_groups.id'), nullable=False)
    display_name: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    description: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(64),
                                                nullable=False)
    provider_data: orm.Mapped[dict] = orm.mapped_column(
        sa.JSON, nullable=True)


class ShareGroupSnapshotMember(base.Base, base.IdMixin,
                               base.TimestampMixin):
    """The snapshot of one share's active instance in a group snapshot."""

    __tablename__ = 'share_group_snapshot_members'
    __table_args__ = (
        sa.Index('share_group_snapshot_members_snapshot_idx',
                 'share_group_snapshot_id'),
        sa.Index('share_group_snapshot_members_share_idx', 'share_id'),
    )

    share_group_snapshot_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('share_group_snapshots.id'),
        nullable=False)
    share_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('shares.id'), nullable=False)
    share_instance_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('share_instances.id'), nullable=False)
    size: orm.Mapped[int] = orm.mapped_column(sa.Integer, nullable=False)
    share_proto: orm.Mapped[str] = orm.mapped_column(sa.String(16),
                                                     nullable=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(64),
                                                nullable=False)
    provider_location: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    provider_data: orm.Mapped[dict] = orm.mapped_column(
        sa.JSON, nullable=True)
