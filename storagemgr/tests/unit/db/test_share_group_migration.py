"""share_group_0001: shares of the previous release survive, both ways.

The database is built at ``share_0002`` with shares, instances (one share
with an inactive second instance), a snapshot and an access rule. The
upgrade must leave every row as it was, with the new instance column
NULL; the downgrade must drop what the upgrade added, group rows
included, and leave the share rows as they were again.
"""

import datetime
import os

from alembic import command as alembic_command
from alembic import config as alembic_config
import sqlalchemy as sa
import testscenarios

from storagemgr.db import migration
from storagemgr.db import session as db_session
from storagemgr.share import records as share_records
from storagemgr.share_group import api as group_api
from storagemgr.tests import base
from storagemgr.tests import db_backends

load_tests = testscenarios.load_tests_apply_scenarios

_WHEN = datetime.datetime(2027, 2, 1, 9, 30, 0)
S1, S2, I1, I2, I3, N1, R1, G1, GS1, M1 = (
    '00000000-0000-4000-8000-0000000000%02d' % n for n in range(1, 11))
NEW_COLUMN = 'source_share_group_snapshot_member_id'
# Columns later migrations add (checked by their own tests): an upgrade to
# the head has them, the rows of this release did not.
LATER_COLUMNS = ('cast_rules_to_readonly',)
GROUP_TABLES = ('share_groups', 'share_group_share_types',
                'share_group_snapshots', 'share_group_snapshot_members')
# Rows of the previous release that neither direction may touch.
KEPT_TABLES = ('shares', 'share_instances', 'share_snapshots',
               'share_snapshot_instances', 'share_access_rules',
               'share_instance_access_rules')


def _insert(conn, table, **values):
    conn.execute(sa.text('INSERT INTO %s (%s) VALUES (%s)' % (
        table, ', '.join(values), ', '.join(':%s' % k for k in values))),
        values)


def _config(conn):
    config = alembic_config.Config()
    config.set_main_option('script_location', os.path.join(
        os.path.dirname(migration.__file__), 'migrations'))
    config.attributes['connection'] = conn
    return config


def _downgrade(engine, revision):
    """Downgrade as ``migration.upgrade`` upgrades: SQLite keys off.

    Dropping a column rebuilds ``share_instances`` on SQLite; with foreign
    keys on, dropping the old table would refuse (its snapshot instances
    point at it). The keys are checked before commit.
    """
    with engine.connect() as conn:
        sqlite = conn.dialect.name == 'sqlite'
        raw = conn.connection.dbapi_connection
        if sqlite:
            raw.execute('PRAGMA foreign_keys=OFF')
        try:
            with conn.begin():
                alembic_command.downgrade(_config(conn), revision)
                if sqlite:
                    broken = conn.exec_driver_sql(
                        'PRAGMA foreign_key_check').fetchall()
                    assert not broken, broken
        finally:
            if sqlite:
                raw.execute('PRAGMA foreign_keys=ON')


