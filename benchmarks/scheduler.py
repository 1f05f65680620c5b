"""Time the filter scheduler placing shares on 50 pools.

Builds 50 pools of varied capacity and capabilities (thin and thick,
reserved space, snapshot and replication support, availability zones,
filter and goodness functions on some), then places 10,000 share requests
of mixed types and sizes, consuming each choice before the next::

    python benchmarks/scheduler.py [--pools 50] [--requests 10000]
                                   [--profile]

It prints microseconds per request for the filter scheduler and for the
previous placement (the pool with the most free space, no filters),
measured in the same run on the same requests, and their ratio. The
target is well under 1 ms per request. ``--profile`` adds a cProfile
listing of the scheduler run.
"""

import argparse
import cProfile
import pstats
import random
import sys
import time


def make_pools(count, seed):
    from storagemgr.scheduler import pool_state
    rng = random.Random(seed)
    pools = []
    for index in range(count):
        thin = index % 3 != 0
        total = rng.choice([2000, 5000, 10000, 20000])
        caps = {
            'share_backend_name': 'backend%d' % (index % 10),
            'vendor_name': 'storagemgr', 'driver_version': '1.0',
            'storage_protocol': 'NFS_CIFS',
            'total_capacity_gb': total,
            'free_capacity_gb': total * rng.uniform(0.5, 1.0),
            'reserved_percentage': rng.choice([0, 0, 5, 10]),
            'thin_provisioning': [True, False] if index % 7 == 0 else thin,
            'max_over_subscription_ratio': rng.choice([1.0, 2.0, 20.0]),
            'snapshot_support': index % 2 == 0,
            'create_share_from_snapshot_support': index % 4 == 0,
            'revert_to_snapshot_support': False,
            'mount_snapshot_support': False,
            'driver_handles_share_servers': False,
            'replication_type': 'readable' if index % 5 == 0 else None,
            'replication_domain': 'domain1' if index % 5 == 0 else None,
            'ipv4_support': True, 'ipv6_support': False,
            'qos': False,
        }
        if index % 4 == 1:
            caps['filter_function'] = 'share.size <= 500'
        if index % 4 == 2:
            caps['goodness_function'] = (
                'stats.free_capacity_gb > 1000 ? 100 : 50')
        pools.append(pool_state.PoolState(
            'host%d@backend%d#pool%d' % (index % 5, index % 10, index),
            'share', caps, allocated_capacity_gb=0,
            availability_zone='az%d' % (index % 2)))
    return pools


TYPES = [
    {'name': 'default', 'extra_specs': {}},
    {'name': 'snap', 'extra_specs': {'snapshot_support': 'True',
                                     'driver_handles_share_servers':
                                         'False'}},
    {'name': 'thin', 'extra_specs': {'thin_provisioning': '<is> True'}},
    {'name': 'thick', 'extra_specs': {'thin_provisioning': '<is> False'}},
    {'name': 'replicated', 'extra_specs': {'replication_type': 'readable',
                                           'snapshot_support': '<is> True'}},
    {'name': 'backend', 'extra_specs': {'share_backend_name':
                                        '<or> backend1 <or> backend2'}},
]


def make_requests(count, seed):
    rng = random.Random(seed)
    requests = []
    for _ in range(count):
        spec = {'size': rng.choice([1, 1, 2, 5, 10, 20, 50, 100]),
                'resource_type': rng.choice(TYPES), 'share_proto': 'NFS',
                'availability_zone': rng.choice([None, None, None, 'az0'])}
        requests.append(spec)
    return requests


def run_scheduler(pools, requests):
    from storagemgr import exception
    from storagemgr.scheduler import filter_scheduler
    from storagemgr.scheduler import pool_state
    scheduler = filter_scheduler.FilterScheduler('share', conf=_conf())
    refused = 0
    started = time.perf_counter()
    for spec in requests:
        try:
            pool = scheduler.select(pools, spec)
        except exception.NoValidHost:
            refused += 1
            continue
        pool.consume(spec['size'], pool_state.thin_requested(
            spec['resource_type']['extra_specs']))
    return time.perf_counter() - started, refused


def run_baseline(pools, requests):
    started = time.perf_counter()
    for spec in requests:
        pool = max(pools, key=lambda p: p.free_capacity_gb)
        pool.consume(spec['size'])
    return time.perf_counter() - started, 0


def _conf():
    from oslo_config import cfg
    from storagemgr.scheduler import opts
    conf = cfg.ConfigOpts()
    opts.register_opts(conf)
    conf([], project='storagemgr', default_config_files=[])
    return conf


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--pools', type=int, default=50)
    parser.add_argument('--requests', type=int, default=10000)
    parser.add_argument('--seed', type=int, default=42)
    parser.add_argument('--repeat', type=int, default=3,
                        help='runs of each; the fastest counts')
    parser.add_argument('--profile', action='store_true',
                        help='print a cProfile listing of one scheduler '
                             'run')
    args = parser.parse_args(argv)
    requests = make_requests(args.requests, args.seed)

    results = {}
    for name, runner in (('baseline', run_baseline),
                         ('scheduler', run_scheduler)):
        best = None
        for _ in range(args.repeat):
            elapsed, refused = runner(make_pools(args.pools, args.seed),
                                      requests)
            if best is None or elapsed < best[0]:
                best = (elapsed, refused)
        results[name] = best
    per_request = {name: elapsed / len(requests) * 1e6
                   for name, (elapsed, _refused) in results.items()}
    print('pools: %d, requests: %d' % (args.pools, len(requests)))
    print('baseline (most free space, no filters): %8.1f us per request'
          % per_request['baseline'])
    print('filter scheduler:                        %8.1f us per request '
          '(%d refused)' % (per_request['scheduler'],
                            results['scheduler'][1]))
    print('ratio: %.1fx' % (per_request['scheduler'] /
                            per_request['baseline']))

    if args.profile:
        profiler = cProfile.Profile()
        pools = make_pools(args.pools, args.seed)
        profiler.runcall(run_scheduler, pools, requests)
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats('tottime').print_stats(15)
    return 0


if __name__ == '__main__':
    sys.exit(main())
