"""Time a group snapshot of 100 volumes against one member alone.

Runs the real service layer (persisted flows, SQLite, the generic group
snapshot with its bounded pool) on the fake volume driver, with a fixed
latency per member snapshot, in a throw-away state directory::

    python benchmarks/group_snapshot.py [--members 100] [--delay 0.05]

It prints the latency of one member's snapshot, of the whole group
snapshot, and their ratio. The target is at most 3x (the reference's
sequential fallback is about ``members``x).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time


def _configure(state_path, delay):
    from storagemgr import common_setup
    conf = os.path.join(state_path, 'storagemgr.conf')
    with open(conf, 'w') as f:
        f.write('[DEFAULT]\nstate_path=%s\nenabled_backends=bench\n'
                '[bench]\nvolume_driver=fake\nfake_member_delay=%s\n'
                % (state_path, delay))
    common_setup.parse_config([], config_files=[conf])
    common_setup.prepare_state_path()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--members', type=int, default=100)
    parser.add_argument('--delay', type=float, default=0.05,
                        help='seconds per member snapshot')
    parser.add_argument('--repeat', type=int, default=5,
                        help='runs of each; the fastest counts (the others '
                             'measured the machine\'s other work)')
    args = parser.parse_args(argv)
    state_path = tempfile.mkdtemp(prefix='sm-bench-')
    try:
        _configure(state_path, args.delay)
        from storagemgr.backend import registry as backend_registry
        from storagemgr.volume import api as volume_api
        api = volume_api.API(backend_registry.BackendRegistry())

        single = api.create_volume('single', size=1)
        group = api.create_group('bench')
        for index in range(args.members):
            api.create_volume('m%d' % index, size=1, group=group['id'])
        single_secs = group_secs = float('inf')
        for run in range(args.repeat):
            started = time.monotonic()
            api.create_snapshot(single['id'], 'single-%d' % run)
            single_secs = min(single_secs, time.monotonic() - started)
            started = time.monotonic()
            cgsnapshot = api.create_cgsnapshot(group['id'], 'group-%d' % run)
            group_secs = min(group_secs, time.monotonic() - started)
            if cgsnapshot['status'] != 'available':
                print('group snapshot ended %s' % cgsnapshot['status'])
                return 1
    finally:
        shutil.rmtree(state_path, ignore_errors=True)
    ratio = group_secs / single_secs
    print('one member snapshot:        %.3f s' % single_secs)
    print('group snapshot, %3d members: %.3f s' % (args.members, group_secs))
    print('ratio:                      %.2fx (target <= 3x)' % ratio)
    return 0 if ratio <= 3 else 2


if __name__ == '__main__':
    sys.exit(main())
