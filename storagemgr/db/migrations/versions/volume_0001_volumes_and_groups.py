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
        sa.Column('backend', sa.String(255), nullable=False),
        sa.Column('status', sa.String(32), nullable=False),
        sa.Column('cgsnapshot_id', sa.String(36), nullable=True),
        sa.Column('source_cgid', sa.String(36), nullable=True),
        *_timestamps())
    op.create_table(
        'volumes',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('size', sa.Integer, nullable=False),
        sa.Column('backend', sa.String(255), nullable=False),
        sa.Column('status', sa.String(32), nullable=False),
        sa.Column('provider_location', sa.String(1024), nullable=True),
        sa.Column('consistencygroup_id', sa.String(36),
                  sa.ForeignKey('consistencygroups.id'), nullable=True),
        sa.Column('snapshot_id', sa.String(36), nullable=True),
        sa.Column('source_volid', sa.String(36), nullable=True),
        *_timestamps())
    op.create_index('ix_volumes_consistencygroup_id', 'volumes',
                    ['consistencygroup_id'])
    op.create_table(
        'cgsnapshots',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('consistencygroup_id', sa.String(36),
                  sa.ForeignKey('consistencygroups.id'), nullable=False),
        sa.Column('status', sa.String(32), nullable=False),
        *_timestamps())
    op.create_index('ix_cgsnapshots_consistencygroup_id', 'cgsnapshots',
                    ['consistencygroup_id'])
    op.create_table(
        'volume_snapshots',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('volume_id', sa.String(36), sa.ForeignKey('volumes.id'),
                  nullable=False),
        sa.Column('cgsnapshot_id', sa.String(36),
                  sa.ForeignKey('cgsnapshots.id'), nullable=True),
        sa.Column('size', sa.Integer, nullable=False),
        sa.Column('status', sa.String(32), nullable=False),
        sa.Column('provider_location', sa.String(1024), nullable=True),
        *_timestamps())
    op.create_index('ix_volume_snapshots_volume_id', 'volume_snapshots',
                    ['volume_id'])
    op.create_index('ix_volume_snapshots_cgsnapshot_id', 'volume_snapshots',
                    ['cgsnapshot_id'])
