"""The SQLite engine: pooled, and writers wait instead of failing."""

import sqlite3

import sqlalchemy as sa

from storagemgr.db import session as db_session
from storagemgr.tests import base


class SQLiteEngineTestCase(base.TestCase):

    def test_transactions_take_the_write_lock_up_front(self):
        engine = db_session.get_engine()
        other = sqlite3.connect(engine.url.database, timeout=0,
                                isolation_level=None)
        self.addCleanup(other.close)
        with engine.begin() as conn:
            # Only a read so far; a plain BEGIN would not hold the write
            # lock yet, and a later write could fail instead of waiting.
            conn.exec_driver_sql('SELECT 1')
            self.assertRaises(sqlite3.OperationalError, other.execute,
                              'BEGIN IMMEDIATE')
        other.execute('BEGIN IMMEDIATE')
        other.execute('ROLLBACK')

    def test_connections_are_pooled(self):
        engine = db_session.get_engine()
        self.assertIsInstance(engine.pool, sa.pool.QueuePool)
        with engine.connect() as conn:
            first = conn.connection.dbapi_connection
        with engine.connect() as conn:
            self.assertIs(first, conn.connection.dbapi_connection)
