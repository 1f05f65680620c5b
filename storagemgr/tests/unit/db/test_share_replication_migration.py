"""share_replication_0001: instances gain the read-only cast, both ways.

Instances of the previous release read ``cast_rules_to_readonly`` False
after the upgrade and keep every other value; the downgrade drops the
column and its replica-state index and leaves the rows as they were.
"""

import sqlalchemy as sa
import testscenarios

from storagemgr.db import migration
from storagemgr.db import session as db_session
from storagemgr.tests import base
from storagemgr.tests import db_backends
from storagemgr.tests.unit.db import test_share_group_migration as previous

load_tests = testscenarios.load_tests_apply_scenarios

BEFORE = 'share_migration_0001'
COLUMN = 'cast_rules_to_readonly'
INDEX = 'share_instances_replica_state_idx'
SHARE, INSTANCE = (
    '00000000-0000-4000-8000-0000000000%02d' % n for n in (1, 2))


class ShareReplicationMigrationTestCase(db_backends.DatabaseScenarios,
                                        base.TestCase):

    scenarios = db_backends.scenarios()

    def _database_before(self):
        engine = db_session.get_engine(migrate=False)
        migration.upgrade(engine, BEFORE)
        with engine.begin() as conn:
            previous._insert(
                conn, 'shares', id=SHARE, display_name='s', size=1,
                share_proto='NFS', created_at=previous._WHEN,
                updated_at=previous._WHEN)
            previous._insert(
                conn, 'share_instances', id=INSTANCE, share_id=SHARE,
                active=True, host='h@b1#b1', backend='b1',
                status='available', replica_state='active',
                created_at=previous._WHEN, updated_at=previous._WHEN)
        return engine

    @staticmethod
    def _instance(engine):
        with engine.connect() as conn:
            table = sa.Table('share_instances', sa.MetaData(),
                             autoload_with=conn)
            return dict(conn.execute(sa.select(table)).mappings().one())

    @staticmethod
    def _indexes(engine):
        return {i['name'] for i in sa.inspect(engine).get_indexes(
            'share_instances')}

    def test_upgrade_reads_false_and_keeps_the_rest(self):
        engine = self._database_before()
        before = self._instance(engine)
        migration.upgrade(engine)
        after = self._instance(engine)
        self.assertIs(False, bool(after.pop(COLUMN)))
        self.assertEqual(before, after)
        self.assertIn(INDEX, self._indexes(engine))

    def test_downgrade_drops_column_and_index_and_upgrade_again(self):
        engine = self._database_before()
        before = self._instance(engine)
        migration.upgrade(engine)
        previous._downgrade(engine, BEFORE)
        self.assertEqual(before, self._instance(engine))
        self.assertNotIn(INDEX, self._indexes(engine))
        migration.upgrade(engine)
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(engine))
