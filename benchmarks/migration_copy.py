"""Time the host-assisted migration copy against ``cp -a`` of the same tree.

::

    python benchmarks/migration_copy.py [--size-mb 1024] [--repeat 3]
        [--dir DIR] [--workers N] [--checkpoint-interval S] [--profile]

Builds a mixed tree of about ``--size-mb`` MiB in a temporary directory
under ``--dir`` (default: $TMPDIR, else /tmp; pick a directory on the
filesystem you want measured -- a tmpfs /tmp measures memory, not a
disk): four large files holding 7/8 of the bytes, the rest in files of
1-64 KiB spread over 64 directories. Then, ``--repeat`` times and
interleaved so that each round sees the same machine state:

* ``cp -a`` of the tree (GNU cp: reflink attempt, then copy_file_range);
* ``CopyJob.run()`` with verify off;
* ``CopyJob.run()`` with verify on (xxh3-128 of both ends of every file).

Each destination is deleted and the filesystems synced (untimed) before
the next run, so no run pays for another's writeback; every copy
starts from a warm page cache for the source, since dropping caches needs
root: both tools are measured warm. The best of the runs is kept for each.

Prints seconds and MiB/s for each, the ratios to ``cp -a``, and the CPU
time each used (user + system, all threads; the machine's load average
is printed per round since other work on the machine moves wall times a
lot more than CPU times); exits
non-zero when the copy takes more than 1.11x cp's time, or the verified
copy more than 1.5x.
"""

import argparse
import cProfile
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

COPY_TARGET = 1.11
VERIFY_TARGET = 1.5
MIB = 1024 * 1024


def build_tree(root, size_mb, seed=12):
    """Four large files (7/8 of the bytes) and many small ones."""
    rng = random.Random(seed)
    total = size_mb * MIB
    large = total * 7 // 8 // 4
    block = os.urandom(4 * MIB)
    os.makedirs(root)
    for index in range(4):
        with open(os.path.join(root, 'large-%d.img' % index), 'wb') as f:
            left = large
            while left > 0:
                f.write(block[:min(left, len(block))])
                left -= len(block)
    small_left = total - 4 * large
    count = 0
    while small_left > 0:
        size = min(small_left, rng.randint(1024, 64 * 1024))
        directory = os.path.join(root, 'd%02d' % (count % 64))
        os.makedirs(directory, exist_ok=True)
        start = rng.randrange(len(block) - size)
        with open(os.path.join(directory, 'f%05d' % count), 'wb') as f:
            f.write(block[start:start + size])
        small_left -= size
        count += 1
    return 4 + count


def filesystem_of(path):
    """(type, mount point) of the filesystem holding ``path``."""
    best = ('?', '')
    path = os.path.realpath(path)
    with open('/proc/self/mounts') as f:
        for line in f:
            fields = line.split()
            mount_point = fields[1].replace('\\040', ' ')
            if (path == mount_point or path.startswith(
                    mount_point.rstrip('/') + '/')) and \
                    len(mount_point) >= len(best[1]):
                best = (fields[2], mount_point)
    return best


def reflink_supported(directory):
    import fcntl

    from storagemgr.data import transfer
    src = os.path.join(directory, 'reflink-probe-src')
    dst = os.path.join(directory, 'reflink-probe-dst')
    with open(src, 'wb') as f:
        f.write(b'x' * 4096)
    try:
        with open(src, 'rb') as s, open(dst, 'wb') as d:
            fcntl.ioctl(d.fileno(), transfer.FICLONE, s.fileno())
        return True
    except OSError:
        return False
    finally:
        for path in (src, dst):
            if os.path.exists(path):
                os.unlink(path)


