"""A copy job's journal: which files are done, so a new run can skip them.

One append-only file per job, ``<journal_dir>/<job_id>.journal``, one JSON
line per event:

* the header: ``{"v": 1, "job": ..., "source": ..., "destination": ...,
  "boot": <boot id>}``; a journal of another source or destination is
  started again from scratch;
* a finished file: ``{"p": relative path, "s": size, "m": mtime_ns,
  "h": xxh3-128 hex or null, "r": racy}``, written (one ``write``) as soon
  as the file, its metadata and its verification are done, so a killed
  process loses only the files in flight. ``r``: the source was modified
  less than RACY_NS before its copy began, so size and mtime alone cannot
  prove it unchanged later (the filesystem clock is coarse); ``sync``
  copies such files again;
* a checkpoint: ``{"c": n}``, written after the destination filesystem
  was synced: the first ``n`` files are on disk, not only in the page
  cache.

After a process crash the page cache survives and every line holds.
After a reboot (the boot id differs) only the files before the last
checkpoint are trusted. A torn last line (a kill in the middle of a write)
is ignored.
"""

import ctypes
import json
import os
import threading

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

VERSION = 1
RACY_NS = 2 * 10 ** 9


def boot_id():
    try:
        with open('/proc/sys/kernel/random/boot_id') as f:
            return f.read().strip()
    except OSError:
        return None


class Entry(object):
    __slots__ = ('size', 'mtime_ns', 'hash', 'racy')

    def __init__(self, size, mtime_ns, hash_, racy):
        self.size = size
        self.mtime_ns = mtime_ns
        self.hash = hash_
        self.racy = racy

    def matches(self, st):
        return self.size == st.st_size and self.mtime_ns == st.st_mtime_ns


class Journal(object):

    def __init__(self, journal_dir, job_id):
        if not job_id or '/' in str(job_id) or str(job_id).startswith('.'):
            raise ValueError('bad copy job id %r' % (job_id,))
        self.dir = journal_dir
        self.path = os.path.join(journal_dir, '%s.journal' % job_id)
        self.job_id = str(job_id)
        self.fd = None
        self.count = 0
        self._lock = threading.Lock()

    def load(self, source, destination):
        """Entries of a previous run of this job, {relpath: Entry}."""
        header = None
        records = []
        trusted = 0
        try:
            with open(self.path, 'rb') as f:
                lines = f.read().split(b'\n')
        except FileNotFoundError:
            return {}
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a torn last line, or the empty one after '\n'
            if header is None:
                header = record
            elif 'p' in record:
                records.append((record['p'], Entry(
                    record['s'], record['m'], record.get('h'),
                    record.get('r', False))))
            elif 'c' in record:
                trusted = record['c']
        if header is None or header.get('v') != VERSION or \
                header.get('source') != source or \
                header.get('destination') != destination:
            LOG.info('Copy journal %s belongs to another copy; starting '
                     'over.', self.path)
            return {}
        if header.get('boot') != boot_id():
            # Written before a reboot: the page cache is gone, only
            # checkpointed files are known to be on disk.
            records = records[:trusted]
        return dict(records)

    def open(self, source, destination, entries):
        """Start writing: a fresh file holding what ``load`` kept."""
        os.makedirs(self.dir, mode=0o700, exist_ok=True)
        tmp = self.path + '.new'
        header = {'v': VERSION, 'job': self.job_id, 'source': source,
                  'destination': destination, 'boot': boot_id()}
        lines = [json.dumps(header)]
        lines.extend(_line(p, e) for p, e in entries.items())
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC |
                     os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, ('\n'.join(lines) + '\n').encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)
        _fsync_dir(self.dir)
        self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND |
                          os.O_CLOEXEC)
        self.count = len(entries)

    def append(self, relpath, entry):
        data = (_line(relpath, entry) + '\n').encode()
        with self._lock:
            # One write of a whole line on an O_APPEND descriptor: a kill
            # leaves either the line or a torn tail that load() skips.
            os.write(self.fd, data)
            self.count += 1

    def checkpoint(self, count):
        """Record that the first ``count`` files are on disk."""
        with self._lock:
            if self.fd is None:
                return
            os.write(self.fd, (json.dumps({'c': count}) + '\n').encode())
            os.fdatasync(self.fd)

    def close(self):
        with self._lock:
            if self.fd is not None:
                os.close(self.fd)
                self.fd = None

    def discard(self):
        self.close()
        for path in (self.path, self.path + '.new'):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass


class Checkpoints(object):
    """Checkpoint ``journal`` every ``interval`` seconds until ``stop()``.

    From a thread of its own: each time, the count of files journaled so
    far is taken, the filesystem of ``destination`` is synced, and that
    count is checkpointed. A failure is logged and ends the checkpoints,
    not the copy (a reboot then trusts fewer files).
    """

    def __init__(self, journal, destination, interval, name):
        self.journal = journal
        self._stop = threading.Event()
        dst_fd = os.open(destination, os.O_RDONLY | os.O_DIRECTORY)
        self._thread = threading.Thread(
            target=self._loop, args=(dst_fd, interval), daemon=True,
            name=name)
        self._thread.start()

    def _loop(self, dst_fd, interval):
        try:
            while not self._stop.wait(interval):
                count = self.journal.count
                _syncfs(dst_fd)
                self.journal.checkpoint(count)
        except Exception:
            LOG.exception('Copy job %s: journal checkpoint failed.',
                          self.journal.job_id)
        finally:
            os.close(dst_fd)

    def stop(self):
        self._stop.set()
        self._thread.join()


def _syncfs(fd):
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.syncfs(fd) == 0:
            return
    except (OSError, AttributeError):
        pass
    os.sync()


def _line(relpath, entry):
    return json.dumps({'p': relpath, 's': entry.size, 'm': entry.mtime_ns,
                       'h': entry.hash, 'r': entry.racy})


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
