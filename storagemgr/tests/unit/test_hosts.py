"""Host strings, parsed and built in one place."""

import ddt
import testtools

from storagemgr import exception
from storagemgr import hosts


@ddt.ddt
class TestParse(testtools.TestCase):

    @ddt.unpack
    @ddt.data(
        ('node1@b1#pool0', ('node1', 'b1', 'pool0')),
        ('node1@b1', ('node1', 'b1', None)),
        ('b1#pool0', (None, 'b1', 'pool0')),
        ('b1', (None, 'b1', None)),
        ('node.example.com@local-share#local-share',
         ('node.example.com', 'local-share', 'local-share')),
    )
    def test_parts(self, text, expected):
        self.assertEqual(hosts.Host(*expected), hosts.parse(text))

    @ddt.data('', '@b1', 'h@', 'h@b1#', 'h@b1#p#q', 'b 1', 'h@b1#p\n',
              None, 42, 'h@b\t1', 'user@node@b1#p')
    def test_refused_with_the_text_named(self, text):
        e = self.assertRaises(exception.InvalidInput, hosts.parse, text)
        self.assertIn(repr(text) if isinstance(text, str) and text
                      else 'host', str(e))

    def test_join_round_trips(self):
        for parts in (('h', 'b', 'p'), ('h', 'b', None)):
            self.assertEqual(hosts.Host(*parts),
                             hosts.parse(hosts.join(*parts)))

    def test_helpers(self):
        self.assertEqual('b1', hosts.backend_of('h@b1#p'))
        self.assertEqual('b1', hosts.backend_of('b1'))
        self.assertEqual('p', hosts.pool_of('h@b1#p'))
        self.assertIsNone(hosts.pool_of('b1'))
        self.assertTrue(hosts.same_backend('h@b1#p', 'h@b1#q'))
        self.assertFalse(hosts.same_backend('h@b1#p', 'h@b2#p'))
        self.assertFalse(hosts.same_backend('h@b1#p', 'g@b1#p'))
