"""Time group snapshots of 100 and 1,000 members against one member alone.

For both group families, in one run, on the real service layer (persisted
flows, SQLite) in a throw-away state directory::

    python benchmarks/group_snapshot.py [--family share|volume|both]
        [--members 100,1000] [--delay 0.05] [--repeat N]
        [--pool-size N] [--member-workers N] [--setup api|bulk]
        [--breakdown] [--profile]

* ``volume``: consistency groups on the fake volume driver
  (``fake_member_delay``), snapshotted by the generic per-volume code;
* ``share``: share groups on the fake share driver
  (``fake_delays = create_snapshot:<delay>``), snapshotted by the
  driver's fallback, one ``create_snapshot`` per member.

Both fallbacks run their members on one pool (``storagemgr.fanout``):
``--pool-size`` sets ``[DEFAULT] member_worker_pool_size`` and
``--member-workers`` the backends' ``group_member_workers``; left out,
their defaults hold (the figure to report).

For each family and member count it prints the latency of one member's
snapshot (a single volume or share snapshot with the same delay), of the
group snapshot, and their ratio, with PASS or FAIL against the target
(at most 3x up to 100 members, 10x up to 1,000; the reference's
sequential fallback is about ``members``x). Each latency is the fastest
of ``--repeat`` runs (the others measured the machine's other work);
every snapshot is deleted again, untimed, before the next run so that
each run starts from the same database.

Setting up the members is timed and printed too. Volumes are always
created through the service layer. Share group members are, by default
(``--setup bulk``), inserted in one statement for the shares and one for
their instances through the DB layer, and created on the fake driver
directly (the fake keeps shares in memory): through the service layer
(``--setup api``) every share is a flow of its own, 70 to 110 ms each
here, so 1,000 of them took one to two minutes, many times the group
snapshots they are made for. Only the group snapshot is measured either
way.

``--breakdown`` times the phases of one more group snapshot of the
largest group (claim, driver view, member calls, outcome, its write,
flow persistence) by wall clock; ``--profile`` runs one more under
cProfile (which sees only the calling thread, not the member calls).
"""

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time

TARGETS = ((100, 3.0), (1000, 10.0))
VOLUME_BACKEND = 'vbench'
SHARE_BACKEND = 'sbench'


def target_for(members):
    """The highest ratio allowed for a group of ``members``."""
    for limit, ratio in TARGETS:
        if members <= limit:
            return ratio
    return TARGETS[-1][1]


def _timed(func, *args):
    started = time.monotonic()
    result = func(*args)
    return time.monotonic() - started, result


class VolumeFamily(object):
    """Consistency groups on the fake volume driver."""

    name = 'volume'
    can_bulk_insert = False
    phases = (
        ('driver views', 'storagemgr.volume.flows.group_snapshot', '_load'),
        ('apply outcome', 'storagemgr.volume.group_updates',
         'apply_create_group_snapshot_update'),
        ('write outcome', 'storagemgr.volume.group_updates',
         'write_group_outcome'),
    )

    @staticmethod
    def backend_section(delay, member_workers):
        return ('[%s]\nvolume_driver = fake\nfake_member_delay = %s\n'
                'fake_total_capacity_gb = 1000000\n%s' % (
                    VOLUME_BACKEND, delay, member_workers))

    def __init__(self, registry):
        from storagemgr.volume import api as volume_api
        self.api = volume_api.API(registry)

    def make_single(self):
        return self.api.create_volume('single', size=1,
                                      backend=VOLUME_BACKEND)['id']

    def snapshot_single(self, volume_id, run):
        return self.api.create_snapshot(volume_id, 'single-%s' % run)['id']

    def delete_single(self, snapshot_id):
        self.api.delete_snapshot(snapshot_id)

    def make_group(self, members, setup):
        group = self.api.create_group('bench-%d' % members,
                                      backend=VOLUME_BACKEND)
        for index in range(members):
            self.api.create_volume('m%d-%d' % (members, index), size=1,
                                   group=group['id'])
        return group['id']

    def snapshot_group(self, group_id, run):
        cgsnapshot = self.api.create_cgsnapshot(group_id, 'group-%s' % run)
        if cgsnapshot['status'] != 'available':
            raise RuntimeError('group snapshot ended %s'
                               % cgsnapshot['status'])
        return cgsnapshot['id']

    def delete_group_snapshot(self, cgsnapshot_id):
        self.api.delete_cgsnapshot(cgsnapshot_id)


