"""Paths under state_path, created private to the user that runs storagemgr.

Anything that turns a user-supplied string into a path goes through
``safe_join``, which refuses names that would leave the base directory.
"""

import contextlib
import os
import re
import tempfile

from oslo_config import cfg

from storagemgr import exception

CONF = cfg.CONF

_SAFE_COMPONENT = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$')


def ensure_private_dir(path):
    """Create ``path`` (and parents) with mode 0700 when missing."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def state_path(*parts, create=False):
    path = os.path.join(CONF.state_path, *parts)
    if create:
        ensure_private_dir(path)
    return path


def safe_join(base, *components):
    """Join components under ``base``, refusing anything that escapes it.

    Every component must be a single, plain name: no separators, no ``..``,
    no leading dot or dash, no control characters.
    """
    for component in components:
        if not isinstance(component, str) or not _SAFE_COMPONENT.match(
                component) or component in ('.', '..'):
            raise exception.InvalidInput(
                reason='unsafe path component %r' % (component,))
    path = os.path.join(base, *components)
    real_base = os.path.realpath(base)
    if os.path.commonpath([real_base, os.path.realpath(path)]) != real_base:
        raise exception.InvalidInput(
            reason='path %r leaves %r' % (path, base))
    return path


def write_atomically(path, text, mode=0o600):
    """Replace ``path`` with ``text`` so readers never see half a file."""
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=directory,
                               prefix='.%s.' % os.path.basename(path))
    try:
        with os.fdopen(fd, 'w') as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
