"""Shares: shares, share snapshots and share access rules.

Revision ID: share_0001
Revises: 0001
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa

revision = 'share_0001'
down_revision = '0001'
branch_labels = ('share',)
depends_on = None


def _timestamps():
    return [sa.Column('created_at', sa.DateTime, nullable=False),
            sa.Column('updated_at', sa.DateTime, nullable=True)]


def upgrade():
    op.create_table(
        'shares',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('display_name', sa.String(255), nullable=True),
        sa.Column('size', sa.Integer, nullable=False),
        sa.Column('share_proto', sa.String(16),
                  nullable=False),
        sa.Column('backend', sa.String(255),
                  nullable=False),
        sa.Column('status', sa.String(64),
                  nullable=False),
        sa.Column('export_locations', sa.JSON, nullable=True),
        sa.Column('snapshot_id', sa.String(36), nullable=True),
        sa.Column('metadata', sa.JSON, nullable=True),
        sa.Column('task_state', sa.String(64), nullable=True),
        sa.Column('progress', sa.String(32), nullable=True),
        *_timestamps())
    op.create_index('shares_display_name_idx', 'shares', ['display_name'])
    op.create_index('shares_backend_idx', 'shares', ['backend'])
    op.create_index('shares_status_idx', 'shares', ['status'])
    op.create_table(
        'share_snapshots',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('share_id', sa.String(36), sa.ForeignKey('shares.id'),
                  nullable=False),
        sa.Column('display_name', sa.String(255), nullable=True),
        sa.Column('size', sa.Integer, nullable=True),
        sa.Column('status', sa.String(64),
                  nullable=False),
        sa.Column('provider_location', sa.String(255), nullable=True),
        sa.Column('export_locations', sa.JSON, nullable=True),
        *_timestamps())
    op.create_index('share_snapshots_share_idx', 'share_snapshots',
                    ['share_id'])
    op.create_index('share_snapshots_display_name_idx', 'share_snapshots',
                    ['display_name'])
    op.create_index('share_snapshots_status_idx', 'share_snapshots',
                    ['status'])
    op.create_table(
        'share_access_rules',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('share_id', sa.String(36), sa.ForeignKey('shares.id'),
                  nullable=False),
        sa.Column('access_type', sa.String(16),
                  nullable=False),
        sa.Column('access_to', sa.String(255),
                  nullable=False),
        sa.Column('access_level', sa.String(2),
                  nullable=False),
        sa.Column('access_key', sa.String(255), nullable=True),
        sa.Column('state', sa.String(32),
                  nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('share_id', 'access_type', 'access_to',
                            name='uniq_share_access_rule'))
    op.create_index('share_access_rules_share_idx', 'share_access_rules',
                    ['share_id'])


def downgrade():
    op.drop_table('share_access_rules')
    op.drop_table('share_snapshots')
    op.drop_table('shares')
