"""Time a replica's incremental resync against its full first copy.

::

    python benchmarks/replica_resync.py [--size-mib 1024] [--changed 1.0]
        [--dir DIR]

Two local share backends in a throw-away state directory under ``--dir``
(default: $TMPDIR, else /tmp; pick the filesystem you want measured). The
active replica is a share on the first, filled with ``--size-mib`` files
of 1 MiB each (1,024 by default: 1 GiB), whose mtimes are set an hour
back (data written earlier; a file modified within the last two seconds
is compared again by every sync until it is older, see
``local_replication``). Then, in one run:

1. ``create_replica`` on the second backend: the full copy (timed);
2. ``--changed`` percent of the files, by count, get 4 KiB rewritten at
   a random offset (the others are untouched);
3. ``update_replica_state``: the incremental resync (timed).

Dirty pages are written back (``os.sync``, untimed) before each timed
step, so neither pays for the other's writeback; the source is in the
page cache for both (dropping caches needs root). Prints both times,
their ratio with PASS or FAIL against the target (at most 0.1), and what
the resync did (files skipped, blocks rewritten). The replica is checked
to hold the same bytes as the active afterwards (untimed). Exit status 2
when the target is missed or the copies differ.
"""

import argparse
import hashlib
import os
import random
import shutil
import sys
import tempfile
import time

TARGET = 0.1
MIB = 1024 * 1024
CHANGE = 4096
HOUR_NS = 3600 * 10 ** 9


def _configure(state_path):
    from storagemgr import common_setup
    conf = os.path.join(state_path, 'storagemgr.conf')
    with open(conf, 'w') as f:
        f.write('[DEFAULT]\nstate_path = %s\nenabled_backends = a,b\n'
                '[coordination]\nbackend_url = file://%s/locks\n'
                '[a]\nshare_driver = local\n'
                '[b]\nshare_driver = local\n' % (state_path, state_path))
    common_setup.parse_config([], config_files=[conf])
    common_setup.prepare_state_path()


def _replica(replica_id, backend, replica_state):
    from oslo_config import cfg
    return {'id': replica_id, 'share_id': 'bench-share', 'size': 2,
            'host': '%s@%s#%s' % (cfg.CONF.host, backend, backend),
            'replica_state': replica_state, 'share_proto': 'NFS',
            'status': 'available', 'share_group_id': None}


def _fill(path, count, rng):
    """``count`` files of 1 MiB, in 32 directories, an hour old."""
    block = os.urandom(MIB + count)
    old = time.time_ns() - HOUR_NS
    names = []
    for index in range(count):
        rel = os.path.join('d%02d' % (index % 32), 'f%05d' % index)
        full = os.path.join(path, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'wb') as f:
            f.write(block[index:index + MIB])
        os.utime(full, ns=(old, old))
        names.append(rel)
    rng.shuffle(names)
    return names


def _change(path, names, rng):
    for rel in names:
        with open(os.path.join(path, rel), 'r+b') as f:
            f.seek(rng.randrange(MIB - CHANGE))
            f.write(os.urandom(CHANGE))


def _digests(root):
    found = {}
    for directory, _dirs, files in os.walk(root):
        for name in files:
            full = os.path.join(directory, name)
            with open(full, 'rb') as f:
                found[os.path.relpath(full, root)] = (
                    hashlib.sha256(f.read()).hexdigest(),
                    os.stat(full).st_mtime_ns)
    return found


def _timed(call, *args):
    os.sync()
    started = time.perf_counter()
    result = call(*args)
    return time.perf_counter() - started, result


def run(size_mib, changed_percent, seed=7):
    from storagemgr.backend import process_registry
    from storagemgr.backend import registry as backend_registry
    from storagemgr import context as sm_context
    from storagemgr import coordination
    from storagemgr.share.drivers import local_replication

    # Started once per process (imports, connection): not the copy's cost.
    coordination.get_coordinator()
    registry = backend_registry.BackendRegistry()
    process_registry.use_registry(registry)
    context = sm_context.get_admin_context()
    first = registry.get('a', 'share').driver
    second = registry.get('b', 'share').driver
    active = _replica('r-active', 'a', 'active')
    replica = _replica('r-second', 'b', 'out_of_sync')
    rng = random.Random(seed)

    location = first.create_share(context, active)[0]['path']
    source = location.split(':', 1)[1]
    names = _fill(source, size_mib, rng)
    print('active replica: %d files of 1 MiB (%d MiB) in %s' % (
        len(names), size_mib, source))

    results = []
    real_sync = local_replication.sync.sync_tree

    def counting_sync(*args, **kwargs):
        results.append(real_sync(*args, **kwargs))
        return results[-1]

    local_replication.sync.sync_tree = counting_sync
    try:
        full, update = _timed(second.create_replica, context,
                              [active, replica], replica, [], [])
        replica['replica_state'] = update['replica_state']
        count = max(1, int(round(len(names) * changed_percent / 100.0)))
        _change(source, names[:count], rng)
        resync, state = _timed(second.update_replica_state, context,
                               [active, replica], replica, [], [])
    finally:
        local_replication.sync.sync_tree = real_sync
    target = os.path.join(second.root, replica['id'])
    same = _digests(source) == _digests(target)
    ratio = resync / full
    print('full copy (create_replica):      %8.3f s  %7.1f MiB/s' % (
        full, size_mib / full))
    print('resync (update_replica_state):   %8.3f s  (%d of %d files '
          'changed, %d KiB each)' % (
              resync, count, len(names), CHANGE // 1024))
    print('resync did: %r' % (results[-1],))
    print('replica state %s; replica identical to the active: %s' % (
        state, same))
    passed = ratio <= TARGET and same and state == 'in_sync'
    print('ratio resync / full: %.4f (target <= %g) %s' % (
        ratio, TARGET, 'PASS' if passed else 'FAIL'))
    return passed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size-mib', type=int, default=1024,
                        help='MiB in the share, one 1 MiB file each')
    parser.add_argument('--changed', type=float, default=1.0,
                        help='percent of the files changed before resync')
    parser.add_argument('--dir', default=None,
                        help='where the throw-away state directory goes')
    args = parser.parse_args(argv)
    if args.size_mib < 1:
        parser.error('--size-mib must be at least 1')
    if not 0 < args.changed <= 100:
        parser.error('--changed must be in (0, 100]')
    state_path = tempfile.mkdtemp(prefix='sm-replica-bench-', dir=args.dir)
    try:
        _configure(state_path)
        passed = run(args.size_mib, args.changed)
    finally:
        shutil.rmtree(state_path, ignore_errors=True)
    return 0 if passed else 2


if __name__ == '__main__':
    sys.exit(main())
