"""Trees on disk for the data copy service's tests."""

import filecmp
import os
import stat

from storagemgr.tests import base


class TreeTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.src = os.path.join(self.state_path, 'src')
        self.dst = os.path.join(self.state_path, 'dst')
        self.journals = os.path.join(self.state_path, 'journals')
        os.makedirs(self.src)
        os.makedirs(self.dst)

    def write(self, rel, data=b'', root=None):
        path = os.path.join(root or self.src, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(data)
        return path

    def make_files(self, count, size=3000, prefix='f'):
        for index in range(count):
            self.write('%s/%s%03d' % (prefix, prefix, index),
                       os.urandom(size + index))

    def assertSameTree(self, left, right):
        """Same names, types, link targets and bytes, recursively."""
        def entries(root):
            found = {}
            for directory, dirs, files in os.walk(root):
                for name in dirs + files:
                    path = os.path.join(directory, name)
                    rel = os.path.relpath(path, root)
                    if os.path.islink(path):
                        found[rel] = ('link', os.readlink(path))
                    elif os.path.isdir(path):
                        found[rel] = ('dir',)
                    elif not os.path.isfile(path):
                        found[rel] = ('special',
                                      stat.S_IFMT(os.lstat(path).st_mode))
                    else:
                        found[rel] = ('file', os.path.getsize(path))
            return found
        left_entries = entries(left)
        self.assertEqual(left_entries, entries(right))
        for rel, kind in left_entries.items():
            if kind[0] == 'file':
                self.assertTrue(filecmp.cmp(os.path.join(left, rel),
                                            os.path.join(right, rel),
                                            shallow=False), rel)
