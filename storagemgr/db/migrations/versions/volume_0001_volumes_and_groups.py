"""Volumes: volumes, snapshots, consistency groups, group snapshots.

Revision ID: volume_0001
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

revision = 'volume_0001'
down_revision = '0001'
branch_labels = ('volume',)
depends_on = None


def _timestamps():
    return [sa.Column('created_at', sa.DateTime, nullable=False),
            sa.Column('updated_at', sa.DateTime, nullable=True)]


def upgrade():
    op.create_table(
        'consistencygroups',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('backend', sa.String(255)),
        sa.Column('status', sa.String(32)),
        sa.Column('cgsnapshot_id', sa.String(36), nullable=True),
        sa.Column('source_cgid', sa.String(36), nullable=True),
        *_timestamps())
    op.create_table(
        'volumes',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('size', sa.Integer),
        sa.Column('backend', sa.String(255)),
        sa.Column('status', sa.String(32)),
        sa.Column('provider_location', sa.String(1024), nullable=True),
        sa.Column('consistencygroup_id', sa.String(36),
                  sa.ForeignKey('consistencygroups.id'), nullable=True),
        sa.Column('snapshot_id', sa.String(36), nullable=True),
        sa.Column('source_volid', sa.String(36), nullable=True),
        *_timestamps())
    op.create_index('volumes_consistencygroup_idx', 'volumes',
                    ['consistencygroup_id'])
    op.create_table(
        'cgsnapshots',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('consistencygroup_id', sa.String(36),
                  sa.ForeignKey('consistencygroups.id')),
        sa.Column('status', sa.String(32)),
        *_timestamps())
    op.create_index('cgsnapshots_consistencygroup_idx', 'cgsnapshots',
                    ['consistencygroup_id'])
    op.create_table(
        'volume_snapshots',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('volume_id', sa.String(36), sa.ForeignKey('volumes.id')),
        sa.Column('cgsnapshot_id', sa.String(36),
                  sa.ForeignKey('cgsnapshots.id'), nullable=True),
        sa.Column('size', sa.Integer),
        sa.Column('status', sa.String(32)),
        sa.Column('provider_location', sa.String(1024), nullable=True),
        *_timestamps())
    op.create_index('volume_snapshots_volume_idx', 'volume_snapshots',
                    ['volume_id'])
    op.create_index('volume_snapshots_cgsnapshot_idx', 'volume_snapshots',
                    ['cgsnapshot_id'])
