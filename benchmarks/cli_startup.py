"""Benchmark: wall time of ``storagemgr`` commands, run as processes.

Each figure is one command run as a user runs it (a new process of the
installed ``storagemgr`` script), repeated; best and median are shown.
The commands run against the embedded default in a temporary state
directory, set as the functional tests set it (a configuration file with
``state_path``, passed with ``--config-file``, the directory as working
directory). Two baselines are measured in the same run, so a busy
machine shows as a slow baseline rather than a slow CLI: an empty
interpreter (``python -c pass``) and the libraries every command needs
(cliff, oslo.config, SQLAlchemy core). Targets (issue 16): ``--help``
<= 0.3 s, ``share list`` <= 0.6 s on an idle machine.

Usage: python benchmarks/cli_startup.py [--repeat N] [--json]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

LIBRARIES = 'import cliff.app, oslo_config.cfg, sqlalchemy'
LIBRARIES_NAME = 'python: cliff+oslo.config+sqlalchemy'
TARGETS = {'storagemgr --help': 0.3, 'storagemgr share list': 0.6}


def _script(name):
    """The installed console script next to this interpreter, else PATH's."""
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    if os.path.exists(candidate):
        return candidate
    found = shutil.which(name)
    if found is None:
        raise SystemExit('%s is not installed' % name)
    return found


def _timed(argv, cwd, check=True):
    """Wall seconds of one process; its stdout."""
    start = time.perf_counter()
    process = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if check and process.returncode:
        raise SystemExit('%s failed (%d): %s' % (
            ' '.join(argv), process.returncode, process.stderr.strip()))
    return elapsed, process.stdout


def measure(repeat, state_dir):
    conf = os.path.join(state_dir, 'storagemgr.conf')
    with open(conf, 'w') as f:
        f.write('[DEFAULT]\nstate_path = %s\n' % state_dir)
    cli = [_script('storagemgr'), '--config-file', conf]

    def run_cli(*args):
        return _timed(cli + list(args), state_dir)

    # First use creates the database: not what is measured.
    run_cli('share', 'list')
    cases = [
        ('python -c pass', lambda: _timed([sys.executable, '-c', 'pass'],
                                          state_dir)[0]),
        (LIBRARIES_NAME,
         lambda: _timed([sys.executable, '-c', LIBRARIES], state_dir)[0]),
        ('storagemgr --help',
         lambda: _timed([_script('storagemgr'), '--help'], state_dir)[0]),
        ('storagemgr share list', lambda: run_cli('share', 'list')[0]),
        ('storagemgr backend list', lambda: run_cli('backend', 'list')[0]),
    ]

    def create_delete():
        elapsed, out = run_cli('share', 'create', 'NFS', '1', '-f',
                               'value', '-c', 'id')
        share_id = out.strip()
        if not share_id:
            raise SystemExit('share create printed no id')
        return elapsed + run_cli('share', 'delete', share_id)[0]

    cases.append(('storagemgr share create + delete', create_delete))
    results = {}
    # Interleaved rounds: a burst of load hits every case alike.
    samples = {name: [] for name, _ in cases}
    for _ in range(repeat):
        for name, case in cases:
            samples[name].append(case())
    for name, values in samples.items():
        results[name] = {'best': min(values),
                         'median': statistics.median(values),
                         'runs': len(values)}
    return results


def report(results):
    base = results[LIBRARIES_NAME]['best']
    print('%-40s %7s %7s %10s %7s' % ('command', 'best', 'median',
                                      'best/libs', 'target'))
    for name, figure in results.items():
        target = TARGETS.get(name)
        print('%-40s %6.3fs %6.3fs %9.2fx %7s' % (
            name, figure['best'], figure['median'], figure['best'] / base,
            '%.1fs' % target if target else '-'))
    print('\nbaseline (cliff + oslo.config + SQLAlchemy imports): best '
          '%.3f s; a target holds on an idle machine, where that baseline '
          'is about 0.28 s.' % base)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=5,
                        help='Runs of each command (default 5).')
    parser.add_argument('--json', action='store_true',
                        help='Print the figures as JSON.')
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error('--repeat must be at least 1')
    state_dir = tempfile.mkdtemp(prefix='sm-cli-bench-')
    try:
        results = measure(args.repeat, state_dir)
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
    else:
        report(results)
    return 0


if __name__ == '__main__':
    sys.exit(main())
