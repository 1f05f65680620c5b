"""One test per row of doc/source/admin/share-replication-rules.rst.

Each row drives the service (``share_replication.api.API``, the share
API for snapshots, reverts and access) on three fake backends of one
replication domain, with the driver's return (or exception) set for the
row, and checks the rows written. ``test_every_row_is_tested`` keeps the
page and ``ROWS`` the same set of ids.
"""

import os
import re
from unittest import mock

import ddt

from storagemgr.db import api as db_api
from storagemgr.db.models import share as models
from storagemgr import exception
from storagemgr.tests.unit.share_replication import base

DOC = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'doc',
                   'source', 'admin', 'share-replication-rules.rst')

# Row id -> what the row is about (the scenario is ``_row_<id>``); rows
# of a dr or writable share run in the test case of that type.
ROWS = {
    'R1': 'create_replica reports locations, state and rules status',
    'R2': 'create_replica reports no replica_state',
    'R3': 'create_replica reports replica_state error',
    'R4': 'create_replica reports access_rules_status',
    'R5': 'create_replica raises',
    'R6': 'create_replica returns a malformed value',
    'R7': 'delete_replica succeeds',
    'R8': 'delete_replica raises',
    'R9': 'delete_replica raises, forced delete',
    'R10': 'promote_replica returns None',
    'R11': 'promote_replica returns updates',
    'R12': 'promote_replica leaves a replica out',
    'R13': 'promote_replica reports a replica in error',
    'R14': 'promote_replica reports access_rules_status per replica',
    'R15': 'promote_replica raises',
    'R16': 'promote of a readable share moves the rules',
    'R17': 'promote of a dr share casts nothing',
    'R18': 'promote: the new active replica\'s pending snapshots',
    'R19': 'promote of a writable share is refused',
    'R20': 'update_replica_state reports a state',
    'R21': 'update_replica_state returns None',
    'R22': 'update_replica_state reports error',
    'R23': 'a replica in error reports a state again',
    'R24': 'update_replica_state raises',
    'R25': 'update_replica_state returns a malformed value',
    'R26': 'revert of a replicated share',
    'R27': 'revert_to_replicated_snapshot raises',
    'R28': 'the periodic poll skips busy and active replicas',
    'R30': 'create_replicated_snapshot reports every instance',
    'R31': 'create_replicated_snapshot raises',
    'R32': 'create_replicated_snapshot leaves an instance creating',
    'R33': 'delete_replicated_snapshot reports every instance deleted',
    'R34': 'delete_replicated_snapshot leaves an instance deleting',
    'R35': 'the snapshot goes with its last instance',
    'R36': 'delete_replicated_snapshot raises',
    'R37': 'update_replicated_snapshot reports a status',
    'R38': 'update_replicated_snapshot: not found while deleting',
    'R39': 'update_replicated_snapshot raises otherwise',
    'R40': 'access on a readable secondary: rules cast read-only',
    'R41': 'access on a writable secondary: rules as given',
    'R42': 'access on a secondary fails',
}


def _locations(path):
    return [{'path': path, 'is_admin_only': False, 'metadata': {}}]


class Boom(Exception):
    """A driver exception of no storagemgr family."""


DR_ROWS = ('R17',)
WRITABLE_ROWS = ('R19', 'R41')
READABLE_ROWS = tuple(r for r in ROWS
                      if r not in DR_ROWS + WRITABLE_ROWS)


def _ordered(row_ids):
    return sorted(row_ids, key=lambda r: int(r[1:]))


