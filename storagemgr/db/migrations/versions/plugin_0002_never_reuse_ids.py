"""Storage plugins: integer ids that leave the database are never reused.

On SQLite an INTEGER PRIMARY KEY without AUTOINCREMENT hands out the id of
a deleted last row again, so a removed scannable's id (and a resource's,
a sample's, an agent message's) could come back naming something else.
SQLite cannot add AUTOINCREMENT in place: the tables are rebuilt (batch
mode keeps their rows, indexes and constraints). Other databases never
reuse generated keys, so nothing changes there.

Revision ID: plugin_0002
Revises: plugin_0001
"""

from alembic import op

revision = 'plugin_0002'
down_revision = 'plugin_0001'
branch_labels = None
depends_on = None

TABLES = ('plugin_resource_classes', 'plugin_resources', 'plugin_scannables',
          'plugin_stat_samples', 'plugin_agent_messages')


def _rebuild(autoincrement):
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in TABLES:
        with op.batch_alter_table(
                table, recreate='always',
                table_kwargs={'sqlite_autoincrement': autoincrement}):
            pass


def upgrade():
    _rebuild(True)


def downgrade():
    _rebuild(False)
