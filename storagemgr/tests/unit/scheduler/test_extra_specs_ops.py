"""Every extra-spec operator, row by row."""

import ddt
import testtools

from storagemgr import exception
from storagemgr.scheduler import extra_specs_ops as ops


@ddt.ddt
class MatchTestCase(testtools.TestCase):

    @ddt.unpack
    @ddt.data(
        # plain equality, case-insensitive
        ('nfs', 'nfs', True),
        ('NFS', 'nfs', True),
        ('nfs', 'NFS', True),
        ('nfs', 'cifs', False),
        ('b1', 'b2', False),
        ('two words', 'two words', True),
        # booleans against 'True'/'False' text
        (True, 'True', True),
        (True, 'true', True),
        (False, 'False', True),
        (True, 'False', False),
        (False, 'True', False),
        (True, 'yes', True),
        (True, 'maybe', False),
        # numbers against numeric text
        (10, '10', True),
        (10.0, '10', True),
        (10, '11', False),
        (10, 'ten', False),
        # nothing reported
        (None, 'x', False),
        (None, None, True),
        ('x', None, False),
        # =: numeric "at least"
        (5, '= 5', True),
        (6, '= 5', True),
        (4, '= 5', False),
        ('7', '= 5', True),
        # ==, !=, >=, <=: numeric
        (5, '== 5', True),
        (5.0, '== 5', True),
        (6, '== 5', False),
        ('5', '== 5.0', True),
        (5, '!= 5', False),
        (6, '!= 5', True),
        (5, '>= 5', True),
        (4, '>= 5', False),
        (5, '<= 5', True),
        (6, '<= 5', False),
        ('unknown', '>= 5', False),
        (None, '>= 5', False),
        (5, '>= five', False),
        (5, '>=', False),
        # s==, s!=, s<, s<=, s>, s>=: strings, case-insensitive
        ('abc', 's== abc', True),
        ('ABC', 's== abc', True),
        ('abd', 's== abc', False),
        ('abc', 's!= abc', False),
        ('abd', 's!= abc', True),
        ('abb', 's< abc', True),
        ('abc', 's< abc', False),
        ('abc', 's<= abc', True),
        ('abd', 's<= abc', False),
        ('abd', 's> abc', True),
        ('abc', 's> abc', False),
        ('abc', 's>= abc', True),
        ('abb', 's>= abc', False),
        (True, 's== true', True),
        (10, 's== 10', True),
        # <is>: booleans
        (True, '<is> True', True),
        (True, '<is> true', True),
        (False, '<is> False', True),
        (True, '<is> False', False),
        (False, '<is> True', False),
        ('True', '<is> True', True),
        ('false', '<is> True', False),
        (None, '<is> False', False),
        # <in>: substring, or item of a list
        ('readable dr', '<in> dr', True),
        ('readable', '<in> dr', False),
        ('NFS_CIFS', '<in> cifs', True),
        (['nfs', 'cifs'], '<in> cifs', True),
        (['nfs', 'cifs'], '<in> glusterfs', False),
        # <all-in>: every word
        (['nfs', 'cifs', 'cephfs'], '<all-in> nfs cifs', True),
        (['nfs', 'cephfs'], '<all-in> nfs cifs', False),
        ('nfs_cifs', '<all-in> nfs cifs', True),
        ('nfs', '<all-in>', False),
        # <or>: one of the words
        ('dr', '<or> readable <or> dr', True),
        ('readable', '<or> readable <or> dr', True),
        ('writable', '<or> readable <or> dr', False),
        ('DR', '<or> readable <or> dr', True),
        (True, '<or> True <or> False', True),
        (5, '<or> 4 <or> 5', True),
        (None, '<or> a <or> b', False),
        ('a', '<or>', False),
    )
    def test_match(self, value, req, expected):
        self.assertIs(expected, ops.match(value, req))

    def test_non_text_requirement_is_read_as_text(self):
        self.assertTrue(ops.match(True, True))
        self.assertTrue(ops.match(5, 5))
        self.assertTrue(ops.match('[1]', [1]))

    @ddt.unpack
    @ddt.data(('<all-in> a', True), ('<ALL-IN> a', True), ('<in> a', False),
              ('a', False), ('', False), (None, False))
    def test_wants_whole_list(self, req, expected):
        self.assertIs(expected, ops.wants_whole_list(req))


@ddt.ddt
class ValidateTestCase(testtools.TestCase):

    @ddt.data('True', 'b1', '<is> True', '<in> dr', '<or> a <or> b',
              '>= 10', '== 1.5', 's< abc', '<all-in> a b', None, '')
    def test_valid(self, req):
        ops.validate('key', req)

    @ddt.unpack
    @ddt.data(('>=', 'needs a value'),
              ('<is>', 'needs a value'),
              ('>= ten', 'compares numbers'),
              ('== x', 'compares numbers'),
              ('<or> a b', 'separates single words'),
              ('<or> a <or>', 'separates single words'),
              ('<or> a <and> b', 'separates single words'))
    def test_invalid(self, req, words):
        error = self.assertRaises(exception.InvalidExtraSpec, ops.validate,
                                  'size_spec', req)
        self.assertIn('size_spec', str(error))
        self.assertIn(words, str(error))