class ShareFamily(object):
    """Share groups on the fake share driver."""

    name = 'share'
    can_bulk_insert = True
    phases = (
        ('driver view', 'storagemgr.share_group.records',
         'group_snapshot_view'),
        ('apply outcome', 'storagemgr.share_group.updates',
         'apply_create_group_snapshot'),
        ('write outcome', 'storagemgr.share_group.updates',
         'write_group_snapshot_outcome'),
        ('  of which bulk_write', 'storagemgr.share_group.updates',
         'bulk_write'),
    )

    @staticmethod
    def backend_section(delay, member_workers):
        return ('[%s]\nshare_driver = fake\n'
                'fake_delays = create_snapshot:%s\n'
                'fake_total_capacity_gb = 1000000\n%s' % (
                    SHARE_BACKEND, delay, member_workers))

    def __init__(self, registry):
        from storagemgr.share import api as share_api
        from storagemgr.share_group import api as group_api
        from storagemgr.types import api as types_api
        self.shares = share_api.API(registry)
        self.groups = group_api.API(registry)
        types_api.share_types.create(
            'bench', {'driver_handles_share_servers': 'False'})
        types_api.share_group_types.create('bench', ['bench'])

    def make_single(self):
        return self.shares.create('NFS', 1, name='single',
                                  backend=SHARE_BACKEND,
                                  share_type='bench')['id']

    def snapshot_single(self, share_id, run):
        snapshot = self.shares.create_snapshot(share_id, 'single-%s' % run)
        if snapshot['status'] != 'available':
            raise RuntimeError('share snapshot ended %s' % snapshot['status'])
        return snapshot['id']

    def delete_single(self, snapshot_id):
        self.shares.delete_snapshot(snapshot_id)

    def make_group(self, members, setup):
        group = self.groups.create(name='bench-%d' % members,
                                   share_group_type='bench',
                                   backend=SHARE_BACKEND)
        if setup == 'bulk':
            _insert_member_shares(self.shares, group, members)
        else:
            for index in range(members):
                self.shares.create('NFS', 1, name='m%d-%d' % (members, index),
                                   share_group=group['id'])
        return group['id']

    def snapshot_group(self, group_id, run):
        # Raises ShareBackendException when it ended in error.
        return self.groups.create_snapshot(group_id, 'group-%s' % run)['id']

    def delete_group_snapshot(self, group_snapshot_id):
        self.groups.delete_snapshot(group_snapshot_id)


def _insert_member_shares(shares_api, group, members):
    """``members`` available shares of ``group``, without a flow each.

    One INSERT for the shares and one for their instances; the fake
    driver is given each share directly, since it holds them in memory.
    Pool usage is not reserved: the fake backend's capacity is ample.
    """
    from oslo_utils import timeutils
    from oslo_utils import uuidutils
    import sqlalchemy as sa

    from storagemgr.backend import process_registry
    from storagemgr.db.models import share as share_models
    from storagemgr.db import session as db_session
    from storagemgr.share import driver_views

    now = timeutils.utcnow()
    shares, instances = [], []
    for index in range(members):
        share_id = uuidutils.generate_uuid()
        shares.append({'id': share_id, 'share_proto': 'NFS', 'size': 1,
                       'display_name': 'm%d-%d' % (members, index),
                       'share_type_id': group['share_type_ids'][0],
                       'share_group_id': group['id'], 'share_metadata': {},
                       'created_at': now, 'updated_at': now})
        instances.append({'id': uuidutils.generate_uuid(),
                          'share_id': share_id, 'active': True,
                          'status': 'available', 'host': group['host'],
                          'backend': group['backend'],
                          'share_type_id': group['share_type_ids'][0],
                          'availability_zone': group['availability_zone'],
                          'created_at': now, 'updated_at': now})
    with db_session.session_scope() as session:
        session.execute(sa.insert(share_models.Share), shares)
        session.execute(sa.insert(share_models.ShareInstance), instances)
        pairs = list(session.execute(
            sa.select(share_models.Share, share_models.ShareInstance).join(
                share_models.ShareInstance,
                share_models.ShareInstance.share_id ==
                share_models.Share.id).where(
                share_models.Share.share_group_id == group['id'])))
        views = [driver_views.share_view(share, instance)
                 for share, instance in pairs]
    driver = process_registry.driver_for(group['backend'], 'share',
                                         shares_api.context)
    for view in views:
        driver.create_share(shares_api.context, view, share_server=None)


