"""Driver private data: key-value pairs drivers keep per instance.

Revision ID: driver_private_0001
Revises: 0001
Create Date: 2027-01-15
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = 'driver_private_0001'
down_revision = '0001'
branch_labels = ('driver_private',)
depends_on = None


def upgrade():
    op.create_table(
        'driver_private_data',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('entity_uuid', sa.String(36), nullable=False),
        # Case-sensitive keys on MySQL too (its default collation is not).
        sa.Column('key', sa.String(255).with_variant(
            mysql.VARCHAR(255, charset='utf8mb4', collation='utf8mb4_bin'),
            'mysql'), nullable=False),
        sa.Column('value', sa.String(1023), nullable=False),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('updated_at', sa.DateTime, nullable=True),
        sa.UniqueConstraint('entity_uuid', 'key',
                            name='uniq_driver_private_data0entity_uuid0key'))
    op.create_index('driver_private_data_entity_uuid_idx',
                    'driver_private_data', ['entity_uuid'])


def downgrade():
    op.drop_index('driver_private_data_entity_uuid_idx',
                  table_name='driver_private_data')
    op.drop_table('driver_private_data')
