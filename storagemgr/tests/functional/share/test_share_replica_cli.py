"""Share replication through the installed CLI, between two local backends.

Both backends are in one replication domain; the share type asks for
``replication_type=readable``. The commands a user types (``share replica
create/resync/promote/delete``, ``share snapshot instance list``, ``share
revert``) run as ``storagemgr`` processes; set-up and the reads that check
an outcome go through one ``cli_batch`` process each, to save start-ups.

What is checked is what a user of the share sees: the files of every
replica compared byte for byte (a subdirectory, a file changed in place
and one deleted included), the exports files of both backends (the active
replica served as its rule says, a secondary read-only), and that
nothing is left on either backend once the share is gone.
"""

import os

from storagemgr.tests.functional import base
from storagemgr.tests.functional import cli_batch

CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = b1,b2\n'
          '[b1]\nshare_driver = local\nreplication_domain = d1\n'
          '[b2]\nshare_driver = local\nreplication_domain = d1\n')
BACKENDS = ('b1', 'b2')
RULE = '10.5.5.0/24'


def read_tree(root):
    """``{relative path: bytes}`` of every file under ``root``."""
    tree = {}
    for directory, _dirs, names in os.walk(root):
        for name in names:
            full = os.path.join(directory, name)
            with open(full, 'rb') as f:
                tree[os.path.relpath(full, root)] = f.read()
    return tree


def write(root, relative, data):
    full = os.path.join(root, relative)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'wb') as f:
        f.write(data)


