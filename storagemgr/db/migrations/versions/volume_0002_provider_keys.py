"""Volumes: every provider key a driver may return, on every row.

Volumes and snapshots had ``provider_location`` only; groups and group
snapshots had none. Drivers written for Cinder return ``provider_id``,
``provider_auth``, ``replication_status``, ``metadata`` and the like in
their model updates, and expect to read them back in the objects they are
given later. Each table gets the columns it lacks, all nullable: existing
rows keep every value they had and read None for the new ones.

Revision ID: volume_0002
Revises: volume_0001
"""

from alembic import op
import sqlalchemy as sa

revision = 'volume_0002'
down_revision = 'volume_0001'
branch_labels = None
depends_on = None

TABLES = ('volumes', 'volume_snapshots', 'consistencygroups', 'cgsnapshots')
# Tables created by volume_0001 with a provider_location already.
_HAD_LOCATION = ('volumes', 'volume_snapshots')


def _columns():
    return [
        sa.Column('provider_id', sa.String(255), nullable=True),
        sa.Column('provider_auth', sa.String(255), nullable=True),
        sa.Column('provider_geometry', sa.String(255), nullable=True),
        sa.Column('replication_status', sa.String(255), nullable=True),
        sa.Column('replication_driver_data', sa.Text, nullable=True),
        sa.Column('replication_extended_status', sa.String(255),
                  nullable=True),
        sa.Column('metadata', sa.JSON, nullable=True),
    ]


def upgrade():
    for table in TABLES:
        columns = _columns()
        if table not in _HAD_LOCATION:
            columns.insert(0, sa.Column('provider_location',
                                        sa.String(1024), nullable=True))
        for column in columns:
            op.add_column(table, column)
