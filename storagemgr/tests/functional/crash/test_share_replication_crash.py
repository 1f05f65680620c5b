"""Crash harness for share replication between two real ``local`` backends.

Both backends are in one replication domain and run
``replication_traced.TracedLocalShareDriver`` (crash points inside the
driver calls and inside the incremental sync). Each operation has its own
share of type ``rep`` (``replication_type=readable``), made on b1 with a
rule and files, its secondary replica (if any) on b2.

``update_replica_state`` calls are logged by the traced driver: the
manager's poll syncs every secondary, so a resync killed before it began
ends with the same bytes as one that ran; the log tells them apart.

Documented outcomes (doc/source/admin/share-replication.rst and
share-replication-rules.rst), per operation, besides "nothing happened"
(``before``):

==================  ================================  =====================
operation           completed (``after``)             error (``error``)
==================  ================================  =====================
replica create      the replica ``available``,        the replica ``error``,
                    ``in_sync`` (or ``out_of_sync``)  replica state
                    on b2, holding the active's       ``error``
                    bytes, exported read-only
replica delete      rows, directory, state-file       ``error_deleting``,
                    record and exports gone           replica state
                                                      ``error``
promote             the secondary ``active`` and      every replica of the
                    served rw, the old active an      share ``error``
                    ``in_sync`` / ``out_of_sync``     (R15)
                    secondary served ro; the write
                    made on the old active after the
                    last resync is on the new active
resync (after a     the secondary ``in_sync`` with    the replica ``error``,
write on the        the active's bytes (deleted file  replica state
active)             gone too)                         ``error``
replicated          one instance per replica, all     instances ``error``
snapshot create     ``available``, each holding the   (R31)
                    share's bytes
replicated          the snapshot, its instances and   instances
snapshot delete     their directories gone            ``error_deleting``
                                                      (R36)
revert              the active holds the snapshot's   ``reverting_error``,
                    bytes; secondaries                the old or the
                    ``out_of_sync`` (R26) until the   snapshot's bytes
                    next sync
==================  ================================  =====================

``storagemgr manager run --once`` resumes the flows and then polls every
secondary (``update_replica_state``): a secondary the kill left behind
its active is brought up to date by it, and a replica in ``error`` may
come back ``available``. The outcomes are read after that run.

Family-wide, after every resume: no replica in a transitional status
(``creating``, ``deleting``, ``replication_change``, ``reverting``...)
and no snapshot instance ``creating``, ``deleting`` or ``restoring``;
exactly one active replica per share (the instance marked active is the
one whose replica state is ``active``); no directory (share or snapshot
copy, a sync's temporary copy included) and no state-file record on
either backend that no replica or snapshot instance on that backend
owns; each exports file serves exactly the replicas its backend records,
the active one with its rule's level and every secondary read-only (the
driver's role of a replica agrees with the database); each pool's
allocated capacity is the sum of the replicas on it; an ``in_sync``
secondary holds its active's bytes (the poll just synced it: the
template's writes after a replica was made are not synced before); no
unfinished flow. The active
replica of every share holds every byte written to it.
"""

import json
import os

from storagemgr.share import constants as share_constants
from storagemgr.tests.functional import cli_batch
from storagemgr.tests.functional.crash import harness
from storagemgr.tests.functional.crash.harness import AFTER
from storagemgr.tests.functional.crash.harness import BEFORE
from storagemgr.tests.functional.crash.harness import ERROR
from storagemgr.tests.functional.crash.harness import expect
from storagemgr.tests.functional.crash.harness import Op
from storagemgr.tests.functional.crash import replication_traced

TRACED = ('storagemgr.tests.functional.crash.replication_traced.'
          'TracedLocalShareDriver')
CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = b1,b2\n'
          '[b1]\nshare_driver = %s\nreplication_domain = d1\n'
          '[b2]\nshare_driver = %s\nreplication_domain = d1\n' % (
              TRACED, TRACED))
BACKENDS = ('b1', 'b2')
RULE = '10.1.2.0/24'

TRANSITIONAL = share_constants.TRANSITIONAL_STATUSES | {'replication_change'}
SNAPSHOT_TRANSITIONAL = ('creating', 'deleting', 'restoring')
# The shares of the template: those with a secondary on b2.
NO_REPLICA = ('rc',)
WITH_REPLICA = ('rd', 'pr', 'rs', 'sc', 'sd', 'rv')
SNAPSHOTTED = ('sd', 'rv')


