"""Share types, volume types and share group types, with their specs.

A type is a named set of key-value specs that users pick when they create
a share, a volume or a share group; the scheduler matches the specs with
what the backends' pools report. The three families have the same shape
(a type row and its spec rows), so they share the mixins below. A share
group type also lists the share types its groups may hold.

Names and spec keys compare case-sensitively on every database (MySQL's
default collation would take ``Gold`` and ``gold`` for one name).
"""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy import orm

from storagemgr.db.models import base

NAME_LENGTH = 255
KEY_LENGTH = 255
VALUE_LENGTH = 255
DESCRIPTION_LENGTH = 255

CASE_SENSITIVE_255 = sa.String(255).with_variant(
    mysql.VARCHAR(255, charset='utf8mb4', collation='utf8mb4_bin'), 'mysql')


class TypeMixin(base.IdMixin, base.TimestampMixin):
    """What every type has: a unique name, a description, a visibility."""

    name: orm.Mapped[str] = orm.mapped_column(CASE_SENSITIVE_255,
                                              nullable=False)
    description: orm.Mapped[str] = orm.mapped_column(
        sa.String(DESCRIPTION_LENGTH), nullable=True)
    is_public: orm.Mapped[bool] = orm.mapped_column(
        sa.Boolean, nullable=False, default=True)


class SpecMixin(base.TimestampMixin):
    """One key-value spec of a type; the subclass adds the type's key."""

    id: orm.Mapped[int] = orm.mapped_column(
        sa.Integer, primary_key=True, autoincrement=True)
    key: orm.Mapped[str] = orm.mapped_column(CASE_SENSITIVE_255,
                                             nullable=False)
    value: orm.Mapped[str] = orm.mapped_column(sa.String(VALUE_LENGTH),
                                               nullable=False)


class ShareType(TypeMixin, base.Base):
    __tablename__ = 'share_types'
    __table_args__ = (
        sa.UniqueConstraint('name', name='uniq_share_types0name'),
    )


class ShareTypeExtraSpec(SpecMixin, base.Base):
    __tablename__ = 'share_type_extra_specs'
    __table_args__ = (
        sa.UniqueConstraint('share_type_id', 'key',
                            name='uniq_share_type_extra_specs0'
                                 'share_type_id0key'),
    )

    share_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('share_types.id'), nullable=False)


class VolumeType(TypeMixin, base.Base):
    __tablename__ = 'volume_types'
    __table_args__ = (
        sa.UniqueConstraint('name', name='uniq_volume_types0name'),
    )


class VolumeTypeExtraSpec(SpecMixin, base.Base):
    __tablename__ = 'volume_type_extra_specs'
    __table_args__ = (
        sa.UniqueConstraint('volume_type_id', 'key',
                            name='uniq_volume_type_extra_specs0'
                                 'volume_type_id0key'),
    )

    volume_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('volume_types.id'), nullable=False)


class ShareGroupType(TypeMixin, base.Base):
    __tablename__ = 'share_group_types'
    __table_args__ = (
        sa.UniqueConstraint('name', name='uniq_share_group_types0name'),
    )


class ShareGroupTypeSpec(SpecMixin, base.Base):
    __tablename__ = 'share_group_type_specs'
    __table_args__ = (
        sa.UniqueConstraint('share_group_type_id', 'key',
                            name='uniq_share_group_type_specs0'
                                 'share_group_type_id0key'),
    )

    share_group_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('share_group_types.id'),
        nullable=False)


class ShareGroupTypeShareType(base.Base, base.TimestampMixin):
    """A share type that groups of a share group type may hold."""

    __tablename__ = 'share_group_type_share_types'
    __table_args__ = (
        # "Which group types list this share type" guards its deletion.
        sa.Index('share_group_type_share_types_share_type_idx',
                 'share_type_id'),
    )

    share_group_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('share_group_types.id'),
        primary_key=True)
    share_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('share_types.id'), primary_key=True)
