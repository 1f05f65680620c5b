"""Backend states: when a backend in error is next tried.

Revision ID: foundation_0002
Revises: 0001
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa

revision = 'foundation_0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('backend_states') as batch:
        batch.add_column(sa.Column('next_attempt_at', sa.DateTime,
                                   nullable=True))
