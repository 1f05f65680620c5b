"""Benchmark: scanning a simulated array of about 100,000 resources.

One run measures the initial scan (every resource written), an update
scan after 1% of the attributes changed (only those written), and the
peak memory of the process, per resource. Targets: initial <= 20 s,
update <= 2 s, <= 1 KiB of memory per resource.

Usage: python benchmarks/plugin_scan.py [--resources N] [--json]
"""

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time


def _rss_kib():
    """Current resident set size (KiB), from /proc."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def _peak_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run(resources, state_dir):
    from oslo_config import cfg

    from storagemgr import common_setup
    from storagemgr.db import session as db_session
    from storagemgr.plugins.builtin.simulator import state as array_state
    from storagemgr.plugins import loader
    from storagemgr.plugins import resource_manager
    from storagemgr.plugins import scanner
    from storagemgr.plugins import service

    conf = cfg.CONF
    common_setup.parse_config([], config_files=[])
    conf.set_override('state_path', state_dir)
    conf.set_override('connection', 'sqlite:///%s/bench.sqlite' % state_dir,
                      group='database')
    db_session.get_engine()
    loader.get_plugin_manager()

    path = os.path.join(state_dir, 'array.json')
    state = array_state.generate(**array_state.sized_for(resources))
    array_state.save(path, state)
    count = array_state.count_resources(state)
    scannable = service.add_scannable('simulator', 'Couplet',
                                      ['state_file=%s' % path])['id']

    baseline = _rss_kib()
    rm = resource_manager.ResourceManager()
    scan = scanner.Scanner(rm, scannable, 'simulator')
    start = time.perf_counter()
    ok = scan.run(0)
    initial = time.perf_counter() - start
    if not ok:
        raise SystemExit('initial scan failed: %s' % scan.last_error)
    after_initial = _peak_kib()

    # Change 1% of the attributes: disk temperatures/statuses, LUN names.
    rng = random.Random(42)
    state = array_state.load(path)
    entities = state['disks'] + state['luns']
    attributes = sum(len(e) for e in entities) + sum(
        len(state[k][0]) * len(state[k]) for k in (
            'controllers', 'enclosures', 'fans', 'pools'))
    changes = max(1, attributes // 100)
    for entry in rng.sample(entities, min(changes, len(entities))):
        if 'slot' in entry:
            entry['status'] = 'DEGRADED' if entry['status'] == 'OK' else 'OK'
        else:
            entry['name'] = entry['name'] + 'x'
    array_state.save(path, state)
    start = time.perf_counter()
    ok = scan.run(1)
    update = time.perf_counter() - start
    if not ok:
        raise SystemExit('update scan failed: %s' % scan.last_error)
    peak = max(after_initial, _peak_kib())
    scan.stop()
    per_resource = (peak - baseline) * 1024.0 / count
    return {'resources': count, 'changed_attributes': changes,
            'initial_scan_s': round(initial, 2),
            'update_scan_s': round(update, 2),
            'peak_rss_mib': round(peak / 1024.0, 1),
            'baseline_rss_mib': round(baseline / 1024.0, 1),
            'bytes_per_resource': round(per_resource),
            'targets_met': initial <= 20 and update <= 2 and
            per_resource <= 1024}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--resources', type=int, default=100000)
    parser.add_argument('--json', action='store_true')
    args = parser.parse_args(argv)
    state_dir = tempfile.mkdtemp(prefix='sm-plugin-bench-')
    try:
        result = run(args.resources, state_dir)
    finally:
        shutil.rmtree(state_dir, True)
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        for key in sorted(result):
            print('%-20s %s' % (key, result[key]))
    return 0 if result['targets_met'] else 1


if __name__ == '__main__':
    sys.exit(main())
