"""The replica life cycle through the API on the fake driver."""

from storagemgr import exception
from storagemgr.tests.unit.share_replication import base


class LifeCycleTestCase(base.ReplicationTestCase):

    def test_create_promote_resync_delete(self):
        share = self.make_share()
        replica = self.make_replica(share['id'])
        self.assertEqual('available', replica['status'])
        self.assertEqual('f2', replica['backend'])
        listed = self.replicas.list(share['id'])
        self.assertEqual(['active', replica['replica_state']],
                         [r['replica_state'] for r in listed])
        self.assertRaises(exception.InvalidShare, self.shares.delete,
                          share['id'])
        resynced = self.replicas.resync(replica['id'])
        self.assertEqual('in_sync', resynced['replica_state'])
        promoted = self.replicas.promote(replica['id'])
        self.assertEqual('active', promoted['replica_state'])
        self.assertEqual('f2', self.shares.get(share['id'])['backend'])
        old = listed[0]['id']
        self.assertTrue(self.replicas.get(old)['cast_rules_to_readonly'])
        self.assertRaises(exception.InvalidShare, self.replicas.delete,
                          replica['id'])
        self.replicas.delete(old)
        self.assertEqual(1, len(self.replicas.list(share['id'])))
        self.shares.delete(share['id'])

    def test_replicated_snapshot(self):
        share = self.make_share()
        replica = self.make_replica(share['id'])
        snap = self.shares.create_snapshot(share['id'])
        instances = self.snapshot_instances(snap['id'])
        self.assertEqual({share['instance_id'], replica['id']},
                         set(instances))
        self.shares.delete_snapshot(snap['id'])
        self.assertEqual({}, self.snapshot_instances(snap['id']))
