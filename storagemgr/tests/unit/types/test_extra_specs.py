"""Extra-spec checks: every rule, row by row."""

import ddt

from storagemgr import exception
from storagemgr.tests import base
from storagemgr.types import extra_specs

DHSS = {'driver_handles_share_servers': 'false'}


@ddt.ddt
class ShareTypeSpecsTestCase(base.TestCase):

    @ddt.unpack
    @ddt.data(
        # (key, typed value, stored value)
        ('driver_handles_share_servers', 'true', 'True'),
        ('driver_handles_share_servers', 'False', 'False'),
        ('driver_handles_share_servers', '1', 'True'),
        ('driver_handles_share_servers', '0', 'False'),
        ('driver_handles_share_servers', 'yes', 'True'),
        ('driver_handles_share_servers', 'NO', 'False'),
        ('snapshot_support', 'true', 'True'),
        ('snapshot_support', 'no', 'False'),
        ('snapshot_support', '<is> True', '<is> True'),
        ('snapshot_support', '<is>false', '<is> False'),
        ('snapshot_support', '<IS> true', '<is> True'),
        ('create_share_from_snapshot_support', '1', 'True'),
        ('revert_to_snapshot_support', '<is> False', '<is> False'),
        ('mount_snapshot_support', 'False', 'False'),
        ('replication_type', 'readable', 'readable'),
        ('replication_type', 'writable', 'writable'),
        ('replication_type', 'dr', 'dr'),
        ('availability_zones', 'az1', 'az1'),
        ('availability_zones', ' az1 , az2,az3 ', 'az1,az2,az3'),
        ('provisioning:max_share_size', '10', '10'),
        ('provisioning:min_share_size', ' 1', '1'),
        ('provisioning:max_share_extend_size', '007', '7'),
        # Unknown and scoped keys are kept as typed, operators included.
        ('share_backend_name', 'b1', 'b1'),
        ('thin_provisioning', '<is> True', '<is> True'),
        ('capabilities:snapshot_support', 'whatever', 'whatever'),
        ('vendor:option', '<in> fast', '<in> fast'),
        ('free_capacity_gb', '>= 10', '>= 10'),
        ('share_backend_name', '', ''),
    )
    def test_accepted_and_stored(self, key, value, stored):
        specs = dict(DHSS)
        specs[key] = value
        self.assertEqual(stored,
                         extra_specs.check_share_type_specs(specs)[key])

    @ddt.unpack
    @ddt.data(
        # (key, value, words the error must contain)
        ('driver_handles_share_servers', 'maybe', "'maybe' is not a "
                                                  "boolean"),
        ('driver_handles_share_servers', '<is> True', 'not a boolean'),
        ('driver_handles_share_servers', '', 'not a boolean'),
        ('snapshot_support', 'sometimes', 'not a boolean'),
        ('snapshot_support', '<is> yes please', 'not a boolean'),
        ('snapshot_support', '<in> True', 'not a boolean'),
        ('create_share_from_snapshot_support', '2', 'not a boolean'),
        ('revert_to_snapshot_support', '', 'not a boolean'),
        ('mount_snapshot_support', '<is>', 'not a boolean'),
        ('replication_type', 'Readable', 'not one of readable, writable, '
                                         'dr'),
        ('replication_type', 'async', 'not one of'),
        ('availability_zones', 'az1,,az2', 'an entry is empty'),
        ('availability_zones', ' ', 'an entry is empty'),
        ('availability_zones', 'az1,', 'an entry is empty'),
        ('provisioning:max_share_size', '0', 'at least 1'),
        ('provisioning:min_share_size', 'ten', 'whole number'),
        ('provisioning:max_share_extend_size', '-3', 'whole number'),
    )
    def test_refused_naming_the_key(self, key, value, words):
        specs = dict(DHSS)
        specs[key] = value
        e = self.assertRaises(exception.InvalidExtraSpec,
                              extra_specs.check_share_type_specs, specs)
        self.assertIn('Invalid extra spec %s:' % key, str(e))
        self.assertIn(words, str(e))

    def test_driver_handles_share_servers_is_required(self):
        e = self.assertRaises(exception.InvalidExtraSpec,
                              extra_specs.check_share_type_specs,
                              {'snapshot_support': 'True'})
        self.assertIn('driver_handles_share_servers', str(e))
        self.assertIn('required', str(e))

    def test_an_update_may_omit_the_required_spec(self):
        self.assertEqual({'snapshot_support': 'True'},
                         extra_specs.check_share_type_specs(
                             {'snapshot_support': 'yes'}, complete=False))

    def test_split_required_and_optional(self):
        required, optional = extra_specs.split_share_type_specs(
            {'driver_handles_share_servers': 'True', 'a': 'b'})
        self.assertEqual({'driver_handles_share_servers': 'True'}, required)
        self.assertEqual({'a': 'b'}, optional)


@ddt.ddt
class CommonRulesTestCase(base.TestCase):
    """Keys and values of every family."""

    @ddt.data('a', 'volume_backend_name', 'capabilities:x', 'a key', 'ключ',
              'k' * 255)
    def test_good_keys(self, key):
        self.assertEqual({key: 'v'}, extra_specs.check_generic({key: 'v'}))

    @ddt.unpack
    @ddt.data(
        ('', 'must be non-empty'),
        ('k' * 256, 'at most 255'),
        ('a\nb', 'U+000A'),
        ('tab\there', 'U+0009'),
        ('nul\x00', 'U+0000'),
        ('del\x7f', 'U+007F'),
    )
    def test_bad_keys(self, key, words):
        e = self.assertRaises(exception.InvalidInput,
                              extra_specs.check_generic, {key: 'v'})
        self.assertIn(words, str(e))
        self.assertIn('extra spec key', str(e))

    def test_bad_key_of_a_group_spec_says_group_spec(self):
        e = self.assertRaises(exception.InvalidInput,
                              extra_specs.check_generic, {'': 'v'},
                              what='group spec')
        self.assertIn('group spec keys', str(e))

    @ddt.unpack
    @ddt.data(
        ('v' * 256, 'at most 255'),
        ('a\rb', 'U+000D'),
    )
    def test_bad_values_name_the_key(self, value, words):
        e = self.assertRaises(exception.InvalidInput,
                              extra_specs.check_generic, {'mykey': value})
        self.assertIn(words, str(e))
        self.assertIn("'mykey'", str(e))

    def test_value_must_be_text(self):
        e = self.assertRaises(exception.InvalidExtraSpec,
                              extra_specs.check_generic, {'k': 5})
        self.assertIn('Invalid extra spec k: the value must be text, not '
                      'int', str(e))

    def test_specs_must_be_a_mapping(self):
        self.assertRaises(exception.InvalidInput,
                          extra_specs.check_generic, ['k=v'])

    def test_none_is_no_specs(self):
        self.assertEqual({}, extra_specs.check_generic(None))

    def test_share_type_rules_apply_common_rules_too(self):
        specs = dict(DHSS)
        specs['bad\x01'] = 'v'
        self.assertRaises(exception.InvalidInput,
                          extra_specs.check_share_type_specs, specs)
