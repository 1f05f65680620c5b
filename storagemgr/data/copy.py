"""CopyJob: copy a share's tree to another, verified and resumable.

A run goes:

1. both roots are opened once (``paths.Tree``); every later name is
   resolved beneath them by the kernel, refusing symlinks, so nothing a
   share's user put in the tree can make the copy read or write outside;
2. the journal of an earlier run of the same job is read
   (``journal.Journal``);
3. the source is listed (``walk.scan``); destination entries the source
   does not have (or has with another type) are removed;
4. directories are created (parents first, mode 0700 while being filled);
5. files are copied by ``workers`` threads, largest first; each file is
   copied (``transfer.Mover``: reflink, copy_file_range, sendfile,
   read/write; sparse-aware), hashed at both ends when verifying, given
   its metadata, then journaled. A file already journaled with the
   source's current size and mtime, and present at the destination with
   that size, is skipped;
6. symlinks (as links, target unchanged and never followed), hard links,
   fifos and devices;
7. directories' metadata, deepest first, so that filling a directory does
   not move its mtime afterwards.

``sync()`` does the same for phase 2 of a writable migration: the journal
tells what was copied and from which source state, so only new or changed
files move; files whose mtime was too recent to be trusted (see
``journal.RACY_NS``) are copied again.

Threads: the data moves in the kernel (copy_file_range and the reads
release the GIL) and xxhash's ``update()`` releases the GIL too (its C
source wraps XXH3_128bits_update in Py_BEGIN_ALLOW_THREADS; measured: a
pure-Python thread keeps ~95% of its speed while another hashes), so the
workers overlap for real. The one-shot ``xxh3_128_hexdigest`` keeps the
GIL; it is only used for files up to ``transfer.SMALL_FILE`` (256 KiB,
tens of microseconds). ``cancelled()`` is called at most every
``check_interval`` seconds, from whichever worker gets there, and between
chunks of a large file; ``progress()`` at most every ``progress_interval``
seconds and once at the end.
"""

import collections
import concurrent.futures
import errno
import os
import stat
import threading
import time

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr.data import errors
from storagemgr.data import journal as journal_mod
from storagemgr.data import metadata
from storagemgr.data import paths
from storagemgr.data import transfer
from storagemgr.data import tree_ops
from storagemgr.data import walk

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

# Names importers use.
DataCopyFailed = errors.DataCopyFailed
DataCopyCancelled = errors.DataCopyCancelled

CopyResult = collections.namedtuple(
    'CopyResult', ['files_total', 'files_copied', 'files_skipped',
                   'bytes_total', 'bytes_copied', 'verified'])

# A file whose source keeps changing while it is copied is tried this many
# times; after that it is left out of the journal, for sync() to copy once
# the source is read-only.
ATTEMPTS = 3
# Top-level names of a filesystem root that belong to the filesystem.
IGNORE_TOP = ('lost+found',)

_SRC_FLAGS = tree_ops.SRC_FLAGS
_DST_FLAGS = os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_NONBLOCK


class _Stop(Exception):
    """Another worker failed or the job was cancelled: stop quietly."""


class _Skip(Exception):
    """The source entry vanished or changed type since it was listed."""


