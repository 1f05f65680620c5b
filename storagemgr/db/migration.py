"""Schema migrations (alembic).

Each area keeps its tables in its own branch of the migration tree, all
rooted at the foundation revision, so ``upgrade heads`` brings every area
up to date. ``ensure_current`` runs the upgrade the first time a process
meets a database that is behind, under a lock so concurrent processes do not
race on it.
"""

import os

from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script
from oslo_concurrency import lockutils
from oslo_config import cfg

from storagemgr import exception

CONF = cfg.CONF

_SCRIPT_LOCATION = os.path.join(os.path.dirname(__file__), 'migrations')
_script_heads = None


def _config(connection=None):
    config = alembic_config.Config()
    config.set_main_option('script_location', _SCRIPT_LOCATION)
    if connection is not None:
        config.attributes['connection'] = connection
    return config


def script_heads():
    global _script_heads
    if _script_heads is None:
        script = alembic_script.ScriptDirectory.from_config(_config())
        _script_heads = frozenset(script.get_heads())
    return _script_heads


def current_heads(engine):
    with engine.connect() as conn:
        context = alembic_migration.MigrationContext.configure(conn)
        return frozenset(context.get_current_heads())


def _set_sqlite_foreign_keys(conn, enabled):
    # Only effective outside a transaction, so on the driver's connection:
    # SQLAlchemy would open one first.
    conn.connection.dbapi_connection.execute(
        'PRAGMA foreign_keys=%s' % ('ON' if enabled else 'OFF'))


def upgrade(engine, revision='heads'):
    """Bring the schema to ``revision`` (default: every branch's head).

    On SQLite, foreign keys are off while migrations run: rebuilding a
    table (the only way SQLite changes most of a table's definition) drops
    the old one, which with foreign keys on would delete, or refuse to
    delete, the rows that point at it. The keys are checked before commit.
    """
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == 'sqlite'
            if sqlite:
                _set_sqlite_foreign_keys(conn, False)
            try:
                with conn.begin():
                    alembic_command.upgrade(_config(conn), revision)
                    if sqlite:
                        broken = conn.exec_driver_sql(
                            'PRAGMA foreign_key_check').fetchall()
                        if broken:
                            raise exception.DBMigrationError(
                                reason='foreign keys broken: %s' % broken)
            finally:
                if sqlite:
                    _set_sqlite_foreign_keys(conn, True)
    except exception.DBMigrationError:
        raise
    except Exception as e:
        raise exception.DBMigrationError(reason='%s: %s' % (
            type(e).__name__, e))


def _lock_path():
    return os.path.join(CONF.state_path, 'locks')


def ensure_current(engine):
    """Upgrade the schema if the database is behind the code."""
    if current_heads(engine) == script_heads():
        return
    lock_dir = _lock_path()
    os.makedirs(lock_dir, mode=0o700, exist_ok=True)
    with lockutils.lock('db-migrate', external=True, lock_path=lock_dir):
        # Another process may have done the work while we waited.
        if current_heads(engine) != script_heads():
            upgrade(engine)


def version(engine):
    return sorted(current_heads(engine))
