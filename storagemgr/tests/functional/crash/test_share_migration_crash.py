"""Crash harness for share migration between two real ``local`` backends.

Documented outcomes (doc/source/admin/share-migration.rst and
share-migration-rules.rst), per operation, besides "nothing happened"
(``before``: the share exactly as the template had it):

=====================  ================================  ====================
operation              completed (``after``)             error (``error``)
=====================  ================================  ====================
host-assisted start    ``data_copying_completed``: the   ``migration_error``:
(``--force-host-...``  source ``migrating`` and intact,  the share
``--writable``)        the destination ``migrating_to``  ``available`` on its
                       holding the same bytes            source, bytes and
driver-assisted start  ``migration_driver_phase1_done``  rules as they were,
                       (the local driver moves nothing   the destination's
                       before completion), the rules     rows, directory and
                       cast read-only                    journal gone, a
complete (host, a      ``migration_success``: the share  ``detail`` and a
file written after     ``available`` on b2 with every    user message
phase 1 / driver)      byte of the source (the late
                       file too), its rule exported
                       there, nothing left on b1
cancel (host /         ``migration_cancelled``: as the
driver)                error column, without an error
=====================  ================================  ====================

Family-wide, after every resume: no share in a task state other than
none, a final one (``migration_success``, ``migration_error``,
``migration_cancelled``) or phase 1 done (``data_copying_completed``,
``migration_driver_phase1_done``); a share in a final state has one
instance, active and ``available``; one in phase 1 done has its active
source ``migrating`` and an inactive destination ``migrating_to``; no
rule in a transitional state; each backend's exports file holds exactly
the rules of the shares whose active instance it has (read-only in a
phase 1 that was not ``--writable``); no directory and no state-file
record on either backend that no instance owns, and a driver migration
record only on a share in ``migration_driver_phase1_done``; each pool's
allocated capacity is the sum of the instances on it; no copy journal but
of a host-assisted migration in phase 1 done; no unfinished flow.

Both backends run ``migration_traced.TracedLocalShareDriver``: crash
points inside the driver's migration calls and inside the data copy (the
first file copied, before and after its journal line) are killed too.

``test_copy_resumes_after_kill`` kills a host-assisted copy of a few
hundred files with SIGKILL half-way (from outside, as an operator's
``kill -9`` would), and checks from the copy journal that the resumed
copy redid nothing it had finished.
"""

import json
import os
import signal
import subprocess
import sys
import time

from testtools import content

from storagemgr.share import constants as share_constants
from storagemgr.share_migration import constants
from storagemgr.tests.functional import base
from storagemgr.tests.functional.crash import harness
from storagemgr.tests.functional.crash.harness import AFTER
from storagemgr.tests.functional.crash.harness import BEFORE
from storagemgr.tests.functional.crash.harness import ERROR
from storagemgr.tests.functional.crash.harness import expect
from storagemgr.tests.functional.crash.harness import Op

TRACED = ('storagemgr.tests.functional.crash.migration_traced.'
          'TracedLocalShareDriver')
CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = b1,b2\n'
          '[b1]\nshare_driver = %s\n[b2]\nshare_driver = %s\n' % (
              TRACED, TRACED))
BACKENDS = ('b1', 'b2')
RULE = '10.1.2.0/24'

FINAL = (None,) + constants.FINAL_STATES
SETTLED = FINAL + constants.PHASE1_DONE_STATES

# name: (method, writable) of the template's phase 1, per operation share.
PHASE1 = {'hc': ('host', True), 'hx': ('host', True),
          'dc': ('driver', False), 'dx': ('driver', False)}
HOST_FLAGS = ('--force-host-assisted-migration', '--writable')


def parse_exports(text, backend):
    """``{(backend, path, client, level)}`` of an NFS exports file."""
    found = set()
    for line in text.splitlines():
        if not line.strip() or line.startswith('#'):
            continue
        path, *clients = line.split()
        for client in clients:
            host, _sep, options = client.partition('(')
            level = options.rstrip(')').split(',')[0]
            found.add((backend, path, host, level))
    return found


