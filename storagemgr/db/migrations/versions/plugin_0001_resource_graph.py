"""Storage plugins: resource graph, scannables, alerts, stats, agent sessions.

Revision ID: plugin_0001
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

revision = 'plugin_0001'
down_revision = '0001'
branch_labels = ('plugin',)
depends_on = None


def _timestamps():
    return [sa.Column('created_at', sa.DateTime, nullable=False),
            sa.Column('updated_at', sa.DateTime, nullable=True)]


def upgrade():
    op.create_table(
        'plugin_resource_classes',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('plugin_name', sa.String(255), nullable=False),
        sa.Column('class_name', sa.String(255), nullable=False),
        sa.UniqueConstraint('plugin_name', 'class_name'))
    op.create_table(
        'plugin_resources',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('class_id', sa.Integer,
                  sa.ForeignKey('plugin_resource_classes.id'),
                  nullable=False),
        sa.Column('id_str', sa.String(512), nullable=False),
        sa.Column('scope_key', sa.Integer, nullable=False),
        sa.Column('label', sa.String(255), nullable=True),
        sa.Column('attrs', sa.Text, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('class_id', 'id_str', 'scope_key'))
    op.create_index('ix_plugin_resources_scope_key', 'plugin_resources',
                    ['scope_key'])
    op.create_table(
        'plugin_resource_parents',
        sa.Column('child_id', sa.Integer, primary_key=True),
        sa.Column('parent_id', sa.Integer, primary_key=True))
    op.create_index('ix_plugin_resource_parents_parent_id',
                    'plugin_resource_parents', ['parent_id'])
    op.create_table(
        'plugin_resource_references',
        sa.Column('resource_id', sa.Integer, primary_key=True),
        sa.Column('key', sa.String(255), primary_key=True),
        sa.Column('target_id', sa.Integer, nullable=False),
        sa.Column('optional', sa.Boolean, nullable=False))
    op.create_index('ix_plugin_resource_references_target_id',
                    'plugin_resource_references', ['target_id'])
    op.create_table(
        'plugin_resource_reporters',
        sa.Column('resource_id', sa.Integer, primary_key=True),
        sa.Column('scannable_id', sa.Integer, primary_key=True))
    op.create_index('ix_plugin_resource_reporters_scannable_id',
                    'plugin_resource_reporters', ['scannable_id'])
    op.create_table(
        'plugin_scannables',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('plugin_name', sa.String(255), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('host', sa.String(255), nullable=True),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('update_period', sa.Float, nullable=True),
        sa.Column('failures', sa.Integer, nullable=False),
        sa.Column('last_error', sa.Text, nullable=True),
        sa.Column('last_scan_at', sa.DateTime, nullable=True),
        *_timestamps())
    op.create_table(
        'plugin_alerts',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('resource_id', sa.Integer, nullable=False),
        sa.Column('resource_label', sa.String(255), nullable=True),
        sa.Column('alert_class', sa.String(255), nullable=False),
        sa.Column('attribute', sa.String(255), nullable=True),
        sa.Column('severity', sa.Integer, nullable=False),
        sa.Column('message', sa.Text, nullable=True),
        sa.Column('active', sa.Boolean, nullable=False),
        sa.Column('raised_at', sa.DateTime, nullable=False),
        sa.Column('lowered_at', sa.DateTime, nullable=True))
    op.create_index('ix_plugin_alerts_resource_id', 'plugin_alerts',
                    ['resource_id'])
    op.create_index('ix_plugin_alerts_active', 'plugin_alerts', ['active'])
    op.create_table(
        'plugin_alert_propagations',
        sa.Column('alert_id', sa.String(36),
                  sa.ForeignKey('plugin_alerts.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('resource_id', sa.Integer, primary_key=True))
    op.create_index('ix_plugin_alert_propagations_resource_id',
                    'plugin_alert_propagations', ['resource_id'])
    op.create_table(
        'plugin_stat_samples',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('resource_id', sa.Integer, nullable=False),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('timestamp', sa.Float, nullable=False),
        sa.Column('value', sa.Text, nullable=False))
    op.create_index('plugin_stat_series_idx', 'plugin_stat_samples',
                    ['resource_id', 'name', 'timestamp'])
    op.create_index('ix_plugin_stat_samples_timestamp',
                    'plugin_stat_samples', ['timestamp'])
    op.create_table(
        'plugin_agent_messages',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('plugin_name', sa.String(255), nullable=False),
        sa.Column('session_id', sa.String(36), nullable=False),
        sa.Column('seq', sa.Integer, nullable=False),
        sa.Column('body', sa.Text, nullable=False),
        sa.Column('created_at', sa.DateTime, nullable=False))
    op.create_table(
        'plugin_agent_sessions',
        sa.Column('host', sa.String(255), primary_key=True),
        sa.Column('plugin_name', sa.String(255), primary_key=True),
        sa.Column('session_id', sa.String(36), nullable=False),
        sa.Column('last_seq', sa.Integer, nullable=False),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('scannable_id', sa.Integer, nullable=True),
        sa.Column('updated_at', sa.DateTime, nullable=True))


def downgrade():
    for table in ('plugin_agent_sessions', 'plugin_agent_messages',
                  'plugin_stat_samples', 'plugin_alert_propagations',
                  'plugin_alerts', 'plugin_scannables',
                  'plugin_resource_reporters', 'plugin_resource_references',
                  'plugin_resource_parents', 'plugin_resources',
                  'plugin_resource_classes'):
        op.drop_table(table)
