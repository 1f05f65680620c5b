"""Crash harness for every share flow on the real ``local`` backend.

Documented outcomes (doc/source/admin/shares.rst, "Statuses and
transitions"), per operation, besides "nothing happened" (``before``):

==================  ===============================  =====================
operation           completed (``after``)            error (``error``)
==================  ===============================  =====================
create              ``available``, empty directory   ``error``
create from snap.   ``available``, snapshot's bytes  ``error``
delete              row and directory gone           ``error_deleting``,
                                                     bytes intact
extend / shrink     ``available`` at the new size    ``extending_error`` /
                                                     ``shrinking_error``
snapshot create     ``available``, the share's bytes ``error``
snapshot delete     row and directory gone           ``error_deleting``
revert              ``available``, snapshot's bytes  ``reverting_error``,
                                                     old or snapshot bytes
access allow/deny   rule ``active`` and exported /   rule ``error``
                    rule gone and not exported
adopt               ``available`` at that directory  ``manage_error``
abandon             row gone, directory kept         ``unmanage_error``
snapshot adopt /    as adopt / abandon               ``manage_error`` /
abandon                                              ``unmanage_error``
create, failing     (never)                          ``error``
driver
==================  ===============================  =====================

A create whose driver failed after making the directory ends in ``error``;
the manager's start-up ``ensure_shares`` (shares.rst, "Asynchronous
creation and start-up") then finds the directory and records the share
``available``: that outcome is counted as ``ensured``.

Whatever the outcome, every byte written before the operation is still
there (in the share, the snapshot, or the abandoned directory).
"""

import json
import os

from storagemgr.share import constants
from storagemgr.tests.functional.crash import harness
from storagemgr.tests.functional.crash.harness import AFTER
from storagemgr.tests.functional.crash.harness import BEFORE
from storagemgr.tests.functional.crash.harness import ENSURED
from storagemgr.tests.functional.crash.harness import ERROR
from storagemgr.tests.functional.crash.harness import expect
from storagemgr.tests.functional.crash.harness import one
from storagemgr.tests.functional.crash.harness import Op

FAULTY = ('storagemgr.tests.functional.crash.faulty.'
          'FaultyLocalShareDriver')
CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = b1,bf\n'
          '[b1]\nshare_driver = local\n'
          '[bf]\nshare_driver = %s\n' % FAULTY)
BACKENDS = ('b1', 'bf')
NEW_RULE = '192.0.2.10'
OLD_RULE = '198.51.100.0/24'


# What the user sees of each resource: the row with its active instance's
# status, backend and locations (and the instance id the backend uses).
_SHARES = ('SELECT s.*, i.id AS instance_id, i.backend, i.status, '
           'i.export_locations FROM shares s JOIN share_instances i '
           'ON i.share_id = s.id WHERE i.active')
_SNAPSHOTS = ('SELECT n.*, i.id AS instance_id, i.status, '
              'i.provider_location, i.export_locations '
              'FROM share_snapshots n JOIN share_snapshot_instances i '
              'ON i.snapshot_id = n.id')
_RULES = ('SELECT r.*, i.state FROM share_access_rules r '
          'JOIN share_instance_access_rules i ON i.access_id = r.id')


