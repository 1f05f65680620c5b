"""Host-assisted migration's use of the data copy service.

The copy is a ``storagemgr.data.copy.CopyJob`` named after the migration,
so a flow resumed after a crash finds the job's journal and carries on
where it stopped. Its progress goes to the migration row (for ``share
migration show``), at most once a second; a cancel is noticed by reading
the share's task state, at most twice a second.
"""

import threading
import time

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr.data import copy as data_copy
from storagemgr.data import errors as data_errors
from storagemgr.data import mounts
from storagemgr import exception
from storagemgr.share_migration import constants
from storagemgr.share_migration import records

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

_PROGRESS_EVERY = 1.0
_CANCEL_CHECK_EVERY = 0.5


def journal_dir():
    return CONF.data.copy_journal_dir


class _Throttled(object):
    """Call ``func`` at most every ``interval`` seconds (thread-safe)."""

    def __init__(self, func, interval, initial=None):
        self.func = func
        self.interval = interval
        self.last_at = None
        self.last = initial
        self.lock = threading.Lock()

    def __call__(self, *args, force=False):
        with self.lock:
            now = time.monotonic()
            if not force and self.last_at is not None and \
                    now - self.last_at < self.interval:
                return self.last
            self.last_at = now
            self.last = self.func(*args)
            return self.last


def _job(sides, source_root, destination_root):
    migration = sides.migration
    share_id = sides.share.id

    def cancelled():
        return records.task_state(share_id) == constants.CANCEL_IN_PROGRESS

    def progress(copied_bytes, total_bytes, copied_files, total_files):
        records.update(migration.id, {
            'bytes_copied': copied_bytes, 'bytes_total': total_bytes,
            'files_copied': copied_files, 'files_total': total_files})

    return data_copy.CopyJob(
        migration.id, source_root, destination_root, journal_dir(),
        preserve_metadata=migration.preserve_metadata,
        verify=CONF.data.copy_verify,
        cancelled=_Throttled(cancelled, _CANCEL_CHECK_EVERY, False),
        progress=_Throttled(progress, _PROGRESS_EVERY))


def _run(sides, source_info, destination_info, phase):
    """Mount both sides and run ``phase(job)``; record the figures."""
    share_id = sides.share.id
    with mounts.mounted(source_info, sides.source.id) as source_root, \
            mounts.mounted(destination_info,
                           sides.destination.id) as destination_root:
        job = _job(sides, source_root, destination_root)
        try:
            result = phase(job)
        except data_errors.DataCopyCancelled:
            raise exception.ShareMigrationCancelled(share_id=share_id)
    # Everything is at the destination now, copied by this run or not.
    records.update(sides.migration.id, {
        'bytes_copied': result.bytes_total,
        'bytes_total': result.bytes_total,
        'files_copied': result.files_total,
        'files_total': result.files_total})
    LOG.info('Share %(share)s: %(phase)s copied %(files)d of %(total)d '
             'files (%(bytes)d bytes), %(skipped)d already there%(v)s.',
             {'share': share_id, 'phase': phase.__name__,
              'files': result.files_copied, 'total': result.files_total,
              'bytes': result.bytes_copied,
              'skipped': result.files_skipped,
              'v': ', verified' if result.verified else ''})
    return result


def copy(sides, source_info, destination_info):
    """Phase 1: the whole tree, verified (resumes a journaled job)."""
    def run(job):
        return job.run()
    return _run(sides, source_info, destination_info, run)


def sync(sides, source_info, destination_info):
    """Phase 2 of a writable migration: what changed since phase 1."""
    def catch_up(job):
        return job.sync()
    return _run(sides, source_info, destination_info, catch_up)


def discard(migration_id):
    """Forget a copy job's journal (the migration ended)."""
    try:
        data_copy.CopyJob(migration_id, '/', '/', journal_dir()).discard()
    except Exception as e:
        LOG.warning('Could not remove the copy journal of migration '
                    '%(id)s: %(e)s', {'id': migration_id, 'e': e})
