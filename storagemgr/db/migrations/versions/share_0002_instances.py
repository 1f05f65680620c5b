"""Shares: share instances, snapshot instances, per-instance access.

Every existing share gets one active instance carrying what used to sit
on the share row (backend, status, export locations, progress); its id is
the share's, so the backend objects drivers named after it are still
found. Every snapshot gets one instance on that share instance (id: the
snapshot's), with its status, provider location and export locations.
Every access rule's state moves to a row of
``share_instance_access_rules``. Then the moved columns are dropped.
Nothing else changes: saved flows keep working, since they name shares
and snapshots by id.

The host part of each instance's ``host@backend`` is ``[DEFAULT] host``;
the pool is filled in when the manager next ensures the share (as the
reference does for shares created before pools existed).

Revision ID: share_0002
Revises: share_0001
"""

import socket

from alembic import op
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

revision = 'share_0002'
down_revision = 'share_0001'
branch_labels = None
depends_on = None


def _timestamps():
    return [sa.Column('created_at', sa.DateTime, nullable=False),
            sa.Column('updated_at', sa.DateTime, nullable=True)]


def _host_name():
    try:
        from oslo_config import cfg
        return cfg.CONF.host or socket.gethostname()
    except Exception:
        return socket.gethostname()


def _create_tables():
    op.create_table(
        'share_instances',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('share_id', sa.String(36), sa.ForeignKey('shares.id'),
                  nullable=False),
        sa.Column('active', sa.Boolean, nullable=False),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('backend', sa.String(255), nullable=False),
        sa.Column('status', sa.String(64), nullable=False),
        sa.Column('export_locations', sa.JSON, nullable=True),
        sa.Column('progress', sa.String(32), nullable=True),
        sa.Column('replica_state', sa.String(64), nullable=True),
        sa.Column('share_server_id', sa.String(36), nullable=True),
        sa.Column('share_network_id', sa.String(36), nullable=True),
        sa.Column('share_type_id', sa.String(36), nullable=True),
        sa.Column('availability_zone', sa.String(255), nullable=True),
        sa.Column('access_rules_status', sa.String(32), nullable=True),
        sa.Column('provider_data', sa.JSON, nullable=True),
        *_timestamps())
    op.create_index('share_instances_share_idx', 'share_instances',
                    ['share_id'])
    op.create_index('share_instances_host_idx', 'share_instances', ['host'])
    op.create_index('share_instances_status_idx', 'share_instances',
                    ['status'])
    op.create_table(
        'share_snapshot_instances',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('snapshot_id', sa.String(36),
                  sa.ForeignKey('share_snapshots.id'), nullable=False),
        sa.Column('share_instance_id', sa.String(36),
                  sa.ForeignKey('share_instances.id'), nullable=False),
        sa.Column('status', sa.String(64), nullable=False),
        sa.Column('progress', sa.String(32), nullable=True),
        sa.Column('provider_location', sa.String(255), nullable=True),
        sa.Column('export_locations', sa.JSON, nullable=True),
        sa.Column('provider_data', sa.JSON, nullable=True),
        *_timestamps())
    op.create_index('share_snapshot_instances_snapshot_idx',
                    'share_snapshot_instances', ['snapshot_id'])
    op.create_index('share_snapshot_instances_share_instance_idx',
                    'share_snapshot_instances', ['share_instance_id'])
    op.create_index('share_snapshot_instances_status_idx',
                    'share_snapshot_instances', ['status'])
    op.create_table(
        'share_instance_access_rules',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('share_instance_id', sa.String(36),
                  sa.ForeignKey('share_instances.id'), nullable=False),
        sa.Column('access_id', sa.String(36),
                  sa.ForeignKey('share_access_rules.id'), nullable=False),
        sa.Column('state', sa.String(32), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('share_instance_id', 'access_id',
                            name='uniq_share_instance_access_rule'))
    op.create_index('share_instance_access_rules_access_idx',
                    'share_instance_access_rules', ['access_id'])


def _copy_rows(bind):
    meta = sa.MetaData()
    shares = sa.Table('shares', meta, autoload_with=bind)
    snapshots = sa.Table('share_snapshots', meta, autoload_with=bind)
    rules = sa.Table('share_access_rules', meta, autoload_with=bind)
    instances = sa.Table('share_instances', meta, autoload_with=bind)
    snapshot_instances = sa.Table('share_snapshot_instances', meta,
                                  autoload_with=bind)
    rule_states = sa.Table('share_instance_access_rules', meta,
                           autoload_with=bind)
    host = _host_name()
    now = timeutils.utcnow()
    for row in bind.execute(sa.select(shares)).mappings():
        bind.execute(instances.insert().values(
            id=row['id'], share_id=row['id'], active=True,
            host='%s@%s' % (host, row['backend']), backend=row['backend'],
            status=row['status'], export_locations=row['export_locations'],
            progress=row['progress'], created_at=row['created_at'],
            updated_at=row['updated_at']))
    for row in bind.execute(sa.select(snapshots)).mappings():
        bind.execute(snapshot_instances.insert().values(
            id=row['id'], snapshot_id=row['id'],
            share_instance_id=row['share_id'], status=row['status'],
            provider_location=row['provider_location'],
            export_locations=row['export_locations'],
            progress='100%' if row['status'] == 'available' else None,
            created_at=row['created_at'], updated_at=row['updated_at']))
    for row in bind.execute(sa.select(rules)).mappings():
        bind.execute(rule_states.insert().values(
            id=uuidutils.generate_uuid(), share_instance_id=row['share_id'],
            access_id=row['id'], state=row['state'], created_at=now,
            updated_at=now))


def upgrade():
    _create_tables()
    _copy_rows(op.get_bind())
    op.drop_index('shares_backend_idx', table_name='shares')
    op.drop_index('shares_status_idx', table_name='shares')
    with op.batch_alter_table('shares') as batch:
        for column in ('backend', 'status', 'export_locations', 'progress'):
            batch.drop_column(column)
        batch.add_column(sa.Column('share_type_id', sa.String(36),
                                   nullable=True))
        batch.add_column(sa.Column('share_group_id', sa.String(36),
                                   nullable=True))
    op.drop_index('share_snapshots_status_idx', table_name='share_snapshots')
    with op.batch_alter_table('share_snapshots') as batch:
        for column in ('status', 'provider_location', 'export_locations'):
            batch.drop_column(column)
    with op.batch_alter_table('share_access_rules') as batch:
        batch.drop_column('state')


def downgrade():
    raise NotImplementedError('share_0002 cannot be downgraded: the '
                              'instance split is one way')