class ShareGroupMigrationTestCase(db_backends.DatabaseScenarios,
                                  base.TestCase):

    scenarios = db_backends.scenarios()

    def _previous_release_database(self):
        engine = db_session.get_engine(migrate=False)
        migration.upgrade(engine, 'share_0002')
        with engine.begin() as conn:
            for share_id, size in ((S1, 3), (S2, 5)):
                _insert(conn, 'shares', id=share_id,
                        display_name='name-%s' % share_id[-1], size=size,
                        share_proto='NFS', snapshot_id=None,
                        metadata='{"k": "v"}', task_state=None,
                        share_type_id=None, share_group_id=None,
                        created_at=_WHEN, updated_at=_WHEN)
            for instance_id, share_id, active, status in (
                    (I1, S1, True, 'available'),
                    (I2, S2, True, 'error'),
                    (I3, S2, False, 'migrating')):
                _insert(conn, 'share_instances', id=instance_id,
                        share_id=share_id, active=active,
                        host='h@b1#b1', backend='b1', status=status,
                        export_locations='[{"path": "h:/%s"}]' % instance_id,
                        progress='100%', share_type_id=None,
                        availability_zone='az1', created_at=_WHEN,
                        updated_at=_WHEN)
            _insert(conn, 'share_snapshots', id=N1, share_id=S1,
                    display_name='snap', size=3, created_at=_WHEN,
                    updated_at=_WHEN)
            _insert(conn, 'share_snapshot_instances', id=N1, snapshot_id=N1,
                    share_instance_id=I1, status='available',
                    provider_location='/snaps/n1', created_at=_WHEN,
                    updated_at=_WHEN)
            _insert(conn, 'share_access_rules', id=R1, share_id=S1,
                    access_type='ip', access_to='10.0.0.1',
                    access_level='rw', created_at=_WHEN, updated_at=_WHEN)
            _insert(conn, 'share_instance_access_rules', id=R1,
                    share_instance_id=I1, access_id=R1, state='active',
                    created_at=_WHEN, updated_at=_WHEN)
        return engine

    @staticmethod
    def _rows(engine, drop=(NEW_COLUMN,)):
        """Every row of the kept tables, as dicts, without ``drop``."""
        meta = sa.MetaData()
        found = {}
        with engine.connect() as conn:
            for name in KEPT_TABLES:
                table = sa.Table(name, meta, autoload_with=conn)
                found[name] = [
                    {k: v for k, v in row.items() if k not in drop}
                    for row in conn.execute(sa.select(table).order_by(
                        *table.primary_key.columns)).mappings()]
        return found

    @staticmethod
    def _tables(engine):
        return set(sa.inspect(engine).get_table_names())

    @staticmethod
    def _columns(engine, table):
        return {c['name'] for c in sa.inspect(engine).get_columns(table)}

    @staticmethod
    def _indexes(engine, table):
        return {i['name'] for i in sa.inspect(engine).get_indexes(table)}

    def test_upgrade_keeps_rows_and_adds_an_empty_column(self):
        engine = self._previous_release_database()
        before = self._rows(engine)
        self.assertEqual(3, len(before['share_instances']))
        migration.upgrade(engine, 'share_group_0001')
        self.assertEqual(before, self._rows(engine))
        with engine.connect() as conn:
            linked = conn.execute(sa.text(
                'SELECT id, %s FROM share_instances ORDER BY id'
                % NEW_COLUMN)).all()
            self.assertEqual([(I1, None), (I2, None), (I3, None)],
                             [tuple(r) for r in linked])
            for table in GROUP_TABLES:
                self.assertEqual(0, conn.execute(sa.text(
                    'SELECT COUNT(*) FROM %s' % table)).scalar(), table)
        self.assertIn('shares_share_group_idx',
                      self._indexes(engine, 'shares'))

    def test_upgraded_shares_read_as_before_and_join_no_group(self):
        engine = self._previous_release_database()
        migration.upgrade(engine)
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(engine))
        shares = {s.id: (s, i) for s, i in share_records.list_shares()}
        self.assertEqual({S1, S2}, set(shares))
        self.assertEqual((None, 'available', I1),
                         (shares[S1][0].share_group_id,
                          shares[S1][1].status, shares[S1][1].id))
        self.assertEqual([], group_api.API().list())

    def _add_a_group(self, engine):
        """Group rows the downgrade must drop (S1 and I1 in them)."""
        with engine.begin() as conn:
            _insert(conn, 'share_groups', id=G1, display_name='g',
                    status='available', host='h@b1#b1', backend='b1',
                    created_at=_WHEN, updated_at=_WHEN)
            _insert(conn, 'share_group_share_types', share_group_id=G1,
                    share_type_id='t', created_at=_WHEN)
            _insert(conn, 'share_group_snapshots', id=GS1,
                    share_group_id=G1, status='available',
                    created_at=_WHEN, updated_at=_WHEN)
            _insert(conn, 'share_group_snapshot_members', id=M1,
                    share_group_snapshot_id=GS1, share_id=S1,
                    share_instance_id=I1, size=3, status='available',
                    created_at=_WHEN, updated_at=_WHEN)
            conn.execute(sa.text(
                'UPDATE share_instances SET %s = :member WHERE id = :i'
                % NEW_COLUMN), {'member': M1, 'i': I2})

    def test_downgrade_drops_what_the_upgrade_added(self):
        engine = self._previous_release_database()
        before = self._rows(engine)
        tables_before = self._tables(engine)
        indexes_before = {t: self._indexes(engine, t)
                          for t in ('shares', 'share_instances')}
        migration.upgrade(engine)
        self._add_a_group(engine)
        _downgrade(engine, 'share_0002')
        self.assertNotIn('share_group_0001', migration.current_heads(engine))
        self.assertIn('share_0002', migration.current_heads(engine))
        self.assertEqual(set(), set(GROUP_TABLES) & self._tables(engine))
        self.assertEqual(tables_before,
                         self._tables(engine) & tables_before)
        self.assertNotIn(NEW_COLUMN, self._columns(engine,
                                                   'share_instances'))
        self.assertEqual(indexes_before,
                         {t: self._indexes(engine, t) for t in indexes_before})
        self.assertEqual(before, self._rows(engine, drop=()))

    def test_upgrade_after_downgrade_is_clean(self):
        engine = self._previous_release_database()
        before = self._rows(engine)
        migration.upgrade(engine)
        self._add_a_group(engine)
        _downgrade(engine, 'share_0002')
        migration.upgrade(engine)
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(engine))
        self.assertEqual(before, self._rows(
            engine, drop=(NEW_COLUMN,) + LATER_COLUMNS))
        with engine.connect() as conn:
            self.assertEqual(0, conn.execute(sa.text(
                'SELECT COUNT(*) FROM share_groups')).scalar())
            self.assertEqual(0, conn.execute(sa.text(
                'SELECT COUNT(*) FROM share_instances WHERE %s IS NOT NULL'
                % NEW_COLUMN)).scalar())
