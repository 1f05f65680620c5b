"""Volume attachments: which volume is attached to a host, and how.

A branch of its own under the volumes' first revision: it only adds a
table whose rows point at volumes, so it needs nothing later than that.

Revision ID: volume_attachment_0001
Revises: volume_0001
"""

from alembic import op
import sqlalchemy as sa

revision = 'volume_attachment_0001'
down_revision = 'volume_0001'
branch_labels = ('volume_attachment',)
depends_on = None


def upgrade():
    op.create_table(
        'volume_attachments',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('volume_id', sa.String(36),
                  sa.ForeignKey('volumes.id'), nullable=False),
        sa.Column('attach_status', sa.String(32), nullable=False),
        sa.Column('attach_mode', sa.String(16), nullable=False),
        sa.Column('attached_host', sa.String(255), nullable=True),
        sa.Column('attached_path', sa.String(1024), nullable=True),
        sa.Column('connector', sa.JSON, nullable=True),
        sa.Column('connection_info', sa.JSON, nullable=True),
        sa.Column('device_info', sa.JSON, nullable=True),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('updated_at', sa.DateTime, nullable=True))
    op.create_index('ix_volume_attachments_volume_id', 'volume_attachments',
                    ['volume_id'])
