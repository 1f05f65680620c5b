"""What the share service layer costs over the bare fake driver.

Creates and deletes shares N times in one process, on the ``fake`` share
driver with no delay:

* ``driver``: ``create_share`` + ``delete_share`` called on the driver
  directly (the floor);
* ``service``: ``storagemgr.share.api.API().create`` + ``delete``, which
  validate, claim the transition with a conditional update, and run two
  persisted flows on SQLite under a temporary state_path.

Prints pairs/s for each and the service's overhead in ms per operation
(one pair is two operations). ``--profile`` prints where the service's
time goes (cProfile, top entries by cumulative time). Run:

    python benchmarks/share_service.py [--pairs N] [--profile]
"""

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time

from oslo_config import cfg

from storagemgr.backend import process_registry
from storagemgr import common_setup
from storagemgr import context as sm_context
from storagemgr.db import session as db_session
from storagemgr.share import api as share_api

BACKEND = 'bench'
TARGET_OVERHEAD_MS = 5.0
TARGET_PAIRS_PER_S = 200.0


def _configure(state_path):
    conf_path = os.path.join(state_path, 'storagemgr.conf')
    with open(conf_path, 'w') as f:
        f.write('[DEFAULT]\nstate_path = %s\nenabled_backends = %s\n'
                '[%s]\nshare_driver = fake\nfake_default_delay = 0\n'
                % (state_path, BACKEND, BACKEND))
    common_setup.parse_config([], config_files=[conf_path])
    common_setup.prepare_state_path()


def _driver_pair(driver, context, index):
    share = {'id': 'bench-%d' % index, 'name': 'share-bench-%d' % index,
             'display_name': None, 'size': 1, 'share_proto': 'NFS',
             'host': BACKEND, 'status': 'creating', 'export_locations': [],
             'share_group_id': None, 'metadata': {}, 'snapshot_id': None,
             'created_at': None}
    driver.create_share(context, share, share_server=None)
    driver.delete_share(context, share, share_server=None)


def _service_pair(api, _index):
    share = api.create('NFS', 1)
    api.delete(share['id'])


def _timed(pairs, pair):
    pair(-1)  # warm up: imports, connections, statement caches
    started = time.perf_counter()
    for index in range(pairs):
        pair(index)
    return time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--pairs', type=int, default=300,
                        help='create+delete pairs per measurement')
    parser.add_argument('--profile', action='store_true',
                        help='print where the service layer spends time')
    args = parser.parse_args(argv)

    state_path = tempfile.mkdtemp(prefix='sm-bench-share-')
    try:
        _configure(state_path)
        api = share_api.API()
        context = sm_context.get_admin_context()
        driver = process_registry.driver_for(BACKEND, 'share', context)

        driver_secs = _timed(args.pairs,
                             lambda i: _driver_pair(driver, context, i))
        service_secs = _timed(args.pairs, lambda i: _service_pair(api, i))
        ops = 2 * args.pairs
        overhead_ms = (service_secs - driver_secs) * 1000.0 / ops
        service_rate = args.pairs / service_secs
        print('share create+delete, %d pairs, fake driver, SQLite at %s'
              % (args.pairs, cfg.CONF.database.connection))
        print('%-10s %10.1f pairs/s  %8.3f ms/op' % (
            'driver', args.pairs / driver_secs,
            driver_secs * 1000.0 / ops))
        print('%-10s %10.1f pairs/s  %8.3f ms/op' % (
            'service', service_rate, service_secs * 1000.0 / ops))
        print('overhead   %8.3f ms/op (target <= %.1f); service %.1f '
              'pairs/s (target >= %.0f): %s' % (
                  overhead_ms, TARGET_OVERHEAD_MS, service_rate,
                  TARGET_PAIRS_PER_S,
                  'met' if overhead_ms <= TARGET_OVERHEAD_MS and
                  service_rate >= TARGET_PAIRS_PER_S else 'NOT met'))

        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for index in range(min(args.pairs, 200)):
                _service_pair(api, index)
            profiler.disable()
            print('\nWhere the service layer spends its time '
                  '(cumulative, top 30):')
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats('cumulative').print_stats(30)
    finally:
        db_session.dispose_all()
        shutil.rmtree(state_path, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
