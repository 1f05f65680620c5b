"""taskflow persistence on storagemgr's own database.

taskflow's SQLAlchemy backend checks a connection out of the pool (on
SQLite: opens a new database connection) for every statement, and builds
its table objects afresh for every ``get_connection()``. With a two-task
flow that costs 60-170 ms per run, most of it connection churn.

This backend keeps taskflow's statements and its schema but runs them on
one connection per thread, held for the life of the thread, taken from
storagemgr's pooled engine. Every statement still runs in its own
transaction, committed before the call returns, so what the engine saved
survives a crash exactly as before. The tables are created by storagemgr's
migrations, not by taskflow.
"""

import contextlib
import threading

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import sql
from taskflow import exceptions as tf_exc
from taskflow.persistence.backends import impl_sqlalchemy

from storagemgr.db import session as db_session

_LOCK = threading.Lock()
_BACKENDS = {}


class _HeldConnectionEngine(object):
    """Looks like an Engine to taskflow; hands out a held connection.

    ``begin()`` wraps a transaction on the thread's connection;
    ``connect()`` lends it for reads and ends whatever transaction the
    reads opened, so no read lock outlives the call.
    """

    def __init__(self, engine):
        self._engine = engine
        self._local = threading.local()

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def _connection(self):
        conn = getattr(self._local, 'connection', None)
        if conn is None or conn.closed or conn.invalidated:
            conn = self._engine.connect()
            self._local.connection = conn
        return conn

    def _in_unit(self):
        return getattr(self._local, 'unit', False)

    @contextlib.contextmanager
    def unit_of_work(self):
        """One transaction around everything saved on this thread inside.

        taskflow's own ``begin()`` calls join it instead of committing on
        their own, so a caller can make its state transition and save a
        whole new flow in one commit: both happen, or neither does.
        """
        if self._in_unit():
            raise RuntimeError('unit of work already open on this thread')
        conn = self._connection()
        try:
            with conn.begin():
                self._local.unit = True
                try:
                    yield conn
                finally:
                    self._local.unit = False
        except BaseException:
            self._drop_if_broken(conn)
            raise

    @contextlib.contextmanager
    def begin(self):
        conn = self._connection()
        if self._in_unit():
            yield conn
            return
        try:
            with conn.begin():
                yield conn
        except Exception:
            self._drop_if_broken(conn)
            raise

    @contextlib.contextmanager
    def connect(self):
        conn = self._connection()
        try:
            yield conn
        except Exception:
            self._drop_if_broken(conn)
            raise
        finally:
            if (not self._in_unit() and not conn.closed and
                    conn.in_transaction()):
                conn.rollback()

    def _drop_if_broken(self, conn):
        if conn.invalidated:
            self._local.connection = None

    def close_thread_connection(self):
        conn = getattr(self._local, 'connection', None)
        if conn is not None:
            conn.close()
            self._local.connection = None


def _params(values, uuid):
    params = {'p_' + key: value for key, value in values.items()}
    params['match_uuid'] = uuid
    return params


class _Statements(object):
    """UPDATE statements built once, with bound parameters.

    Building a fresh UPDATE with literal values for every atom change costs
    more than running it; these are compiled once and cached.
    """

    def __init__(self, tables):
        self.update_atom = self._update(tables.atomdetails)
        self.update_flow = self._update(tables.flowdetails)

    @staticmethod
    def _update(table):
        columns = [c.name for c in table.columns
                   if c.name not in ('uuid', 'parent_uuid', 'created_at',
                                     'updated_at', 'atom_type')]
        return (sql.update(table)
                .where(table.c.uuid == sa.bindparam('match_uuid'))
                .values({name: sa.bindparam('p_' + name,
                                            type_=table.c[name].type)
                         for name in columns}))


class _HeldConnection(impl_sqlalchemy.Connection):
    """taskflow's connection logic, bound to the held-connection engine."""

    def __init__(self, backend, upgrade_lock, held_engine):
        super().__init__(backend, upgrade_lock)
        self._engine = held_engine
        self._statements = _Statements(self._tables)

    def upgrade(self):
        # storagemgr's migrations own the schema.
        pass

    # taskflow's storage layer hands these methods its own complete copy
    # of the detail, so the stock read-merge-write cycle only re-reads what
    # the caller already has. Writing the copy directly saves a SELECT per
    # atom change and, for flow changes, a rewrite of every atom.

    def update_atom_details(self, atom_detail):
        try:
            with self._engine.begin() as conn:
                result = conn.execute(
                    self._statements.update_atom,
                    _params(atom_detail.to_dict(), atom_detail.uuid))
        except sa_exc.SQLAlchemyError:
            tf_exc.raise_with_cause(
                tf_exc.StorageFailure,
                "Failed updating atom details with uuid '%s'" %
                atom_detail.uuid)
        if result.rowcount == 0:
            raise tf_exc.NotFound(
                "No atom details found with uuid '%s'" % atom_detail.uuid)
        return atom_detail

    def update_flow_details(self, flow_detail):
        atomdetails = self._tables.atomdetails
        try:
            with self._engine.begin() as conn:
                result = conn.execute(
                    self._statements.update_flow,
                    _params(flow_detail.to_dict(), flow_detail.uuid))
                if result.rowcount == 0:
                    raise tf_exc.NotFound(
                        "No flow details found with uuid '%s'" %
                        flow_detail.uuid)
                known = set(conn.execute(
                    sql.select(atomdetails.c.uuid)
                    .where(atomdetails.c.parent_uuid == flow_detail.uuid)
                ).scalars())
                for atom_detail in flow_detail:
                    if atom_detail.uuid not in known:
                        self._insert_atom_details(conn, atom_detail,
                                                  flow_detail.uuid)
        except sa_exc.SQLAlchemyError:
            tf_exc.raise_with_cause(
                tf_exc.StorageFailure,
                "Failed updating flow details with uuid '%s'" %
                flow_detail.uuid)
        return flow_detail

    def validate(self, max_retries=0):
        pass


class SharedEngineBackend(impl_sqlalchemy.SQLAlchemyBackend):
    """A taskflow backend on an existing engine, one connection per thread."""

    def __init__(self, engine):
        super().__init__({'connection': str(engine.url)}, engine=engine)
        self._held_engine = _HeldConnectionEngine(engine)
        self._connection = _HeldConnection(self, self._upgrade_lock,
                                           self._held_engine)
        self._validated = True

    def get_connection(self):
        return self._connection

    def unit_of_work(self):
        """See ``_HeldConnectionEngine.unit_of_work``; yields a connection."""
        return self._held_engine.unit_of_work()

    def close(self):
        # The engine belongs to storagemgr.db.session, which disposes of it.
        self._held_engine.close_thread_connection()


def get_backend(url=None):
    """The process-wide persistence backend for ``url`` (default: config)."""
    engine = db_session.get_engine(url)
    key = str(engine.url)
    backend = _BACKENDS.get(key)
    if backend is None:
        with _LOCK:
            backend = _BACKENDS.get(key)
            if backend is None:
                backend = SharedEngineBackend(engine)
                _BACKENDS[key] = backend
    return backend


def reset():
    with _LOCK:
        for backend in _BACKENDS.values():
            backend.close()
        _BACKENDS.clear()
