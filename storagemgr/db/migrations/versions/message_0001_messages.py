"""Messages: user-visible reasons why an operation on a resource failed.

Revision ID: message_0001
Revises: 0001
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

revision = 'message_0001'
down_revision = '0001'
branch_labels = ('message',)
depends_on = None


def upgrade():
    op.create_table(
        'messages',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('resource_type', sa.String(64), nullable=False),
        sa.Column('resource_id', sa.String(36), nullable=False),
        sa.Column('action', sa.String(64), nullable=False),
        sa.Column('detail', sa.Text, nullable=False),
        sa.Column('message_level', sa.String(16), nullable=False),
        sa.Column('request_id', sa.String(255), nullable=True),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('expires_at', sa.DateTime, nullable=False))
    op.create_index('messages_resource_idx', 'messages',
                    ['resource_type', 'resource_id'])
    op.create_index('messages_expires_at_idx', 'messages', ['expires_at'])


def downgrade():
    op.drop_table('messages')
