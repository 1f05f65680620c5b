"""Migration volume_0002 on a database holding volume data."""

import datetime

import sqlalchemy as sa
import testscenarios

from storagemgr.db import migration
from storagemgr.db import session as db_session
from storagemgr.tests import base
from storagemgr.tests import db_backends

load_tests = testscenarios.load_tests_apply_scenarios

NOW = datetime.datetime(2020, 1, 2, 3, 4, 5)
NEW = ('provider_id', 'provider_auth', 'provider_geometry',
       'replication_status', 'replication_driver_data',
       'replication_extended_status', 'metadata')


class ProviderKeysMigrationTestCase(db_backends.DatabaseScenarios,
                                    base.TestCase):

    scenarios = db_backends.scenarios()

    def _insert(self, conn, table, **values):
        values.setdefault('created_at', NOW)
        conn.execute(sa.table(table, *[sa.column(k) for k in values])
                     .insert().values(**values))

    def test_upgrade_keeps_data_and_adds_empty_columns(self):
        engine = db_session.get_engine(migrate=False)
        migration.upgrade(engine, 'volume_0001')
        with engine.begin() as conn:
            self._insert(conn, 'consistencygroups', id='g', name='grp',
                         backend='b1', status='available')
            self._insert(conn, 'volumes', id='v', name='vol', size=3,
                         backend='b1', status='available',
                         provider_location='/srv/v',
                         consistencygroup_id='g')
            self._insert(conn, 'cgsnapshots', id='c', name='cgs',
                         consistencygroup_id='g', status='available')
            self._insert(conn, 'volume_snapshots', id='s', name='snap',
                         volume_id='v', cgsnapshot_id='c', size=3,
                         status='available', provider_location='/srv/s')
        migration.upgrade(engine, 'volume_0002')
        inspector = sa.inspect(engine)
        for table in ('volumes', 'volume_snapshots', 'consistencygroups',
                      'cgsnapshots'):
            columns = {c['name'] for c in inspector.get_columns(table)}
            for name in NEW + ('provider_location',):
                self.assertIn(name, columns, table)
        with engine.connect() as conn:
            volume = conn.exec_driver_sql(
                'SELECT name, size, provider_location, consistencygroup_id,'
                ' provider_id, metadata FROM volumes').one()
            snapshot = conn.exec_driver_sql(
                'SELECT provider_location, cgsnapshot_id, provider_auth '
                'FROM volume_snapshots').one()
            group = conn.exec_driver_sql(
                'SELECT name, status, provider_location FROM '
                'consistencygroups').one()
            cgsnapshot = conn.exec_driver_sql(
                'SELECT name, consistencygroup_id, provider_id FROM '
                'cgsnapshots').one()
        self.assertEqual(('vol', 3, '/srv/v', 'g', None, None),
                         tuple(volume))
        self.assertEqual(('/srv/s', 'c', None), tuple(snapshot))
        self.assertEqual(('grp', 'available', None), tuple(group))
        self.assertEqual(('cgs', 'g', None), tuple(cgsnapshot))
        # And the rest of the heads still apply on top.
        migration.upgrade(engine)
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(engine))