def _cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def time_cp(source, destination):
    cpu = _cpu(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(['cp', '-a', source, destination], check=True)
    return time.monotonic() - started, _cpu(resource.RUSAGE_CHILDREN) - cpu


def time_job(source, destination, journal_dir, verify, workers, profile):
    from storagemgr.data import copy
    os.makedirs(destination)
    job = copy.CopyJob('bench', source, destination, journal_dir,
                       preserve_metadata=True, verify=verify,
                       workers=workers)
    profiler = cProfile.Profile() if profile else None
    cpu = _cpu(resource.RUSAGE_SELF)
    started = time.monotonic()
    if profiler:
        profiler.enable()
    result = job.run()
    if profiler:
        profiler.disable()
    elapsed = time.monotonic() - started
    cpu = _cpu(resource.RUSAGE_SELF) - cpu
    job.discard()
    if result.files_copied != result.files_total:
        raise RuntimeError('copied %d of %d files' % (
            result.files_copied, result.files_total))
    if profiler:
        pstats.Stats(profiler).sort_stats('cumulative').print_stats(25)
    return elapsed, cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--size-mb', type=int, default=1024)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--dir', default=tempfile.gettempdir())
    parser.add_argument('--workers', type=int, default=None,
                        help='copy workers (default: [data] copy_workers)')
    parser.add_argument('--checkpoint-interval', type=float, default=None,
                        help='[data] copy_journal_checkpoint_interval')
    parser.add_argument('--profile', action='store_true',
                        help='one more verified run under cProfile (main '
                             'thread only)')
    args = parser.parse_args(argv)

    sys.path.insert(0, os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    from oslo_config import cfg
    from storagemgr.conf import data as data_conf
    data_conf.register_opts(cfg.CONF)
    cfg.CONF([], project='storagemgr')
    if args.checkpoint_interval is not None:
        cfg.CONF.set_override('copy_journal_checkpoint_interval',
                              args.checkpoint_interval, group='data')
    workers = args.workers or cfg.CONF.data.copy_workers

    work = tempfile.mkdtemp(prefix='migration-copy-', dir=args.dir)
    try:
        fs_type, mount_point = filesystem_of(work)
        source = os.path.join(work, 'source')
        started = time.monotonic()
        files = build_tree(source, args.size_mb)
        size = sum(os.path.getsize(os.path.join(d, f))
                   for d, _s, fs in os.walk(source) for f in fs)
        print('tree: %d files, %.0f MiB in %s (%s on %s, reflink %s), '
              'built in %.1f s' % (
                  files, size / MIB, work, fs_type, mount_point,
                  'supported' if reflink_supported(work) else 'not supported',
                  time.monotonic() - started))
        print('page cache: warm for every run (dropping caches needs '
              'root); runs interleaved, best of %d; %d copy workers, '
              'checkpoint every %s s' % (
                  args.repeat, workers,
                  cfg.CONF.data.copy_journal_checkpoint_interval))
        # Warm the source once so the first measured run is not the one
        # that reads from disk.
        subprocess.run(['cat'] + [os.path.join(d, f) for d, _s, fs in
                                  os.walk(source) for f in fs[:1]],
                       stdout=subprocess.DEVNULL, check=True)
        time_cp(source, os.path.join(work, 'warm'))
        shutil.rmtree(os.path.join(work, 'warm'))

        journal_dir = os.path.join(work, 'journal')
        best = {'cp -a': [], 'copy': [], 'copy+verify': []}
        for run in range(args.repeat):
            for name, timed in (
                    ('cp -a', lambda d: time_cp(source, d)),
                    ('copy', lambda d: time_job(source, d, journal_dir,
                                                False, workers, False)),
                    ('copy+verify', lambda d: time_job(
                        source, d, journal_dir, True, workers, False))):
                destination = os.path.join(work, 'dst')
                # Untimed: each run starts with nothing dirty in the page
                # cache, so none pays for the previous one's writeback.
                os.sync()
                best[name].append(timed(destination))
                shutil.rmtree(destination)
            print('round %d: %s; load average %.1f' % (run + 1, ', '.join(
                '%s %.3f s (CPU %.2f s)' % (n, t[-1][0], t[-1][1])
                for n, t in best.items()), os.getloadavg()[0]))

        base = min(best['cp -a'])[0]
        failed = False
        for name, times in best.items():
            seconds, cpu = min(times)
            ratio = seconds / base
            target = {'copy': COPY_TARGET,
                      'copy+verify': VERIFY_TARGET}.get(name)
            verdict = ''
            if target:
                ok = ratio <= target
                failed |= not ok
                verdict = '  target <= %.2fx: %s' % (
                    target, 'PASS' if ok else 'FAIL')
            print('%-12s %7.3f s  %8.1f MiB/s  %5.2fx cp -a  CPU %.2f s%s'
                  % (name, seconds, size / MIB / seconds, ratio, cpu,
                     verdict))
        if args.profile:
            destination = os.path.join(work, 'dst')
            time_job(source, destination, journal_dir, True, workers, True)
            shutil.rmtree(destination)
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