class TestShareCrashes(harness.CrashHarnessTestCase):

    FAMILY = 'share'
    CONFIG = CONFIG
    RESUMER_OPS = ('share create', 'share create (fault)')

    def root(self, backend='b1'):
        return os.path.join(self.state_path, 'shares', backend)

    # -- template -----------------------------------------------------------

    def new_share(self, ctx, name, size=1):
        share = self.must_json('share', 'create', 'NFS', str(size),
                               '--name', name, '--backend', 'b1')
        path = share['export_locations'][0]['path'].split(':', 1)[1]
        ctx['ids'][name] = share['id']
        ctx['paths'][name] = path
        ctx['trees'][name] = harness.write_tree(path, name)
        return share

    def new_snapshot(self, ctx, share, name):
        snap = self.must_json('share', 'snapshot', 'create', share,
                              '--name', name)
        ctx['ids'][name] = snap['id']
        ctx['paths'][name] = snap['provider_location']
        ctx['trees'][name] = harness.read_tree(snap['provider_location'])
        expect(ctx['trees'][name] == ctx['trees'][share],
               'snapshot %s is not a copy', name)
        return snap

    def build_template(self):
        ctx = {'ids': {}, 'paths': {}, 'trees': {}, 'unmanaged': set()}
        for name in ('cfs', 'del', 'ext', 'sc', 'sd', 'rv', 'aa', 'ad',
                     'ab', 'sa', 'sab'):
            self.new_share(ctx, name)
        self.new_share(ctx, 'shr', size=2)
        self.new_snapshot(ctx, 'cfs', 'cfs-snap')
        self.new_snapshot(ctx, 'sd', 'sd-snap')
        self.new_snapshot(ctx, 'sab', 'sab-snap')
        self.new_snapshot(ctx, 'rv', 'rv-snap')
        # After the snapshot, the revert's share holds other bytes.
        ctx['trees']['rv-old'] = harness.write_tree(ctx['paths']['rv'],
                                                    'rv-old')
        ctx['trees']['rv-old'] = harness.read_tree(ctx['paths']['rv'])
        rule = self.must_json('share', 'access', 'create', 'ad', 'ip',
                              OLD_RULE)
        ctx['ids']['ad-rule'] = rule['id']
        # Directories the backend has and the database does not.
        for name, parent in (('adopt-me', self.root()),
                             ('adopt-snap', os.path.join(self.root(),
                                                         '.snapshots'))):
            path = os.path.join(parent, name)
            os.makedirs(path)
            ctx['paths'][name] = path
            ctx['trees'][name] = harness.write_tree(path, name)
            ctx['unmanaged'].add(path)
        # Abandoned data stays on the backend, legitimately unknown.
        ctx['unmanaged'].update([ctx['paths']['ab'],
                                 ctx['paths']['sab-snap']])
        return ctx

    # -- observation --------------------------------------------------------

    def share_path(self, row):
        locations = json.loads(row['export_locations'] or '[]')
        if locations:
            return locations[0]['path'].split(':', 1)[1]
        return os.path.join(self.root(row['backend']), row['instance_id'])

    def observe(self):
        world = {'shares': harness.query(self.db, _SHARES),
                 'snapshots': harness.query(self.db, _SNAPSHOTS),
                 'rules': harness.query(self.db, _RULES),
                 'messages': harness.query(self.db,
                                           'SELECT * FROM messages'),
                 'dirs': {}, 'snapdirs': {}, 'exports': {}, 'records': {}}
        backends = {}
        for share in world['shares']:
            share['path'] = self.share_path(share)
            share['tree'] = harness.read_tree(share['path'])
            backends[share['id']] = share['backend']
        for snap in world['snapshots']:
            snap['path'] = snap['provider_location'] or os.path.join(
                self.root(backends.get(snap['share_id'], 'b1')),
                '.snapshots', snap['instance_id'])
            snap['tree'] = harness.read_tree(snap['path'])
        for backend in BACKENDS:
            root = self.root(backend)
            snaps = os.path.join(root, '.snapshots')
            world['dirs'][backend] = sorted(
                os.path.join(root, n) for n in
                (os.listdir(root) if os.path.isdir(root) else [])
                if not n.startswith('.') and
                os.path.isdir(os.path.join(root, n)))
            world['snapdirs'][backend] = sorted(
                os.path.join(snaps, n) for n in
                (os.listdir(snaps) if os.path.isdir(snaps) else []))
            exports = os.path.join(self.state_path, 'exports', backend,
                                   'exports')
            world['exports'][backend] = (open(exports).read()
                                         if os.path.exists(exports) else '')
            state = os.path.join(root, '.storagemgr-state.json')
            world['records'][backend] = (json.load(open(state))
                                         if os.path.exists(state) else {})
        return world

    def exported(self, world, path, client):
        return any(line.split()[:1] == [path] and
                   (' %s(' % client) in line
                   for line in world['exports']['b1'].splitlines())

    # -- problems that concern the whole backend ----------------------------

    def family_problems(self, world, ctx):
        problems = []
        share_ids = {s['id'] for s in world['shares']}
        # The backend knows shares and snapshots by their instance ids.
        backend_ids = ({s['instance_id'] for s in world['shares']},
                       {s['instance_id'] for s in world['snapshots']})
        for share in world['shares']:
            ids = {share['id'], share['display_name']}
            if share['status'] in constants.TRANSITIONAL_STATUSES:
                problems.append((ids, 'share %s left %s' % (
                    share['display_name'], share['status'])))
            if share['status'] == 'available' and share['tree'] is None:
                problems.append((ids, 'share %s available, no directory '
                                 '%s' % (share['display_name'],
                                         share['path'])))
        for snap in world['snapshots']:
            ids = {snap['id'], snap['display_name'], snap['share_id']}
            if snap['status'] in constants.TRANSITIONAL_STATUSES:
                problems.append((ids, 'snapshot %s left %s' % (
                    snap['display_name'], snap['status'])))
            if snap['status'] == 'available' and snap['tree'] is None:
                problems.append((ids, 'snapshot %s available, no '
                                 'directory' % snap['display_name']))
            if snap['share_id'] not in share_ids:
                problems.append((ids, 'snapshot %s of a share that is '
                                 'gone' % snap['display_name']))
        for rule in world['rules']:
            if rule['state'] in constants.ACCESS_TRANSITIONAL_STATES:
                problems.append(({rule['id'], rule['share_id']},
                                 'rule %s left %s' % (rule['access_to'],
                                                      rule['state'])))
        known_dirs = {s['path'] for s in world['shares']}
        known_snaps = {s['path'] for s in world['snapshots']}
        for backend in BACKENDS:
            for path in world['dirs'][backend]:
                if path not in known_dirs and path not in ctx['unmanaged']:
                    problems.append(({os.path.basename(path)},
                                     'orphan share directory %s' % path))
            for path in world['snapdirs'][backend]:
                if path not in known_snaps and path not in ctx['unmanaged']:
                    problems.append(({os.path.basename(path)},
                                     'orphan snapshot directory %s' % path))
            records = world['records'][backend]
            for share_id in records.get('shares', {}):
                if share_id not in backend_ids[0]:
                    problems.append(({share_id}, 'backend %s keeps a '
                                     'record of share %s, unknown to the '
                                     'database' % (backend, share_id)))
            for snap_id in records.get('snapshots', {}):
                if snap_id not in backend_ids[1]:
                    problems.append(({snap_id}, 'backend %s keeps a '
                                     'record of snapshot %s, unknown to '
                                     'the database' % (backend, snap_id)))
        return problems

    # -- the operations -----------------------------------------------------

    def share(self, world, name):
        return one(world['shares'], 'share', display_name=name)

    def snapshot(self, world, name):
        return one(world['snapshots'], 'snapshot', display_name=name)

    def intact(self, world, ctx, name, tree=None, statuses=('available',)):
        """The template's share or snapshot, unchanged."""
        row = (self.snapshot(world, name) if '-snap' in name else
               self.share(world, name))
        expect(row is not None, '%s is gone', name)
        expect(row['status'] in statuses, '%s is %s', name, row['status'])
        expect(row['tree'] == (tree or ctx['trees'][name]),
               '%s: bytes differ from before the operation', name)
        return row

    def check_created(self, world, ctx, name, tree, error='error'):
        row = self.share(world, name)
        outcome = harness.created_outcome(row, name, error)
        if outcome == AFTER:
            expect(row['tree'] == tree, '%s: unexpected bytes %s', name,
                   sorted(row['tree'] or {}))
        return outcome

    def check_create(self, world, ctx):
        return self.check_created(world, ctx, 'c-new', {})

    def check_create_from_snapshot(self, world, ctx):
        self.intact(world, ctx, 'cfs')
        self.intact(world, ctx, 'cfs-snap')
        return self.check_created(world, ctx, 'cfs-new',
                                  ctx['trees']['cfs'])

    def check_delete(self, world, ctx):
        row = self.share(world, 'del')
        if row is None:
            expect(not os.path.exists(ctx['paths']['del']),
                   'del: row gone, directory kept')
            return AFTER
        self.intact(world, ctx, 'del',
                    statuses=('available', 'error_deleting'))
        return BEFORE if row['status'] == 'available' else ERROR

    def check_resize(self, world, ctx, name, old, new, error):
        row = self.intact(world, ctx, name, statuses=('available', error))
        if row['status'] == error:
            return ERROR
        expect(row['size'] in (old, new), '%s: size %s', name, row['size'])
        return AFTER if row['size'] == new else BEFORE

    def check_snapshot_create(self, world, ctx):
        self.intact(world, ctx, 'sc')
        snap = self.snapshot(world, 'sc-snap')
        outcome = harness.created_outcome(snap, 'sc-snap')
        if outcome == AFTER:
            expect(snap['tree'] == ctx['trees']['sc'],
                   'sc-snap: bytes differ from the share')
        return outcome

    def check_snapshot_delete(self, world, ctx):
        self.intact(world, ctx, 'sd')
        snap = self.snapshot(world, 'sd-snap')
        if snap is None:
            expect(not os.path.exists(ctx['paths']['sd-snap']),
                   'sd-snap: row gone, directory kept')
            return AFTER
        self.intact(world, ctx, 'sd-snap',
                    statuses=('available', 'error_deleting'))
        return BEFORE if snap['status'] == 'available' else ERROR

    def check_revert(self, world, ctx):
        self.intact(world, ctx, 'rv-snap')
        row = self.share(world, 'rv')
        expect(row is not None, 'rv is gone')
        expect(row['status'] in ('available', 'reverting_error'),
               'rv is %s', row['status'])
        old, snap = ctx['trees']['rv-old'], ctx['trees']['rv-snap']
        expect(row['tree'] in (old, snap),
               'rv: neither the pre-revert nor the snapshot bytes')
        if row['status'] == 'reverting_error':
            return ERROR
        return AFTER if row['tree'] == snap else BEFORE

    def check_access_allow(self, world, ctx):
        self.intact(world, ctx, 'aa')
        rule = one(world['rules'], 'rule', share_id=ctx['ids']['aa'])
        exported = self.exported(world, ctx['paths']['aa'], NEW_RULE)
        if rule is None:
            expect(not exported, 'aa: no rule, yet %s is exported',
                   NEW_RULE)
            return BEFORE
        if rule['state'] == 'error':
            return ERROR
        expect(rule['state'] == 'active', 'aa: rule %s', rule['state'])
        expect(exported, 'aa: rule active, not in the exports file')
        return AFTER

    def check_access_deny(self, world, ctx):
        self.intact(world, ctx, 'ad')
        rule = one(world['rules'], 'rule', share_id=ctx['ids']['ad'])
        exported = self.exported(world, ctx['paths']['ad'], OLD_RULE)
        if rule is None:
            expect(not exported, 'ad: rule gone, %s still exported',
                   OLD_RULE)
            return AFTER
        if rule['state'] == 'error':
            return ERROR
        expect(rule['state'] == 'active', 'ad: rule %s', rule['state'])
        expect(exported, 'ad: rule active, not in the exports file')
        return BEFORE

    def check_adopt(self, world, ctx):
        path = ctx['paths']['adopt-me']
        expect(harness.read_tree(path) == ctx['trees']['adopt-me'],
               'adopt-me: bytes differ or directory gone')
        row = self.share(world, 'adopted')
        if row is None:
            return BEFORE
        if row['status'] == 'manage_error':
            return ERROR
        expect(row['status'] == 'available', 'adopted is %s',
               row['status'])
        expect(row['path'] == path, 'adopted points at %s', row['path'])
        return AFTER

    def check_abandon(self, world, ctx):
        path = ctx['paths']['ab']
        expect(harness.read_tree(path) == ctx['trees']['ab'],
               'ab: bytes differ or directory gone')
        row = self.share(world, 'ab')
        if row is None:
            return AFTER
        expect(row['status'] in ('available', 'unmanage_error'),
               'ab is %s', row['status'])
        return BEFORE if row['status'] == 'available' else ERROR

    def check_snapshot_adopt(self, world, ctx):
        self.intact(world, ctx, 'sa')
        path = ctx['paths']['adopt-snap']
        expect(harness.read_tree(path) == ctx['trees']['adopt-snap'],
               'adopt-snap: bytes differ or directory gone')
        snap = self.snapshot(world, 'sa-adopted-snap')
        if snap is None:
            return BEFORE
        if snap['status'] == 'manage_error':
            return ERROR
        expect(snap['status'] == 'available', 'sa-adopted-snap is %s',
               snap['status'])
        expect(snap['path'] == path, 'sa-adopted-snap points at %s',
               snap['path'])
        return AFTER

    def check_snapshot_abandon(self, world, ctx):
        self.intact(world, ctx, 'sab')
        path = ctx['paths']['sab-snap']
        expect(harness.read_tree(path) == ctx['trees']['sab-snap'],
               'sab-snap: bytes differ or directory gone')
        snap = self.snapshot(world, 'sab-snap')
        if snap is None:
            return AFTER
        expect(snap['status'] in ('available', 'unmanage_error'),
               'sab-snap is %s', snap['status'])
        return BEFORE if snap['status'] == 'available' else ERROR

    def check_create_failing(self, world, ctx):
        row = self.share(world, 'f-new')
        if row is None:
            return BEFORE
        # The revert recorded why (a user message on the share).
        expect(any(m['resource_id'] == row['id']
                   for m in world['messages']),
               'f-new is %s and no user message says why', row['status'])
        if row['status'] == 'error':
            return ERROR
        # The faulty driver made the directory before raising; the
        # manager's start-up ensure_shares (shares.rst, "Asynchronous
        # creation and start-up") then finds it and records available.
        expect(row['status'] == 'available' and row['tree'] == {},
               'f-new is %s with %s', row['status'], row['tree'])
        return ENSURED

    def ops(self):
        def ids(*names):
            return lambda ctx: {ctx['ids'].get(n, n)
                                for n in names} | set(names)

        return [
            Op('share create',
               lambda ctx: ['share', 'create', 'NFS', '1', '--name',
                            'c-new', '--backend', 'b1'],
               self.check_create, ids('c-new'), creates=True),
            Op('share create from snap',
               lambda ctx: ['share', 'create', 'NFS', '1', '--snapshot-id',
                            ctx['ids']['cfs-snap'], '--name', 'cfs-new'],
               self.check_create_from_snapshot,
               ids('cfs', 'cfs-snap', 'cfs-new'), creates=True),
            Op('share delete', lambda ctx: ['share', 'delete', 'del'],
               self.check_delete, ids('del')),
            Op('share extend', lambda ctx: ['share', 'resize', 'ext', '2'],
               lambda w, c: self.check_resize(w, c, 'ext', 1, 2,
                                              'extending_error'),
               ids('ext')),
            Op('share shrink', lambda ctx: ['share', 'resize', 'shr', '1'],
               lambda w, c: self.check_resize(w, c, 'shr', 2, 1,
                                              'shrinking_error'),
               ids('shr')),
            Op('share snapshot create',
               lambda ctx: ['share', 'snapshot', 'create', 'sc', '--name',
                            'sc-snap'],
               self.check_snapshot_create, ids('sc', 'sc-snap'),
               creates=True),
            Op('share snapshot delete',
               lambda ctx: ['share', 'snapshot', 'delete', 'sd-snap'],
               self.check_snapshot_delete, ids('sd', 'sd-snap')),
            Op('share revert', lambda ctx: ['share', 'revert', 'rv-snap'],
               self.check_revert, ids('rv', 'rv-snap')),
            Op('share access allow',
               lambda ctx: ['share', 'access', 'create', 'aa', 'ip',
                            NEW_RULE],
               self.check_access_allow, ids('aa')),
            Op('share access deny',
               lambda ctx: ['share', 'access', 'delete', 'ad',
                            ctx['ids']['ad-rule']],
               self.check_access_deny, ids('ad', 'ad-rule')),
            Op('share adopt',
               lambda ctx: ['share', 'adopt', 'b1', 'NFS',
                            ctx['paths']['adopt-me'], '--name', 'adopted'],
               self.check_adopt, ids('adopted', 'adopt-me'), creates=True),
            Op('share abandon', lambda ctx: ['share', 'abandon', 'ab'],
               self.check_abandon, ids('ab')),
            Op('share snapshot adopt',
               lambda ctx: ['share', 'snapshot', 'adopt', 'sa',
                            ctx['paths']['adopt-snap'], '--name',
                            'sa-adopted-snap'],
               self.check_snapshot_adopt,
               ids('sa', 'sa-adopted-snap', 'adopt-snap'), creates=True),
            Op('share snapshot abandon',
               lambda ctx: ['share', 'snapshot', 'abandon', 'sab-snap'],
               self.check_snapshot_abandon, ids('sab', 'sab-snap')),
            Op('share create (fault)',
               lambda ctx: ['share', 'create', 'NFS', '1', '--name',
                            'f-new', '--backend', 'bf'],
               self.check_create_failing, ids('f-new'), fails=True,
               creates=True),
        ]

    def test_kill_at_every_point(self):
        self.run_harness()