class CopyJob(object):

    check_interval = 0.1
    progress_interval = 0.25

    def __init__(self, job_id, source_root, destination_root, journal_dir,
                 preserve_metadata=False, verify=True, workers=None,
                 cancelled=lambda: False,
                 progress=lambda copied_bytes, total_bytes, copied_files,
                 total_files: None):
        self.job_id = job_id
        self.source_root = source_root
        self.destination_root = destination_root
        self.preserve_metadata = preserve_metadata
        self.verify = verify
        self.workers = workers or CONF.data.copy_workers
        self.cancelled = cancelled
        self.progress = progress
        self.checkpoint_interval = \
            CONF.data.copy_journal_checkpoint_interval
        self.journal = journal_mod.Journal(journal_dir, job_id)
        self.mover = transfer.Mover()

    # -- the public calls --------------------------------------------------

    def run(self):
        """Copy the whole tree (skipping what a killed run finished)."""
        return self._execute(phase='run')

    def sync(self):
        """Copy what changed since run(), remove what is gone; verified."""
        return self._execute(phase='sync')

    def discard(self):
        """Forget the journal (the copy is over, or abandoned)."""
        self.journal.discard()

    # -- one execution -----------------------------------------------------

    def _execute(self, phase):
        self._reset()
        try:
            src = paths.Tree(self.source_root)
        except OSError as e:
            raise DataCopyFailed(reason='source %s: %s' % (
                self.source_root, e.strerror))
        try:
            dst = paths.Tree(self.destination_root)
        except OSError as e:
            src.close()
            raise DataCopyFailed(reason='destination %s: %s' % (
                self.destination_root, e.strerror))
        try:
            _refuse_nesting(src.root, dst.root)
            self.src, self.dst = src, dst
            return self._execute_in(phase)
        finally:
            if self._checkpointer is not None:
                self._checkpointer.stop()
                self._checkpointer = None
            self.journal.close()
            src.close()
            dst.close()

    def _reset(self):
        self.applier = metadata.Applier(self.preserve_metadata)
        self._lock = threading.Lock()
        self._abort = threading.Event()
        self._cancel_seen = False
        self._last_check = 0.0
        self._last_progress = 0.0
        self._done_bytes = 0       # skipped + copied so far, for progress
        self._done_files = 0
        self._copied_bytes = 0
        self._copied_files = 0
        self._skipped_files = 0
        self._noatime = True
        self._checkpointer = None

    def _execute_in(self, phase):
        previous = self.journal.load(self.src.root, self.dst.root)
        try:
            listing = walk.scan(self.src, IGNORE_TOP)
        except OSError as e:
            raise DataCopyFailed(reason='listing %s: %s' % (
                e.filename or self.src.root, e.strerror))
        self.journal.open(self.src.root, self.dst.root, previous)
        if self.checkpoint_interval:
            self._checkpointer = journal_mod.Checkpoints(
                self.journal, self.dst.root, self.checkpoint_interval,
                'copy-checkpoint-%s' % self.job_id)
        self._total_bytes = listing.bytes_total
        self._total_files = (len(listing.files) + len(listing.hardlinks) +
                             len(listing.links) + len(listing.specials))
        self._check()
        self._guard(self._prune, listing)
        self._guard(self._make_dirs, listing.dirs)
        todo = self._select(listing.files, previous, phase == 'sync')
        self._copy_files(todo)
        self._guard(self._make_links, listing.links)
        self._guard(self._make_hardlinks, listing.hardlinks)
        self._guard(self._make_specials, listing.specials)
        self._guard(self._finish_dirs, listing.dirs)
        self._report(force=True)
        return CopyResult(
            files_total=self._total_files,
            files_copied=self._copied_files,
            files_skipped=self._skipped_files,
            bytes_total=self._total_bytes,
            bytes_copied=self._copied_bytes,
            verified=bool(self.verify))

    def _guard(self, step, *args):
        """Run a sequential step, turning OS errors into DataCopyFailed."""
        try:
            return step(*args)
        except OSError as e:
            raise DataCopyFailed(reason='%s: %s' % (
                e.filename or step.__name__.strip('_'), e.strerror))

    # -- cancellation and progress -----------------------------------------

    def _check(self):
        if self._abort.is_set():
            if self._cancel_seen:
                raise DataCopyCancelled(job=self.job_id)
            raise _Stop()
        now = time.monotonic()
        with self._lock:
            if now - self._last_check < self.check_interval:
                return
            self._last_check = now
            cancelled = self.cancelled()
            if cancelled:
                self._cancel_seen = True
                self._abort.set()
        if cancelled:
            LOG.info('Copy job %s cancelled.', self.job_id)
            raise DataCopyCancelled(job=self.job_id)

    def _moved(self, nbytes):
        with self._lock:
            self._done_bytes += nbytes
        self._report()
        self._check()

    def _report(self, force=False):
        now = time.monotonic()
        with self._lock:
            if not force and now - self._last_progress < \
                    self.progress_interval:
                return
            self._last_progress = now
            figures = (self._done_bytes, self._total_bytes,
                       self._done_files, self._total_files)
            # Called under the lock: two workers never report at once,
            # nor out of order.
            self.progress(*figures)

    # -- destination clean-up ----------------------------------------------

    def _prune(self, listing):
        """Remove what the source lacks, or has with another type."""
        tree_ops.prune(listing, self.dst, IGNORE_TOP)

    # -- directories -------------------------------------------------------

    def _make_dirs(self, dirs):
        for rel, _st in dirs[1:]:   # the root is there, and stays as it is
            tree_ops.make_dir(self.dst, rel)

    def _finish_dirs(self, dirs):
        tree_ops.finish_dirs(self.src, self.dst, dirs, self.applier)

    # -- regular files -----------------------------------------------------

    def _select(self, files, previous, syncing):
        """The files to copy, largest first; counts the skipped ones."""
        todo = []
        for rel, st in files:
            entry = previous.get(rel)
            if entry is not None and entry.matches(st) and \
                    not (syncing and entry.racy) and \
                    not (self.verify and entry.hash is None) and \
                    self._present(rel, entry.size):
                self._skipped_files += 1
                self._done_files += 1
                self._done_bytes += st.st_size
                continue
            todo.append((rel, st))
        todo.sort(key=lambda item: item[1].st_size, reverse=True)
        return todo

    def _present(self, rel, size):
        try:
            st = tree_ops.entry_stat(self.dst, rel)
        except OSError:
            return False
        return st is not None and stat.S_ISREG(st.st_mode) and \
            st.st_size == size

    def _copy_files(self, todo):
        if not todo:
            return
        queue = collections.deque(todo)
        workers = min(self.workers, len(todo))

        def worker():
            while True:
                try:
                    rel, st = queue.popleft()
                except IndexError:
                    return
                try:
                    self._copy_file(rel)
                except BaseException:
                    self._abort.set()
                    raise

        with concurrent.futures.ThreadPoolExecutor(
                max_workers=workers,
                thread_name_prefix='copy-%s' % self.job_id) as pool:
            futures = [pool.submit(worker) for _ in range(workers)]
        failure = None
        for future in futures:
            error = future.exception()
            if error is None or isinstance(error, _Stop):
                continue
            # The first real failure wins; a cancel wins over the errors
            # it may cause elsewhere.
            if failure is None or isinstance(error, DataCopyCancelled):
                failure = error
        if failure is not None:
            raise failure
        if self._cancel_seen:
            raise DataCopyCancelled(job=self.job_id)

    def _copy_file(self, rel):
        for attempt in range(1, ATTEMPTS + 1):
            self._check()
            try:
                outcome = self._copy_once(rel, last=attempt == ATTEMPTS)
            except _Skip:
                outcome = 'skipped'
            except (_Stop, DataCopyCancelled, DataCopyFailed):
                raise
            except OSError as e:
                raise DataCopyFailed(reason='%s: %s' % (
                    rel, e.strerror or e))
            if outcome != 'changed':
                return
        LOG.warning('Copy job %(job)s: %(file)s kept changing while it was '
                    'copied; it is copied again by the final sync.',
                    {'job': self.job_id, 'file': rel})

    def _open_source(self, rel):
        flags = _SRC_FLAGS | (os.O_NOATIME if self._noatime else 0)
        try:
            fd = tree_ops.open_entry(self.src, rel, flags)
        except PermissionError:
            if not self._noatime:
                raise
            # O_NOATIME needs ownership or CAP_FOWNER.
            self._noatime = False
            fd = tree_ops.open_entry(self.src, rel, _SRC_FLAGS)
        if fd is None:
            raise _Skip()  # gone, or now a symlink
        return fd

    def _open_destination(self, rel):
        try:
            return self.dst.open(rel, _DST_FLAGS, 0o600)
        except OSError as e:
            if e.errno not in (errno.EISDIR, errno.ELOOP, errno.ENXIO):
                raise
        tree_ops.remove(self.dst, rel)  # a directory, link or fifo in the way
        return self.dst.open(rel, _DST_FLAGS, 0o600)

    def _copy_once(self, rel, last):
        """Copy one file: 'copied', or 'changed' (nothing journaled).

        'changed': the source moved under the copy.
        """
        started_ns = time.time_ns()
        src_fd = self._open_source(rel)
        try:
            st = os.fstat(src_fd)
            if not stat.S_ISREG(st.st_mode):
                raise _Skip()
            dst_fd = self._open_destination(rel)
            try:
                return self._transfer(rel, src_fd, dst_fd, st, started_ns,
                                      last)
            finally:
                os.close(dst_fd)
        finally:
            os.close(src_fd)

    def _transfer(self, rel, src_fd, dst_fd, st, started_ns, last):
        size = st.st_size
        moved = [0]

        def step(nbytes):
            moved[0] += nbytes
            self._moved(nbytes)

        try:
            self.mover.copy(src_fd, dst_fd, size, transfer.is_sparse(st),
                            step)
            digest = None
            if self.verify:
                source_digest = transfer.hash_fd(src_fd, size, step)
                digest = transfer.hash_fd(dst_fd, size, step)
        except transfer.SourceShrank:
            changed = True
        else:
            changed = tree_ops.changed(st, os.fstat(src_fd))
        if changed:
            self._moved(-moved[0])
            if not last:
                return 'changed'
        elif self.verify and source_digest != digest:
            raise DataCopyFailed(reason='%s: verification failed, source '
                                 'xxh3-128 %s, destination %s' % (
                                     rel, source_digest, digest))
        self.applier.apply_fd(src_fd, dst_fd, st, rel)
        with self._lock:
            self._copied_files += 1
            self._copied_bytes += size
            self._done_files += 1
            if changed:
                self._done_bytes += moved[0]
        if changed:
            return 'changed'
        self.journal.append(rel, journal_mod.Entry(
            size, st.st_mtime_ns, digest,
            st.st_mtime_ns > started_ns - journal_mod.RACY_NS))
        self._report()
        return 'copied'

    # -- links and special files -------------------------------------------

    def _made(self, outcome):
        if outcome == tree_ops.GONE:
            return
        if outcome == tree_ops.MADE:
            self._copied_files += 1
        else:
            self._skipped_files += 1
        self._done_files += 1

    def _make_links(self, links):
        for rel, target, st in links:
            self._check()
            self._made(tree_ops.make_symlink(self.src, self.dst, rel, target,
                                             st, self.applier))

    def _make_hardlinks(self, hardlinks):
        for rel, first, _st in hardlinks:
            self._check()
            self._made(tree_ops.make_hardlink(self.dst, rel, first))

    def _make_specials(self, specials):
        for rel, st in specials:
            self._check()
            self._made(tree_ops.make_special(self.dst, rel, st,
                                             self.applier))


def _refuse_nesting(source, destination):
    """A tree copied into itself (or over its parent) never ends well."""
    if source == destination:
        raise DataCopyFailed(reason='source and destination are both %s'
                             % source)
    for inner, outer in ((source, destination), (destination, source)):
        if inner.startswith(outer.rstrip('/') + '/'):
            raise DataCopyFailed(reason='%s is inside %s' % (inner, outer))
