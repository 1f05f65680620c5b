"""Published Manila and Cinder releases, fetched at test time.

The compat tests run drivers written for those projects unmodified. Their
files come from the source distributions on the package index, downloaded
with ``pip download --no-deps --no-binary :all:`` into a cache directory
outside the repository (``STORAGEMGR_COMPAT_CACHE``, default a directory
under the system temporary directory) and extracted there. Nothing of
them is ever committed; only the ``compat`` tox env runs these tests.
"""

import os
import subprocess
import sys
import tarfile
import tempfile

from oslo_concurrency import lockutils

MANILA = ('manila', '9.1.5')
CINDER = ('cinder', '10.0.8')


def cache_dir():
    return os.environ.get('STORAGEMGR_COMPAT_CACHE') or os.path.join(
        tempfile.gettempdir(), 'storagemgr-compat-sdists')


def _download(project, version, directory):
    archive = os.path.join(directory, '%s-%s.tar.gz' % (project, version))
    if not os.path.exists(archive):
        subprocess.run(
            [sys.executable, '-m', 'pip', 'download', '-q', '--no-deps',
             '--no-binary', ':all:', '%s==%s' % (project, version),
             '-d', directory],
            check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return archive


def extract(release, members):
    """The directory holding ``members`` of ``release``'s source tree.

    :param release: ``(project, version)``, e.g. ``MANILA``.
    :param members: paths inside the project's tree, such as
        ``manila/tests/share/drivers/dummy.py``.
    :returns: the extracted tree's root (``<cache>/<project>-<version>``),
        so that ``os.path.join(root, member)`` is each file.
    """
    project, version = release
    directory = cache_dir()
    os.makedirs(directory, exist_ok=True)
    root = os.path.join(directory, '%s-%s' % (project, version))
    with lockutils.lock('sdist-%s' % project, external=True,
                        lock_path=directory):
        missing = [m for m in members
                   if not os.path.exists(os.path.join(root, m))]
        if missing:
            archive = _download(project, version, directory)
            prefix = '%s-%s/' % (project, version)
            with tarfile.open(archive) as tar:
                wanted = [tar.getmember(prefix + m) for m in missing]
                tar.extractall(directory, members=wanted, filter='data')
    return root


def standalone_copy(release, member, module_name):
    """Copy one extracted file as a top-level module; return its dir.

    This is how an operator runs a single driver file: put it on
    ``PYTHONPATH`` under a name of their own.
    """
    root = extract(release, [member])
    directory = os.path.join(cache_dir(), 'standalone')
    os.makedirs(directory, exist_ok=True)
    target = os.path.join(directory, module_name + '.py')
    # A temporary name of its own: parallel test workers copy at once.
    temporary = '%s.%d.tmp' % (target, os.getpid())
    with open(os.path.join(root, member), 'rb') as source, \
            open(temporary, 'wb') as copy:
        copy.write(source.read())
    os.replace(temporary, target)
    return directory
