"""Pool usage: the capacity storagemgr has allocated on each pool.

Rows are made by the scheduler the first time it sees a pool, from the
sizes of the shares and volumes already there, so existing databases need
no data migration.

Revision ID: scheduler_0001
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

revision = 'scheduler_0001'
down_revision = '0001'
branch_labels = ('scheduler',)
depends_on = None


def upgrade():
    op.create_table(
        'pool_usage',
        sa.Column('host', sa.String(255), primary_key=True),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('allocated_capacity_gb', sa.Integer, nullable=False),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('updated_at', sa.DateTime, nullable=True))


def downgrade():
    op.drop_table('pool_usage')
