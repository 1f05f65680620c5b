"""A copy killed with SIGKILL resumes where it stopped.

A child process copies a tree of a few hundred files with one worker;
while copying file number STOP_AFTER + 1 it writes part of it, says so
(a marker file) and hangs, and is killed with SIGKILL. A new CopyJob with
the same id then copies exactly the files the child had not finished,
the half-written one included, and the trees end identical.
"""

import os
import signal
import subprocess
import sys
import time

from storagemgr.data import copy
from storagemgr.tests.unit.data import base

FILES = 300
STOP_AFTER = 120

CHILD = r'''
import os, sys, time
from oslo_config import cfg
from storagemgr import conf  # registers the options, as the CLI does
from storagemgr.data import copy
cfg.CONF([], project='storagemgr')
src, dst, journals, marker, stop_after = sys.argv[1:6]
job = copy.CopyJob('killed', src, dst, journals, workers=1)
real = job.mover.copy
calls = []

def copy_then_hang(src_fd, dst_fd, size, sparse, step=None):
    calls.append(size)
    if len(calls) > int(stop_after):
        os.write(dst_fd, b'half a file')
        open(marker, 'w').close()
        time.sleep(600)
    return real(src_fd, dst_fd, size, sparse, step)

job.mover.copy = copy_then_hang
job.run()
'''


class KillTestCase(base.TreeTestCase):

    def test_sigkill_mid_copy_then_resume(self):
        for index in range(FILES):
            self.write('d%d/f%03d' % (index % 7, index),
                       os.urandom(1000 + index))
        marker = os.path.join(self.state_path, 'in-flight')
        child = subprocess.Popen(
            [sys.executable, '-c', CHILD, self.src, self.dst, self.journals,
             marker, str(STOP_AFTER)],
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(
                os.path.dirname(os.path.dirname(os.path.abspath(
                    copy.__file__)))))))
        self.addCleanup(child.wait)
        self.addCleanup(lambda: child.poll() is None and child.kill())
        deadline = time.monotonic() + 60
        while not os.path.exists(marker):
            self.assertIsNone(child.poll(), 'the child ended early')
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        self.assertEqual(-signal.SIGKILL, child.wait())

        job = copy.CopyJob('killed', self.src, self.dst, self.journals)
        real = job.mover.copy
        sizes = []

        def counting(src_fd, dst_fd, size, sparse, step=None):
            sizes.append(size)
            return real(src_fd, dst_fd, size, sparse, step)

        job.mover.copy = counting
        result = job.run()
        self.assertEqual((FILES, FILES - STOP_AFTER, STOP_AFTER),
                         (result.files_total, result.files_copied,
                          result.files_skipped))
        # Largest first: the child finished the STOP_AFTER largest.
        self.assertEqual(
            [1000 + i for i in range(FILES - STOP_AFTER - 1, -1, -1)],
            sorted(sizes, reverse=True))
        self.assertSameTree(self.src, self.dst)
