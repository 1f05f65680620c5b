"""Names resolved beneath a tree: never through a symlink, never out."""

import errno
import os

import ddt

from storagemgr.data import errors
from storagemgr.data import paths
from storagemgr.tests.unit.data import base


@ddt.ddt
class SplitTestCase(base.TreeTestCase):

    @ddt.data('../etc/passwd', 'a/../../b', '/etc/passwd', 'a//b', './a',
              'a/.', 'a\0b')
    def test_refused(self, relpath):
        self.assertRaises(errors.UnsafePath, paths.split, relpath)

    def test_accepted(self):
        self.assertEqual(['a', 'b c;d', '..e'], paths.split('a/b c;d/..e'))
        self.assertEqual([], paths.split(''))


@ddt.ddt
class ResolveTestCase(base.TreeTestCase):
    """Both resolvers: openat2 and the component-by-component walk."""

    def setUp(self):
        super().setUp()
        self.outside = self.write('outside', b'secret', root=self.state_path)
        self.write('a/b/file', b'inside')
        os.symlink(self.state_path, os.path.join(self.src, 'a', 'up'))
        os.symlink('b', os.path.join(self.src, 'a', 'sideways'))
        os.symlink('../../outside', os.path.join(self.src, 'a', 'b', 'rel'))

    def _tree(self, resolver):
        if resolver == 'walk':
            self.patch(paths, '_openat2_works', False)
        tree = paths.Tree(self.src)
        self.addCleanup(tree.close)
        return tree

    @ddt.data('openat2', 'walk')
    def test_plain_name_opens(self, resolver):
        fd = self._tree(resolver).open('a/b/file', os.O_RDONLY)
        try:
            self.assertEqual(b'inside', os.read(fd, 100))
        finally:
            os.close(fd)

    @ddt.data(*[(resolver, name) for resolver in ('openat2', 'walk')
                for name in ('a/up/outside', 'a/sideways/file', 'a/b/rel',
                             'a/up')])
    @ddt.unpack
    def test_symlinks_are_never_followed(self, resolver, relpath):
        error = self.assertRaises(OSError, self._tree(resolver).open,
                                  relpath, os.O_RDONLY)
        self.assertIn(error.errno, (errno.ELOOP, errno.ENOTDIR))

    @ddt.data('openat2', 'walk')
    def test_create_through_a_symlink_is_refused(self, resolver):
        tree = self._tree(resolver)
        self.assertRaises(OSError, tree.open, 'a/up/created',
                          os.O_WRONLY | os.O_CREAT, 0o600)
        self.assertFalse(os.path.exists(
            os.path.join(self.state_path, 'created')))

    def test_openat2_unavailable_falls_back_to_the_walk(self):
        def enosys(*args):
            raise OSError(errno.ENOSYS, 'no openat2')
        self.patch(paths, '_openat2_works', None)
        self.patch(paths, '_openat2', enosys)
        fd = paths.Tree(self.src).open('a/b/file', os.O_RDONLY)
        os.close(fd)
        self.assertIs(False, paths._openat2_works)
