"""Persisted flows: forgotten when finished, resumed when orphaned."""

import os
import subprocess
import sys
import time

from storagemgr.flows import engine
from storagemgr.tests import base
from storagemgr.tests.unit.flows import flow_fixtures


class RunFlowTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.marker = os.path.join(self.state_path, 'marks')

    def _marks(self):
        if not os.path.exists(self.marker):
            return []
        with open(self.marker) as f:
            return f.read().split()

    def test_success_returns_results_and_forgets_the_flow(self):
        result = engine.run_flow(flow_fixtures.make_counting_flow,
                                 store={'marker': self.marker, 'value': 4,
                                        'mode': 'ok'})
        self.assertEqual(50, result.storage.fetch('second'))
        self.assertEqual([], engine.find_unfinished_flows())

    def test_failure_reverts_raises_original_and_forgets(self):
        self.assertRaises(KeyError, engine.run_flow,
                          flow_fixtures.make_failing_flow,
                          store={'marker': self.marker, 'value': 1,
                                 'mode': 'ok'})
        self.assertEqual(['first', 'second', 'second-reverted'],
                         self._marks())
        self.assertEqual([], engine.find_unfinished_flows())


class ResumeTestCase(base.TestCase):
    """A flow whose process died is found and finished by another."""

    def setUp(self):
        super().setUp()
        self.marker = os.path.join(self.state_path, 'marks')
        self.url = 'sqlite:///%s/test.sqlite' % self.state_path
        # Create the schema before the child runs.
        engine.find_unfinished_flows()

    def _child(self, mode):
        return subprocess.Popen(
            [sys.executable, '-m',
             'storagemgr.tests.unit.flows.flow_fixtures',
             self.state_path, self.url, mode],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def _marks(self):
        with open(self.marker) as f:
            return f.read().split()

    def test_crashed_flow_is_resumed_from_where_it_stopped(self):
        child = self._child('crash')
        child.communicate(timeout=60)
        self.assertEqual(9, child.returncode)
        unfinished = engine.find_unfinished_flows()
        self.assertEqual(1, len(unfinished))
        book, flow_detail = unfinished[0]
        self.assertEqual({'test': 'crash'}, book.meta['resource'])

        open(self.marker + '.resumed', 'w').close()
        results = engine.resume_unfinished_flows()

        self.assertEqual(1, len(results))
        self.assertEqual('SUCCESS', results[0][1])
        # The first task ran once, before the crash; only the second ran
        # again.
        self.assertEqual(['first', 'second'], self._marks())
        self.assertEqual([], engine.find_unfinished_flows())

    def test_flow_of_a_live_process_is_left_alone(self):
        child = self._child('hang')
        self.addCleanup(child.kill)
        deadline = time.monotonic() + 30
        while not engine.find_unfinished_flows():
            self.assertLess(time.monotonic(), deadline, 'child never ran')
            time.sleep(0.05)
        while 'first' not in (open(self.marker).read()
                              if os.path.exists(self.marker) else ''):
            time.sleep(0.05)
        self.assertEqual([], engine.resume_unfinished_flows())
        self.assertEqual(1, len(engine.find_unfinished_flows()))
        child.kill()
        child.wait()
        open(self.marker + '.resumed', 'w').close()
        # Now its owner is gone: the flow is resumed, but would hang in
        # 'hang' mode, so check the lock is free instead of resuming.
        book, _fd = engine.find_unfinished_flows()[0]
        from storagemgr import coordination
        lock = coordination.get_lock('flow-' + book.uuid)
        self.assertTrue(lock.acquire(blocking=False))
        lock.release()

    def test_min_age_skips_young_flows(self):
        child = self._child('crash')
        child.communicate(timeout=60)
        self.assertEqual([], engine.resume_unfinished_flows(min_age=3600))
        self.assertEqual(1, len(engine.find_unfinished_flows()))
