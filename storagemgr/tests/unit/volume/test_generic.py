"""The generic per-volume group operations and their bounded pool."""

import threading
import time

from storagemgr.tests import base
from storagemgr.tests.unit.volume import fakes
from storagemgr.volume import generic


class TestBoundedPool(base.TestCase):

    def test_never_more_than_the_configured_workers(self):
        api, driver = fakes.make_api(self, extra='group_member_workers=4\n')
        lock = threading.Lock()
        state = {'now': 0, 'peak': 0}

        def member_call(member):
            with lock:
                state['now'] += 1
                state['peak'] = max(state['peak'], state['now'])
            time.sleep(0.01)
            with lock:
                state['now'] -= 1
            return member['id']

        results = generic.run_per_member(
            driver, member_call, [{'id': str(i)} for i in range(20)])
        self.assertEqual([str(i) for i in range(20)],
                         [result for _m, result, _e in results])
        self.assertLessEqual(state['peak'], 4)
        self.assertGreater(state['peak'], 1)

    def test_not_implemented_falls_back(self):
        api, driver = fakes.make_api(self)
        label, returned, error = generic.call_group_method(
            driver, 'create_consistencygroup', None, {'id': 'g'})
        self.assertIn('generic', label)
        self.assertEqual({'status': 'available'}, returned)
        self.assertIsNone(error)
