"""taskflow persistence on storagemgr's own database.

taskflow's SQLAlchemy backend builds its table objects afresh for every
connection and, on SQLite, opens a new database connection for every
statement (NullPool). With a two-task flow that costs 120-170 ms per run.
This backend shares storagemgr's pooled engine and one Connection object,
so the table objects are built once per process. The tables themselves are
created by storagemgr's migrations, not by taskflow.
"""

import threading

from taskflow.persistence.backends import impl_sqlalchemy

from storagemgr.db import session as db_session

_LOCK = threading.Lock()
_BACKENDS = {}


class SharedEngineBackend(impl_sqlalchemy.SQLAlchemyBackend):
    """A taskflow backend bound to an existing engine, one connection."""

    def __init__(self, engine):
        super().__init__({'connection': str(engine.url)}, engine=engine)
        self._connection = impl_sqlalchemy.Connection(
            self, upgrade_lock=self._upgrade_lock)

    def get_connection(self):
        return self._connection

    def close(self):
        # The engine belongs to storagemgr.db.session, which disposes of it.
        pass


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
        _BACKENDS.clear()
