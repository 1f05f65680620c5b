"""share_0002: a database of the previous release upgrades, nothing lost.

The database is built at the previous share head (``share_0001``) with
shares, snapshots and access rules in several statuses, as the previous
release wrote them; the upgrade must move every status, export location,
provider location and rule state onto the new instance rows.
"""

import datetime

import sqlalchemy as sa
import testscenarios

from storagemgr.db import migration
from storagemgr.db import session as db_session
from storagemgr.share import records
from storagemgr.tests import base
from storagemgr.tests import db_backends

load_tests = testscenarios.load_tests_apply_scenarios

_WHEN = datetime.datetime(2026, 11, 20, 12, 0, 0)
_EXPORTS = [{'path': 'h:/srv/share-s1', 'is_admin_only': False,
             'metadata': {}}]


def _insert(conn, table, **values):
    columns = ', '.join(values)
    marks = ', '.join(':%s' % k for k in values)
    conn.execute(sa.text('INSERT INTO %s (%s) VALUES (%s)' % (
        table, columns, marks)), values)


class ShareInstancesMigrationTestCase(db_backends.DatabaseScenarios,
                                      base.TestCase):

    scenarios = db_backends.scenarios()

    def _previous_release_database(self):
        engine = db_session.get_engine(migrate=False)
        migration.upgrade(engine, 'share_0001')
        json_exports = sa.JSON().bind_processor(engine.dialect)
        with engine.begin() as conn:
            for share_id, status, exports in (
                    ('s1', 'available', _EXPORTS),
                    ('s2', 'error', None),
                    ('s3', 'deleting', [])):
                _insert(conn, 'shares', id=share_id,
                        display_name='name-%s' % share_id, size=3,
                        share_proto='NFS', backend='b1', status=status,
                        export_locations=json_exports(exports)
                        if json_exports else exports,
                        snapshot_id=None, metadata='{"k": "v"}',
                        task_state=None, progress='100%',
                        created_at=_WHEN, updated_at=_WHEN)
            _insert(conn, 'share_snapshots', id='n1', share_id='s1',
                    display_name='snap', size=3, status='available',
                    provider_location='/snaps/n1', export_locations='[]',
                    created_at=_WHEN, updated_at=_WHEN)
            _insert(conn, 'share_snapshots', id='n2', share_id='s1',
                    display_name=None, size=None, status='error_deleting',
                    provider_location=None, export_locations=None,
                    created_at=_WHEN, updated_at=_WHEN)
            for rule_id, state in (('r1', 'active'), ('r2', 'error')):
                _insert(conn, 'share_access_rules', id=rule_id,
                        share_id='s1', access_type='ip',
                        access_to='10.0.0.%s' % rule_id[1],
                        access_level='rw', access_key=None, state=state,
                        created_at=_WHEN, updated_at=_WHEN)
        return engine

    def test_upgrade_keeps_every_share_fact(self):
        engine = self._previous_release_database()
        migration.upgrade(engine)
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(engine))
        shares = {s.id: (s, i) for s, i in records.list_shares()}
        self.assertEqual({'s1', 's2', 's3'}, set(shares))
        share, instance = shares['s1']
        # The instance has the share's id: drivers named objects after it.
        self.assertEqual(('s1', 's1', True), (instance.id, instance.share_id,
                                              instance.active))
        self.assertEqual(('available', 'b1', 'test-host@b1', _EXPORTS,
                          '100%'),
                         (instance.status, instance.backend, instance.host,
                          instance.export_locations, instance.progress))
        self.assertEqual(('name-s1', 3, 'NFS', {'k': 'v'}),
                         (share.display_name, share.size, share.share_proto,
                          share.share_metadata))
        self.assertEqual('error', shares['s2'][1].status)
        self.assertEqual('deleting', shares['s3'][1].status)

    def test_upgrade_keeps_snapshots_and_rule_states(self):
        engine = self._previous_release_database()
        migration.upgrade(engine)
        snapshots = {s.id: (s, i) for s, i in records.list_snapshots()}
        self.assertEqual({'n1', 'n2'}, set(snapshots))
        snapshot, instance = snapshots['n1']
        self.assertEqual(('n1', 's1', 'available', '/snaps/n1', 3, 'snap'),
                         (instance.id, instance.share_instance_id,
                          instance.status, instance.provider_location,
                          snapshot.size, snapshot.display_name))
        self.assertEqual('error_deleting', snapshots['n2'][1].status)
        rules = {r.id: r.state for r in records.list_rules('s1')}
        self.assertEqual({'r1': 'active', 'r2': 'error'}, rules)

    def test_upgraded_share_record_reads_as_before(self):
        engine = self._previous_release_database()
        migration.upgrade(engine)
        record = records.get_share_record('s1')
        self.assertEqual(('s1', 'available', 'b1', 'test-host@b1'),
                         (record['id'], record['status'], record['backend'],
                          record['host']))
        self.assertEqual('h:/srv/share-s1',
                         record['export_locations'][0]['path'])
