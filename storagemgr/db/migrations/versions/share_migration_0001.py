"""Share migrations: the record of each migration started.

Revision ID: share_migration_0001
Revises: share_group_0001
Create Date: 2027-04-01
"""

from alembic import op
import sqlalchemy as sa

revision = 'share_migration_0001'
down_revision = 'share_group_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'share_migrations',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('share_id', sa.String(36), sa.ForeignKey('shares.id'),
                  nullable=False),
        sa.Column('source_instance_id', sa.String(36), nullable=False),
        sa.Column('destination_instance_id', sa.String(36),
                  nullable=False),
        sa.Column('source_host', sa.String(255), nullable=False),
        sa.Column('destination_host', sa.String(255), nullable=False),
        sa.Column('method', sa.String(16), nullable=True),
        sa.Column('writable', sa.Boolean, nullable=False),
        sa.Column('nondisruptive', sa.Boolean, nullable=False),
        sa.Column('preserve_metadata', sa.Boolean, nullable=False),
        sa.Column('preserve_snapshots', sa.Boolean, nullable=False),
        sa.Column('force_host_assisted', sa.Boolean, nullable=False),
        sa.Column('new_share_type_id', sa.String(36), nullable=True),
        sa.Column('bytes_total', sa.BigInteger, nullable=True),
        sa.Column('bytes_copied', sa.BigInteger, nullable=True),
        sa.Column('files_total', sa.Integer, nullable=True),
        sa.Column('files_copied', sa.Integer, nullable=True),
        sa.Column('detail', sa.Text, nullable=True),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('updated_at', sa.DateTime, nullable=True))
    op.create_index('share_migrations_share_idx', 'share_migrations',
                    ['share_id'])


def downgrade():
    # Its index goes with it (MySQL refuses to drop it first: the
    # foreign key needs it).
    op.drop_table('share_migrations')
