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
from storagemgr.flows import engine as flow_engine
from storagemgr.flows import persistence
from storagemgr.share.flows import delete as delete_flows
from storagemgr.share import records
from storagemgr.tests import base
from storagemgr.tests import db_backends

load_tests = testscenarios.load_tests_apply_scenarios

_WHEN = datetime.datetime(2026, 11, 20, 12, 0, 0)
# Ids as the previous release made them (UUIDs).
S1, S2, S3, N1, N2, R1, R2 = (
    '00000000-0000-4000-8000-00000000000%d' % n for n in range(1, 8))
_EXPORTS = [{'path': 'h:/srv/share-1', 'is_admin_only': False,
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
                    (S1, 'available', _EXPORTS),
                    (S2, 'error', None),
                    (S3, 'deleting', [])):
                _insert(conn, 'shares', id=share_id,
                        display_name='name-%s' % share_id[-1], size=3,
                        share_proto='NFS', backend='b1', status=status,
                        export_locations=json_exports(exports)
                        if json_exports else exports,
                        snapshot_id=None, metadata='{"k": "v"}',
                        task_state=None, progress='100%',
                        created_at=_WHEN, updated_at=_WHEN)
            _insert(conn, 'share_snapshots', id=N1, share_id=S1,
                    display_name='snap', size=3, status='available',
                    provider_location='/snaps/n1', export_locations='[]',
                    created_at=_WHEN, updated_at=_WHEN)
            _insert(conn, 'share_snapshots', id=N2, share_id=S1,
                    display_name=None, size=None, status='error_deleting',
                    provider_location=None, export_locations=None,
                    created_at=_WHEN, updated_at=_WHEN)
            for rule_id, state in ((R1, 'active'), (R2, 'error')):
                _insert(conn, 'share_access_rules', id=rule_id,
                        share_id=S1, access_type='ip',
                        access_to='10.0.0.%d' % (1 + (rule_id == R2)),
                        access_level='rw', access_key=None, state=state,
                        created_at=_WHEN, updated_at=_WHEN)
        return engine

    def test_upgrade_keeps_every_share_fact(self):
        engine = self._previous_release_database()
        migration.upgrade(engine)
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(engine))
        shares = {s.id: (s, i) for s, i in records.list_shares()}
        self.assertEqual({S1, S2, S3}, set(shares))
        share, instance = shares[S1]
        # The instance has the share's id: drivers named objects after it.
        self.assertEqual((S1, S1, True),
                         (instance.id, instance.share_id, instance.active))
        self.assertEqual(('available', 'b1', 'test-host@b1', _EXPORTS,
                          '100%'),
                         (instance.status, instance.backend, instance.host,
                          instance.export_locations, instance.progress))
        self.assertEqual(('name-1', 3, 'NFS', {'k': 'v'}),
                         (share.display_name, share.size, share.share_proto,
                          share.share_metadata))
        self.assertEqual('error', shares[S2][1].status)
        self.assertEqual('deleting', shares[S3][1].status)

    def test_upgrade_keeps_snapshots_and_rule_states(self):
        engine = self._previous_release_database()
        migration.upgrade(engine)
        snapshots = {s.id: (s, i) for s, i in records.list_snapshots()}
        self.assertEqual({N1, N2}, set(snapshots))
        snapshot, instance = snapshots[N1]
        self.assertEqual((N1, S1, 'available', '/snaps/n1', 3, 'snap'),
                         (instance.id, instance.share_instance_id,
                          instance.status, instance.provider_location,
                          snapshot.size, snapshot.display_name))
        self.assertEqual('error_deleting', snapshots[N2][1].status)
        rules = {r.id: r.state for r in records.list_rules(S1)}
        self.assertEqual({R1: 'active', R2: 'error'}, rules)

    def test_upgraded_share_record_reads_as_before(self):
        engine = self._previous_release_database()
        migration.upgrade(engine)
        record = records.get_share_record(S1)
        self.assertEqual((S1, 'available', 'b1', 'test-host@b1'),
                         (record['id'], record['status'], record['backend'],
                          record['host']))
        self.assertEqual('h:/srv/share-1',
                         record['export_locations'][0]['path'])


class UnfinishedFlowAcrossUpgradeTestCase(base.TestCase):
    """A flow the previous release saved finishes after the upgrade.

    Flow names, task names and store keys did not change (shares and
    snapshots are named by id), so a delete saved before the upgrade is
    resumed by the new code and deletes the share through its instance.
    """

    def test_saved_delete_resumes_on_the_instance(self):
        self.write_config('[DEFAULT]\nenabled_backends = b1\n'
                          '[b1]\nshare_driver = fake\n')
        engine = ShareInstancesMigrationTestCase._previous_release_database(
            self)
        # The previous release's delete: its claim set 'deleting' on the
        # share row and saved this store (the share's view as it was).
        with engine.begin() as conn:
            conn.execute(sa.text(
                "UPDATE shares SET status = 'deleting' WHERE id = :share"),
                {'share': S1})
            conn.execute(sa.text(
                "DELETE FROM share_snapshots WHERE share_id = :share"),
                {'share': S1})
        old_view = {'id': S1, 'name': 'share-%s' % S1, 'size': 3,
                    'share_proto': 'NFS', 'host': 'b1',
                    'export_locations': _EXPORTS}
        book = flow_engine._new_book('delete_share_flow', {'share': S1})
        flow_engine._claim_and_save(
            persistence.get_backend(), book, delete_flows.delete_share_flow,
            {'share_id': S1, 'backend': 'b1', 'share': old_view}, None,
            {'engine': 'serial'})
        migration.upgrade(engine)
        self.assertEqual('deleting', records.active_instance(S1).status)
        results = flow_engine.resume_unfinished_flows()
        self.assertEqual([('delete_share', 'SUCCESS', None)], results)
        self.assertEqual({S2, S3},
                         {s.id for s, _i in records.list_shares()})
        self.assertEqual([], records.list_rules(S1))