class RowsMixin(object):
    """The scenario of every row, on ``self.share`` (active on f1)."""

    # -- helpers ------------------------------------------------------------

    def setUp(self):
        super().setUp()
        self.share = self.make_share()
        self.active_id = self.share['instance_id']

    def returns(self, backend, method, value=None, side_effect=None):
        """The driver of ``backend`` answers ``method`` with ``value``."""
        patcher = mock.patch.object(self.driver(backend), method,
                                    return_value=value,
                                    side_effect=side_effect)
        called = patcher.start()
        self.addCleanup(patcher.stop)
        return called

    def replica(self, replica_id):
        return self.replicas.get(replica_id)

    def failing_create(self, **kwargs):
        self.assertRaises(exception.StorageManagerException,
                          self.make_replica, self.share['id'], **kwargs)
        (failed,) = [r for r in self.replicas.list(self.share['id'])
                     if not r['replica_state'] == 'active']
        return failed

    def assertFailed(self, record, status='error', replica_state='error',
                     names=None):
        self.assertEqual(status, record['status'])
        self.assertEqual(replica_state, record['replica_state'])
        self.assertTrue(record['failure_reason'])
        if names:
            self.assertIn(names, record['failure_reason'])

    def rule_instances(self):
        return {row.share_instance_id for row in db_api.query(
            models.ShareInstanceAccessRule)}

    def snapshot_with(self, create_answer):
        """A snapshot of the share (one secondary on f2) and its instances.

        ``create_answer(instances)``: the create_replicated_snapshot
        return, given ``{replica id: snapshot instance id}``.
        """
        def answer(context, replica_list, replica_snapshots,
                   share_server=None):
            return create_answer({s['share_instance_id']: s['id']
                                  for s in replica_snapshots})
        self.returns('f1', 'create_replicated_snapshot', side_effect=answer)
        return self.shares.create_snapshot(self.share['id'])

    # -- create_replica -----------------------------------------------------

    def _row_R1(self):
        self.returns('f2', 'create_replica', {
            'export_locations': _locations('f2:/r1'),
            'replica_state': 'in_sync', 'access_rules_status': 'active'})
        record = self.make_replica(self.share['id'])
        self.assertEqual('available', record['status'])
        self.assertEqual('in_sync', record['replica_state'])
        self.assertEqual(['f2:/r1'],
                         [e['path'] for e in record['export_locations']])
        self.assertEqual('active', record['access_rules_status'])
        self.assertTrue(record['cast_rules_to_readonly'])

    def _row_R2(self):
        self.returns('f2', 'create_replica', None)
        record = self.make_replica(self.share['id'])
        self.assertEqual('available', record['status'])
        self.assertEqual('out_of_sync', record['replica_state'])
        self.assertEqual('active', record['access_rules_status'])
        self.assertEqual([], record['export_locations'])

    def _row_R3(self):
        self.returns('f2', 'create_replica', {'replica_state': 'error'})
        record = self.make_replica(self.share['id'])
        self.assertEqual('error', record['status'])
        self.assertEqual('error', record['replica_state'])

    def _row_R4(self):
        self.returns('f2', 'create_replica', {
            'replica_state': 'in_sync', 'access_rules_status': 'error'})
        record = self.make_replica(self.share['id'])
        self.assertEqual('available', record['status'])
        self.assertEqual('error', record['access_rules_status'])

    def _row_R5(self):
        self.returns('f2', 'create_replica', side_effect=Boom('disk gone'))
        failed = self.failing_create()
        self.assertFailed(failed, names='Boom')
        self.assertIn('disk gone', failed['failure_reason'])
        self.assertEqual('error', failed['access_rules_status'])
        self.assertEqual('available',
                         self.replica(self.active_id)['status'])

    def _row_R6(self):
        self.returns('f2', 'create_replica', {'replica_state': 'mirrored'})
        failed = self.failing_create()
        self.assertFailed(failed, names='create_replica')
        self.assertIn('mirrored', failed['failure_reason'])
        self.assertEqual('error', failed['access_rules_status'])

    # -- delete_replica -----------------------------------------------------

    def _row_R7(self):
        replica = self.make_replica(self.share['id'])
        snap = self.shares.create_snapshot(self.share['id'])
        self.replicas.delete(replica['id'])
        self.assertNotIn(replica['id'], self.instances(self.share['id']))
        self.assertEqual({self.active_id},
                         set(self.snapshot_instances(snap['id'])))

    def _row_R8(self):
        replica = self.make_replica(self.share['id'])
        self.returns('f2', 'delete_replica', side_effect=Boom('busy'))
        self.assertRaises(exception.StorageManagerException,
                          self.replicas.delete, replica['id'])
        self.assertFailed(self.replica(replica['id']),
                          status='error_deleting', names='Boom')

    def _row_R9(self):
        replica = self.make_replica(self.share['id'])
        self.returns('f2', 'delete_replica', side_effect=Boom('busy'))
        self.replicas.delete(replica['id'], force=True)
        self.assertNotIn(replica['id'], self.instances(self.share['id']))

    # -- promote_replica ----------------------------------------------------

    def _two_secondaries(self):
        second = self.make_replica(self.share['id'])
        third = self.make_replica(self.share['id'], backend='f3')
        return second['id'], third['id']

    def _row_R10(self):
        second, third = self._two_secondaries()
        self.returns('f2', 'promote_replica', None)
        promoted = self.replicas.promote(second)
        self.assertEqual(('available', 'active', False), (
            promoted['status'], promoted['replica_state'],
            promoted['cast_rules_to_readonly']))
        old = self.replica(self.active_id)
        self.assertEqual(('available', 'out_of_sync'),
                         (old['status'], old['replica_state']))
        self.assertEqual(second, self.shares.get(self.share['id'])[
            'instance_id'])
        self.assertEqual('in_sync', self.replica(third)['replica_state'])

    def _row_R11(self):
        second, third = self._two_secondaries()
        self.returns('f2', 'promote_replica', [
            {'id': second, 'replica_state': 'active',
             'export_locations': _locations('f2:/new-active')},
            {'id': self.active_id, 'replica_state': 'in_sync',
             'export_locations': _locations('f1:/now-secondary')}])
        promoted = self.replicas.promote(second)
        self.assertEqual('active', promoted['replica_state'])
        self.assertEqual(['f2:/new-active'],
                         [e['path'] for e in promoted['export_locations']])
        old = self.replica(self.active_id)
        self.assertEqual('in_sync', old['replica_state'])
        self.assertEqual(['f1:/now-secondary'],
                         [e['path'] for e in old['export_locations']])
        actives = [r for r in self.replicas.list(self.share['id'])
                   if r['replica_state'] == 'active']
        self.assertEqual([second], [r['id'] for r in actives])

    def _row_R12(self):
        second, third = self._two_secondaries()
        self.replicas.reset(third, replica_state='out_of_sync')
        before = self.replica(third)
        self.returns('f2', 'promote_replica', [
            {'id': second, 'replica_state': 'active'}])
        self.replicas.promote(second)
        after = self.replica(third)
        self.assertEqual(('available', 'out_of_sync'),
                         (after['status'], after['replica_state']))
        self.assertEqual(before['export_locations'],
                         after['export_locations'])

    def _row_R13(self):
        second, third = self._two_secondaries()
        self.returns('f2', 'promote_replica', [
            {'id': second, 'replica_state': 'active'},
            {'id': third, 'replica_state': 'error'}])
        promoted = self.replicas.promote(second)
        self.assertEqual('available', promoted['status'])
        self.assertEqual(('error', 'error'), (
            self.replica(third)['status'],
            self.replica(third)['replica_state']))

    def _row_R14(self):
        second, third = self._two_secondaries()
        self.returns('f2', 'promote_replica', [
            {'id': second, 'access_rules_status': 'active'},
            {'id': self.active_id, 'access_rules_status': 'error'},
            {'id': third, 'access_rules_status': 'syncing'}])
        promoted = self.replicas.promote(second)
        self.assertEqual('active', promoted['access_rules_status'])
        self.assertEqual('error',
                         self.replica(self.active_id)['access_rules_status'])
        self.assertEqual('syncing',
                         self.replica(third)['access_rules_status'])

    def _row_R15(self):
        second, third = self._two_secondaries()
        self.returns('f2', 'promote_replica', side_effect=Boom('split'))
        self.assertRaises(exception.StorageManagerException,
                          self.replicas.promote, second)
        states = {r['id']: (r['status'], r['replica_state'])
                  for r in self.replicas.list(self.share['id'])}
        self.assertEqual({self.active_id: ('error', 'active'),
                          second: ('error', 'in_sync'),
                          third: ('error', 'in_sync')}, states)
        self.assertIn('Boom', self.replica(second)['failure_reason'])
        self.assertEqual(self.active_id, self.shares.get(
            self.share['id'])['instance_id'])

    def _row_R16(self):
        self.shares.allow_access(self.share['id'], 'ip', '10.0.0.1')
        (second,) = [self.make_replica(self.share['id'])['id']]
        self.assertEqual({self.active_id}, self.rule_instances())
        self.replicas.promote(second)
        self.assertEqual({second}, self.rule_instances())
        self.assertTrue(
            self.replica(self.active_id)['cast_rules_to_readonly'])
        self.assertFalse(self.replica(second)['cast_rules_to_readonly'])
        (rule,) = self.shares.list_access(self.share['id'])
        self.assertEqual('active', rule['state'])

    def _row_R17(self):
        replica = self.make_replica(self.share['id'])
        self.assertFalse(replica['cast_rules_to_readonly'])
        self.returns('f2', 'promote_replica', None)
        self.replicas.promote(replica['id'])
        old = self.replica(self.active_id)
        self.assertFalse(old['cast_rules_to_readonly'])
        self.assertEqual('out_of_sync', old['replica_state'])

    def _row_R18(self):
        second = self.make_replica(self.share['id'])['id']
        snap = self.snapshot_with(lambda ids: [
            {'id': ids[self.active_id], 'status': 'available'},
            {'id': ids[second], 'status': 'creating'}])
        self.replicas.promote(second)
        instances = self.snapshot_instances(snap['id'])
        self.assertEqual('error', instances[second].status)
        self.assertEqual('available', instances[self.active_id].status)

    def _row_R19(self):
        self.returns('f2', 'create_replica', {'replica_state': 'active'})
        replica = self.make_replica(self.share['id'])
        self.assertEqual('active', replica['replica_state'])
        self.assertFalse(replica['cast_rules_to_readonly'])
        self.assertRaises(exception.InvalidShare, self.replicas.promote,
                          replica['id'])
        self.assertEqual(self.active_id, self.shares.get(
            self.share['id'])['instance_id'])
        self.assertEqual('available', self.replica(replica['id'])['status'])

    # -- update_replica_state -----------------------------------------------

    def _row_R20(self):
        replica = self.make_replica(self.share['id'])['id']
        for state in ('out_of_sync', 'in_sync'):
            self.returns('f2', 'update_replica_state', state)
            record = self.replicas.resync(replica)
            self.assertEqual(('available', state), (
                record['status'], record['replica_state']))

    def _row_R21(self):
        replica = self.make_replica(self.share['id'])['id']
        self.replicas.reset(replica, replica_state='out_of_sync')
        self.returns('f2', 'update_replica_state', None)
        record = self.replicas.resync(replica)
        self.assertEqual(('available', 'out_of_sync'), (
            record['status'], record['replica_state']))

    def _row_R22(self):
        replica = self.make_replica(self.share['id'])['id']
        self.returns('f2', 'update_replica_state', 'error')
        record = self.replicas.resync(replica)
        self.assertEqual(('error', 'error'), (
            record['status'], record['replica_state']))

    def _row_R23(self):
        replica = self.make_replica(self.share['id'])['id']
        self.returns('f2', 'update_replica_state', 'error')
        self.replicas.resync(replica)
        self.returns('f2', 'update_replica_state', 'in_sync')
        record = self.replicas.resync(replica)
        self.assertEqual(('available', 'in_sync'), (
            record['status'], record['replica_state']))

    def _row_R24(self):
        replica = self.make_replica(self.share['id'])['id']
        self.returns('f2', 'update_replica_state',
                     side_effect=Boom('link down'))
        self.assertRaises(exception.StorageManagerException,
                          self.replicas.resync, replica)
        self.assertFailed(self.replica(replica), names='Boom')
        # The periodic poll does the same, and carries on.
        self.replicas.reset(replica, status='available',
                            replica_state='in_sync')
        self.assertEqual(1, self.replicas.poll())
        self.assertFailed(self.replica(replica), names='link down')

    def _row_R25(self):
        replica = self.make_replica(self.share['id'])['id']
        for junk in ('active', 'synced', 3):
            self.replicas.reset(replica, status='available',
                                replica_state='in_sync')
            self.returns('f2', 'update_replica_state', junk)
            self.assertRaises(exception.StorageManagerException,
                              self.replicas.resync, replica)
            self.assertFailed(self.replica(replica),
                              names='update_replica_state')

    # -- revert -------------------------------------------------------------

    def _row_R26(self):
        second = self.make_replica(self.share['id'])['id']
        snap = self.shares.create_snapshot(self.share['id'])
        revert = self.returns('f1', 'revert_to_replicated_snapshot', None)
        self.shares.revert(snap['id'])
        self.assertEqual(1, revert.call_count)
        active_replica = revert.call_args[0][1]
        self.assertEqual(self.active_id, active_replica['id'])
        self.assertEqual('available',
                         self.shares.get(self.share['id'])['status'])
        self.assertEqual(('available', 'out_of_sync'), (
            self.replica(second)['status'],
            self.replica(second)['replica_state']))

    def _row_R27(self):
        second = self.make_replica(self.share['id'])['id']
        snap = self.shares.create_snapshot(self.share['id'])
        self.returns('f1', 'revert_to_replicated_snapshot',
                     side_effect=Boom('no space'))
        self.assertRaises(exception.StorageManagerException,
                          self.shares.revert, snap['id'])
        self.assertEqual('reverting_error',
                         self.shares.get(self.share['id'])['status'])
        self.assertEqual('available',
                         self.shares.get_snapshot(snap['id'])['status'])
        self.assertEqual('in_sync', self.replica(second)['replica_state'])

    def _row_R28(self):
        second, third = self._two_secondaries()
        db_api.update(models.ShareInstance, third, {'status': 'deleting'})
        polled = self.returns('f2', 'update_replica_state', 'out_of_sync')
        skipped = self.returns('f3', 'update_replica_state', 'out_of_sync')
        active = self.returns('f1', 'update_replica_state', 'out_of_sync')
        self.assertEqual(1, self.replicas.poll())
        self.assertEqual(1, polled.call_count)
        self.assertFalse(skipped.called)
        self.assertFalse(active.called)
        self.assertEqual('out_of_sync', self.replica(second)['replica_state'])
        self.assertEqual('in_sync', self.replica(third)['replica_state'])

    # -- replicated snapshots -----------------------------------------------

    def _row_R30(self):
        second = self.make_replica(self.share['id'])['id']
        snap = self.snapshot_with(lambda ids: [
            {'id': i, 'status': 'available', 'provider_location': 'pl-' + r}
            for r, i in ids.items()])
        instances = self.snapshot_instances(snap['id'])
        self.assertEqual({self.active_id, second}, set(instances))
        for replica_id, row in instances.items():
            self.assertEqual(('available', '100%', 'pl-' + replica_id),
                             (row.status, row.progress,
                              row.provider_location))
        self.assertEqual('available', snap['status'])

    def _row_R31(self):
        second = self.make_replica(self.share['id'])['id']
        self.returns('f1', 'create_replicated_snapshot',
                     side_effect=Boom('quota'))
        self.assertRaises(exception.StorageManagerException,
                          self.shares.create_snapshot, self.share['id'])
        (snap,) = self.shares.list_snapshots(self.share['id'])
        self.assertEqual('error', snap['status'])
        instances = self.snapshot_instances(snap['id'])
        self.assertEqual({'error'}, {i.status for i in instances.values()})
        self.assertIn(second, instances)

    def _row_R32(self):
        second = self.make_replica(self.share['id'])['id']
        snap = self.snapshot_with(lambda ids: [
            {'id': ids[self.active_id], 'status': 'available'}])
        instances = self.snapshot_instances(snap['id'])
        self.assertEqual('available', instances[self.active_id].status)
        self.assertEqual('creating', instances[second].status)
        self.assertEqual(1, self.replicas.poll_snapshots())
        self.assertEqual('available',
                         self.snapshot_instances(snap['id'])[second].status)

    def _row_R33(self):
        self.make_replica(self.share['id'])
        snap = self.shares.create_snapshot(self.share['id'])
        deleted = self.returns(
            'f1', 'delete_replicated_snapshot',
            side_effect=lambda ctx, replicas, snaps, share_server=None: [
                {'id': s['id'], 'status': 'deleted'} for s in snaps])
        self.shares.delete_snapshot(snap['id'])
        self.assertEqual(1, deleted.call_count)
        self.assertEqual({}, self.snapshot_instances(snap['id']))

    def _delete_leaving_secondary(self):
        second = self.make_replica(self.share['id'])['id']
        snap = self.shares.create_snapshot(self.share['id'])
        instances = self.snapshot_instances(snap['id'])
        self.returns('f1', 'delete_replicated_snapshot', [
            {'id': instances[self.active_id].id, 'status': 'deleted'}])
        self.shares.delete_snapshot(snap['id'])
        return second, snap['id']

    def _row_R34(self):
        second, snap_id = self._delete_leaving_secondary()
        instances = self.snapshot_instances(snap_id)
        self.assertEqual({second}, set(instances))
        self.assertEqual('deleting', instances[second].status)

    def _row_R35(self):
        second, snap_id = self._delete_leaving_secondary()
        self.returns('f2', 'update_replicated_snapshot',
                     {'status': 'deleted'})
        self.assertEqual(1, self.replicas.poll_snapshots())
        self.assertEqual({}, self.snapshot_instances(snap_id))
        self.assertEqual([], db_api.query(models.ShareSnapshot,
                                          id=snap_id))

    def _row_R36(self):
        self.make_replica(self.share['id'])
        snap = self.shares.create_snapshot(self.share['id'])
        self.returns('f1', 'delete_replicated_snapshot',
                     side_effect=Boom('in use'))
        self.assertRaises(exception.StorageManagerException,
                          self.shares.delete_snapshot, snap['id'])
        statuses = {i.status for i in
                    self.snapshot_instances(snap['id']).values()}
        self.assertEqual({'error_deleting'}, statuses)

    def _row_R37(self):
        second = self.make_replica(self.share['id'])['id']
        snap = self.snapshot_with(lambda ids: [
            {'id': ids[self.active_id], 'status': 'available'},
            {'id': ids[second], 'status': 'creating', 'progress': '10%'}])
        self.returns('f2', 'update_replicated_snapshot',
                     {'status': 'available', 'provider_location': 'pl-2'})
        self.replicas.poll_snapshots()
        row = self.snapshot_instances(snap['id'])[second]
        self.assertEqual(('available', '100%', 'pl-2'),
                         (row.status, row.progress, row.provider_location))

    def _row_R38(self):
        second, snap_id = self._delete_leaving_secondary()
        self.returns('f2', 'update_replicated_snapshot',
                     side_effect=exception.SnapshotResourceNotFound(
                         name='gone'))
        self.replicas.poll_snapshots()
        self.assertEqual({}, self.snapshot_instances(snap_id))
        self.assertEqual([], db_api.query(models.ShareSnapshot,
                                          id=snap_id))

    def _row_R39(self):
        second = self.make_replica(self.share['id'])['id']
        snap = self.snapshot_with(lambda ids: [
            {'id': ids[self.active_id], 'status': 'available'}])
        # Not found while creating: error.
        self.returns('f2', 'update_replicated_snapshot',
                     side_effect=exception.SnapshotResourceNotFound(
                         name='x'))
        self.replicas.poll_snapshots()
        self.assertEqual('error',
                         self.snapshot_instances(snap['id'])[second].status)
        # Any other exception while deleting: error_deleting.
        db_api.update(models.ShareSnapshotInstance,
                      self.snapshot_instances(snap['id'])[second].id,
                      {'status': 'deleting'})
        self.returns('f2', 'update_replicated_snapshot',
                     side_effect=Boom('io'))
        self.replicas.poll_snapshots()
        self.assertEqual('error_deleting',
                         self.snapshot_instances(snap['id'])[second].status)

    # -- access on secondaries ----------------------------------------------

    def _access_calls(self, backend, answer=None, side_effect=None):
        return self.returns(backend, 'update_access', answer,
                            side_effect=side_effect)

    def _row_R40(self):
        second = self.make_replica(self.share['id'])['id']
        calls = self._access_calls('f2')
        rule = self.shares.allow_access(self.share['id'], 'ip', '10.0.0.1')
        self.assertEqual('active', rule['state'])
        self.assertEqual(1, calls.call_count)
        args = calls.call_args[0]
        self.assertEqual(second, args[1]['id'])
        self.assertEqual([('10.0.0.1', 'ro')],
                         [(r['access_to'], r['access_level'])
                          for r in args[2]])
        self.assertEqual(([], []), (args[3], args[4]))
        self.assertEqual('active',
                         self.replica(second)['access_rules_status'])

    def _row_R41(self):
        self.returns('f2', 'create_replica', {'replica_state': 'active'})
        second = self.make_replica(self.share['id'])['id']
        calls = self._access_calls('f2')
        self.shares.allow_access(self.share['id'], 'ip', '10.0.0.1')
        self.assertEqual([('10.0.0.1', 'rw')],
                         [(r['access_to'], r['access_level'])
                          for r in calls.call_args[0][2]])
        self.assertEqual('active',
                         self.replica(second)['access_rules_status'])

    def _row_R42(self):
        second = self.make_replica(self.share['id'])['id']
        self._access_calls('f2', side_effect=Boom('nfsd'))
        rule = self.shares.allow_access(self.share['id'], 'ip', '10.0.0.1')
        self.assertEqual('active', rule['state'])
        self.assertEqual('error',
                         self.replica(second)['access_rules_status'])
        # A denied rule is an error too.
        self._access_calls('f2', side_effect=lambda ctx, view, rules, a, d,
                           share_server=None: {
                               r['id']: {'state': 'error'} for r in rules})
        self.replicas.reset(second, status='available')
        db_api.update(models.ShareInstance, second,
                      {'access_rules_status': 'active'})
        self.shares.allow_access(self.share['id'], 'ip', '10.0.0.2')
        self.assertEqual('error',
                         self.replica(second)['access_rules_status'])


