"""Share replication: readable secondaries get their rules read-only.

Replicas are share instances (``replica_state`` exists since
share_0002); this adds the flag that casts a secondary's access rules to
read-only, and an index for the periodic replica poll, which looks
instances up by replica state.

Revision ID: share_replication_0001
Revises: share_migration_0001
Create Date: 2027-05-01
"""

from alembic import op
import sqlalchemy as sa

revision = 'share_replication_0001'
down_revision = 'share_migration_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('share_instances') as batch:
        batch.add_column(sa.Column('cast_rules_to_readonly', sa.Boolean,
                                   nullable=False,
                                   server_default=sa.false()))
        batch.create_index('share_instances_replica_state_idx',
                           ['replica_state'])


def downgrade():
    with op.batch_alter_table('share_instances') as batch:
        batch.drop_index('share_instances_replica_state_idx')
        batch.drop_column('cast_rules_to_readonly')