def journal_entries(path):
    """Relative paths a copy journal lists as finished (torn tail skipped)."""
    done = []
    with open(path, 'rb') as f:
        for line in f.read().split(b'\n'):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if 'p' in record:
                done.append(record['p'])
    return done


class MigrationWorld(object):
    """Reads the database and both backends after a run."""

    def __init__(self, test):
        self.test = test

    def root(self, backend):
        return os.path.join(self.test.state_path, 'shares', backend)

    def instance_path(self, instance):
        return os.path.join(self.root(instance['backend']), instance['id'])

    def observe(self):
        db = self.test.db
        world = {
            'shares': harness.query(db, 'SELECT * FROM shares'),
            'instances': harness.query(db, 'SELECT * FROM share_instances'),
            'migrations': harness.query(
                db, 'SELECT * FROM share_migrations ORDER BY created_at'),
            'rules': harness.query(
                db, 'SELECT r.*, i.state, i.share_instance_id '
                    'FROM share_access_rules r LEFT JOIN '
                    'share_instance_access_rules i ON i.access_id = r.id'),
            'messages': harness.query(db, 'SELECT * FROM messages'),
            'usage': harness.query(
                db, "SELECT * FROM pool_usage WHERE kind = 'share'"),
            'dirs': {}, 'records': {}, 'exports': set(), 'journals': [],
        }
        for instance in world['instances']:
            instance['path'] = self.instance_path(instance)
            instance['tree'] = harness.read_tree(instance['path'])
        for share in world['shares']:
            share['instances'] = [i for i in world['instances']
                                  if i['share_id'] == share['id']]
            share['migration'] = ([m for m in world['migrations']
                                   if m['share_id'] == share['id']] or
                                  [None])[-1]
            share['rules'] = [r for r in world['rules']
                              if r['share_id'] == share['id']]
        for backend in BACKENDS:
            root = self.root(backend)
            world['dirs'][backend] = sorted(
                os.path.join(root, name) for name in os.listdir(root)
                if not name.startswith('.') and
                os.path.isdir(os.path.join(root, name)))
            snapshots = os.path.join(root, '.snapshots')
            world['dirs'][backend] += sorted(
                os.path.join(snapshots, name)
                for name in (os.listdir(snapshots)
                             if os.path.isdir(snapshots) else []))
            state = os.path.join(root, '.storagemgr-state.json')
            with open(state) if os.path.exists(state) else \
                    open(os.devnull) as f:
                text = f.read()
            world['records'][backend] = json.loads(text) if text else {}
            exports = os.path.join(self.test.state_path, 'exports', backend,
                                   'exports')
            if os.path.exists(exports):
                with open(exports) as f:
                    world['exports'] |= parse_exports(f.read(), backend)
        journals = os.path.join(self.test.state_path, 'data_copies')
        if os.path.isdir(journals):
            world['journals'] = sorted(os.listdir(journals))
        return world


