"""Every injected fault of the eight replication methods, end to end.

Through the service and the fake driver's fault injection
(``set_fault``): each exception class of ``FAILURES`` and each kind of
malformed return (a value of the wrong type, a state or status the
contract does not know, an id that is not one the driver was given) of
``create_replica``, ``delete_replica``, ``promote_replica``,
``update_replica_state``, ``create_replicated_snapshot``,
``delete_replicated_snapshot``, ``update_replicated_snapshot`` and
``revert_to_replicated_snapshot``. Each test checks the final state that
doc/source/admin/share-replication-rules.rst documents, that no replica
or snapshot instance is left transitional, and that a user message
names the failure.
"""

from unittest import mock

import ddt

from storagemgr.db import api as db_api
from storagemgr.db.models import share as models
from storagemgr import exception
from storagemgr.message import api as message_api
from storagemgr.share.drivers import fake_faults
from storagemgr.tests.unit.share_replication import base

FAILURES = (
    'storagemgr.exception.ShareBackendException',
    'builtins.NotImplementedError',
    'builtins.Exception',
)
# The fake's wrong returns that break each method's contract.
MALFORMED = (fake_faults.MALFORMED, fake_faults.UNKNOWN_STATUS)
TRANSITIONAL = frozenset(['creating', 'deleting', 'replication_change',
                          'restoring', 'reverting'])


def _name(spec):
    return spec.rsplit('.', 1)[-1]


