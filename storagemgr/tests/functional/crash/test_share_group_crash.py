"""Crash harness for every share group flow on the real ``local`` backend.

Documented outcomes (doc/source/admin/share-group-rules.rst and
``storagemgr.share_group.updates``), per operation, besides "nothing
happened" (``before``):

===================  ================================  =====================
operation            completed (``after``)             error (``error``)
===================  ================================  =====================
group create         ``available``, recorded by the    ``error``
                     backend
group snapshot       ``available``, every member       ``error``, every
create               ``available`` with a copy of its  member ``error``, no
                     share's bytes                     member copy left
group create from    ``available``, one ``available``  ``error``, every new
group snapshot       share per member holding exactly  share ``error`` and
                     that member's bytes               no directory of its
                                                       own
group snapshot       rows and member copies gone       ``error_deleting``,
delete                                                 members too, copies
                                                       intact
group delete         row and backend record gone       ``error_deleting``
group delete         group, its shares, its group      group
``--force``          snapshots, their members and      ``error_deleting``;
                     every directory gone              each group snapshot
                                                       gone or
                                                       ``error_deleting``
                                                       with its copies;
                                                       each share gone or
                                                       ``error_deleting``
                                                       with its bytes (kept
                                                       while a group
                                                       snapshot of it is)
===================  ================================  =====================

After the resume nothing is ``creating`` or ``deleting`` (groups, group
snapshots, members, shares), every member and share that is
``available`` has its directory, and the backend holds no directory or
state-file record the database does not know: a member copy
(``<root>/.snapshots/<member id>``) of a member in ``error`` counts as
an orphan too. Whatever the outcome, every byte written before the
operation is still where it was (member shares, member copies).

The error column is reached through the ``bf`` backend, whose driver
(``FaultyGroupDriver`` below) fails once the template is built: each
member copy and each new share is made and then fails, so the local
driver's own clean-up runs; a group snapshot delete fails before
removing anything. Both backends' drivers also have crash points inside
their group methods (``TracedLocalDriver``).

A group create from a group snapshot killed after its driver cloned a
share, whose resumed driver call then fails: the local driver removes
only the shares its own call made, and leaves those that existed before
it (the killed call's clones) to the manager. They stay ``error`` with
their directory, and the manager's start-up ``ensure_shares``
(shares.rst, "Asynchronous creation and start-up") records them
``available``, in a group in ``error``: that outcome is counted as
``ensured``, and such a share must hold its member's bytes exactly.
"""

import json
import os

from storagemgr import exception
from storagemgr.flows import engine
from storagemgr.share import constants as share_constants
from storagemgr.share.drivers import local as local_share
from storagemgr.share.drivers import local_files
from storagemgr.share_group import constants
from storagemgr.tests.functional.crash import harness
from storagemgr.tests.functional.crash.harness import AFTER
from storagemgr.tests.functional.crash.harness import BEFORE
from storagemgr.tests.functional.crash.harness import ENSURED
from storagemgr.tests.functional.crash.harness import ERROR
from storagemgr.tests.functional.crash.harness import expect
from storagemgr.tests.functional.crash.harness import one
from storagemgr.tests.functional.crash.harness import Op

# Present in a backend's root: FaultyGroupDriver fails (the template is
# built without it).
FAULT_FLAG = '.inject-group-faults'


class TracedLocalDriver(local_share.LocalShareDriver):
    """The local driver with crash points inside its group operations.

    The harness kills at task boundaries; these points (``driver:...``,
    reached first by whichever member finishes first) also kill a
    driver call half-way: after one member copy, share clone or removal,
    while the other members' may still be running; and, in any copy
    (``local_files.clone_tree``), once the temporary copy is made and
    before it is renamed into place.
    """

    def do_setup(self, context):
        super().do_setup(context)
        _trace_copies()

    def _copy_to_snapshot(self, snapshot, replace=False, **record):
        update = super()._copy_to_snapshot(snapshot, replace, **record)
        if record.get('share_group_snapshot_id'):
            engine.checkpoint('driver:member copied')
        return update

    def create_share_from_snapshot(self, context, share, snapshot,
                                   share_server=None):
        locations = super().create_share_from_snapshot(
            context, share, snapshot, share_server)
        engine.checkpoint('driver:share cloned')
        return locations

    def delete_snapshot(self, context, snapshot, share_server=None):
        super().delete_snapshot(context, snapshot, share_server)
        engine.checkpoint('driver:copy removed')

    def delete_share(self, context, share, share_server=None):
        super().delete_share(context, share, share_server)
        engine.checkpoint('driver:share removed')


