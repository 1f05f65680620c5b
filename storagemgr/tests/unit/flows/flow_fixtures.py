"""Flows for the engine tests, runnable in a child process.

``python -m storagemgr.tests.unit.flows.flow_fixtures STATE_PATH DB_URL
MODE`` runs ``make_counting_flow`` there; MODE ``crash`` kills the process
inside the second task, ``hang`` sleeps there, ``ok`` finishes.
"""

import os
import sys
import time

from taskflow.patterns import linear_flow

from storagemgr.flows import tasks


def _mark(path, text):
    with open(path, 'a') as f:
        f.write(text + '\n')


class FirstStep(tasks.StorageTask):
    default_provides = 'first'

    def execute(self, marker, value):
        _mark(marker, 'first')
        return value + 1


class SecondStep(tasks.StorageTask):
    default_provides = 'second'

    def execute(self, marker, first, mode):
        if mode == 'crash' and not os.path.exists(marker + '.resumed'):
            os._exit(9)
        if mode == 'hang':
            time.sleep(60)
        _mark(marker, 'second')
        return first * 10

    def revert(self, marker, **kwargs):
        _mark(marker, 'second-reverted')


class FailingStep(tasks.StorageTask):
    def execute(self, marker):
        raise KeyError('a foreign exception')


def make_counting_flow():
    return linear_flow.Flow('counting').add(FirstStep(), SecondStep())


def make_failing_flow():
    return linear_flow.Flow('failing').add(FirstStep(), SecondStep(),
                                           FailingStep())


def main(argv):
    state_path, url, mode = argv
    from oslo_config import cfg

    from storagemgr import common_setup
    from storagemgr.flows import engine
    common_setup.parse_config([], config_files=[])
    cfg.CONF.set_override('state_path', state_path)
    cfg.CONF.set_override('connection', url, group='database')
    cfg.CONF.set_override('backend_url', 'file://%s/locks' % state_path,
                          group='coordination')
    # Import ourselves by name: a factory recorded as __main__.* could not
    # be found again by the resuming process.
    from storagemgr.tests.unit.flows import flow_fixtures
    engine.run_flow(flow_fixtures.make_counting_flow,
                    store={'marker': os.path.join(state_path, 'marks'),
                           'value': 1, 'mode': mode},
                    resource={'test': mode})


if __name__ == '__main__':
    main(sys.argv[1:])
