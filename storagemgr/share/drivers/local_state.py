"""The local share driver's persistent records, in one JSON file.

Nothing else reads or writes the file. Each change rewrites it at once
(temporary file, fsync, rename), under an exclusive file lock, so another
process (the CLI next to the manager) or a restart always finds a
complete, current file.

Records are kept by kind (``shares``, ``snapshots``, ``share_groups``) and
id; a record is a plain dict of JSON values. A file written before a kind
existed reads as having none of it.
"""

import contextlib
import fcntl
import json
import os
import threading

from storagemgr import paths

SHARES = 'shares'
SNAPSHOTS = 'snapshots'
SHARE_GROUPS = 'share_groups'
_KINDS = (SHARES, SNAPSHOTS, SHARE_GROUPS)


class StateStore(object):
    """Records of one backend: get, list, put, delete."""

    def __init__(self, path):
        self.path = path
        self._lock_path = path + '.lock'
        self._thread_lock = threading.RLock()
        self._held = False

    @contextlib.contextmanager
    def locked(self):
        """Hold the store exclusively (re-entrant within a thread)."""
        with self._thread_lock:
            if self._held:
                yield
                return
            fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._held = True
                yield
            finally:
                self._held = False
                os.close(fd)

    def _read(self):
        try:
            with open(self.path) as f:
                data = json.load(f)
        except FileNotFoundError:
            data = {}
        for kind in _KINDS:
            data.setdefault(kind, {})
        return data

    def _write(self, data):
        paths.write_atomically(self.path, json.dumps(data, indent=1,
                                                     sort_keys=True))

    def get(self, kind, record_id):
        """The record, or None."""
        with self.locked():
            return self._read()[kind].get(record_id)

    def list(self, kind):
        """``{id: record}`` of every record of ``kind``."""
        with self.locked():
            return self._read()[kind]

    def put(self, kind, record_id, record):
        """Create or replace a record."""
        with self.locked():
            data = self._read()
            data[kind][record_id] = record
            self._write(data)

    def update(self, kind, record_id, **values):
        """Merge ``values`` into a record (created when missing)."""
        with self.locked():
            data = self._read()
            data[kind].setdefault(record_id, {}).update(values)
            self._write(data)
            return data[kind][record_id]

    def delete(self, kind, record_id):
        """Remove a record; a missing one is not an error."""
        with self.locked():
            data = self._read()
            if data[kind].pop(record_id, None) is not None:
                self._write(data)
