"""Integer ids that leave the database are never handed out twice."""

import sqlalchemy as sa
import testscenarios

from storagemgr.db import migration
from storagemgr.db.models import plugin as models
from storagemgr.db import session as db_session
from storagemgr.tests import base
from storagemgr.tests import db_backends

load_tests = testscenarios.load_tests_apply_scenarios


def _insert_scannable(conn):
    return conn.execute(sa.insert(models.StorageScannable).values(
        plugin_name='simulator', kind='scannable', state='new', failures=0,
        created_at=sa.func.now())).inserted_primary_key[0]


class IdReuseTestCase(db_backends.DatabaseScenarios, base.TestCase):

    scenarios = db_backends.scenarios()

    def test_deleted_last_scannable_id_is_not_reused(self):
        # Before: SQLite gave the re-added scannable the removed one's id,
        # and a stale plugin instance keyed by it wrote over the new one.
        engine = db_session.get_engine()
        seen = set()
        with engine.begin() as conn:
            for _i in range(20):
                new_id = _insert_scannable(conn)
                self.assertNotIn(new_id, seen)
                seen.add(new_id)
                conn.execute(sa.delete(models.StorageScannable).where(
                    models.StorageScannable.id == new_id))


class RebuildKeepsDataTestCase(base.TestCase):
    """The SQLite table rebuild keeps rows and the rows pointing at them."""

    def test_upgrade_from_plugin_0001_keeps_rows_and_references(self):
        engine = db_session.get_engine(migrate=False)
        migration.upgrade(engine, 'plugin_0001')
        classes = models.StorageResourceClass.__table__
        resources = models.StorageResource.__table__
        parents = models.StorageResourceParent.__table__
        with engine.begin() as conn:
            conn.execute(sa.insert(classes).values(
                id=1, plugin_name='p', class_name='Disk'))
            for rid in (1, 2, 3):
                conn.execute(sa.insert(resources).values(
                    id=rid, class_id=1, id_str='d%d' % rid, scope_key=0,
                    attrs='{}', created_at=sa.func.now()))
            conn.execute(sa.insert(parents).values(child_id=2, parent_id=1))
            conn.execute(sa.delete(resources).where(resources.c.id == 3))

        migration.upgrade(engine)

        with engine.begin() as conn:
            self.assertEqual([1, 2], sorted(conn.execute(
                sa.select(resources.c.id)).scalars()))
            self.assertEqual([(2, 1)], [tuple(r) for r in conn.execute(
                sa.select(parents.c.child_id, parents.c.parent_id))])
            self.assertEqual(1, conn.exec_driver_sql(
                'PRAGMA foreign_keys').scalar())
            new_id = conn.execute(sa.insert(resources).values(
                class_id=1, id_str='d4', scope_key=0, attrs='{}',
                created_at=sa.func.now())).inserted_primary_key[0]
            self.assertEqual(3, new_id)  # 3 was deleted before migrating
            conn.execute(sa.delete(resources).where(resources.c.id == 3))
            newer = conn.execute(sa.insert(resources).values(
                class_id=1, id_str='d5', scope_key=0, attrs='{}',
                created_at=sa.func.now())).inserted_primary_key[0]
            self.assertEqual(4, newer)