FAMILIES = {family.name: family for family in (VolumeFamily, ShareFamily)}


def _configure(state_path, families, delay, pool_size, member_workers):
    from storagemgr import common_setup
    default = '[DEFAULT]\nstate_path = %s\nenabled_backends = %s\n' % (
        state_path, ','.join(
            VOLUME_BACKEND if f is VolumeFamily else SHARE_BACKEND
            for f in families))
    if pool_size is not None:
        default += 'member_worker_pool_size = %d\n' % pool_size
    workers = ('group_member_workers = %d\n' % member_workers
               if member_workers is not None else '')
    conf = os.path.join(state_path, 'storagemgr.conf')
    with open(conf, 'w') as f:
        f.write(default + ''.join(
            family.backend_section(delay, workers) for family in families))
    common_setup.parse_config([], config_files=[conf])
    common_setup.prepare_state_path()


def _fastest(repeat, take, undo, *args):
    """The fastest of ``repeat`` runs of ``take(*args, run)``.

    What ``take`` made is removed with ``undo`` after each run, untimed.
    """
    fastest = float('inf')
    for run in range(repeat):
        seconds, made = _timed(take, *(args + (run,)))
        fastest = min(fastest, seconds)
        undo(made)
    return fastest


# Phases of every group snapshot flow, around the family's own.
COMMON_PHASES = (
    ('claim + save flow', 'storagemgr.flows.engine', '_claim_and_save'),
    ('member driver calls', 'storagemgr.fanout', 'run_per_member'),
    ('messages', 'storagemgr.message.api', 'record_outcome'),
    ('flow store: atom writes', 'storagemgr.flows.persistence',
     '_HeldConnection.update_atom_details'),
    ('flow settle (forget)', 'storagemgr.flows.engine', '_settle'),
)


def _patch_timer(spent, label, module_name, attribute):
    """Wrap ``module.attribute`` (``Class.method`` too) to add up its time.

    :returns: a function that puts the original back.
    """
    import functools
    import importlib

    owner = importlib.import_module(module_name)
    *path, name = attribute.split('.')
    for part in path:
        owner = getattr(owner, part)
    original = owner.__dict__[name]

    @functools.wraps(original)
    def timed(*args, **kwargs):
        started = time.monotonic()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + (
                time.monotonic() - started)

    setattr(owner, name, timed)
    return lambda: setattr(owner, name, original)


def _breakdown(family, group_id):
    """Wall time of each phase of one more group snapshot.

    Unlike cProfile this does not slow the many small calls down (the
    member calls run on other threads, which cProfile does not see).
    """
    phases = COMMON_PHASES + family.phases
    spent = {}
    restores = [_patch_timer(spent, *phase) for phase in phases]
    try:
        total, made = _timed(family.snapshot_group, group_id, 'timed')
    finally:
        for restore in reversed(restores):
            restore()
    family.delete_group_snapshot(made)
    print('-- %s group snapshot, where the %.3f s go --' % (family.name,
                                                            total))
    for label, _module, _attribute in phases:
        seconds = spent.get(label, 0.0)
        print('  %-26s %7.3f s  %5.1f%%' % (
            label, seconds, 100 * seconds / total))


