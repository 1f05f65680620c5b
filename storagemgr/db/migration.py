"""Schema migrations (alembic).

Each area keeps its tables in its own branch of the migration tree, all
rooted at the foundation revision, so ``upgrade heads`` brings every area
up to date. ``ensure_current`` runs the upgrade the first time a process
meets a database that is behind, under a lock so concurrent processes do not
race on it.

Reading the migration scripts' heads with alembic costs every process
about 0.2 s (alembic's import and the parse of every script), so
``ensure_current`` first compares the database's ``alembic_version`` rows,
read with plain SQLAlchemy, with the heads a previous process found in
these scripts and saved under ``state_path``. The saved heads are keyed on
the name, size, modification time and inode of every script file: a new
or changed migration misses the cache, and a miss, a database without the
version table or with other revisions all take the full, locked check.
"""

import hashlib
import json
import os

from oslo_config import cfg
import sqlalchemy as sa

from storagemgr import exception
from storagemgr import paths

CONF = cfg.CONF

_SCRIPT_LOCATION = os.path.join(os.path.dirname(__file__), 'migrations')
_VERSIONS = os.path.join(_SCRIPT_LOCATION, 'versions')
_HEADS_CACHE = 'migration_heads.json'
_script_heads = None


def _config(connection=None):
    from alembic import config as alembic_config

    config = alembic_config.Config()
    config.set_main_option('script_location', _SCRIPT_LOCATION)
    if connection is not None:
        config.attributes['connection'] = connection
    return config


def _read_script_heads():
    from alembic import script as alembic_script

    script = alembic_script.ScriptDirectory.from_config(_config())
    return frozenset(script.get_heads())


def script_heads():
    global _script_heads
    if _script_heads is None:
        _script_heads = _read_script_heads()
    return _script_heads


def current_heads(engine):
    from alembic import migration as alembic_migration

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
    from alembic import command as alembic_command

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


def scripts_key():
    """A digest of the migration scripts as files: names, sizes, times.

    Any file added, removed, rewritten or replaced in the versions
    directory changes it; so does moving the code to another directory.
    """
    entries = []
    with os.scandir(_VERSIONS) as scan:
        for entry in scan:
            if entry.name.endswith('.py') and entry.is_file():
                st = entry.stat()
                entries.append((entry.name, st.st_size, st.st_mtime_ns,
                                st.st_ino))
    entries.sort()
    digest = hashlib.sha256(os.path.realpath(_VERSIONS).encode())
    digest.update(json.dumps(entries).encode())
    return digest.hexdigest()


def _heads_cache_path():
    return os.path.join(CONF.state_path, _HEADS_CACHE)


def cached_script_heads(key):
    """The heads saved for scripts with digest ``key``; None if unknown.

    A missing, unreadable or malformed cache, or one saved for other
    scripts, is unknown.
    """
    try:
        with open(_heads_cache_path(), encoding='utf-8') as f:
            saved = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get('key') != key:
        return None
    heads = saved.get('heads')
    if (not isinstance(heads, list) or not heads
            or not all(isinstance(head, str) for head in heads)):
        return None
    return frozenset(heads)


def save_script_heads(key, heads):
    """Save ``heads`` for scripts with digest ``key``; best effort.

    Written to a temporary file renamed over the cache, so a reader sees
    the old cache or the new one, never part of one. A state directory
    that cannot be written only costs later processes the full check.
    """
    try:
        paths.ensure_private_dir(CONF.state_path)
        paths.write_atomically(_heads_cache_path(), json.dumps(
            {'key': key, 'heads': sorted(heads)}))
    except OSError:
        pass


def stored_heads(engine):
    """The revisions in ``alembic_version``, read without alembic.

    None when they cannot be read (no such table, say): the caller then
    takes the full check, which reports a real error itself.
    """
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text('SELECT version_num FROM alembic_version'))
            return frozenset(row[0] for row in rows)
    except Exception:
        # Any failure only means the fast path does not apply.
        return None


def ensure_current(engine):
    """Upgrade the schema if the database is behind the code."""
    # The digest is taken before the scripts are read below: a script
    # changed in between leaves heads saved under a digest no process
    # computes again, rather than old heads under the new digest.
    key = scripts_key()
    known = cached_script_heads(key)
    if known is not None and stored_heads(engine) == known:
        return
    from oslo_concurrency import lockutils

    global _script_heads
    # Read now, not from this process's memory: the scripts may have
    # changed since, and what is saved must be what the digest covers.
    heads = _script_heads = _read_script_heads()
    save_script_heads(key, heads)
    if current_heads(engine) == heads:
        return
    lock_dir = _lock_path()
    os.makedirs(lock_dir, mode=0o700, exist_ok=True)
    with lockutils.lock('db-migrate', external=True, lock_path=lock_dir):
        # Another process may have done the work while we waited.
        if current_heads(engine) != heads:
            upgrade(engine)


def version(engine):
    return sorted(current_heads(engine))
