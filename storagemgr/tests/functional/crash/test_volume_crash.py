"""Crash harness for every volume and consistency group flow (``local``).

Documented outcomes (Cinder's statuses, storagemgr/volume/constants.py,
doc/source/admin/consistency-group-rules.rst), per operation, besides
"nothing happened" (``before``):

======================  ================================  =================
operation               completed (``after``)             error (``error``)
======================  ================================  =================
volume create           ``available``, a sparse file      ``error``
volume delete           row and file gone                 ``error_deleting``
                                                          bytes intact
volume extend           ``available``, file at new size   ``error_extending``
snapshot create         ``available``, the volume's bytes ``error``
snapshot delete         row and file gone                 ``error_deleting``
group create            ``available``                     ``error``
group from group snap.  ``available``, members hold the   ``error``
                        snapshot's bytes
group add / remove      the volume in / out of the group  group ``error``
group snapshot create   ``available``, members hold the   ``error``
                        volumes' bytes
group snapshot delete   rows and files gone               ``error`` /
                                                          ``error_deleting``
group delete --force    group, volumes, files gone        ``error`` /
                                                          ``error_deleting``
volume create, failing  (never)                           ``error``
driver
======================  ================================  =================

Every byte written before the operation (4 KiB at 1 MiB into each
volume) is still there, in the volume or in its snapshot.
"""

import os

from storagemgr.tests.functional.crash import harness
from storagemgr.tests.functional.crash.harness import AFTER
from storagemgr.tests.functional.crash.harness import BEFORE
from storagemgr.tests.functional.crash.harness import ERROR
from storagemgr.tests.functional.crash.harness import expect
from storagemgr.tests.functional.crash.harness import one
from storagemgr.tests.functional.crash.harness import Op
from storagemgr.volume import constants

FAULTY = ('storagemgr.tests.functional.crash.faulty.'
          'FaultyLocalVolumeDriver')
CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = v1,vf\n'
          '[v1]\nvolume_driver = local\n'
          '[vf]\nvolume_driver = %s\n' % FAULTY)
BACKENDS = ('v1', 'vf')
GiB = 1024 ** 3
OFFSET = 1024 * 1024
LENGTH = 4096
TRANSITIONAL = constants.TRANSITIONAL_STATUSES | {'creating', 'deleting'}