def parse_exports(text, backend):
    """``{(backend, path, client, level)}`` of an NFS exports file."""
    found = set()
    for line in text.splitlines():
        if not line.strip() or line.startswith('#'):
            continue
        path, *clients = line.split()
        for client in clients:
            host, _sep, options = client.partition('(')
            found.add((backend, path, host, options.rstrip(')').split(
                ',')[0]))
    return found


def change_files(root, tag):
    """Change a tree as a user would: rewrite, add (nested), delete."""
    with open(os.path.join(root, 'data.bin'), 'r+b') as f:
        f.seek(100)
        f.write(('changed by %s' % tag).encode())
    for relative in ('new-1.txt', 'sub/new-2.txt', 'deep/er/new-3.txt'):
        full = os.path.join(root, relative)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'wb') as f:
            f.write(('%s %s\n' % (tag, relative)).encode() * 50)
    os.unlink(os.path.join(root, 'sub', 'note.txt'))
    return harness.read_tree(root)


class TestShareReplicationCrashes(harness.CrashHarnessTestCase):

    FAMILY = 'share-replication'
    CONFIG = CONFIG

    manager_runs = 0

    def restore_template(self):
        super().restore_template()
        self.manager_runs = 0

    def manager_once(self, **env):
        self.manager_runs += 1
        return super().manager_once(**env)

    def root(self, backend):
        return os.path.join(self.state_path, 'shares', backend)

    def batch_json(self, *commands):
        results = cli_batch.run_in_subprocess(
            self.conf, [c + ('-f', 'json') for c in commands],
            cwd=self.state_path)
        for command, result in zip(commands, results):
            self.assertEqual(0, result.rc, (command, result.err))
        self.assertEqual(len(commands), len(results))
        return [r.json() for r in results]

    # -- template -----------------------------------------------------------

    def build_template(self):
        ctx = {'ids': {}, 'active': {}, 'secondary': {}, 'trees': {},
               'old': {}, 'snapshot': {}, 'snap_tree': {},
               'snap_instances': {}}
        names = NO_REPLICA + WITH_REPLICA
        commands = [('share', 'type', 'create', 'rep', 'False',
                     '--extra-specs', 'replication_type=readable')]
        for name in names:
            commands += [('share', 'create', 'NFS', '1', '--share-type',
                          'rep', '--backend', 'b1', '--name', name),
                         ('share', 'access', 'create', name, 'ip', RULE)]
        made = self.batch_json(*commands)
        for share in made[1::2]:
            name = share['name']
            ctx['ids'][name] = share['id']
            ctx['active'][name] = share['instance_id']
            path = os.path.join(self.root('b1'), share['instance_id'])
            harness.write_tree(path, name)
            ctx['trees'][name] = harness.read_tree(path)
        commands = [('share', 'replica', 'create', name, '--backend', 'b2')
                    for name in WITH_REPLICA]
        commands += [('share', 'snapshot', 'create', name, '--name',
                      name + '-snap') for name in SNAPSHOTTED]
        made = self.batch_json(*commands)
        for name, replica in zip(WITH_REPLICA, made):
            expect(replica['status'] == 'available', 'template %s: %s',
                   name, replica)
            ctx['secondary'][name] = replica['id']
        for name, snapshot in zip(SNAPSHOTTED, made[len(WITH_REPLICA):]):
            expect(snapshot['status'] == 'available', 'template %s: %s',
                   name, snapshot)
            ctx['snapshot'][name] = snapshot['id']
            ctx['snap_tree'][name] = ctx['trees'][name]
        instances = self.batch_json(*[
            ('share', 'snapshot', 'instance', 'list', '--snapshot',
             ctx['snapshot'][name]) for name in SNAPSHOTTED])
        for name, listed in zip(SNAPSHOTTED, instances):
            expect(len(listed) == 2, 'template %s: %s', name, listed)
            ctx['snap_instances'][name] = [i['id'] for i in listed]
        ctx['snap_tree']['sc'] = ctx['trees']['sc']
        # Written on the active after the replica's last sync: a promote
        # must carry it, a resync must bring it, a revert must undo it.
        for name in ('pr', 'rs', 'rv'):
            ctx['old'][name] = ctx['trees'][name]
            ctx['trees'][name] = change_files(
                os.path.join(self.root('b1'), ctx['active'][name]), name)
        return ctx

    # -- reading the world --------------------------------------------------

    def observe(self):
        db = self.db
        world = {
            'shares': harness.query(db, 'SELECT * FROM shares'),
            'instances': harness.query(db, 'SELECT * FROM share_instances'),
            'snapshots': harness.query(db, 'SELECT * FROM share_snapshots'),
            'snap_instances': harness.query(
                db, 'SELECT * FROM share_snapshot_instances'),
            'rules': harness.query(db, 'SELECT * FROM share_access_rules'),
            'usage': harness.query(
                db, "SELECT * FROM pool_usage WHERE kind = 'share'"),
            'dirs': {}, 'records': {}, 'exports': set(),
            'updates': replication_traced.read_updates(self.state_path),
            'manager_runs': self.manager_runs,
        }
        for instance in world['instances']:
            instance['path'] = os.path.join(self.root(instance['backend']),
                                            instance['id'])
            instance['tree'] = harness.read_tree(instance['path'])
        backend_of = {i['id']: i['backend'] for i in world['instances']}
        for snap in world['snap_instances']:
            snap['backend'] = backend_of.get(snap['share_instance_id'])
            snap['tree'] = harness.read_tree(snap['provider_location'] or '')
        for share in world['shares']:
            share['instances'] = [i for i in world['instances']
                                  if i['share_id'] == share['id']]
            share['rules'] = [r for r in world['rules']
                              if r['share_id'] == share['id']]
        for backend in BACKENDS:
            root = self.root(backend)
            dirs = [os.path.join(root, n) for n in os.listdir(root)
                    if not n.startswith('.')]
            snapshots = os.path.join(root, '.snapshots')
            if os.path.isdir(snapshots):
                dirs += [os.path.join(snapshots, n)
                         for n in os.listdir(snapshots)]
            world['dirs'][backend] = sorted(dirs)
            state = os.path.join(root, '.storagemgr-state.json')
            records = {}
            if os.path.exists(state):
                with open(state) as f:
                    text = f.read()
                records = json.loads(text) if text else {}
            world['records'][backend] = records
            exports = os.path.join(self.state_path, 'exports', backend,
                                   'exports')
            if os.path.exists(exports):
                with open(exports) as f:
                    world['exports'] |= parse_exports(f.read(), backend)
        return world

    # -- problems that concern the whole family -----------------------------

    def family_problems(self, world, ctx):
        problems = []
        for share in world['shares']:
            ids = {share['id'], share['display_name']}
            problems += [(ids, m) for m in self.share_problems(
                share, polled=world['manager_runs'] > 0)]
        for snap in world['snap_instances']:
            if snap['status'] in SNAPSHOT_TRANSITIONAL:
                problems.append(({snap['id'], snap['snapshot_id'],
                                  snap['share_instance_id']},
                                 'snapshot instance %s left %s' % (
                                     snap['id'], snap['status'])))
        problems += self.backend_problems(world)
        problems += self.export_problems(world)
        problems += self.usage_problems(world)
        return problems

    def share_problems(self, share, polled):
        """Statuses and the one active replica of a share.

        ``polled``: a manager run just polled every secondary, so an
        ``in_sync`` one must hold the active's bytes.
        """
        name = share['display_name']
        problems = []
        instances = share['instances']
        for instance in instances:
            if instance['status'] in TRANSITIONAL:
                problems.append('%s: replica %s left %s' % (
                    name, instance['id'], instance['status']))
        marked = [i['id'] for i in instances if i['active']]
        stated = [i['id'] for i in instances
                  if i['replica_state'] == 'active']
        if len(marked) != 1 or marked != stated:
            problems.append('%s: active instances %s, replicas in state '
                            'active %s' % (name, marked, stated))
            return problems
        active = next(i for i in instances if i['active'])
        if active['tree'] is None:
            problems.append('%s: the active replica has no directory %s' % (
                name, active['path']))
        for instance in instances if polled else ():
            if (not instance['active'] and
                    instance['replica_state'] == 'in_sync' and
                    instance['tree'] != active['tree']):
                problems.append('%s: replica %s is in_sync but its bytes '
                                'differ from the active\'s' % (
                                    name, instance['id']))
        return problems

    def backend_problems(self, world):
        """Directories and state-file records that nothing owns."""
        problems = []
        known = {(i['backend'], i['id']) for i in world['instances']}
        known_snaps = {(s['backend'], s['id'])
                       for s in world['snap_instances']}
        for backend in BACKENDS:
            for path in world['dirs'][backend]:
                name = os.path.basename(path)
                owned = known_snaps if os.path.basename(
                    os.path.dirname(path)) == '.snapshots' else known
                if (backend, name) not in owned:
                    problems.append(({name.split('.tmp-')[0]},
                                     'orphan directory %s' % path))
            records = world['records'][backend]
            for share_id in records.get('shares', {}):
                if (backend, share_id) not in known:
                    problems.append(({share_id}, 'backend %s keeps a '
                                     'record of replica %s, no replica '
                                     'there' % (backend, share_id)))
            for snap_id in records.get('snapshots', {}):
                if (backend, snap_id) not in known_snaps:
                    problems.append(({snap_id}, 'backend %s keeps a record '
                                     'of snapshot %s, no snapshot instance '
                                     'there' % (backend, snap_id)))
        return problems

    def export_problems(self, world):
        """Served as the database says: the active rw, secondaries ro."""
        problems = []
        expected = set()
        owners = {}
        for share in world['shares']:
            for instance in share['instances']:
                owners[instance['path']] = {instance['id'], share['id']}
                record = world['records'][instance['backend']].get(
                    'shares', {}).get(instance['id'])
                if record is None:
                    continue
                role = (record.get('replica') or {}).get('role')
                if instance['active'] and role == 'secondary':
                    problems.append(({instance['id'], share['id']}, (
                        '%s: the active replica %s is a secondary to its '
                        'backend' % (share['display_name'],
                                     instance['id']))))
                if not instance['active'] and role != 'secondary':
                    problems.append(({instance['id'], share['id']}, (
                        '%s: the secondary %s is %s to its backend' % (
                            share['display_name'], instance['id'],
                            role or 'a plain share'))))
                for rule in share['rules']:
                    expected.add((instance['backend'], instance['path'],
                                  rule['access_to'],
                                  rule['access_level'] if instance['active']
                                  else 'ro'))
        for entry in sorted(expected ^ world['exports']):
            problems.append((owners.get(entry[1], {os.path.basename(
                entry[1])}), 'exports of %s: %s %s(%s) %s' % (
                    entry[0], entry[1], entry[2], entry[3],
                    'missing' if entry in expected else 'unexpected')))
        return problems

    def usage_problems(self, world):
        problems = []
        counted = {}
        sizes = {s['id']: s['size'] for s in world['shares']}
        for instance in world['instances']:
            counted[instance['host']] = counted.get(
                instance['host'], 0) + sizes[instance['share_id']]
        for row in world['usage']:
            if row['allocated_capacity_gb'] != counted.get(row['host'], 0):
                problems.append(({row['host']}, (
                    'pool %s allocates %s GiB, its replicas %s GiB' % (
                        row['host'], row['allocated_capacity_gb'],
                        counted.get(row['host'], 0)))))
        return problems

    # -- the outcomes -------------------------------------------------------

    def share(self, world, name):
        share = harness.one(world['shares'], 'share', display_name=name)
        expect(share is not None, '%s is gone', name)
        return share

    def replicas(self, world, ctx, name):
        """(the share, its active replica, {id: secondary})."""
        share = self.share(world, name)
        active = [i for i in share['instances'] if i['active']]
        expect(len(active) == 1, '%s: %d active replicas', name,
               len(active))
        return share, active[0], {i['id']: i for i in share['instances']
                                  if not i['active']}

    def on_original(self, world, ctx, name, tree=None):
        """The original active still active, holding ``tree``."""
        share, active, secondaries = self.replicas(world, ctx, name)
        expect(active['id'] == ctx['active'][name],
               '%s: the active replica is %s, not the original', name,
               active['id'])
        expect(active['tree'] == (tree or ctx['trees'][name]),
               '%s: the active replica\'s bytes changed', name)
        return share, active, secondaries

    def healthy_secondary(self, name, replica, active):
        expect(replica['status'] == 'available' and
               replica['replica_state'] in ('in_sync', 'out_of_sync'),
               '%s: secondary %s is %s/%s', name, replica['id'],
               replica['status'], replica['replica_state'])
        expect(replica['tree'] is not None, '%s: secondary %s has no '
               'directory', name, replica['id'])

    def check_replica_create(self, world, ctx):
        _share, active, secondaries = self.on_original(world, ctx, 'rc')
        if not secondaries:
            return BEFORE
        expect(len(secondaries) == 1, 'rc: %d secondaries',
               len(secondaries))
        replica, = secondaries.values()
        expect(replica['backend'] == 'b2', 'rc: replica on %s',
               replica['backend'])
        if replica['status'] == 'error':
            expect(replica['replica_state'] == 'error',
                   'rc: replica error in state %s',
                   replica['replica_state'])
            return ERROR
        self.healthy_secondary('rc', replica, active)
        expect(replica['tree'] == active['tree'],
               'rc: the new replica\'s bytes differ from the active\'s')
        return AFTER

    def check_replica_delete(self, world, ctx):
        _share, active, secondaries = self.on_original(world, ctx, 'rd')
        replica_id = ctx['secondary']['rd']
        if not secondaries:
            return AFTER
        expect(list(secondaries) == [replica_id], 'rd: secondaries %s',
               sorted(secondaries))
        replica = secondaries[replica_id]
        if replica['status'] == 'error_deleting':
            expect(replica['replica_state'] == 'error',
                   'rd: error_deleting in state %s',
                   replica['replica_state'])
            return ERROR
        self.healthy_secondary('rd', replica, active)
        expect(replica['tree'] == active['tree'],
               'rd: the replica\'s bytes changed')
        return BEFORE

    def check_promote(self, world, ctx):
        share, active, secondaries = self.replicas(world, ctx, 'pr')
        original, promoted = ctx['active']['pr'], ctx['secondary']['pr']
        expect({active['id']} | set(secondaries) == {original, promoted},
               'pr: replicas %s', [i['id'] for i in share['instances']])
        # Whichever is active holds every write, the late one included.
        expect(active['tree'] == ctx['trees']['pr'],
               'pr: the active replica %s lost writes (%s of %d files)',
               active['id'], sorted(active['tree'] or {}),
               len(ctx['trees']['pr']))
        other = secondaries[original if active['id'] == promoted
                            else promoted]
        if any(i['status'] == 'error' for i in share['instances']):
            expect(active['status'] == 'error',
                   'pr: replicas %s', [(i['id'], i['status'])
                                       for i in share['instances']])
            return ERROR
        expect(active['status'] == 'available', 'pr: active %s',
               active['status'])
        self.healthy_secondary('pr', other, active)
        return AFTER if active['id'] == promoted else BEFORE

    def check_resync(self, world, ctx):
        _share, active, secondaries = self.on_original(world, ctx, 'rs')
        replica_id = ctx['secondary']['rs']
        expect(list(secondaries) == [replica_id], 'rs: secondaries %s',
               sorted(secondaries))
        replica = secondaries[replica_id]
        if replica['status'] == 'error':
            expect(replica['replica_state'] == 'error',
                   'rs: error in state %s', replica['replica_state'])
            return ERROR
        self.healthy_secondary('rs', replica, active)
        expect(replica['replica_state'] == 'in_sync' and
               replica['tree'] == active['tree'],
               'rs: the secondary is %s, %s', replica['replica_state'],
               'its bytes the old ones' if replica['tree'] ==
               ctx['old']['rs'] else 'its bytes not the active\'s')
        # The manager's poll syncs it too (once a run): the resync ran if
        # its own process finished the call or the manager made more.
        calls = [c for c, r in world['updates'] if r == replica_id]
        if 'cli' in calls or calls.count('manager') > world['manager_runs']:
            return AFTER
        return BEFORE

    def snapshot_instances(self, world, snapshot_id):
        return [s for s in world['snap_instances']
                if s['snapshot_id'] == snapshot_id]

    def check_snapshot_instances(self, ctx, name, instances, replicas):
        """One instance per replica; every available one holds the tree."""
        expect(sorted(s['share_instance_id'] for s in instances) ==
               sorted(replicas), '%s: snapshot instances on %s, replicas '
               '%s', name, [s['share_instance_id'] for s in instances],
               sorted(replicas))
        for snap in instances:
            if snap['status'] == 'available':
                expect(snap['tree'] == ctx['snap_tree'][name],
                       '%s: snapshot instance %s does not hold the '
                       'share\'s bytes at the snapshot', name, snap['id'])
        return {s['status'] for s in instances}

    def check_snapshot_create(self, world, ctx):
        share, active, secondaries = self.on_original(world, ctx, 'sc')
        snapshot = harness.one(world['snapshots'], 'snapshot',
                               display_name='sc-snap')
        if snapshot is None:
            expect(not [s for s in world['snap_instances']
                        if s['share_instance_id'] in
                        {i['id'] for i in share['instances']}],
                   'sc: snapshot instances without a snapshot')
            return BEFORE
        statuses = self.check_snapshot_instances(
            ctx, 'sc', self.snapshot_instances(world, snapshot['id']),
            [i['id'] for i in share['instances']])
        if 'error' in statuses:
            expect(statuses <= {'error', 'available'},
                   'sc: snapshot instances %s', sorted(statuses))
            return ERROR
        expect(statuses == {'available'}, 'sc: snapshot instances %s',
               sorted(statuses))
        return AFTER

    def check_snapshot_delete(self, world, ctx):
        share, _active, _secondaries = self.on_original(world, ctx, 'sd')
        snapshot_id = ctx['snapshot']['sd']
        snapshot = harness.one(world['snapshots'], 'snapshot',
                               id=snapshot_id)
        instances = self.snapshot_instances(world, snapshot_id)
        if snapshot is None:
            expect(not instances, 'sd: instances %s without a snapshot',
                   [s['id'] for s in instances])
            return AFTER
        expect(instances, 'sd: a snapshot without instances')
        statuses = {s['status'] for s in instances}
        for snap in instances:
            if snap['status'] == 'available':
                expect(snap['tree'] == ctx['snap_tree']['sd'],
                       'sd: snapshot instance %s lost bytes', snap['id'])
        if 'error_deleting' in statuses:
            expect(statuses <= {'error_deleting', 'available'},
                   'sd: snapshot instances %s', sorted(statuses))
            return ERROR
        expect(statuses == {'available'} and len(instances) == 2,
               'sd: snapshot instances %s',
               [(s['id'], s['status']) for s in instances])
        return BEFORE

    def check_revert(self, world, ctx):
        share, active, secondaries = self.replicas(world, ctx, 'rv')
        expect(active['id'] == ctx['active']['rv'],
               'rv: the active replica is %s', active['id'])
        for snap in self.snapshot_instances(world, ctx['snapshot']['rv']):
            expect(snap['status'] == 'available' and
                   snap['tree'] == ctx['snap_tree']['rv'],
                   'rv: snapshot instance %s %s, bytes %s', snap['id'],
                   snap['status'],
                   'kept' if snap['tree'] == ctx['snap_tree']['rv']
                   else 'changed')
        for replica in secondaries.values():
            self.healthy_secondary('rv', replica, active)
        reverted = active['tree'] == ctx['snap_tree']['rv']
        expect(reverted or active['tree'] == ctx['trees']['rv'],
               'rv: the active holds neither the snapshot\'s bytes nor '
               'the written ones')
        if active['status'] == 'reverting_error':
            return ERROR
        expect(active['status'] == 'available', 'rv: active %s',
               active['status'])
        return AFTER if reverted else BEFORE

    def ops(self):
        def ids(*names):
            def owned(ctx):
                found = set(names)
                for name in names:
                    found |= {ctx['ids'][name], ctx['active'][name]}
                    found |= {ctx['secondary'].get(name, name),
                              ctx['snapshot'].get(name, name)}
                    found |= set(ctx['snap_instances'].get(name, ()))
                return found
            return owned

        def replica(command, name):
            return lambda ctx: ['share', 'replica', command,
                                ctx['secondary'][name]]

        return [
            Op('replica create',
               lambda ctx: ['share', 'replica', 'create', 'rc',
                            '--backend', 'b2'],
               self.check_replica_create, ids('rc'), creates=True),
            Op('replica delete', replica('delete', 'rd'),
               self.check_replica_delete, ids('rd')),
            Op('replica promote', replica('promote', 'pr'),
               self.check_promote, ids('pr')),
            Op('replica resync', replica('resync', 'rs'),
               self.check_resync, ids('rs')),
            Op('replicated snapshot create',
               lambda ctx: ['share', 'snapshot', 'create', 'sc', '--name',
                            'sc-snap'],
               self.check_snapshot_create, ids('sc'),
               creates=True),
            Op('replicated snapshot delete',
               lambda ctx: ['share', 'snapshot', 'delete', 'sd-snap'],
               self.check_snapshot_delete, ids('sd')),
            Op('revert to replicated snapshot',
               lambda ctx: ['share', 'revert', 'rv-snap'],
               self.check_revert, ids('rv')),
        ]

    def test_kill_at_every_point(self):
        self.run_harness()