class TestShareMigrationCrashes(harness.CrashHarnessTestCase):

    FAMILY = 'share-migration'
    CONFIG = CONFIG

    def setUp(self):
        super().setUp()
        self.reader = MigrationWorld(self)

    # -- template -----------------------------------------------------------

    def new_share(self, ctx, name):
        share = self.must_json('share', 'create', 'NFS', '1', '--name',
                               name, '--backend', 'b1')
        ctx['ids'][name] = share['id']
        ctx['source'][name] = share['instance_id']
        path = os.path.join(self.reader.root('b1'), share['instance_id'])
        harness.write_tree(path, name)
        ctx['trees'][name] = harness.read_tree(path)
        self.must('share', 'access', 'create', name, 'ip', RULE)
        return share

    def build_template(self):
        ctx = {'ids': {}, 'source': {}, 'trees': {}, 'phase1': {},
               'destination': {}}
        for name in ('hs', 'ds') + tuple(PHASE1):
            share = self.new_share(ctx, name)
        # b2's one pool, on the host b1's pool is on.
        ctx['pool'] = share['host'].replace('@b1#b1', '@b2#b2')
        for name, (method, writable) in sorted(PHASE1.items()):
            flags = HOST_FLAGS if method == 'host' else ()
            shown = self.must_json('share', 'migration', 'start', name,
                                   ctx['pool'], *flags)
            expect(shown['task_state'] in constants.PHASE1_DONE_STATES,
                   'template %s: %s', name, shown)
            expect(shown['method'] == method, 'template %s: %s', name,
                   shown)
            instances = harness.query(
                self.db, "SELECT id FROM share_instances WHERE share_id = "
                         "'%s' AND NOT active" % ctx['ids'][name])
            ctx['destination'][name] = instances[0]['id']
            ctx['phase1'][name] = dict(ctx['trees'][name])
        # Written after phase 1 of a writable migration: complete's
        # catch-up copy must carry it over.
        late = os.path.join(self.reader.root('b1'), ctx['source']['hc'],
                            'late.txt')
        with open(late, 'wb') as f:
            f.write(b'written between the two phases\n' * 100)
        ctx['trees']['hc'] = harness.read_tree(os.path.dirname(late))
        return ctx

    def observe(self):
        return self.reader.observe()

    # -- problems that concern the whole family -----------------------------

    def family_problems(self, world, ctx):
        problems = []
        known = {(i['backend'], i['id']) for i in world['instances']}
        for share in world['shares']:
            problems += [({share['id'], share['display_name']}, message)
                         for message in self.share_problems(share)]
        for rule in world['rules']:
            if rule['state'] in share_constants.ACCESS_TRANSITIONAL_STATES:
                problems.append(({rule['share_id']}, 'rule %s left %s' % (
                    rule['access_to'], rule['state'])))
        expected = self.expected_exports(world)
        for entry in sorted(expected ^ world['exports']):
            owner = os.path.basename(entry[1])
            problems.append(({owner} | self.share_of(world, owner), (
                'exports of %s: %s %s(%s) %s' % (
                    entry[0], entry[1], entry[2], entry[3],
                    'missing' if entry in expected else 'unexpected'))))
        for backend in BACKENDS:
            for path in world['dirs'][backend]:
                if (backend, os.path.basename(path)) not in known:
                    owner = os.path.basename(path)
                    problems.append(({owner}, 'orphan directory %s' % path))
            problems += self.record_problems(world, backend)
        problems += self.usage_problems(world)
        problems += self.journal_problems(world)
        return problems

    def share_of(self, world, instance_id):
        return {i['share_id'] for i in world['instances']
                if i['id'] == instance_id}

    def share_problems(self, share):
        name = share['display_name']
        state = share['task_state']
        if state not in SETTLED:
            return ['%s left in task state %s' % (name, state)]
        instances = share['instances']
        active = [i for i in instances if i['active']]
        inactive = [i for i in instances if not i['active']]
        problems = []
        if len(active) != 1:
            return ['%s has %d active instances' % (name, len(active))]
        if state in FINAL:
            if active[0]['status'] != 'available' or inactive:
                problems.append('%s, %s: instances %s' % (
                    name, state, [(i['backend'], i['status'], i['active'])
                                  for i in instances]))
        elif (active[0]['status'] != share_constants.STATUS_MIGRATING or
              [i['status'] for i in inactive] !=
              [share_constants.STATUS_MIGRATING_TO]):
            problems.append('%s, %s: instances %s' % (
                name, state, [(i['backend'], i['status'], i['active'])
                              for i in instances]))
        if active[0]['tree'] is None:
            problems.append('%s: no directory %s' % (name,
                                                     active[0]['path']))
        migration = share['migration']
        if (state is None) != (migration is None):
            problems.append('%s: task state %s, migration row %s' % (
                name, state, migration and migration['id']))
        return problems

    def expected_exports(self, world):
        """What each exports file must hold, from the database."""
        expected = set()
        for share in world['shares']:
            active = [i for i in share['instances'] if i['active']]
            if len(active) != 1:
                continue
            migration = share['migration']
            read_only = (share['task_state'] in
                         constants.PHASE1_DONE_STATES and
                         not migration['writable'])
            for rule in share['rules']:
                if rule['share_instance_id'] not in (None, active[0]['id']):
                    continue
                expected.add((active[0]['backend'], active[0]['path'],
                              rule['access_to'],
                              'ro' if read_only else rule['access_level']))
        return expected

    def record_problems(self, world, backend):
        problems = []
        instances = {i['id']: i for i in world['instances']}
        shares = {s['id']: s for s in world['shares']}
        for instance_id, record in world['records'][backend].get(
                'shares', {}).items():
            instance = instances.get(instance_id)
            if instance is None or instance['backend'] != backend:
                problems.append(({instance_id}, 'backend %s keeps a record '
                                 'of share %s, no instance there' % (
                                     backend, instance_id)))
                continue
            share = shares[instance['share_id']]
            if 'migration' in record and share['task_state'] != \
                    constants.DRIVER_PHASE1_DONE:
                problems.append(({instance_id, share['id']}, (
                    'backend %s keeps the migration record %s of %s, in '
                    'task state %s' % (backend, record['migration'],
                                       share['display_name'],
                                       share['task_state']))))
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
                    'pool %s allocates %s GiB, its instances %s GiB' % (
                        row['host'], row['allocated_capacity_gb'],
                        counted.get(row['host'], 0)))))
        return problems

    def journal_problems(self, world):
        problems = []
        migrations = {m['id']: m for m in world['migrations']}
        shares = {s['id']: s for s in world['shares']}
        for name in world['journals']:
            migration = migrations.get(name.split('.')[0])
            share = shares.get(migration['share_id']) if migration else None
            if share is None or share['migration']['id'] != \
                    migration['id'] or share['task_state'] != \
                    constants.COPY_COMPLETED or not name.endswith(
                        '.journal'):
                problems.append(({name.split('.')[0]} | (
                    {share['id']} if share else set()),
                    'copy journal %s left (task state %s)' % (
                        name, share and share['task_state'])))
        return problems

    # -- the outcomes -------------------------------------------------------

    def share(self, world, name):
        return harness.one(world['shares'], 'share', display_name=name)

    def on_source(self, world, ctx, name, tree=None):
        """The share usable on its source, its bytes as they were."""
        share = self.share(world, name)
        expect(share is not None, '%s is gone', name)
        active = [i for i in share['instances'] if i['active']]
        expect(len(active) == 1 and active[0]['id'] == ctx['source'][name],
               '%s: active instance %s, not its source', name,
               [i['id'] for i in active])
        expect(active[0]['tree'] == (tree or ctx['trees'][name]),
               '%s: the source bytes changed', name)
        return share, active[0]

    def check_back_on_source(self, world, ctx, name, final_state):
        """Ended back on the source: cancelled, or failed (ERROR)."""
        share, source = self.on_source(world, ctx, name)
        expect(source['status'] == 'available', '%s: source %s', name,
               source['status'])
        expect(len(share['instances']) == 1, '%s: %d instances', name,
               len(share['instances']))
        destination = ctx['destination'].get(name) or (
            share['migration'] or {}).get('destination_instance_id')
        for backend in BACKENDS:
            expect(os.path.join(self.reader.root(backend), destination or '-')
                   not in world['dirs'][backend],
                   '%s: the destination directory is still on %s', name,
                   backend)
        if share['task_state'] == constants.ERROR:
            expect(share['migration']['detail'],
                   '%s: migration_error without a detail', name)
            expect(any(m['resource_id'] == share['id']
                       for m in world['messages']),
                   '%s: migration_error without a user message', name)
            return ERROR
        expect(share['task_state'] == final_state, '%s in %s', name,
               share['task_state'])
        return AFTER

    def check_phase1_done(self, world, ctx, name, method, tree):
        """The share in phase 1 done, the destination as the method has."""
        share, source = self.on_source(world, ctx, name)
        migration = share['migration']
        expect(migration['method'] == method, '%s: method %s', name,
               migration['method'])
        destination = [i for i in share['instances'] if not i['active']]
        expect(len(destination) == 1, '%s: %d destinations', name,
               len(destination))
        destination = destination[0]
        expect(destination['backend'] == 'b2',
               '%s: destination on %s', name, destination['backend'])
        if name in ctx['destination']:
            expect(destination['id'] == ctx['destination'][name],
                   '%s: another destination instance', name)
        if method == constants.METHOD_HOST:
            expect(destination['tree'] == tree,
                   '%s: the destination does not hold the source bytes',
                   name)
            expect(migration['files_copied'] == migration['files_total']
                   == len(tree), '%s: %s of %s files copied, %d in the '
                   'tree', name, migration['files_copied'],
                   migration['files_total'], len(tree))
            expect(migration['bytes_copied'] == migration['bytes_total'],
                   '%s: %s of %s bytes copied', name,
                   migration['bytes_copied'], migration['bytes_total'])
        else:
            expect(destination['tree'] is None,
                   '%s: driver-assisted phase 1 made a directory', name)
            record = self.reader_records(world, 'b1', source['id'])
            expect((record.get('migration') or {}).get(
                'destination_share_id') == destination['id'],
                '%s: the driver has no migration record to %s', name,
                destination['id'])
        return share

    def reader_records(self, world, backend, instance_id):
        return world['records'][backend].get('shares', {}).get(
            instance_id) or {}

    def check_start(self, world, ctx, name, method):
        share = self.share(world, name)
        expect(share is not None, '%s is gone', name)
        state = share['task_state']
        if state is None:
            self.check_back_on_source(world, ctx, name, None)
            return BEFORE
        if state in constants.PHASE1_DONE_STATES:
            expect(state == (constants.COPY_COMPLETED
                             if method == constants.METHOD_HOST else
                             constants.DRIVER_PHASE1_DONE),
                   '%s in %s', name, state)
            self.check_phase1_done(world, ctx, name, method,
                                   ctx['trees'][name])
            return AFTER
        expect(state == constants.ERROR, '%s in %s', name, state)
        return self.check_back_on_source(world, ctx, name, None)

    def check_complete(self, world, ctx, name):
        share = self.share(world, name)
        expect(share is not None, '%s is gone', name)
        method = PHASE1[name][0]
        state = share['task_state']
        if state in constants.PHASE1_DONE_STATES:
            self.check_phase1_done(world, ctx, name, method,
                                   ctx['phase1'][name])
            return BEFORE
        if state == constants.ERROR:
            return self.check_back_on_source(world, ctx, name, None)
        expect(state == constants.SUCCESS, '%s in %s', name, state)
        instances = share['instances']
        expect(len(instances) == 1 and instances[0]['id'] ==
               ctx['destination'][name] and instances[0]['status'] ==
               'available', '%s: instances %s', name,
               [(i['id'], i['status']) for i in instances])
        moved = instances[0]
        expect(moved['backend'] == 'b2' and moved['host'] == ctx['pool'],
               '%s on %s', name, moved['host'])
        expect(moved['tree'] == ctx['trees'][name],
               '%s: the bytes on b2 differ from the source\'s', name)
        locations = json.loads(moved['export_locations'] or '[]')
        expect([loc['path'].split(':', 1)[1] for loc in locations][:1] ==
               [moved['path']], '%s: export locations %s', name, locations)
        old = os.path.join(self.reader.root('b1'), ctx['source'][name])
        expect(old not in world['dirs']['b1'],
               '%s: the old source directory is left', name)
        expect(('b2', moved['path'], RULE, 'rw') in world['exports'],
               '%s: its rule is not exported on b2', name)
        return AFTER

    def check_cancel(self, world, ctx, name):
        share = self.share(world, name)
        expect(share is not None, '%s is gone', name)
        if share['task_state'] in constants.PHASE1_DONE_STATES:
            self.check_phase1_done(world, ctx, name, PHASE1[name][0],
                                   ctx['phase1'][name])
            return BEFORE
        return self.check_back_on_source(world, ctx, name,
                                         constants.CANCELLED)

    def ops(self):
        def ids(name):
            return lambda ctx: {name, ctx['ids'][name], ctx['source'][name],
                                ctx['destination'].get(name, name)}

        def start(name, *flags):
            return lambda ctx: ['share', 'migration', 'start', name,
                                ctx['pool']] + list(flags)

        return [
            Op('host-assisted start', start('hs', *HOST_FLAGS),
               lambda w, c: self.check_start(w, c, 'hs', 'host'),
               ids('hs'), creates=True),
            Op('driver-assisted start', start('ds'),
               lambda w, c: self.check_start(w, c, 'ds', 'driver'),
               ids('ds'), creates=True),
            Op('host-assisted complete',
               lambda ctx: ['share', 'migration', 'complete', 'hc'],
               lambda w, c: self.check_complete(w, c, 'hc'), ids('hc')),
            Op('driver-assisted complete',
               lambda ctx: ['share', 'migration', 'complete', 'dc'],
               lambda w, c: self.check_complete(w, c, 'dc'), ids('dc')),
            Op('host-assisted cancel',
               lambda ctx: ['share', 'migration', 'cancel', 'hx'],
               lambda w, c: self.check_cancel(w, c, 'hx'), ids('hx')),
            Op('driver-assisted cancel',
               lambda ctx: ['share', 'migration', 'cancel', 'dx'],
               lambda w, c: self.check_cancel(w, c, 'dx'), ids('dx')),
        ]

    def test_kill_at_every_point(self):
        self.run_harness()