class ReplicaCLITestCase(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.roots = {b: os.path.join(self.state_path, 'shares', b)
                      for b in BACKENDS}
        self.exports = {b: os.path.join(self.state_path, 'exports', b,
                                        'exports') for b in BACKENDS}

    # -- running commands --------------------------------------------------

    def batch(self, *commands, check=True):
        results = cli_batch.run_in_subprocess(
            self.conf, commands, stop_on_error=check, cwd=self.state_path)
        if check:
            self.assertEqual(len(commands), len(results))
            for command, result in zip(commands, results):
                self.assertEqual(0, result.rc, (command, result.err))
        return results

    def batch_json(self, *commands):
        return [r.json() for r in self.batch(
            *(c + ('-f', 'json') for c in commands))]

    def own(self, *args):
        """One command in a process of its own, as a user runs it."""
        return self.cli_json(*args)

    # -- reading the outcome ----------------------------------------------

    def path_of(self, record):
        return record['export_locations'][0]['path'].split(':', 1)[1]

    def replicas(self, share):
        """``{replica id: record}`` of every replica of ``share``."""
        listed, = self.batch_json(('share', 'replica', 'list', '--share',
                                   share))
        shown = self.batch_json(*[('share', 'replica', 'show', r['id'])
                                  for r in listed])
        return {r['id']: r for r in shown}

    def exported(self, backend):
        """``{path: {client: level}}`` of a backend's exports file."""
        found = {}
        if not os.path.exists(self.exports[backend]):
            return found
        with open(self.exports[backend]) as f:
            for line in f:
                if not line.strip() or line.startswith('#'):
                    continue
                path, *clients = line.split()
                for client in clients:
                    name, options = client.rstrip(')').split('(')
                    found.setdefault(path, {})[name] = options.split(',')[0]
        return found

    def assertServed(self, replicas, active_id):
        """One active replica, served rw; every secondary served ro."""
        states = {r['id']: r['replica_state'] for r in replicas.values()}
        self.assertEqual(['active'], [s for s in states.values()
                                      if s == 'active'], states)
        self.assertEqual('active', states[active_id])
        served = {}
        for backend in BACKENDS:
            served.update(self.exported(backend))
        for replica in replicas.values():
            level = 'rw' if replica['id'] == active_id else 'ro'
            self.assertEqual({RULE: level}, served.pop(self.path_of(replica)),
                             replica['id'])
        self.assertEqual({}, served, 'exports of no replica')

    def assertAllHold(self, tree, replicas):
        for replica in replicas.values():
            self.assertEqual(tree, read_tree(self.path_of(replica)),
                             'replica %s on %s' % (replica['id'],
                                                   replica['backend']))

    def leftovers(self):
        found = []
        for root in self.roots.values():
            for directory, dirs, names in os.walk(root):
                found += [os.path.join(directory, n) for n in dirs + names
                          if not n.startswith('.storagemgr-state')]
        return sorted(p for p in found
                      if os.path.basename(p) != '.snapshots')

    # -- set-up ------------------------------------------------------------

    def make_replicated_share(self, name):
        """A share on b1 with files and a rule; a replica on b2."""
        _type, share, _rule = self.batch_json(
            ('share', 'type', 'create', 'rep', 'False', '--extra-specs',
             'replication_type=readable'),
            ('share', 'create', 'NFS', '1', '--share-type', 'rep',
             '--backend', 'b1', '--name', name),
            ('share', 'access', 'create', name, 'ip', RULE,
             '--access-level', 'rw'))
        self.assertEqual('available', share['status'], share)
        root = self.path_of(share)
        write(root, 'a.txt', b'one\n')
        write(root, 'big.bin', os.urandom(300 * 1024))
        write(root, 'sub/deeper/c.txt', b'in a subdirectory\n')
        write(root, 'doomed.txt', b'deleted later\n')
        replica = self.own('share', 'replica', 'create', name,
                           '--backend', 'b2')
        self.assertEqual(('available', 'in_sync', 'b2'),
                         (replica['status'], replica['replica_state'],
                          replica['backend']), replica)
        return share, replica


class TestReplicaLifecycle(ReplicaCLITestCase):

    def test_sync_promote_and_back_lose_no_write(self):
        share, replica = self.make_replicated_share('src')
        first = share['instance_id']
        second = replica['id']
        active_path = self.path_of(share)
        replicas = self.replicas('src')
        self.assertEqual({first, second}, set(replicas))
        self.assertEqual(self.path_of(replica),
                         os.path.join(self.roots['b2'], second))
        self.assertAllHold(read_tree(active_path), replicas)
        self.assertServed(replicas, first)

        # Written on the active: new, changed in place, deleted.
        write(active_path, 'b.txt', b'two\n')
        with open(os.path.join(active_path, 'big.bin'), 'r+b') as f:
            f.seek(200 * 1024)
            f.write(b'changed in the middle')
        os.unlink(os.path.join(active_path, 'doomed.txt'))
        write(active_path, 'sub/deeper/d.txt', b'new below\n')
        expected = read_tree(active_path)
        self.assertNotIn('doomed.txt', expected)
        resynced = self.own('share', 'replica', 'resync', second)
        self.assertEqual(('available', 'in_sync'),
                         (resynced['status'], resynced['replica_state']))
        replicas = self.replicas('src')
        self.assertAllHold(expected, replicas)
        self.assertServed(replicas, first)

        # Promote the secondary: the old active becomes a read-only
        # secondary, the new one takes writes.
        promoted = self.own('share', 'replica', 'promote', second)
        self.assertEqual(('available', 'active'),
                         (promoted['status'], promoted['replica_state']))
        replicas = self.replicas('src')
        self.assertAllHold(expected, replicas)
        self.assertServed(replicas, second)
        shown, = self.batch_json(('share', 'show', 'src'))
        self.assertEqual(self.path_of(promoted), self.path_of(shown))
        write(self.path_of(promoted), 'c.txt', b'three\n')
        write(self.path_of(promoted), 'sub/e.txt', b'written on b2\n')
        expected = read_tree(self.path_of(promoted))
        resynced = self.own('share', 'replica', 'resync', first)
        self.assertEqual(('available', 'in_sync'),
                         (resynced['status'], resynced['replica_state']))
        self.assertEqual(expected, read_tree(active_path))

        # Written after the last resync, then promoted back: the
        # promotion's last sync carries the write.
        write(self.path_of(promoted), 'late.txt', b'just before promote\n')
        expected = read_tree(self.path_of(promoted))
        back = self.own('share', 'replica', 'promote', first)
        self.assertEqual('active', back['replica_state'])
        replicas = self.replicas('src')
        self.assertAllHold(expected, replicas)
        self.assertServed(replicas, first)
        for relative in ('a.txt', 'b.txt', 'c.txt', 'late.txt',
                         'sub/e.txt', 'sub/deeper/d.txt'):
            self.assertIn(relative, expected)

        # Guarded deletes, then the cleanup a user does.
        refused = self.batch(('share', 'delete', 'src'),
                             ('share', 'replica', 'delete', first),
                             check=False)
        self.assertRefused(refused[0], share['id'])
        self.assertRefused(refused[1], first, 'active replica')
        self.assertEqual({first, second}, set(self.replicas('src')))
        self.assertAllHold(expected, self.replicas('src'))
        self.batch(('share', 'replica', 'delete', second))
        self.assertFalse(os.path.lexists(os.path.join(self.roots['b2'],
                                                      second)))
        self.assertEqual({}, self.exported('b2'))
        self.batch(('share', 'delete', 'src'))
        self.assertEqual([], self.leftovers())
        self.assertEqual({}, self.exported('b1'))


class TestReplicatedSnapshot(ReplicaCLITestCase):

    def test_snapshot_on_every_replica_and_revert(self):
        share, replica = self.make_replicated_share('snapped')
        first, second = share['instance_id'], replica['id']
        active_path = self.path_of(share)
        at_snapshot = read_tree(active_path)
        snapshot = self.own('share', 'snapshot', 'create', 'snapped',
                            '--name', 'sn')
        self.assertEqual('available', snapshot['status'], snapshot)
        instances = self.own('share', 'snapshot', 'instance', 'list',
                             '--snapshot', 'sn')
        self.assertEqual({first: True, second: False},
                         {i['share_instance_id']: i['is_active_replica']
                          for i in instances})
        self.assertEqual(['available'] * 2, [i['status'] for i in instances])
        shown = self.batch_json(*[('share', 'snapshot', 'instance', 'show',
                                   i['id']) for i in instances])
        roots = {first: self.roots['b1'], second: self.roots['b2']}
        for instance in shown:
            location = instance['provider_location']
            self.assertTrue(location.startswith(
                roots[instance['share_instance_id']] + os.sep), location)
            self.assertEqual(at_snapshot, read_tree(location))

        # Changed after the snapshot, and synced to the secondary.
        write(active_path, 'after.txt', b'after the snapshot\n')
        os.unlink(os.path.join(active_path, 'a.txt'))
        write(active_path, 'sub/deeper/c.txt', b'rewritten\n')
        self.own('share', 'replica', 'resync', second)
        self.assertNotEqual(at_snapshot, read_tree(active_path))
        self.assertAllHold(read_tree(active_path), self.replicas('snapped'))

        result = self.cli('share', 'revert', 'sn')
        self.assertEqual(0, result.rc, result.err)
        self.assertEqual(at_snapshot, read_tree(active_path))
        replicas = self.replicas('snapped')
        self.assertEqual((first, 'out_of_sync'),
                         (next(r['id'] for r in replicas.values()
                               if r['replica_state'] == 'active'),
                          replicas[second]['replica_state']))
        resynced = self.own('share', 'replica', 'resync', second)
        self.assertEqual('in_sync', resynced['replica_state'])
        replicas = self.replicas('snapped')
        self.assertAllHold(at_snapshot, replicas)
        self.assertServed(replicas, first)

        # The snapshot goes from every replica; then the share.
        locations = [i['provider_location'] for i in shown]
        self.batch(('share', 'snapshot', 'delete', 'sn'),
                   ('share', 'replica', 'delete', second),
                   ('share', 'delete', 'snapped'))
        for location in locations:
            self.assertFalse(os.path.lexists(location), location)
        self.assertEqual([], self.leftovers())