class TestVolumeCrashes(harness.CrashHarnessTestCase):

    FAMILY = 'volume'
    CONFIG = CONFIG
    RESUMER_OPS = ('volume create', 'volume create (fault)')

    def root(self, backend='v1'):
        return os.path.join(self.state_path, 'volumes', backend)

    # -- template -----------------------------------------------------------

    def new_volume(self, ctx, name, group=None):
        args = ['volume', 'create', '--size', '1', name]
        args += ['--consistency-group', group] if group else [
            '--backend', 'v1']
        volume = self.must_json(*args)
        ctx['ids'][name] = volume['id']
        self.fill(ctx, name, volume['provider_location'])

    def fill(self, ctx, name, path):
        data = os.urandom(LENGTH)
        harness.write_at(path, OFFSET, data)
        ctx['data'][name] = data
        ctx['paths'][name] = path

    def new_group(self, ctx, name, *members):
        group = self.must_json('consistency', 'group', 'create',
                               '--backend', 'v1', name)
        ctx['ids'][name] = group['id']
        for member in members:
            self.new_volume(ctx, member, group=name)

    def new_group_snapshot(self, ctx, name, group):
        snap = self.must_json('consistency', 'group', 'snapshot', 'create',
                              '--consistency-group', group, name)
        ctx['ids'][name] = snap['id']

    def build_template(self):
        ctx = {'ids': {}, 'paths': {}, 'data': {}}
        for name in ('vdel', 'vext', 'vsc', 'vsd', 'va'):
            self.new_volume(ctx, name)
        snap = self.must_json('volume', 'snapshot', 'create', '--volume',
                              'vsd', 'vsd-snap')
        ctx['ids']['vsd-snap'] = snap['id']
        self.new_group(ctx, 'cgs-src', 'gs0', 'gs1')
        self.new_group(ctx, 'cga')
        self.new_group(ctx, 'cgr', 'vr')
        self.new_group(ctx, 'cgc', 'gc0', 'gc1')
        self.new_group(ctx, 'cgd', 'gd0')
        self.new_group(ctx, 'cgx', 'gx0', 'gx1')
        self.new_group_snapshot(ctx, 'cgs-src-snap', 'cgs-src')
        self.new_group_snapshot(ctx, 'cgd-snap', 'cgd')
        # After the group snapshot its sources hold other bytes.
        for name in ('gs0', 'gs1'):
            ctx['data'][name + '@snap'] = ctx['data'][name]
            self.fill(ctx, name, ctx['paths'][name])
        return ctx

    # -- observation --------------------------------------------------------

    def observe(self):
        world = {
            'volumes': harness.query(self.db, 'SELECT * FROM volumes'),
            'snapshots': harness.query(self.db,
                                       'SELECT * FROM volume_snapshots'),
            'groups': harness.query(self.db,
                                    'SELECT * FROM consistencygroups'),
            'group_snapshots': harness.query(self.db,
                                             'SELECT * FROM cgsnapshots'),
            'messages': harness.query(self.db, 'SELECT * FROM messages'),
            'files': {}, 'snapfiles': {}}
        backends = {}
        for volume in world['volumes']:
            volume['path'] = volume['provider_location'] or os.path.join(
                self.root(volume['backend']), volume['id'])
            volume['data'] = harness.read_at(volume['path'], OFFSET, LENGTH)
            volume['bytes'] = (os.path.getsize(volume['path'])
                               if os.path.isfile(volume['path']) else None)
            backends[volume['id']] = volume['backend']
        for snap in world['snapshots']:
            snap['path'] = snap['provider_location'] or os.path.join(
                self.root(backends.get(snap['volume_id'], 'v1')),
                'snapshots', snap['id'])
            snap['data'] = harness.read_at(snap['path'], OFFSET, LENGTH)
        for backend in BACKENDS:
            root = self.root(backend)
            snaps = os.path.join(root, 'snapshots')
            world['files'][backend] = sorted(
                os.path.join(root, n) for n in
                (os.listdir(root) if os.path.isdir(root) else [])
                if n != 'snapshots')
            world['snapfiles'][backend] = sorted(
                os.path.join(snaps, n) for n in
                (os.listdir(snaps) if os.path.isdir(snaps) else []))
        return world

    # -- problems that concern the whole backend ----------------------------

    def family_problems(self, world, ctx):
        problems = []
        volume_ids = {v['id'] for v in world['volumes']}
        group_ids = {g['id'] for g in world['groups']}
        group_snap_ids = {g['id'] for g in world['group_snapshots']}
        for kind in ('volumes', 'snapshots', 'groups', 'group_snapshots'):
            for row in world[kind]:
                if row['status'] in TRANSITIONAL:
                    problems.append(({row['id'], row['name']}, '%s %s left '
                                     '%s' % (kind, row['name'],
                                             row['status'])))
        for volume in world['volumes']:
            ids = {volume['id'], volume['name']}
            if volume['status'] == 'available' and (
                    volume['bytes'] != volume['size'] * GiB):
                problems.append((ids, 'volume %s available, file %s has '
                                 '%s bytes' % (volume['name'],
                                               volume['path'],
                                               volume['bytes'])))
            group = volume['consistencygroup_id']
            if group and group not in group_ids:
                problems.append((ids | {group}, 'volume %s in group %s, '
                                 'which is gone' % (volume['name'], group)))
        for snap in world['snapshots']:
            ids = {snap['id'], snap['name'], snap['volume_id'],
                   snap['cgsnapshot_id']}
            if snap['status'] == 'available' and snap['data'] is None:
                problems.append((ids, 'snapshot %s available, no file' %
                                 snap['name']))
            if snap['volume_id'] not in volume_ids:
                problems.append((ids, 'snapshot %s of a volume that is '
                                 'gone' % snap['name']))
            if snap['cgsnapshot_id'] and (
                    snap['cgsnapshot_id'] not in group_snap_ids):
                problems.append((ids, 'snapshot %s of a group snapshot '
                                 'that is gone' % snap['name']))
        for snap in world['group_snapshots']:
            if snap['consistencygroup_id'] not in group_ids:
                problems.append(({snap['id'], snap['name']}, 'group '
                                 'snapshot %s of a group that is gone' %
                                 snap['name']))
        known = {v['path'] for v in world['volumes']}
        known_snaps = {s['path'] for s in world['snapshots']}
        for backend in BACKENDS:
            for path in world['files'][backend]:
                if path not in known:
                    problems.append((self.owner_ids(world, path),
                                     'orphan volume file %s' % path))
            for path in world['snapfiles'][backend]:
                if path not in known_snaps:
                    problems.append((self.owner_ids(world, path),
                                     'orphan snapshot file %s' % path))
        return problems

    @staticmethod
    def owner_ids(world, path):
        name = os.path.basename(path)
        if name.endswith('.part'):
            name = name[:-len('.part')]
        ids = {name}
        for volume in world['volumes']:
            if volume['id'] == name:
                ids.add(volume['name'])
        return ids

    # -- the operations -----------------------------------------------------

    def volume(self, world, name, **match):
        return one(world['volumes'], 'volume', name=name, **match)

    def snapshot(self, world, name):
        return one(world['snapshots'], 'snapshot', name=name)

    def group(self, world, name):
        return one(world['groups'], 'group', name=name)

    def group_snapshot(self, world, name):
        return one(world['group_snapshots'], 'group snapshot', name=name)

    def template_volume(self, world, ctx, name):
        # By id: a group made from a group snapshot names its volumes
        # after the sources.
        return one(world['volumes'], 'volume', id=ctx['ids'][name])

    def intact(self, world, ctx, name, statuses=('available',)):
        row = self.template_volume(world, ctx, name)
        expect(row is not None, '%s is gone', name)
        expect(row['status'] in statuses, '%s is %s', name, row['status'])
        expect(row['data'] == ctx['data'][name],
               '%s: bytes differ from before the operation', name)
        return row

    def check_create(self, world, ctx):
        row = self.volume(world, 'vc-new')
        if row is None:
            return BEFORE
        if row['status'] == 'error':
            return ERROR
        expect(row['status'] == 'available', 'vc-new is %s', row['status'])
        expect(row['data'] == bytes(LENGTH), 'vc-new: not zeros')
        return AFTER

    def check_create_failing(self, world, ctx):
        row = self.volume(world, 'vf-new')
        if row is None:
            return BEFORE
        expect(any(m['resource_id'] == row['id']
                   for m in world['messages']),
               'vf-new is %s and no user message says why', row['status'])
        expect(row['status'] == 'error', 'vf-new is %s', row['status'])
        return ERROR

    def check_delete(self, world, ctx):
        row = self.template_volume(world, ctx, 'vdel')
        if row is None:
            expect(not os.path.exists(ctx['paths']['vdel']),
                   'vdel: row gone, file kept')
            return AFTER
        self.intact(world, ctx, 'vdel',
                    statuses=('available', 'error_deleting'))
        return BEFORE if row['status'] == 'available' else ERROR

    def check_extend(self, world, ctx):
        row = self.intact(world, ctx, 'vext',
                          statuses=('available', 'error_extending'))
        if row['status'] == 'error_extending':
            return ERROR
        expect(row['size'] in (1, 2), 'vext: size %s', row['size'])
        return AFTER if row['size'] == 2 else BEFORE

    def check_snapshot_create(self, world, ctx):
        self.intact(world, ctx, 'vsc')
        snap = self.snapshot(world, 'vsc-snap')
        outcome = harness.created_outcome(snap, 'vsc-snap')
        if outcome == AFTER:
            expect(snap['data'] == ctx['data']['vsc'],
                   'vsc-snap: bytes differ from the volume')
        return outcome

    def check_snapshot_delete(self, world, ctx):
        self.intact(world, ctx, 'vsd')
        snap = self.snapshot(world, 'vsd-snap')
        if snap is None:
            return AFTER
        expect(snap['status'] in ('available', 'error_deleting'),
               'vsd-snap is %s', snap['status'])
        expect(snap['data'] == ctx['data']['vsd'],
               'vsd-snap: bytes differ from the volume at snapshot time')
        return BEFORE if snap['status'] == 'available' else ERROR

    def check_group_create(self, world, ctx):
        return harness.created_outcome(self.group(world, 'cg-new'),
                                       'cg-new')

    def members(self, world, group):
        return {v['name']: v for v in world['volumes']
                if v['consistencygroup_id'] == group['id']}

    def check_group_from_snapshot(self, world, ctx):
        for name in ('gs0', 'gs1'):
            self.intact(world, ctx, name)
        source = self.group_snapshot(world, 'cgs-src-snap')
        expect(source is not None and source['status'] == 'available',
               'cgs-src-snap is %s', source and source['status'])
        for snap in world['snapshots']:
            if snap['cgsnapshot_id'] == source['id']:
                volume = one(world['volumes'], 'volume',
                             id=snap['volume_id'])
                expect(snap['data'] == ctx['data'][volume['name'] + '@snap'],
                       'cgs-src-snap: member of %s changed', volume['name'])
        group = self.group(world, 'cg-copy')
        if group is None:
            return BEFORE
        members = self.members(world, group)
        if group['status'] == 'error':
            return ERROR
        expect(group['status'] == 'available', 'cg-copy is %s',
               group['status'])
        expect(sorted(members) == ['gs0', 'gs1'], 'cg-copy members: %s',
               sorted(members))
        for name, volume in members.items():
            expect(volume['status'] == 'available', 'cg-copy %s is %s',
                   name, volume['status'])
            expect(volume['data'] == ctx['data'][name + '@snap'],
                   'cg-copy %s: not the snapshot bytes', name)
        return AFTER

    def check_membership(self, world, ctx, group_name, volume_name, added):
        group = self.group(world, group_name)
        expect(group is not None, '%s is gone', group_name)
        volume = self.intact(world, ctx, volume_name)
        if group['status'] == 'error':
            return ERROR
        expect(group['status'] == 'available', '%s is %s', group_name,
               group['status'])
        expect(volume['consistencygroup_id'] in (None, group['id']),
               '%s in group %s', volume_name, volume['consistencygroup_id'])
        inside = volume['consistencygroup_id'] == group['id']
        return AFTER if inside == added else BEFORE

    def check_group_snapshot_create(self, world, ctx):
        for name in ('gc0', 'gc1'):
            self.intact(world, ctx, name)
        snap = self.group_snapshot(world, 'cgc-snap')
        outcome = harness.created_outcome(snap, 'cgc-snap')
        if outcome != AFTER:
            return outcome
        members = [s for s in world['snapshots']
                   if s['cgsnapshot_id'] == snap['id']]
        expect(len(members) == 2, 'cgc-snap has %d members', len(members))
        for member in members:
            volume = one(world['volumes'], 'volume', id=member['volume_id'])
            expect(member['status'] == 'available', 'member of %s is %s',
                   volume['name'], member['status'])
            expect(member['data'] == ctx['data'][volume['name']],
                   'cgc-snap: member of %s differs', volume['name'])
        return AFTER

    def check_group_snapshot_delete(self, world, ctx):
        self.intact(world, ctx, 'gd0')
        snap = self.group_snapshot(world, 'cgd-snap')
        if snap is None:
            return AFTER
        expect(snap['status'] in ('available', 'error', 'error_deleting'),
               'cgd-snap is %s', snap['status'])
        for member in world['snapshots']:
            if member['cgsnapshot_id'] == snap['id']:
                expect(member['data'] == ctx['data']['gd0'],
                       'cgd-snap: member bytes differ')
        return BEFORE if snap['status'] == 'available' else ERROR

    def check_group_delete(self, world, ctx):
        group = self.group(world, 'cgx')
        for name in ('gx0', 'gx1'):
            volume = self.template_volume(world, ctx, name)
            if volume is None:
                expect(not os.path.exists(ctx['paths'][name]),
                       '%s: row gone, file kept', name)
            else:
                self.intact(world, ctx, name, statuses=(
                    'available', 'error', 'error_deleting'))
        if group is None:
            expect(self.template_volume(world, ctx, 'gx0') is None and
                   self.template_volume(world, ctx, 'gx1') is None,
                   'cgx gone, members kept')
            return AFTER
        expect(group['status'] in ('available', 'error', 'error_deleting'),
               'cgx is %s', group['status'])
        if group['status'] == 'available':
            expect(sorted(self.members(world, group)) == ['gx0', 'gx1'],
                   'cgx available with members %s',
                   sorted(self.members(world, group)))
            return BEFORE
        return ERROR

    def ops(self):
        def ids(*names):
            return lambda ctx: {ctx['ids'].get(n, n)
                                for n in names} | set(names)

        return [
            Op('volume create',
               lambda ctx: ['volume', 'create', '--size', '1', '--backend',
                            'v1', 'vc-new'],
               self.check_create, ids('vc-new'), creates=True),
            Op('volume delete', lambda ctx: ['volume', 'delete', 'vdel'],
               self.check_delete, ids('vdel')),
            Op('volume extend',
               lambda ctx: ['volume', 'set', '--size', '2', 'vext'],
               self.check_extend, ids('vext')),
            Op('volume snapshot create',
               lambda ctx: ['volume', 'snapshot', 'create', '--volume',
                            'vsc', 'vsc-snap'],
               self.check_snapshot_create, ids('vsc', 'vsc-snap'),
               creates=True),
            Op('volume snapshot delete',
               lambda ctx: ['volume', 'snapshot', 'delete', 'vsd-snap'],
               self.check_snapshot_delete, ids('vsd', 'vsd-snap')),
            Op('group create',
               lambda ctx: ['consistency', 'group', 'create', '--backend',
                            'v1', 'cg-new'],
               self.check_group_create, ids('cg-new'), creates=True),
            Op('group from group snap',
               lambda ctx: ['consistency', 'group', 'create',
                            '--consistency-group-snapshot', 'cgs-src-snap',
                            'cg-copy'],
               self.check_group_from_snapshot,
               ids('cg-copy', 'cgs-src', 'cgs-src-snap'), creates=True),
            Op('group add volume',
               lambda ctx: ['consistency', 'group', 'add', 'volume', 'cga',
                            'va'],
               lambda w, c: self.check_membership(w, c, 'cga', 'va', True),
               ids('cga', 'va')),
            Op('group remove volume',
               lambda ctx: ['consistency', 'group', 'remove', 'volume',
                            'cgr', 'vr'],
               lambda w, c: self.check_membership(w, c, 'cgr', 'vr', False),
               ids('cgr', 'vr')),
            Op('group snapshot create',
               lambda ctx: ['consistency', 'group', 'snapshot', 'create',
                            '--consistency-group', 'cgc', 'cgc-snap'],
               self.check_group_snapshot_create,
               ids('cgc', 'cgc-snap', 'gc0', 'gc1'), creates=True),
            Op('group snapshot delete',
               lambda ctx: ['consistency', 'group', 'snapshot', 'delete',
                            'cgd-snap'],
               self.check_group_snapshot_delete,
               ids('cgd', 'cgd-snap', 'gd0')),
            Op('group delete --force',
               lambda ctx: ['consistency', 'group', 'delete', '--force',
                            'cgx'],
               self.check_group_delete, ids('cgx', 'gx0', 'gx1')),
            Op('volume create (fault)',
               lambda ctx: ['volume', 'create', '--size', '1', '--backend',
                            'vf', 'vf-new'],
               self.check_create_failing, ids('vf-new'), fails=True,
               creates=True),
        ]

    def test_kill_at_every_point(self):
        self.run_harness()
