"""What share drivers keep about their own objects (driver private data).

A driver may remember backend details of a share or snapshot instance
(a dataset name, the path it exported, a replication tag) as key-value
pairs under the instance's id. Values are text. The rows of an instance
go when the instance is deleted, and stay when it is abandoned, so that a
driver can find what it needs again when the same object is adopted.
"""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy import orm

from storagemgr.db.models import base

ENTITY_ID_LENGTH = 36
KEY_LENGTH = 255
VALUE_LENGTH = 1023

# Keys are compared case-sensitively everywhere: MySQL's default collation
# would take 'Path' and 'path' for one key.
KEY_TYPE = sa.String(KEY_LENGTH).with_variant(
    mysql.VARCHAR(KEY_LENGTH, charset='utf8mb4', collation='utf8mb4_bin'),
    'mysql')


class DriverPrivateData(base.Base, base.TimestampMixin):
    __tablename__ = 'driver_private_data'
    __table_args__ = (
        sa.UniqueConstraint('entity_uuid', 'key',
                            name='uniq_driver_private_data0entity_uuid0key'),
        sa.Index('driver_private_data_entity_uuid_idx', 'entity_uuid'),
    )

    id: orm.Mapped[int] = orm.mapped_column(
        sa.Integer, primary_key=True, autoincrement=True)
    entity_uuid: orm.Mapped[str] = orm.mapped_column(
        sa.String(ENTITY_ID_LENGTH))
    key: orm.Mapped[str] = orm.mapped_column(KEY_TYPE)
    value: orm.Mapped[str] = orm.mapped_column(sa.String(VALUE_LENGTH))