@ddt.ddt
class ReplicationFaultsTestCase(base.ReplicationTestCase):

    def setUp(self):
        super().setUp()
        self.share = self.make_share()
        self.active_id = self.share['instance_id']

    # -- helpers ------------------------------------------------------------

    def fault(self, backend, method, raise_=None, return_=None):
        self.driver(backend).set_fault(method, raise_=raise_,
                                       return_=return_)

    def answer(self, backend, method, value):
        patcher = mock.patch.object(self.driver(backend), method,
                                    return_value=value)
        patcher.start()
        self.addCleanup(patcher.stop)

    def assertSettled(self):
        """No replica and no snapshot instance left transitional."""
        for row in db_api.query(models.ShareInstance,
                                share_id=self.share['id']):
            self.assertNotIn(row.status, TRANSITIONAL, row.id)
        for row in db_api.query(models.ShareSnapshotInstance):
            self.assertNotIn(row.status, TRANSITIONAL, row.id)
        self.assertNotIn(self.shares.get(self.share['id'])['status'],
                         TRANSITIONAL)

    def assertMessage(self, resource_type, resource_id, *fragments):
        latest = message_api.latest_for(resource_type, resource_id)
        self.assertIsNotNone(latest, 'no message about %s' % resource_id)
        for fragment in fragments:
            self.assertIn(fragment, latest['detail'])

    def replica(self, replica_id):
        return self.replicas.get(replica_id)

    def secondary(self):
        return self.make_replica(self.share['id'])['id']

    def the_new_replica(self):
        (replica,) = [r for r in self.replicas.list(self.share['id'])
                      if r['id'] != self.active_id]
        return replica

    def assertReplicaFailed(self, replica_id, status, fragment):
        record = self.replica(replica_id)
        self.assertEqual((status, 'error'),
                         (record['status'], record['replica_state']))
        self.assertIn(fragment, record['failure_reason'])
        self.assertSettled()

    # -- create_replica -----------------------------------------------------

    def _create_fails(self):
        self.assertRaises(exception.StorageManagerException,
                          self.make_replica, self.share['id'])
        return self.the_new_replica()['id']

    @ddt.data(*FAILURES)
    def test_create_replica_raises(self, spec):
        self.fault('f2', 'create_replica', raise_=spec)
        replica = self._create_fails()
        self.assertReplicaFailed(replica, 'error', _name(spec))
        self.assertEqual('available', self.replica(self.active_id)['status'])

    @ddt.data(*MALFORMED)
    def test_create_replica_malformed(self, kind):
        self.fault('f2', 'create_replica', return_=kind)
        replica = self._create_fails()
        self.assertReplicaFailed(replica, 'error', 'create_replica')

    def test_create_replica_reports_error(self):
        self.fault('f2', 'create_replica', return_=fake_faults.ERROR_STATUS)
        replica = self.make_replica(self.share['id'])
        self.assertEqual(('error', 'error'),
                         (replica['status'], replica['replica_state']))
        self.assertSettled()

    # -- delete_replica -----------------------------------------------------

    @ddt.data(*FAILURES)
    def test_delete_replica_raises(self, spec):
        replica = self.secondary()
        self.fault('f2', 'delete_replica', raise_=spec)
        self.assertRaises(exception.StorageManagerException,
                          self.replicas.delete, replica)
        self.assertReplicaFailed(replica, 'error_deleting', _name(spec))
        # Forced, the rows go whatever the driver says.
        self.replicas.delete(replica, force=True)
        self.assertNotIn(replica, self.instances(self.share['id']))
        self.assertSettled()

    @ddt.data(*MALFORMED)
    def test_delete_replica_return_ignored(self, kind):
        replica = self.secondary()
        self.fault('f2', 'delete_replica', return_=kind)
        self.replicas.delete(replica)
        self.assertNotIn(replica, self.instances(self.share['id']))

    # -- promote_replica ----------------------------------------------------

    def _promote_fails(self, fragment):
        second = self.secondary()
        third = self.make_replica(self.share['id'], backend='f3')['id']
        yield second
        self.assertRaises(exception.StorageManagerException,
                          self.replicas.promote, second)
        records = {r['id']: r for r in self.replicas.list(self.share['id'])}
        self.assertEqual({'error'},
                         {r['status'] for r in records.values()})
        self.assertEqual('active', records[self.active_id]['replica_state'])
        self.assertEqual('in_sync', records[third]['replica_state'])
        self.assertEqual(self.active_id,
                         self.shares.get(self.share['id'])['instance_id'])
        self.assertIn(fragment, records[second]['failure_reason'])
        self.assertSettled()

    def _run_promote_fault(self, setup, fragment):
        steps = self._promote_fails(fragment)
        second = next(steps)
        setup(second)
        for _ in steps:
            pass

    @ddt.data(*FAILURES)
    def test_promote_replica_raises(self, spec):
        self._run_promote_fault(
            lambda second: self.fault('f2', 'promote_replica', raise_=spec),
            _name(spec))

    @ddt.data(*MALFORMED)
    def test_promote_replica_malformed(self, kind):
        self._run_promote_fault(
            lambda second: self.fault('f2', 'promote_replica',
                                      return_=kind),
            'promote_replica')

    def test_promote_replica_unknown_replica(self):
        self._run_promote_fault(
            lambda second: self.answer('f2', 'promote_replica', [
                {'id': second, 'replica_state': 'active'},
                {'id': 'not-a-replica', 'replica_state': 'in_sync'}]),
            'not-a-replica')

    # -- update_replica_state -----------------------------------------------

    @ddt.data(*FAILURES)
    def test_update_replica_state_raises(self, spec):
        replica = self.secondary()
        self.fault('f2', 'update_replica_state', raise_=spec)
        self.assertRaises(exception.StorageManagerException,
                          self.replicas.resync, replica)
        self.assertReplicaFailed(replica, 'error', _name(spec))
        # A good answer later brings it back.
        self.driver('f2').clear_faults()
        record = self.replicas.resync(replica)
        self.assertEqual(('available', 'in_sync'),
                         (record['status'], record['replica_state']))

    @ddt.data(*MALFORMED)
    def test_update_replica_state_malformed(self, kind):
        replica = self.secondary()
        self.fault('f2', 'update_replica_state', return_=kind)
        self.assertRaises(exception.StorageManagerException,
                          self.replicas.resync, replica)
        self.assertReplicaFailed(replica, 'error', 'update_replica_state')

    @ddt.data(3, ['in_sync'], {'replica_state': 'in_sync'}, 'active')
    def test_update_replica_state_wrong_type_or_state(self, value):
        replica = self.secondary()
        self.answer('f2', 'update_replica_state', value)
        self.assertEqual(1, self.replicas.poll())
        self.assertReplicaFailed(replica, 'error', 'update_replica_state')

    def test_update_replica_state_reports_error(self):
        replica = self.secondary()
        self.fault('f2', 'update_replica_state',
                   return_=fake_faults.ERROR_STATUS)
        record = self.replicas.resync(replica)
        self.assertEqual(('error', 'error'),
                         (record['status'], record['replica_state']))
        self.assertSettled()

    # -- create_replicated_snapshot -----------------------------------------

    def _snapshot_create_fails(self, fragment):
        second = self.secondary()
        self.assertRaises(exception.StorageManagerException,
                          self.shares.create_snapshot, self.share['id'])
        (snap,) = self.shares.list_snapshots(self.share['id'])
        instances = self.snapshot_instances(snap['id'])
        self.assertEqual({self.active_id, second}, set(instances))
        self.assertEqual({'error'},
                         {i.status for i in instances.values()})
        self.assertEqual('error', snap['status'])
        self.assertMessage(message_api.SHARE_SNAPSHOT, snap['id'], fragment)
        self.assertSettled()

    @ddt.data(*FAILURES)
    def test_create_replicated_snapshot_raises(self, spec):
        self.fault('f1', 'create_replicated_snapshot', raise_=spec)
        self._snapshot_create_fails(_name(spec))

    @ddt.data(*MALFORMED)
    def test_create_replicated_snapshot_malformed(self, kind):
        self.fault('f1', 'create_replicated_snapshot', return_=kind)
        self._snapshot_create_fails('create_replicated_snapshot')

    def test_create_replicated_snapshot_unknown_instance(self):
        self.answer('f1', 'create_replicated_snapshot',
                    [{'id': 'stranger', 'status': 'available'}])
        self._snapshot_create_fails('stranger')

    # -- delete_replicated_snapshot -----------------------------------------

    def _snapshot_delete_fails(self, fragment):
        self.assertRaises(exception.StorageManagerException,
                          self.shares.delete_snapshot, self.snap['id'])
        instances = self.snapshot_instances(self.snap['id'])
        self.assertEqual(2, len(instances))
        self.assertEqual({'error_deleting'},
                         {i.status for i in instances.values()})
        self.assertMessage(message_api.SHARE_SNAPSHOT, self.snap['id'],
                           fragment)
        self.assertSettled()

    def _snapshot(self):
        self.secondary()
        self.snap = self.shares.create_snapshot(self.share['id'])

    @ddt.data(*FAILURES)
    def test_delete_replicated_snapshot_raises(self, spec):
        self._snapshot()
        self.fault('f1', 'delete_replicated_snapshot', raise_=spec)
        self._snapshot_delete_fails(_name(spec))

    @ddt.data(*MALFORMED)
    def test_delete_replicated_snapshot_malformed(self, kind):
        self._snapshot()
        self.fault('f1', 'delete_replicated_snapshot', return_=kind)
        self._snapshot_delete_fails('delete_replicated_snapshot')

    def test_delete_replicated_snapshot_unknown_instance(self):
        self._snapshot()
        self.answer('f1', 'delete_replicated_snapshot',
                    [{'id': 'stranger', 'status': 'deleted'}])
        self._snapshot_delete_fails('stranger')

    # -- update_replicated_snapshot -----------------------------------------

    def _pending_instance(self, status):
        second = self.secondary()
        snap = self.shares.create_snapshot(self.share['id'])
        instance = self.snapshot_instances(snap['id'])[second]
        db_api.update(models.ShareSnapshotInstance, instance.id,
                      {'status': status})
        return snap['id'], second

    @ddt.data(*[(spec, status) for spec in FAILURES
                for status in ('creating', 'deleting')])
    @ddt.unpack
    def test_update_replicated_snapshot_raises(self, spec, status):
        snap_id, second = self._pending_instance(status)
        self.fault('f2', 'update_replicated_snapshot', raise_=spec)
        self.assertEqual(1, self.replicas.poll_snapshots())
        expected = 'error' if status == 'creating' else 'error_deleting'
        self.assertEqual(expected,
                         self.snapshot_instances(snap_id)[second].status)
        self.assertSettled()

    # The fake raises SnapshotResourceNotFound for an instance being
    # deleted before its wrong return applies: these are answered whole.
    @ddt.data(*[(value, status) for value in (
        fake_faults.MALFORMED_VALUE, ['available'],
        {'status': fake_faults.UNKNOWN_STATUS_VALUE},
        {'provider_location': 7}) for status in ('creating', 'deleting')])
    @ddt.unpack
    def test_update_replicated_snapshot_malformed(self, value, status):
        snap_id, second = self._pending_instance(status)
        self.answer('f2', 'update_replicated_snapshot', value)
        self.replicas.poll_snapshots()
        expected = 'error' if status == 'creating' else 'error_deleting'
        self.assertEqual(expected,
                         self.snapshot_instances(snap_id)[second].status)
        self.assertSettled()

    def test_update_replicated_snapshot_failure_has_a_message(self):
        snap_id, second = self._pending_instance('creating')
        self.fault('f2', 'update_replicated_snapshot',
                   raise_='builtins.RuntimeError')
        self.replicas.poll_snapshots()
        self.assertMessage(message_api.SHARE_SNAPSHOT, snap_id,
                           'RuntimeError')

    # -- revert_to_replicated_snapshot --------------------------------------

    @ddt.data(*FAILURES)
    def test_revert_to_replicated_snapshot_raises(self, spec):
        second = self.secondary()
        snap = self.shares.create_snapshot(self.share['id'])
        self.fault('f1', 'revert_to_replicated_snapshot', raise_=spec)
        self.assertRaises(exception.StorageManagerException,
                          self.shares.revert, snap['id'])
        self.assertEqual('reverting_error',
                         self.shares.get(self.share['id'])['status'])
        self.assertEqual('available',
                         self.shares.get_snapshot(snap['id'])['status'])
        self.assertEqual('in_sync', self.replica(second)['replica_state'])
        self.assertMessage(message_api.SHARE, self.share['id'], _name(spec))
        self.assertSettled()

    @ddt.data(*MALFORMED)
    def test_revert_to_replicated_snapshot_return_ignored(self, kind):
        second = self.secondary()
        snap = self.shares.create_snapshot(self.share['id'])
        self.fault('f1', 'revert_to_replicated_snapshot', return_=kind)
        self.shares.revert(snap['id'])
        self.assertEqual('available',
                         self.shares.get(self.share['id'])['status'])
        self.assertEqual('out_of_sync',
                         self.replica(second)['replica_state'])
