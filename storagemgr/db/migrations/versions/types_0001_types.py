"""Share types, volume types and share group types, with their specs.

Revision ID: types_0001
Revises: 0001
Create Date: 2027-02-01
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = 'types_0001'
down_revision = '0001'
branch_labels = ('types',)
depends_on = None


def _case_sensitive():
    # Names and spec keys compare case-sensitively on MySQL too.
    return sa.String(255).with_variant(
        mysql.VARCHAR(255, charset='utf8mb4', collation='utf8mb4_bin'),
        'mysql')


def _timestamps():
    return [sa.Column('created_at', sa.DateTime, nullable=False),
            sa.Column('updated_at', sa.DateTime, nullable=True)]


def _create_type_table(table):
    op.create_table(
        table,
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', _case_sensitive(), nullable=False),
        sa.Column('description', sa.String(255), nullable=True),
        sa.Column('is_public', sa.Boolean, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('name', name='uniq_%s0name' % table))


def _create_spec_table(table, type_column, type_table):
    op.create_table(
        table,
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(type_column, sa.String(36),
                  sa.ForeignKey('%s.id' % type_table), nullable=False),
        sa.Column('key', _case_sensitive(), nullable=False),
        sa.Column('value', sa.String(255), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint(type_column, 'key',
                            name='uniq_%s0%s0key' % (table, type_column)))


def upgrade():
    _create_type_table('share_types')
    _create_spec_table('share_type_extra_specs', 'share_type_id',
                       'share_types')
    _create_type_table('volume_types')
    _create_spec_table('volume_type_extra_specs', 'volume_type_id',
                       'volume_types')
    _create_type_table('share_group_types')
    _create_spec_table('share_group_type_specs', 'share_group_type_id',
                       'share_group_types')
    op.create_table(
        'share_group_type_share_types',
        sa.Column('share_group_type_id', sa.String(36),
                  sa.ForeignKey('share_group_types.id'), primary_key=True),
        sa.Column('share_type_id', sa.String(36),
                  sa.ForeignKey('share_types.id'), primary_key=True),
        *_timestamps())
    op.create_index('share_group_type_share_types_share_type_idx',
                    'share_group_type_share_types', ['share_type_id'])


def downgrade():
    op.drop_index('share_group_type_share_types_share_type_idx',
                  table_name='share_group_type_share_types')
    for table in ('share_group_type_share_types', 'share_group_type_specs',
                  'share_group_types', 'volume_type_extra_specs',
                  'volume_types', 'share_type_extra_specs', 'share_types'):
        op.drop_table(table)
