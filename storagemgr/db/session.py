"""Engine and session management on top of oslo.db.

One engine per process and per connection URL. SQLite databases run in WAL
mode with foreign keys on and a busy timeout, so several CLI processes can
share the embedded database. Migrations run automatically the first time a
process touches a database that is behind.
"""

import contextlib
import os
import threading

from oslo_config import cfg
from oslo_db.sqlalchemy import engines
import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr import paths

CONF = cfg.CONF

_LOCK = threading.Lock()
_ENGINES = {}
_SESSIONMAKERS = {}


def _begin_immediate(conn):
    # oslo.db emits a plain BEGIN on SQLite. A transaction that reads and
    # then writes under a plain BEGIN fails at once with "database is
    # locked" when another process writes meanwhile (SQLite cannot upgrade
    # its read lock without risking deadlock, so it does not wait). BEGIN
    # IMMEDIATE takes the write lock up front and waits busy_timeout for
    # it instead.
    if 'in_transaction' not in conn.info:
        conn.exec_driver_sql('BEGIN IMMEDIATE')
        conn.info['in_transaction'] = True


def _pooled_sqlite_engine(url, **engine_args):
    # oslo.db gives SQLite files a NullPool, which opens the file and runs
    # the pragmas for every session (about 1.3 ms each). A file on a local
    # disk has no server connection to go stale, so keep a small pool.
    engine_args.update(poolclass=sa.pool.QueuePool, pool_size=5,
                       max_overflow=10, pool_pre_ping=False)
    engine_args.setdefault('connect_args', {})['check_same_thread'] = False
    return engines._create_engine(url, **engine_args)


def _sqlite_pragmas(dbapi_conn, _record):
    cursor = dbapi_conn.cursor()
    # WAL lets readers proceed while one process writes; NORMAL sync is
    # crash-safe in WAL mode (a crash may lose the last commit, never
    # corrupt the file).
    cursor.execute('PRAGMA journal_mode=WAL')
    cursor.execute('PRAGMA synchronous=NORMAL')
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA busy_timeout=30000')
    cursor.close()


def connection_url(conf=None):
    conf = conf or CONF
    return conf.database.connection


def _make_engine(url):
    sqlite_file = url.startswith('sqlite:///') and ':memory:' not in url
    extra = {}
    if sqlite_file:
        directory = os.path.dirname(url[len('sqlite:///'):])
        if directory:
            paths.ensure_private_dir(directory)
        extra['_engine_target'] = _pooled_sqlite_engine
    engine = engines.create_engine(
        url,
        sqlite_fk=False,
        max_pool_size=CONF.database.max_pool_size,
        max_overflow=CONF.database.max_overflow,
        pool_timeout=CONF.database.pool_timeout,
        mysql_sql_mode=CONF.database.mysql_sql_mode,
        connection_recycle_time=CONF.database.connection_recycle_time,
        # oslo.db yields (time.sleep(0)) on every connection check-in for
        # eventlet; storagemgr uses threads, for which it only gives the
        # GIL away, once per session, to the group member pool's threads.
        thread_checkin=False,
        **extra)
    if engine.dialect.name == 'sqlite':
        sa.event.listen(engine, 'connect', _sqlite_pragmas)
        # Replace oslo.db's plain BEGIN (its commit and rollback listeners
        # stay and close the transaction ours opens).
        for listener in list(engine.dispatch.begin):
            sa.event.remove(engine, 'begin', listener)
        sa.event.listen(engine, 'begin', _begin_immediate)
        # Connections opened before the listener existed (oslo.db tests
        # the connection on creation) miss the pragmas: drop them.
        engine.dispose()
    return engine


def get_engine(url=None, migrate=True):
    """Return the process-wide engine for ``url`` (default: config)."""
    url = url or connection_url()
    engine = _ENGINES.get(url)
    if engine is not None:
        return engine
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _make_engine(url)
            if migrate:
                from storagemgr.db import migration
                migration.ensure_current(engine)
            _ENGINES[url] = engine
            _SESSIONMAKERS[url] = orm.sessionmaker(
                bind=engine, expire_on_commit=False)
    return engine


def get_sessionmaker(url=None):
    url = url or connection_url()
    get_engine(url)
    return _SESSIONMAKERS[url]


@contextlib.contextmanager
def session_scope(url=None):
    """A session whose work is committed on success, rolled back on error."""
    session = get_sessionmaker(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def run(work, session=None):
    """``work(session)`` in the caller's session, or in a new one.

    The idiom of every data-access function that may be part of a larger
    transaction (a claim) or stand alone.
    """
    if session is not None:
        return work(session)
    with session_scope() as new_session:
        return work(new_session)


@contextlib.contextmanager
def session_on(connection):
    """A session joined to ``connection``'s open transaction.

    Its work is flushed into that transaction; whoever opened the
    transaction commits or rolls it back, so several pieces of work (a
    state transition and the flow that carries it out, say) land in one
    commit.
    """
    session = orm.Session(bind=connection, expire_on_commit=False)
    try:
        yield session
        session.flush()
    finally:
        session.close()


def dispose_all():
    """Forget every engine (tests, and forked child processes)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
        _SESSIONMAKERS.clear()
