"""Volumes: the pool they live on and their volume type.

``host`` is ``host@backend#pool`` as the scheduler chose it. Existing
volumes were placed by backend name only; their backend reports one pool
named after the backend, so they get ``<host>@<backend>#<backend>``, with
``<host>`` this process's ``[DEFAULT] host``. They have no type (the
implicit default). Both columns are nullable; nothing is lost.

Revision ID: volume_0003
Revises: volume_0002
"""

import socket

from alembic import op
import sqlalchemy as sa

revision = 'volume_0003'
down_revision = 'volume_0002'
branch_labels = None
depends_on = None


def _host_name():
    try:
        from oslo_config import cfg
        return cfg.CONF.host or socket.gethostname()
    except Exception:
        return socket.gethostname()


def upgrade():
    op.add_column('volumes', sa.Column('host', sa.String(255),
                                       nullable=True))
    op.add_column('volumes', sa.Column('volume_type_id', sa.String(36),
                                       nullable=True))
    op.create_index('ix_volumes_host', 'volumes', ['host'])
    volumes = sa.table('volumes', sa.column('host', sa.String),
                       sa.column('backend', sa.String))
    host = sa.literal(_host_name() + '@')
    op.execute(volumes.update().values(
        host=host + volumes.c.backend + sa.literal('#') + volumes.c.backend))


def downgrade():
    op.drop_index('ix_volumes_host', table_name='volumes')
    with op.batch_alter_table('volumes') as batch:
        batch.drop_column('volume_type_id')
        batch.drop_column('host')
