"""Locks through tooz: file locks by default, Redis when reachable."""

import socket

import testscenarios

from storagemgr import coordination
from storagemgr.tests import base

load_tests = testscenarios.load_tests_apply_scenarios


def _redis_reachable():
    try:
        socket.create_connection(('127.0.0.1', 6379), timeout=1).close()
        return True
    except OSError:
        return False


class LockTestCase(base.TestCase):

    scenarios = [('file', {'backend': 'file'}),
                 ('redis', {'backend': 'redis'})]

    def setUp(self):
        super().setUp()
        if self.backend == 'redis':
            if not _redis_reachable():
                self.skipTest('Redis is not reachable')
            self.flags(backend_url='redis://127.0.0.1:6379',
                       group='coordination')

    def _second_member_lock(self, name):
        # A second coordinator stands for another process or host.
        second = coordination._make_coordinator()
        self.addCleanup(second.stop)
        return second.get_lock(('storagemgr-' + name).encode())

    def test_lock_excludes_other_members(self):
        name = 'test-%s' % self.getUniqueString()
        lock = coordination.get_lock(name)
        self.assertTrue(lock.acquire(blocking=False))
        try:
            other = self._second_member_lock(name)
            self.assertFalse(other.acquire(blocking=False))
        finally:
            lock.release()
        other = self._second_member_lock(name)
        self.assertTrue(other.acquire(blocking=False))
        other.release()

    def test_context_manager(self):
        with coordination.get_lock('ctx-%s' % self.getUniqueString()):
            pass