def _trace_copies():
    """Put a crash point between a copy and its rename, once a process."""
    original = local_files.copy_contents
    if getattr(original, 'traced', False):
        return

    def copy_contents(src, dst, use_cp=True):
        how = original(src, dst, use_cp=use_cp)
        if '.tmp-' in os.path.basename(dst):  # clone_tree's temporary
            engine.checkpoint('driver:copied, not renamed')
        return how

    copy_contents.traced = True
    local_files.copy_contents = copy_contents


class FaultyGroupDriver(TracedLocalDriver):
    """The traced driver, failing its group operations on demand."""

    def _faulty(self):
        return os.path.exists(os.path.join(self.root, FAULT_FLAG))

    def _copy_to_snapshot(self, snapshot, replace=False, **record):
        update = super()._copy_to_snapshot(snapshot, replace, **record)
        if record.get('share_group_snapshot_id') and self._faulty():
            raise exception.ShareBackendException(
                msg='injected fault after copying member %s' %
                    snapshot['id'])
        return update

    def create_share_from_snapshot(self, context, share, snapshot,
                                   share_server=None):
        locations = super().create_share_from_snapshot(
            context, share, snapshot, share_server)
        if self._faulty():
            raise exception.ShareBackendException(
                msg='injected fault after cloning share %s' % share['id'])
        return locations

    def delete_share_group_snapshot(self, context, snap_dict,
                                    share_server=None):
        if self._faulty():
            raise exception.ShareBackendException(
                msg='injected fault before deleting group snapshot %s' %
                    snap_dict['id'])
        return super().delete_share_group_snapshot(context, snap_dict,
                                                   share_server)


def _driver_path(cls):
    return '%s.%s' % (__name__, cls.__name__)


CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = b1,bf\n'
          '[b1]\nshare_driver = %s\n'
          '[bf]\nshare_driver = %s\n' % (_driver_path(TracedLocalDriver),
                                         _driver_path(FaultyGroupDriver)))
BACKENDS = ('b1', 'bf')

# Each group of the template: its backend, its member shares and the
# group snapshot taken of them (if any). The prefix names the operation.
GROUPS = {
    'gs': ('b1', 3, False),     # group snapshot create
    'gfs': ('b1', 2, True),     # group create from group snapshot
    'gsd': ('b1', 2, True),     # group snapshot delete
    'gd': ('b1', 0, False),     # group delete
    'gdf': ('b1', 2, True),     # group delete --force
    'f-gs': ('bf', 2, True),    # the two faulty creates share this one
    'f-gdf': ('bf', 2, True),   # group delete --force, faulty
}

_SHARES = ('SELECT s.*, i.id AS instance_id, i.backend, i.status, '
           'i.export_locations, i.source_share_group_snapshot_member_id '
           'AS source_member_id FROM shares s JOIN share_instances i '
           'ON i.share_id = s.id WHERE i.active')
_SNAPSHOTS = ('SELECT n.*, i.id AS instance_id, i.provider_location '
              'FROM share_snapshots n JOIN share_snapshot_instances i '
              'ON i.snapshot_id = n.id')


def read_records(root):
    """The local driver's state file under ``root`` (``{}`` if none)."""
    state = os.path.join(root, local_share.STATE_FILE)
    if not os.path.exists(state):
        return {}
    with open(state) as f:
        return json.load(f)


class _WithTemporaries(dict):
    """Looks ``<id>.tmp-<hex>`` (a clone_tree temporary) up as ``<id>``."""

    def get(self, key, default=None):
        if key in self:
            return self[key]
        base = key.split('.tmp-', 1)[0] if isinstance(key, str) else key
        return dict.get(self, base, default)


