"""How much a persisted flow costs, stock taskflow backend against ours.

Runs the same two-task linear flow N times in one process:

* ``memory``: taskflow with no persistence (the floor);
* ``taskflow-sqlalchemy``: taskflow's own SQLAlchemy backend on SQLite
  (WAL), the baseline;
* ``storagemgr``: ``storagemgr.flows.engine.run_flow``, which persists
  through storagemgr's held-connection backend and takes the flow's lock.

Prints ms per flow for each and the ratios. Run:

    python benchmarks/flow_persistence.py [--flows N]
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

from oslo_config import cfg
from taskflow import engines
from taskflow.patterns import linear_flow
from taskflow.persistence import backends as tf_backends
from taskflow.persistence import models as tf_models
from taskflow import task

from storagemgr import common_setup
from storagemgr.db import session as db_session
from storagemgr.flows import engine as flow_engine


class AddOne(task.Task):
    default_provides = 'value'

    def execute(self, start):
        return start + 1


class Double(task.Task):
    def execute(self, value):
        return value * 2


def make_flow():
    return linear_flow.Flow('bench').add(AddOne(), Double())


def _timed(label, runs, fn):
    fn(0)  # warm up: imports, first connection, statement caches
    started = time.perf_counter()
    for i in range(runs):
        fn(i)
    per_flow = (time.perf_counter() - started) * 1000.0 / runs
    print('%-22s %8.2f ms/flow  %8.1f flows/s' % (label, per_flow,
                                                  1000.0 / per_flow))
    return per_flow


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--flows', type=int, default=200)
    args = parser.parse_args(argv)
    state = tempfile.mkdtemp(prefix='sm-bench-')
    try:
        common_setup.parse_config([], config_files=[])
        cfg.CONF.set_override('state_path', state)
        url = 'sqlite:///%s/bench.sqlite' % state
        cfg.CONF.set_override('connection', url, group='database')
        db_session.get_engine()  # migrations, so both backends find tables

        memory = _timed('memory', args.flows, lambda i: engines.run(
            make_flow(), store={'start': i}))

        stock = tf_backends.fetch({'connection': url})

        def run_stock(i):
            book = tf_models.LogBook('bench')
            engine = engines.load_from_factory(
                make_flow, store={'start': i}, book=book, backend=stock)
            engine.run()
            stock.get_connection().destroy_logbook(book.uuid)

        baseline = _timed('taskflow-sqlalchemy', args.flows, run_stock)
        ours = _timed('storagemgr', args.flows, lambda i: flow_engine.run_flow(
            make_flow, store={'start': i}))
        print('storagemgr vs taskflow-sqlalchemy: %.1fx faster' %
              (baseline / ours))
        print('storagemgr overhead over memory: %.2f ms/flow' % (
            ours - memory))
    finally:
        shutil.rmtree(state, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
    sys.exit(main())
