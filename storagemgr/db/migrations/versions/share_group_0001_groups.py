"""Share groups, their share types, group snapshots and their members.

Also indexes ``shares.share_group_id`` (groups list their shares) and adds
``share_instances.source_share_group_snapshot_member_id``. Existing rows
are untouched: no share was in a group before.

Revision ID: share_group_0001
Revises: share_0002
Create Date: 2027-03-01
"""

from alembic import op
import sqlalchemy as sa

revision = 'share_group_0001'
# After share_0002 on the shares' branch: it changes share_instances.
down_revision = 'share_0002'
branch_labels = None
depends_on = None


def _timestamps():
    return [sa.Column('created_at', sa.DateTime, nullable=False),
            sa.Column('updated_at', sa.DateTime, nullable=True)]


def upgrade():
    op.create_table(
        'share_groups',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('display_name', sa.String(255), nullable=True),
        sa.Column('description', sa.String(255), nullable=True),
        sa.Column('status', sa.String(64), nullable=False),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('backend', sa.String(255), nullable=False),
        sa.Column('share_group_type_id', sa.String(36), nullable=True),
        sa.Column('source_share_group_snapshot_id', sa.String(36),
                  nullable=True),
        sa.Column('availability_zone', sa.String(255), nullable=True),
        sa.Column('consistent_snapshot_support', sa.String(36),
                  nullable=True),
        sa.Column('share_network_id', sa.String(36), nullable=True),
        sa.Column('share_server_id', sa.String(36), nullable=True),
        sa.Column('provider_data', sa.JSON, nullable=True),
        *_timestamps())
    op.create_index('share_groups_display_name_idx', 'share_groups',
                    ['display_name'])
    op.create_index('share_groups_status_idx', 'share_groups', ['status'])
    op.create_table(
        'share_group_share_types',
        sa.Column('share_group_id', sa.String(36),
                  sa.ForeignKey('share_groups.id'), primary_key=True),
        sa.Column('share_type_id', sa.String(36), primary_key=True),
        *_timestamps())
    op.create_table(
        'share_group_snapshots',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('share_group_id', sa.String(36),
                  sa.ForeignKey('share_groups.id'), nullable=False),
        sa.Column('display_name', sa.String(255), nullable=True),
        sa.Column('description', sa.String(255), nullable=True),
        sa.Column('status', sa.String(64), nullable=False),
        sa.Column('provider_data', sa.JSON, nullable=True),
        *_timestamps())
    op.create_index('share_group_snapshots_group_idx',
                    'share_group_snapshots', ['share_group_id'])
    op.create_index('share_group_snapshots_display_name_idx',
                    'share_group_snapshots', ['display_name'])
    op.create_table(
        'share_group_snapshot_members',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('share_group_snapshot_id', sa.String(36),
                  sa.ForeignKey('share_group_snapshots.id'),
                  nullable=False),
        sa.Column('share_id', sa.String(36), sa.ForeignKey('shares.id'),
                  nullable=False),
        sa.Column('share_instance_id', sa.String(36),
                  sa.ForeignKey('share_instances.id'), nullable=False),
        sa.Column('size', sa.Integer, nullable=False),
        sa.Column('share_proto', sa.String(16), nullable=True),
        sa.Column('status', sa.String(64), nullable=False),
        sa.Column('provider_location', sa.String(255), nullable=True),
        sa.Column('provider_data', sa.JSON, nullable=True),
        *_timestamps())
    op.create_index('share_group_snapshot_members_snapshot_idx',
                    'share_group_snapshot_members',
                    ['share_group_snapshot_id'])
    op.create_index('share_group_snapshot_members_share_idx',
                    'share_group_snapshot_members', ['share_id'])
    op.create_index('shares_share_group_idx', 'shares', ['share_group_id'])
    with op.batch_alter_table('share_instances') as batch:
        batch.add_column(sa.Column('source_share_group_snapshot_member_id',
                                   sa.String(36), nullable=True))


def downgrade():
    with op.batch_alter_table('share_instances') as batch:
        batch.drop_column('source_share_group_snapshot_member_id')
    op.drop_index('shares_share_group_idx', table_name='shares')
    # A table's indexes go with it (MySQL refuses to drop an index its
    # foreign keys need).
    for table in ('share_group_snapshot_members', 'share_group_snapshots',
                  'share_group_share_types', 'share_groups'):
        op.drop_table(table)