class TestShareGroupCrashes(harness.CrashHarnessTestCase):

    FAMILY = 'share-group'
    CONFIG = CONFIG
    # No RESUMER_OPS: killing the resumer too (every point after saved,
    # for group snapshot create: 6 rounds, all survived) costs ~30 s of
    # the run's budget; the driver's own points re-run it half-done.

    def root(self, backend='b1'):
        return os.path.join(self.state_path, 'shares', backend)

    def member_path(self, backend, member):
        return member.get('provider_location') or os.path.join(
            self.root(backend), '.snapshots', member['id'])

    # -- template -----------------------------------------------------------

    def new_group(self, ctx, name, backend):
        group = self.must_json('share', 'group', 'create', '--name', name,
                               '--share-group-type', 'gt1',
                               '--share-types', 't1', '--backend', backend)
        ctx['ids'][name] = group['id']
        ctx['shares_of'][name] = []
        return group

    def new_member(self, ctx, group, name):
        share = self.must_json('share', 'create', 'NFS', '1', '--share-type',
                               't1', '--share-group', group, '--name', name)
        expect(share['share_group_id'] == ctx['ids'][group],
               'share %s is not in group %s', name, group)
        path = share['export_locations'][0]['path'].split(':', 1)[1]
        ctx['ids'][name] = share['id']
        ctx['paths'][name] = path
        ctx['trees'][name] = harness.write_tree(path, name)
        ctx['shares_of'][group].append(name)

    def new_group_snapshot(self, ctx, group, name, backend):
        snap = self.must_json('share', 'group', 'snapshot', 'create', group,
                              '--name', name)
        ctx['ids'][name] = snap['id']
        members = harness.query(
            self.db, "SELECT * FROM share_group_snapshot_members WHERE "
            "share_group_snapshot_id = '%s'" % snap['id'])
        share_names = {ctx['ids'][n]: n for n in ctx['shares_of'][group]}
        expect(sorted(m['share_id'] for m in members) ==
               sorted(share_names), '%s: members %s', name, members)
        ctx['members'][name] = sorted(m['id'] for m in members)
        for member in members:
            share = share_names[member['share_id']]
            path = self.member_path(backend, member)
            ctx['paths'][member['id']] = path
            ctx['snaptrees'][member['id']] = harness.read_tree(path)
            expect(ctx['snaptrees'][member['id']] == ctx['trees'][share],
                   'member %s of %s is not a copy of %s', member['id'],
                   name, share)
        return snap

    def build_template(self):
        ctx = {'ids': {}, 'paths': {}, 'trees': {}, 'shares_of': {},
               'members': {}, 'snaptrees': {}}
        self.must('share', 'type', 'create', 't1', 'False')
        self.must('share', 'group', 'type', 'create', 'gt1', 't1')
        for prefix, (backend, count, snapshot) in sorted(GROUPS.items()):
            group = prefix + '-g'
            self.new_group(ctx, group, backend)
            for index in range(count):
                self.new_member(ctx, group, '%s-m%d' % (prefix, index))
            if snapshot:
                self.new_group_snapshot(ctx, group, prefix + '-gs', backend)
        # The member shares change after their group snapshot, so a group
        # made from it must hold the snapshot's bytes, not the share's.
        for share in ctx['shares_of']['gfs-g']:
            harness.write_tree(ctx['paths'][share], share + '-later')
            ctx['trees'][share] = harness.read_tree(ctx['paths'][share])
        open(os.path.join(self.root('bf'), FAULT_FLAG), 'w').close()
        return ctx

    # -- observation --------------------------------------------------------

    def share_path(self, row):
        locations = json.loads(row['export_locations'] or '[]')
        if locations:
            return locations[0]['path'].split(':', 1)[1]
        return os.path.join(self.root(row['backend']), row['instance_id'])

    def observe(self):
        world = {'groups': harness.query(self.db,
                                         'SELECT * FROM share_groups'),
                 'gsnaps': harness.query(
                     self.db, 'SELECT * FROM share_group_snapshots'),
                 'members': harness.query(
                     self.db, 'SELECT * FROM share_group_snapshot_members'),
                 'shares': harness.query(self.db, _SHARES),
                 'snapshots': harness.query(self.db, _SNAPSHOTS),
                 'dirs': {}, 'snapdirs': {}, 'records': {}}
        backend_of = {g['id']: g['backend'] for g in world['groups']}
        for share in world['shares']:
            share['path'] = self.share_path(share)
            share['tree'] = harness.read_tree(share['path'])
        group_of = {s['id']: s['share_group_id'] for s in world['gsnaps']}
        for member in world['members']:
            backend = backend_of.get(group_of.get(
                member['share_group_snapshot_id']), 'b1')
            member['path'] = self.member_path(backend, member)
            member['tree'] = harness.read_tree(member['path'])
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
            world['records'][backend] = read_records(root)
        return world

    # -- problems that concern the whole backend ----------------------------

    def family_problems(self, world, ctx):
        problems = []
        group_ids = {g['id'] for g in world['groups']}
        gsnaps = {s['id']: s for s in world['gsnaps']}
        share_ids = {s['id'] for s in world['shares']}
        for group in world['groups']:
            if group['status'] in constants.TRANSITIONAL_STATUSES:
                problems.append(({group['id'], group['display_name']},
                                 'group %s left %s' % (
                                     group['display_name'],
                                     group['status'])))
        for snap in world['gsnaps']:
            ids = {snap['id'], snap['display_name'], snap['share_group_id']}
            if snap['status'] in constants.TRANSITIONAL_STATUSES:
                problems.append((ids, 'group snapshot %s left %s' % (
                    snap['display_name'], snap['status'])))
            if snap['share_group_id'] not in group_ids:
                problems.append((ids, 'group snapshot %s of a group that '
                                 'is gone' % snap['display_name']))
        for member in world['members']:
            snap = gsnaps.get(member['share_group_snapshot_id'])
            ids = {member['id'], member['share_id'],
                   member['share_group_snapshot_id']}
            label = 'member %s' % member['id']
            if snap is None:
                problems.append((ids, label + ' of a group snapshot that '
                                 'is gone'))
            elif member['status'] != snap['status']:
                problems.append((ids, '%s is %s, its group snapshot %s' % (
                    label, member['status'], snap['status'])))
            if member['share_id'] not in share_ids:
                problems.append((ids, label + ' of a share that is gone'))
            if member['status'] in constants.TRANSITIONAL_STATUSES:
                problems.append((ids, '%s left %s' % (label,
                                                      member['status'])))
            if member['status'] == 'available' and member['tree'] is None:
                problems.append((ids, label + ' available, no copy at ' +
                                 member['path']))
        for share in world['shares']:
            ids = {share['id'], share['display_name'],
                   share['share_group_id']}
            if share['status'] in share_constants.TRANSITIONAL_STATUSES:
                problems.append((ids, 'share %s left %s' % (
                    share['display_name'] or share['id'], share['status'])))
            if share['status'] == 'available' and share['tree'] is None:
                problems.append((ids, 'share %s available, no directory '
                                 '%s' % (share['display_name'] or share['id'],
                                         share['path'])))
            if (share['share_group_id'] and
                    share['share_group_id'] not in group_ids):
                problems.append((ids, 'share %s in a group that is gone' % (
                    share['display_name'] or share['id'])))
        problems.extend(self.backend_problems(world))
        related = self.related_ids(world)
        return [(set().union(*(related.get(i, {i}) for i in ids)), message)
                for ids, message in problems]

    @staticmethod
    def related_ids(world):
        """``{id: ids and names of it and what it belongs to}``.

        For attributing a problem to the operation that owns the group,
        the group snapshot or the share behind it (an orphan directory is
        named after a share instance or a member, maybe with clone_tree's
        ``.tmp-*`` suffix).
        """
        related = {}
        for group in world['groups']:
            related[group['id']] = {group['id'], group['display_name']}
        for snap in world['gsnaps']:
            related[snap['id']] = {snap['id'], snap['display_name']} | (
                related.get(snap['share_group_id'], set()))
        for member in world['members']:
            related[member['id']] = {member['id']} | related.get(
                member['share_group_snapshot_id'], set())
        for share in world['shares']:
            ids = {share['id'], share['instance_id'],
                   share['display_name']} | related.get(
                share['share_group_id'], set())
            related[share['id']] = related[share['instance_id']] = ids
        for key in list(related):
            related[key].discard(None)
        return _WithTemporaries(related)

    def backend_problems(self, world):
        """Directories and records the database does not account for.

        A member in ``error`` accounts for nothing: its copy should have
        been removed with the failure.
        """
        problems = []
        kept = [m for m in world['members'] if m['status'] != 'error']
        known_dirs = {s['path'] for s in world['shares']}
        known_copies = ({m['path'] for m in kept} |
                        {s['provider_location'] for s in world['snapshots']})
        known_records = {
            'shares': {s['instance_id'] for s in world['shares']},
            'snapshots': ({m['id'] for m in kept} |
                          {s['instance_id'] for s in world['snapshots']}),
            'share_groups': {g['id'] for g in world['groups']}}
        errored = {m['id'] for m in world['members']} - known_records[
            'snapshots']
        for backend in BACKENDS:
            for path in world['dirs'][backend]:
                if path not in known_dirs:
                    problems.append(({os.path.basename(path)},
                                     'orphan share directory %s' % path))
            for path in world['snapdirs'][backend]:
                name = os.path.basename(path)
                if path not in known_copies:
                    problems.append(({name}, 'orphan %s %s' % (
                        'copy of member in error' if name in errored
                        else 'snapshot directory', path)))
            records = world['records'][backend]
            for kind, known in sorted(known_records.items()):
                for record_id in records.get(kind, {}):
                    if record_id not in known:
                        problems.append(({record_id}, 'backend %s keeps a '
                                         '%s record of %s, which the '
                                         'database does not account for'
                                         % (backend, kind, record_id)))
        return problems

    # -- lookups ------------------------------------------------------------

    def group(self, world, name):
        return one(world['groups'], 'group', display_name=name)

    def gsnap(self, world, name):
        return one(world['gsnaps'], 'group snapshot', display_name=name)

    @staticmethod
    def members(world, gsnap_id):
        return [m for m in world['members']
                if m['share_group_snapshot_id'] == gsnap_id]

    @staticmethod
    def shares_in(world, group_id):
        return [s for s in world['shares'] if s['share_group_id'] == group_id]

    def share(self, world, ctx, name):
        return one(world['shares'], 'share', id=ctx['ids'][name])

    # -- the template's resources, unchanged --------------------------------

    def intact_share(self, world, ctx, name, statuses=('available',)):
        row = self.share(world, ctx, name)
        expect(row is not None, 'share %s is gone', name)
        expect(row['status'] in statuses, 'share %s is %s', name,
               row['status'])
        expect(row['tree'] == ctx['trees'][name],
               'share %s: bytes differ from before the operation', name)
        return row

    def intact_group(self, world, ctx, name, statuses=('available',)):
        row = self.group(world, name)
        expect(row is not None, 'group %s is gone', name)
        expect(row['status'] in statuses, 'group %s is %s', name,
               row['status'])
        expect(sorted(s['id'] for s in self.shares_in(world, row['id'])) ==
               sorted(ctx['ids'][s] for s in ctx['shares_of'][name]),
               'group %s: its shares changed', name)
        for share in ctx['shares_of'][name]:
            self.intact_share(world, ctx, share)
        return row

    def intact_gsnap(self, world, ctx, name, statuses=('available',)):
        row = self.gsnap(world, name)
        expect(row is not None, 'group snapshot %s is gone', name)
        expect(row['status'] in statuses, 'group snapshot %s is %s', name,
               row['status'])
        members = self.members(world, row['id'])
        expect(sorted(m['id'] for m in members) == ctx['members'][name],
               'group snapshot %s: its members changed', name)
        for member in members:
            expect(member['status'] == row['status'],
                   'member %s is %s, its group snapshot %s', member['id'],
                   member['status'], row['status'])
            expect(member['tree'] == ctx['snaptrees'][member['id']],
                   'member %s of %s: bytes differ or copy gone',
                   member['id'], name)
        return row

    def gone_gsnap(self, world, ctx, name):
        expect(self.gsnap(world, name) is None, '%s is still there', name)
        for member_id in ctx['members'][name]:
            expect(one(world['members'], 'member', id=member_id) is None,
                   'member %s of %s is still there', member_id, name)
            expect(not os.path.exists(ctx['paths'][member_id]),
                   'member %s of %s: row gone, copy kept', member_id, name)

    # -- the operations -----------------------------------------------------

    def check_group_create(self, world, ctx, name, backend):
        row = self.group(world, name)
        outcome = harness.created_outcome(row, name)
        if outcome == AFTER:
            expect(row['id'] in world['records'][backend].get(
                'share_groups', {}),
                'group %s available, not recorded by backend %s', name,
                backend)
        return outcome

    def check_gsnap_create(self, world, ctx, prefix, name):
        group = self.intact_group(world, ctx, prefix + '-g')
        if prefix + '-gs' in ctx['members']:
            self.intact_gsnap(world, ctx, prefix + '-gs')
        snap = self.gsnap(world, name)
        outcome = harness.created_outcome(snap, name)
        if outcome == BEFORE:
            return outcome
        members = self.members(world, snap['id'])
        by_share = {m['share_id']: m for m in members}
        expect(len(by_share) == len(members) and
               sorted(by_share) == sorted(
                   s['id'] for s in self.shares_in(world, group['id'])),
               '%s: members %s do not match the group\'s shares', name,
               sorted(by_share))
        for share in ctx['shares_of'][prefix + '-g']:
            member = by_share[ctx['ids'][share]]
            if outcome == AFTER:
                expect(member['status'] == 'available' and
                       member['tree'] == ctx['trees'][share],
                       '%s: member of %s is %s, its copy %s', name, share,
                       member['status'], 'differs' if member['tree']
                       else 'missing')
            else:
                expect(member['status'] == 'error' and
                       member['tree'] is None,
                       '%s in error: member of %s is %s, copy %s', name,
                       share, member['status'], 'kept' if member['tree']
                       is not None else 'gone')
        return outcome

    def check_group_from_gsnap(self, world, ctx, prefix, name):
        self.intact_group(world, ctx, prefix + '-g')
        source = self.intact_gsnap(world, ctx, prefix + '-gs')
        members = ctx['members'][prefix + '-gs']
        row = self.group(world, name)
        made = [s for s in world['shares']
                if s['source_member_id'] in members]
        if row is None:
            expect(not made, '%s never made, yet shares %s were', name,
                   [s['id'] for s in made])
            return BEFORE
        expect(row['source_share_group_snapshot_id'] == source['id'],
               '%s: made from %s', name, row['source_share_group_snapshot_id'])
        shares = self.shares_in(world, row['id'])
        expect(sorted(s['source_member_id'] for s in shares) == members,
               '%s: its shares come from members %s, not %s', name,
               sorted(s['source_member_id'] for s in shares), members)
        expect(sorted(s['id'] for s in made) ==
               sorted(s['id'] for s in shares),
               '%s: shares made from its members outside it', name)
        if row['status'] == 'available':
            for share in shares:
                expect(share['status'] == 'available' and share['tree'] ==
                       ctx['snaptrees'][share['source_member_id']],
                       '%s: share %s is %s, %s', name, share['id'],
                       share['status'], 'its bytes differ from its member'
                       if share['tree'] is not None else 'no directory')
            return AFTER
        expect(row['status'] == 'error', '%s is %s', name, row['status'])
        outcome = ERROR
        for share in shares:
            if share['status'] == 'available':
                # A directory left by the failure, which the manager's
                # start-up ensure_shares then found: it must be whole.
                expect(share['tree'] == ctx['snaptrees'][
                    share['source_member_id']],
                    '%s: share %s ensured available with partial bytes',
                    name, share['id'])
                outcome = ENSURED
                continue
            expect(share['status'] == 'error' and share['tree'] is None,
                   '%s in error: share %s is %s, directory %s', name,
                   share['id'], share['status'], 'kept' if share['tree']
                   is not None else 'gone')
        return outcome

    def check_gsnap_delete(self, world, ctx, prefix):
        self.intact_group(world, ctx, prefix + '-g')
        name = prefix + '-gs'
        snap = self.gsnap(world, name)
        if snap is None:
            self.gone_gsnap(world, ctx, name)
            return AFTER
        self.intact_gsnap(world, ctx, name,
                          statuses=('available', 'error_deleting'))
        return BEFORE if snap['status'] == 'available' else ERROR

    def check_group_delete(self, world, ctx, name):
        row = self.group(world, name)
        if row is None:
            return AFTER
        self.intact_group(world, ctx, name,
                          statuses=('available', 'error_deleting'))
        return BEFORE if row['status'] == 'available' else ERROR

    def check_group_force_delete(self, world, ctx, prefix):
        name, gs = prefix + '-g', prefix + '-gs'
        row = self.group(world, name)
        shares = ctx['shares_of'][name]
        if row is not None and row['status'] == 'available':
            self.intact_group(world, ctx, name)
            self.intact_gsnap(world, ctx, gs)
            return BEFORE
        if row is not None:
            expect(row['status'] == 'error_deleting', '%s is %s', name,
                   row['status'])
        snap = self.gsnap(world, gs)
        if snap is None:
            self.gone_gsnap(world, ctx, gs)
        else:
            expect(row is not None, '%s gone, its group snapshot kept', name)
            self.intact_gsnap(world, ctx, gs, statuses=('error_deleting',))
        for share in shares:
            kept = self.share(world, ctx, share)
            if kept is None:
                expect(snap is None, 'share %s gone, its group snapshot '
                       'kept', share)
                expect(not os.path.exists(ctx['paths'][share]),
                       'share %s: row gone, directory kept', share)
            else:
                expect(row is not None, '%s gone, its share %s kept', name,
                       share)
                self.intact_share(world, ctx, share,
                                  statuses=('error_deleting',))
        return AFTER if row is None else ERROR

    def ops(self):
        def ids(*names):
            def owned(ctx):
                found = set(names)
                for name in names:
                    found.add(ctx['ids'].get(name, name))
                    found.update(ctx['members'].get(name, ()))
                    for share in ctx['shares_of'].get(name, ()):
                        found.update([share, ctx['ids'][share]])
                return found
            return owned

        def group_create(name, backend):
            return ['share', 'group', 'create', '--name', name,
                    '--share-group-type', 'gt1', '--share-types', 't1',
                    '--backend', backend]

        return [
            Op('group create', lambda ctx: group_create('gc-new', 'b1'),
               lambda w, c: self.check_group_create(w, c, 'gc-new', 'b1'),
               ids('gc-new'), creates=True),
            Op('group snapshot create',
               lambda ctx: ['share', 'group', 'snapshot', 'create', 'gs-g',
                            '--name', 'gs-new'],
               lambda w, c: self.check_gsnap_create(w, c, 'gs', 'gs-new'),
               ids('gs-g', 'gs-new'), creates=True),
            Op('group create from group snapshot',
               lambda ctx: ['share', 'group', 'create', '--name', 'gfs-new',
                            '--source-share-group-snapshot', 'gfs-gs'],
               lambda w, c: self.check_group_from_gsnap(w, c, 'gfs',
                                                        'gfs-new'),
               ids('gfs-g', 'gfs-gs', 'gfs-new'), creates=True),
            Op('group snapshot delete',
               lambda ctx: ['share', 'group', 'snapshot', 'delete',
                            'gsd-gs'],
               lambda w, c: self.check_gsnap_delete(w, c, 'gsd'),
               ids('gsd-g', 'gsd-gs')),
            Op('group delete',
               lambda ctx: ['share', 'group', 'delete', 'gd-g'],
               lambda w, c: self.check_group_delete(w, c, 'gd-g'),
               ids('gd-g')),
            Op('group delete --force',
               lambda ctx: ['share', 'group', 'delete', 'gdf-g', '--force'],
               lambda w, c: self.check_group_force_delete(w, c, 'gdf'),
               ids('gdf-g', 'gdf-gs')),
            Op('group snapshot create (fault)',
               lambda ctx: ['share', 'group', 'snapshot', 'create',
                            'f-gs-g', '--name', 'f-gs-new'],
               lambda w, c: self.check_gsnap_create(w, c, 'f-gs',
                                                    'f-gs-new'),
               ids('f-gs-g', 'f-gs-new'), fails=True, creates=True),
            Op('group create from group snapshot (fault)',
               lambda ctx: ['share', 'group', 'create', '--name',
                            'f-gfs-new', '--source-share-group-snapshot',
                            'f-gs-gs'],
               lambda w, c: self.check_group_from_gsnap(w, c, 'f-gs',
                                                        'f-gfs-new'),
               ids('f-gs-g', 'f-gs-gs', 'f-gfs-new'), fails=True,
               creates=True),
            Op('group delete --force (fault)',
               lambda ctx: ['share', 'group', 'delete', 'f-gdf-g',
                            '--force'],
               lambda w, c: self.check_group_force_delete(w, c, 'f-gdf'),
               ids('f-gdf-g', 'f-gdf-gs'), fails=True),
        ]

    def test_kill_at_every_point(self):
        self.run_harness()
