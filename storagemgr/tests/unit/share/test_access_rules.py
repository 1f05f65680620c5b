"""Access rule validation: what reaches a driver and what never does."""

import ddt

from storagemgr import exception
from storagemgr.share import access_rules
from storagemgr.tests import base


@ddt.ddt
class ValidateAccessToTestCase(base.TestCase):

    @ddt.unpack
    @ddt.data(
        ('ip', '10.0.0.1', '10.0.0.1'),
        ('ip', '10.9.8.0/24', '10.9.8.0/24'),
        ('ip', '0.0.0.0/0', '0.0.0.0/0'),
        ('ip', '2001:DB8::1', '2001:db8::1'),
        ('ip', '2001:db8:0:0::/64', '2001:db8::/64'),
        ('user', 'alice', 'alice'),
        ('user', 'DOMAIN_user.name@corp', 'DOMAIN_user.name@corp'),
        ('user', 'HOST01$', 'HOST01$'),
        ('cert', 'client.example.com', 'client.example.com'),
    )
    def test_accepted_in_canonical_form(self, access_type, access_to,
                                        canonical):
        self.assertEqual(canonical, access_rules.validate_access_to(
            access_type, access_to))

    @ddt.unpack
    @ddt.data(
        # Not an address at all, or out of range.
        ('ip', '300.1.1.1'),
        ('ip', 'example.com'),
        ('ip', '10.0.0.1/33'),
        ('ip', '10.0.0.1/24'),          # host bits set
        ('ip', ''),
        # Exports-line and command injection.
        ('ip', '10.0.0.1 *(rw,no_root_squash)'),
        ('ip', '10.0.0.1\n/ *(rw)'),
        ('ip', '10.0.0.1\t'),
        ('ip', '10.0.0.1,10.0.0.2'),
        ('ip', '*'),
        ('ip', '10.0.0.1(rw)'),
        ('ip', '-o'),
        ('user', '-rf'),
        ('user', '--option=1'),
        ('user', 'alice bob'),
        ('user', 'alice\nbob'),
        ('user', "alice'"),
        ('user', 'al"ice'),
        ('user', 'al`id`'),
        ('user', 'a;reboot'),
        ('user', 'a|b'),
        ('user', 'a$b'),
        ('user', 'a\\b'),
        ('user', 'a\x00b'),
        ('user', 'x' * 256),
        ('cert', 'John Smith'),
        ('cert', '*.example.com'),
        ('cert', 'x' * 65),
        ('cert', '-cn'),
        # Unknown type.
        ('ipv4', '10.0.0.1'),
        ('', 'alice'),
    )
    def test_refused(self, access_type, access_to):
        self.assertRaises(exception.InvalidShareAccess,
                          access_rules.validate_access_to, access_type,
                          access_to)

    def test_message_names_the_value(self):
        err = self.assertRaises(exception.InvalidShareAccess,
                                access_rules.validate_access_to, 'ip',
                                '10.0.0.1 *(rw)')
        self.assertIn('10.0.0.1 *(rw)', str(err))

    def test_host_bits_hint(self):
        err = self.assertRaises(exception.InvalidShareAccess,
                                access_rules.validate_access_to, 'ip',
                                '10.0.0.1/24')
        self.assertIn('10.0.0.0/24', str(err))

    @ddt.data(None, 42, ['10.0.0.1'])
    def test_non_string_refused(self, value):
        self.assertRaises(exception.InvalidShareAccess,
                          access_rules.validate_access_to, 'ip', value)


@ddt.ddt
class ValidateRuleTestCase(base.TestCase):

    @ddt.data('rw', 'ro')
    def test_levels(self, level):
        self.assertEqual(('ip', '10.0.0.1', level),
                         access_rules.validate_rule('ip', '10.0.0.1', level))

    @ddt.data('RW', 'rwx', '', None, 'ro ')
    def test_bad_levels(self, level):
        self.assertRaises(exception.InvalidShareAccess,
                          access_rules.validate_rule, 'ip', '10.0.0.1',
                          level)

    def test_find_duplicate(self):
        rules = [{'access_type': 'ip', 'access_to': '10.0.0.1'},
                 {'access_type': 'user', 'access_to': 'alice'}]
        self.assertIs(rules[1], access_rules.find_duplicate(
            rules, 'user', 'alice'))
        self.assertIsNone(access_rules.find_duplicate(rules, 'ip',
                                                      '10.0.0.2'))
        self.assertIsNone(access_rules.find_duplicate(rules, 'user',
                                                      '10.0.0.1'))
