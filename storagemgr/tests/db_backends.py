"""Run data-layer tests on SQLite and, when reachable, MySQL and PostgreSQL.

A test class mixes in ``DatabaseScenarios`` and lists
``scenarios = db_backends.scenarios()``. Each server scenario creates a
private database for the test and drops it afterwards; a server that is
not reachable skips its scenario, so the default run needs SQLite only.

Admin URLs come from the environment, with defaults that match a local
development machine:

* ``STORAGEMGR_TEST_MYSQL_URL`` (``mysql+pymysql://root@127.0.0.1:3306/``)
* ``STORAGEMGR_TEST_POSTGRESQL_URL``
  (``postgresql+psycopg2://postgres@127.0.0.1:5432/postgres``)
"""

import os
import socket
import uuid

import sqlalchemy as sa

_SERVERS = {
    'mysql': ('STORAGEMGR_TEST_MYSQL_URL',
              'mysql+pymysql://root@127.0.0.1:3306/'),
    'postgresql': ('STORAGEMGR_TEST_POSTGRESQL_URL',
                   'postgresql+psycopg2://postgres@127.0.0.1:5432/postgres'),
}


def scenarios():
    return [('sqlite', {'db_backend': 'sqlite'}),
            ('mysql', {'db_backend': 'mysql'}),
            ('postgresql', {'db_backend': 'postgresql'})]


def admin_url(backend):
    env, default = _SERVERS[backend]
    return sa.engine.make_url(os.environ.get(env, default))


def _reachable(url):
    try:
        socket.create_connection((url.host or '127.0.0.1',
                                  url.port or 0), timeout=1).close()
        return True
    except OSError:
        return False


def create_database(backend):
    """Create a private database; return (url, drop_function) or None."""
    url = admin_url(backend)
    if not _reachable(url):
        return None
    name = 'smtest_%s' % uuid.uuid4().hex[:12]
    try:
        admin = sa.create_engine(url, isolation_level='AUTOCOMMIT')
        with admin.connect() as conn:
            conn.exec_driver_sql('CREATE DATABASE %s' % name)
    except Exception:
        return None

    def drop():
        with admin.connect() as conn:
            if backend == 'postgresql':
                conn.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = '%s' AND pid <> pg_backend_pid()" % name)
            conn.exec_driver_sql('DROP DATABASE IF EXISTS %s' % name)
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


class DatabaseScenarios(object):
    """Points ``[database] connection`` at the scenario's database."""

    db_backend = 'sqlite'

    def setUp(self):
        super().setUp()
        if self.db_backend == 'sqlite':
            return
        created = create_database(self.db_backend)
        if created is None:
            self.skipTest('%s is not reachable' % self.db_backend)
        url, drop = created
        self.addCleanup(drop)
        self.flags(connection=url, group='database')
