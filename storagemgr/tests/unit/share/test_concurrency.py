"""Two callers racing for the same share: never both win."""

import threading

import ddt

from storagemgr import exception
from storagemgr.tests.unit.share import base


@ddt.ddt
class ConcurrentTransitionsTestCase(base.ShareTestCase):

    def race(self, *calls):
        """Run the calls in threads released together; collect outcomes."""
        barrier = threading.Barrier(len(calls))
        outcomes = [None] * len(calls)

        def run(index, func, args):
            barrier.wait()
            try:
                func(*args)
                outcomes[index] = 'ok'
            except exception.InvalidState:
                outcomes[index] = 'refused'
            except Exception as e:
                outcomes[index] = repr(e)

        threads = [threading.Thread(target=run, args=(i, f, a))
                   for i, (f, a) in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return outcomes

    @ddt.data('delete_vs_resize', 'resize_vs_resize', 'delete_vs_delete',
              'revert_vs_delete_snapshot')
    def test_one_winner(self, scenario):
        share = self.make_share(size=2)
        snapshot = self.make_snapshot(share['id'])
        # Slow the driver down so both callers overlap.
        for method in ('delete_share', 'extend_share', 'shrink_share',
                       'revert_to_snapshot', 'delete_snapshot'):
            self.fault(method, delay=0.2)
        self.driver.sleep = __import__('time').sleep
        if scenario != 'revert_vs_delete_snapshot':
            self.api.delete_snapshot(snapshot['id'])
        calls = {
            'delete_vs_resize': [(self.api.delete, (share['id'],)),
                                 (self.api.resize, (share['id'], 3))],
            'resize_vs_resize': [(self.api.resize, (share['id'], 3)),
                                 (self.api.resize, (share['id'], 1))],
            'delete_vs_delete': [(self.api.delete, (share['id'],)),
                                 (self.api.delete, (share['id'],))],
            'revert_vs_delete_snapshot': [
                (self.api.revert, (snapshot['id'],)),
                (self.api.delete_snapshot, (snapshot['id'],))],
        }[scenario]
        outcomes = self.race(*calls)
        self.assertEqual(['ok', 'refused'], sorted(outcomes), outcomes)
        self.assertNoTransitionalRows()
        for row in self.shares():
            self.assertEqual('available', row.status)
