"""Foundation: backend states and taskflow's persistence tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = ('foundation',)
depends_on = None

# taskflow's own schema (taskflow/persistence/backends/sqlalchemy/tables.py),
# created here so that one migration tool owns the whole database.
_ATOM_TYPES = ('RETRY_DETAIL', 'TASK_DETAIL')


def _json():
    # Same storage as taskflow's JSONType: native JSON on PostgreSQL, text
    # elsewhere.
    return sa.UnicodeText().with_variant(postgresql.JSON(), 'postgresql')


def upgrade():
    op.create_table(
        'backend_states',
        sa.Column('name', sa.String(255), primary_key=True),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('driver', sa.String(255), nullable=False),
        sa.Column('host', sa.String(255), nullable=True),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('error', sa.Text, nullable=True),
        sa.Column('stats', sa.JSON, nullable=True),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('updated_at', sa.DateTime, nullable=True),
    )
    op.create_table(
        'logbooks',
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        sa.Column('meta', _json()),
        sa.Column('name', sa.String(255)),
        sa.Column('uuid', sa.String(64), primary_key=True, nullable=False),
    )
    op.create_table(
        'flowdetails',
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        sa.Column('parent_uuid', sa.String(64),
                  sa.ForeignKey('logbooks.uuid', ondelete='CASCADE')),
        sa.Column('meta', _json()),
        sa.Column('name', sa.String(255)),
        sa.Column('state', sa.String(255)),
        sa.Column('uuid', sa.String(64), primary_key=True, nullable=False),
    )
    op.create_index('flowdetails_parent_idx', 'flowdetails', ['parent_uuid'])
    op.create_table(
        'atomdetails',
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        sa.Column('meta', _json()),
        sa.Column('parent_uuid', sa.String(64),
                  sa.ForeignKey('flowdetails.uuid', ondelete='CASCADE')),
        sa.Column('name', sa.String(255)),
        sa.Column('version', sa.String(255)),
        sa.Column('state', sa.String(255)),
        sa.Column('uuid', sa.String(64), primary_key=True, nullable=False),
        sa.Column('failure', _json()),
        sa.Column('results', _json()),
        sa.Column('revert_results', _json()),
        sa.Column('revert_failure', _json()),
        sa.Column('atom_type', sa.Enum(*_ATOM_TYPES, name='atom_types')),
        sa.Column('intention', sa.Enum('EXECUTE', 'REVERT', 'IGNORE',
                                       'RETRY', name='intentions')),
    )
    op.create_index('atomdetails_parent_idx', 'atomdetails', ['parent_uuid'])
