"""The copy journal: what survives a kill, a torn line, a reboot."""

import os
import threading

from storagemgr.data import journal
from storagemgr.tests.unit.data import base


class JournalTestCase(base.TreeTestCase):

    def _journal(self, entries=None):
        jnl = journal.Journal(self.journals, 'job-1')
        jnl.open(self.src, self.dst, entries or {})
        self.addCleanup(jnl.close)
        return jnl

    def test_entries_survive_a_new_instance(self):
        jnl = self._journal()
        jnl.append('a/b', journal.Entry(3, 7, 'ab', False))
        jnl.append('c\nd', journal.Entry(0, 8, None, True))
        jnl.close()
        loaded = journal.Journal(self.journals, 'job-1').load(self.src,
                                                              self.dst)
        self.assertEqual({'a/b', 'c\nd'}, set(loaded))
        self.assertEqual((3, 7, 'ab', False), (
            loaded['a/b'].size, loaded['a/b'].mtime_ns, loaded['a/b'].hash,
            loaded['a/b'].racy))

    def test_torn_last_line_is_ignored(self):
        jnl = self._journal()
        jnl.append('done', journal.Entry(1, 1, None, False))
        jnl.close()
        with open(jnl.path, 'ab') as f:
            f.write(b'{"p": "torn", "s": 4')
        loaded = journal.Journal(self.journals, 'job-1').load(self.src,
                                                              self.dst)
        self.assertEqual(['done'], list(loaded))

    def test_another_copy_starts_over(self):
        jnl = self._journal()
        jnl.append('done', journal.Entry(1, 1, None, False))
        jnl.close()
        other = journal.Journal(self.journals, 'job-1')
        self.assertEqual({}, other.load(self.src, self.state_path))

    def test_after_a_reboot_only_checkpointed_files_count(self):
        jnl = self._journal()
        jnl.append('synced', journal.Entry(1, 1, None, False))
        jnl.checkpoint(1)
        jnl.append('cached', journal.Entry(1, 1, None, False))
        jnl.close()
        reader = journal.Journal(self.journals, 'job-1')
        self.assertEqual({'synced', 'cached'},
                         set(reader.load(self.src, self.dst)))
        self.patch(journal, 'boot_id', lambda: 'another-boot')
        self.assertEqual(['synced'], list(reader.load(self.src, self.dst)))

    def test_discard_removes_the_file(self):
        jnl = self._journal()
        jnl.discard()
        self.assertFalse(os.path.exists(jnl.path))
        jnl.discard()  # twice is fine

    def test_job_id_cannot_name_another_file(self):
        for bad in ('', '../x', 'a/b', '.hidden'):
            self.assertRaises(ValueError, journal.Journal, self.journals,
                              bad)

    def test_checkpoints_come_from_their_thread_until_stopped(self):
        jnl = self._journal()
        jnl.append('a', journal.Entry(1, 1, None, False))
        checkpointed = threading.Event()
        real = jnl.checkpoint

        def checkpoint(count):
            real(count)
            checkpointed.set()

        synced = []
        self.patch(jnl, 'checkpoint', checkpoint)
        self.patch(journal, '_syncfs', synced.append)
        checkpoints = journal.Checkpoints(jnl, self.dst, 0.001, 'test')
        self.assertTrue(checkpointed.wait(60))
        checkpoints.stop()
        self.assertFalse(checkpoints._thread.is_alive())
        jnl.close()
        with open(jnl.path) as f:
            self.assertIn('{"c": 1}', f.read().splitlines())
        self.assertNotEqual([], synced)
