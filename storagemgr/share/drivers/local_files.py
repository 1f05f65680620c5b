"""File-tree operations of the local share driver.

Snapshots and clones are copies of a directory tree: reflinks (shared
extents, near instant, no extra space) where the filesystem supports them
through ``cp --reflink=auto``, a plain copy otherwise. Every copy lands in
a temporary sibling first and is renamed into place, so a crash never
leaves a half-made snapshot under its final name.
"""

import contextlib
import glob
import math
import os
import shutil
import subprocess
import uuid

from oslo_log import log as logging

from storagemgr import exception

LOG = logging.getLogger(__name__)

GiB = 1024 ** 3
CP = 'cp'


def _cp_contents(src, dst):
    """``cp -a --reflink=auto src/. dst``; False when cp is unusable."""
    try:
        result = subprocess.run(
            [CP, '-a', '--reflink=auto', '--', os.path.join(src, '.'), dst],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    except OSError as e:
        LOG.debug('cp is not usable (%s); copying in Python.', e)
        return False
    if result.returncode != 0:
        LOG.debug('cp --reflink=auto failed (%s); copying in Python.',
                  result.stderr.decode(errors='replace').strip())
        return False
    return True


def copy_contents(src, dst, use_cp=True):
    """Copy everything inside ``src`` into the existing directory ``dst``.

    :returns: 'cp' or 'python', how the copy was made.
    """
    if use_cp and _cp_contents(src, dst):
        return 'cp'
    shutil.copytree(src, dst, symlinks=True, dirs_exist_ok=True)
    shutil.copystat(src, dst)
    return 'python'


def clone_tree(src, dst, use_cp=True):
    """Create ``dst`` as a copy of ``src``, atomically.

    An existing ``dst`` is left alone (a previous run finished).
    :returns: how the copy was made, or 'exists'.
    """
    if os.path.isdir(dst):
        return 'exists'
    if not os.path.isdir(src):
        raise exception.ShareBackendException(
            msg='copy source %s is missing' % src)
    # A run killed mid-copy left its temporary; nothing else removes it.
    _discard_temporaries(dst)
    tmp = '%s.tmp-%s' % (dst, uuid.uuid4().hex[:8])
    os.mkdir(tmp, 0o700)
    try:
        how = copy_contents(src, tmp, use_cp=use_cp)
        os.rename(tmp, dst)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return how


def empty_directory(path):
    """Remove everything inside ``path``, keeping ``path`` itself."""
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)


def replace_contents(path, source, use_cp=True):
    """Make ``path`` hold exactly what ``source`` holds, in place.

    The directory itself stays (clients keep their mount); files created
    since are removed. Safe to run again after a crash.
    """
    empty_directory(path)
    return copy_contents(source, path, use_cp=use_cp)


def remove_tree(path):
    """Delete ``path`` and everything in it; a missing path is fine."""
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(path)


def discard_copy(dst):
    """Remove a ``clone_tree`` copy and any temporary a killed run left.

    Only ``dst`` and its ``dst.tmp-*`` siblings are touched; nothing is
    missing afterwards that a later ``clone_tree(src, dst)`` needs.
    """
    _discard_temporaries(dst)
    remove_tree(dst)


def _discard_temporaries(dst):
    for leftover in glob.glob(glob.escape(dst) + '.tmp-*'):
        remove_tree(leftover)


def used_bytes(path):
    """Bytes the tree under ``path`` occupies on disk (hard links once)."""
    seen = set()
    total = 0
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            try:
                st = os.lstat(os.path.join(root, name))
            except FileNotFoundError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen:
                continue
            seen.add(key)
            total += st.st_blocks * 512
    return total


def size_gib(num_bytes):
    """Whole GiB needed to hold ``num_bytes``: rounded up, at least 1."""
    return max(1, int(math.ceil(num_bytes / float(GiB))))


def capacity_gib(path):
    """``(total, free)`` GiB of the filesystem holding ``path``."""
    st = os.statvfs(path)
    total = st.f_blocks * st.f_frsize / float(GiB)
    free = st.f_bavail * st.f_frsize / float(GiB)
    return round(total, 2), round(free, 2)