def _profile(family, group_id, top):
    profiler = cProfile.Profile()
    profiler.enable()
    made = family.snapshot_group(group_id, 'profiled')
    profiler.disable()
    family.delete_group_snapshot(made)
    stats = pstats.Stats(profiler)
    for order in ('cumulative', 'tottime'):
        print('-- %s group snapshot, by %s time --' % (family.name, order))
        stats.sort_stats(order).print_stats(top)


def run_family(family, counts, args):
    """Print one family's figures; return True when all met the target."""
    single_id = family.make_single()
    single = _fastest(args.repeat, family.snapshot_single,
                      family.delete_single, single_id)
    print('%s: one member snapshot: %.3f s' % (family.name, single))
    passed = True
    group_id = None
    how = args.setup if family.can_bulk_insert else 'api'
    for members in counts:
        setup, group_id = _timed(family.make_group, members, how)
        group = _fastest(args.repeat, family.snapshot_group,
                         family.delete_group_snapshot, group_id)
        ratio = group / single
        limit = target_for(members)
        passed = passed and ratio <= limit
        print('%s: group snapshot, %4d members: %.3f s  ratio %.2fx  '
              '(target <= %gx) %s  [setup %.1f s, %s]' % (
                  family.name, members, group, ratio, limit,
                  'PASS' if ratio <= limit else 'FAIL', setup, how))
        sys.stdout.flush()
    if args.breakdown and group_id is not None:
        _breakdown(family, group_id)
    if args.profile and group_id is not None:
        _profile(family, group_id, args.profile_top)
    return passed


def _counts(text):
    try:
        counts = [int(part) for part in text.split(',') if part.strip()]
    except ValueError:
        counts = []
    if not counts or any(count < 1 for count in counts):
        raise argparse.ArgumentTypeError(
            'positive integers separated by commas, not %r' % text)
    return counts


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError('a positive integer, not %r' % text)
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--family', choices=('share', 'volume', 'both'),
                        default='both')
    parser.add_argument('--members', type=_counts, default=[100, 1000],
                        help='group sizes, comma separated')
    parser.add_argument('--delay', type=float, default=0.05,
                        help='seconds per member snapshot')
    parser.add_argument('--repeat', type=_positive, default=3,
                        help='runs of each; the fastest counts')
    parser.add_argument('--pool-size', type=_positive, default=None,
                        help='[DEFAULT] member_worker_pool_size')
    parser.add_argument('--member-workers', type=_positive, default=None,
                        help='the backends\' group_member_workers')
    parser.add_argument('--setup', choices=('api', 'bulk'), default='bulk',
                        help='how share group members are made')
    parser.add_argument('--breakdown', action='store_true',
                        help='time the phases of one snapshot of the '
                             'largest group')
    parser.add_argument('--profile', action='store_true',
                        help='profile one snapshot of the largest group')
    parser.add_argument('--profile-top', type=int, default=30)
    args = parser.parse_args(argv)
    families = ([VolumeFamily, ShareFamily] if args.family == 'both'
                else [FAMILIES[args.family]])
    state_path = tempfile.mkdtemp(prefix='sm-bench-')
    try:
        _configure(state_path, families, args.delay, args.pool_size,
                   args.member_workers)
        from oslo_config import cfg
        from storagemgr.backend import registry as backend_registry
        print('member_worker_pool_size %d, group_member_workers %s, '
              'delay %g s, fastest of %d' % (
                  cfg.CONF.member_worker_pool_size,
                  args.member_workers or 'default (128)', args.delay,
                  args.repeat))
        registry = backend_registry.BackendRegistry()
        passed = True
        for family in families:
            passed = run_family(family(registry), args.members,
                                args) and passed
    finally:
        shutil.rmtree(state_path, ignore_errors=True)
    return 0 if passed else 2


if __name__ == '__main__':
    sys.exit(main())