@ddt.ddt
class ReadableRulesTestCase(RowsMixin, base.ReplicationTestCase):

    @ddt.data(*_ordered(READABLE_ROWS))
    def test_rule(self, row_id):
        getattr(self, '_row_' + row_id)()

    def test_every_row_is_tested(self):
        with open(DOC) as f:
            documented = re.findall(r'^\s*\* - (R\d+)\s*$', f.read(), re.M)
        self.assertEqual(len(documented), len(set(documented)),
                         'a row id is used twice in the page')
        self.assertEqual(set(ROWS), set(documented))
        self.assertEqual(
            sorted(ROWS),
            sorted(READABLE_ROWS + DR_ROWS + WRITABLE_ROWS))
        for row_id in ROWS:
            self.assertTrue(callable(getattr(self, '_row_' + row_id)))


@ddt.ddt
class DrRulesTestCase(RowsMixin, base.ReplicationTestCase):

    replication_type = 'dr'
    extra_config = 'fake_capabilities = replication_type:dr'

    @ddt.data(*_ordered(DR_ROWS))
    def test_rule(self, row_id):
        getattr(self, '_row_' + row_id)()


@ddt.ddt
class WritableRulesTestCase(RowsMixin, base.ReplicationTestCase):

    replication_type = 'writable'
    extra_config = 'fake_capabilities = replication_type:writable'

    @ddt.data(*_ordered(WRITABLE_ROWS))
    def test_rule(self, row_id):
        getattr(self, '_row_' + row_id)()