# The resumable copy: a few hundred files, a few large ones first.
RESUME_CONFIG = CONFIG.replace(
    '[b1]', '[data]\ncopy_workers = 2\n\n[b1]').replace(TRACED, 'local')
SMALL_FILES = 360
LARGE_FILES = 4
LARGE_SIZE = 24 * 1024 * 1024
KILL_AFTER = 60   # journaled files; the large ones come first


class TestShareMigrationCopyResume(base.FunctionalTestCase):
    """kill -9 in the middle of a host-assisted copy, then resume it."""

    def setUp(self):
        super().setUp()
        self.write_config(RESUME_CONFIG)
        self.db = os.path.join(self.state_path, 'storagemgr.sqlite')
        self.env = {k: v for k, v in os.environ.items()
                    if k not in (harness.CRASH_AT_ENV, harness.TRACE_ENV)}

    def must_json(self, *args):
        result = self.cli(*(args + ('-f', 'json')))
        self.assertEqual(0, result.rc, '%s: %s' % (args, result.err))
        return result.json()

    def fill(self, path):
        for index in range(LARGE_FILES):
            with open(os.path.join(path, 'large-%d.bin' % index), 'wb') as f:
                block = os.urandom(1024 * 1024)
                for _ in range(LARGE_SIZE // len(block)):
                    f.write(block)
                f.write(b'%d' % index)
        for index in range(SMALL_FILES):
            directory = os.path.join(path, 'd%02d' % (index % 12))
            os.makedirs(directory, exist_ok=True)
            with open(os.path.join(directory, 'f%03d' % index), 'wb') as f:
                f.write(os.urandom(64 * 1024 + 1000 * index))

    def start_and_kill(self, share_id, pool, journals):
        """Start the copy in a CLI process; SIGKILL it half-way."""
        process = subprocess.Popen(
            [base.console_script('storagemgr'), '--config-file', self.conf,
             'share', 'migration', 'start', share_id, pool,
             '--force-host-assisted-migration'],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=self.env, cwd=self.state_path)
        self.addCleanup(lambda: process.poll() is None and process.kill())
        deadline = time.monotonic() + 120
        done = []
        while time.monotonic() < deadline and process.poll() is None:
            names = os.listdir(journals) if os.path.isdir(journals) else []
            names = [n for n in names if n.endswith('.journal')]
            if names:
                done = journal_entries(os.path.join(journals, names[0]))
                if len(done) >= KILL_AFTER:
                    os.kill(process.pid, signal.SIGKILL)
                    break
            time.sleep(0.005)
        process.wait()
        err = process.stderr.read().decode()
        process.stderr.close()
        self.assertEqual(-signal.SIGKILL, process.returncode,
                         'the copy ended before it could be killed half-way '
                         '(%d files journaled): %s' % (len(done), err[-500:]))

    def test_copy_resumes_after_kill(self):
        share = self.must_json('share', 'create', 'NFS', '2', '--name',
                               'big', '--backend', 'b1')
        source = os.path.join(self.state_path, 'shares', 'b1',
                              share['instance_id'])
        self.fill(source)
        tree = harness.read_tree(source)
        pool = share['host'].replace('@b1#b1', '@b2#b2')
        journals = os.path.join(self.state_path, 'data_copies')

        self.start_and_kill(share['id'], pool, journals)

        state = harness.query(self.db, "SELECT task_state FROM shares "
                                       "WHERE id = '%s'" % share['id'])
        self.assertEqual(constants.COPY_IN_PROGRESS, state[0]['task_state'])
        migration = harness.query(
            self.db, "SELECT * FROM share_migrations WHERE share_id = '%s'"
                     % share['id'])[0]
        journal = os.path.join(journals, '%s.journal' % migration['id'])
        finished = journal_entries(journal)
        self.assertGreaterEqual(len(finished), KILL_AFTER)
        self.assertLess(len(finished), len(tree), 'nothing left to resume')
        destination = os.path.join(self.state_path, 'shares', 'b2',
                                   migration['destination_instance_id'])

        def stat_files():
            found = {}
            for directory, _dirs, files in os.walk(destination):
                for name in files:
                    full = os.path.join(directory, name)
                    st = os.stat(full)
                    found[os.path.relpath(full, destination)] = (
                        st.st_ino, st.st_ctime_ns)
            return found

        before = stat_files()
        self.assertEqual([], sorted(set(finished) - set(before)),
                         'journaled files missing at the destination')
        # Besides the journaled files, only those in flight were begun:
        # at most one per copy worker.
        in_flight = sorted(set(before) - set(finished))
        self.assertLessEqual(len(in_flight), 2, in_flight)
        figures = 'copy killed with %d of %d files journaled, %d in ' \
            'flight\n' % (len(finished), len(tree), len(in_flight))
        self.addDetail('copy-resume', content.text_content(figures))
        sys.__stderr__.write(figures)

        result = self.run_script('storagemgr', '--config-file', self.conf,
                                 'manager', 'run', '--once', env=self.env,
                                 timeout=300)
        self.assertEqual(0, result.rc, result.err[-2000:])

        shown = self.must_json('share', 'migration', 'show', share['id'])
        self.assertEqual(constants.COPY_COMPLETED, shown['task_state'],
                         shown)
        self.assertEqual(len(tree), shown['files_total'])
        self.assertEqual(len(tree), shown['files_copied'])
        self.assertEqual(shown['bytes_total'], shown['bytes_copied'])
        self.assertEqual(tree, harness.read_tree(destination),
                         'the destination differs from the source')
        self.assertEqual(tree, harness.read_tree(source),
                         'the source changed')
        after = stat_files()
        copied_again = sorted(rel for rel in finished
                              if after[rel] != before[rel])
        self.assertEqual([], copied_again,
                         'files the journal listed as finished before the '
                         'kill were copied again')
        self.assertEqual([], harness.query(
            self.db, 'SELECT name, state FROM flowdetails WHERE state IS '
                     "NULL OR state NOT IN ('SUCCESS', 'REVERTED')"))
