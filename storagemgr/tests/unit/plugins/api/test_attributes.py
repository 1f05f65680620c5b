"""Every attribute type: what it accepts, refuses, and how it shows."""

import ddt

from storagemgr import exception
from storagemgr.plugins.api import attributes
from storagemgr.tests import base


def _rot13(text):
    import codecs
    return codecs.encode(text, 'rot13')


@ddt.ddt
class AttributeValidationTestCase(base.TestCase):

    @ddt.data(
        (attributes.String(), 'abc'),
        (attributes.String(max_length=3), 'abc'),
        (attributes.Integer(), -5),
        (attributes.Integer(min_val=0, max_val=10), 10),
        (attributes.Bytes(), 1024),
        (attributes.Enum('good', 'bad'), 'good'),
        (attributes.Enum(0, 1), 1),
        (attributes.Uuid(), 'b44f7d8e-a40d-4b96-b241-2ab462b4c1c1'),
        (attributes.Uuid(), 'b44f7d8ea40d4b96b2412ab462b4c1c1'),
        (attributes.PosixPath(), '/tmp/my file'),
        (attributes.Hostname(), 'mycompany.com'),
        (attributes.Hostname(), '192.168.0.67'),
        (attributes.Hostname(), 'fe80::1'),
        (attributes.Password(_rot13), 'secret'),
        (attributes.String(optional=True), None),
    )
    @ddt.unpack
    def test_accepts(self, attribute, value):
        attribute.validate(attribute.cast(value))

    @ddt.data(
        (attributes.String(), 5),
        (attributes.String(max_length=2), 'abc'),
        (attributes.String(), None),
        (attributes.Integer(), '5'),
        (attributes.Integer(), True),
        (attributes.Integer(min_val=0), -1),
        (attributes.Integer(max_val=10), 11),
        (attributes.Bytes(min_val=1), 0),
        (attributes.Enum('good', 'bad'), 'ugly'),
        (attributes.Uuid(), 'other'),
        (attributes.PosixPath(), ''),
        (attributes.PosixPath(), 'a\0b'),
        (attributes.Hostname(), 'bad host'),
        (attributes.Hostname(), '-leading.example.com'),
        (attributes.Hostname(), 'x' * 256),
    )
    @ddt.unpack
    def test_refuses(self, attribute, value):
        self.assertRaises(exception.InvalidAttributeValue,
                          attribute.validate, value)

    def test_refusal_is_a_value_error(self):
        self.assertRaises(ValueError, attributes.Integer().validate, 'x')

    @ddt.data((1, True), ('yes', True), (0, False), ('', False))
    @ddt.unpack
    def test_boolean_casts_truthiness(self, value, expected):
        self.assertIs(expected, attributes.Boolean().cast(value))

    def test_resource_reference_needs_a_resource(self):
        self.assertRaises(exception.InvalidAttributeValue,
                          attributes.ResourceReference().validate, 'x')


@ddt.ddt
class AttributeOptionsTestCase(base.TestCase):

    def test_common_options(self):
        attr = attributes.String(optional=True, label='Fancy name',
                                 hidden=True, user_read_only=True,
                                 default='x')
        self.assertEqual((True, 'Fancy name', True, True, 'x'),
                         (attr.optional, attr.label, attr.hidden,
                          attr.user_read_only, attr.default))
        self.assertEqual('Fancy name', attr.get_label('internal'))

    def test_label_from_name(self):
        self.assertEqual('File size', attributes.Bytes().get_label(
            'file_size'))

    def test_password_is_encrypted_and_never_displayed(self):
        attr = attributes.Password(_rot13)
        self.assertEqual('frperg', attr.encrypt('secret'))
        self.assertEqual('********', attr.to_display('frperg'))

    @ddt.data((0, '0 B'), (1536, '1.5 KiB'), (4 * 1024 ** 4, '4.0 TiB'))
    @ddt.unpack
    def test_bytes_display(self, value, text):
        self.assertEqual(text, attributes.Bytes().to_display(value))

    def test_json_round_trip(self):
        attr = attributes.Integer()
        self.assertEqual(42, attr.from_json(attr.to_json(42)))

    @ddt.data((attributes.Integer(), '12', 12),
              (attributes.Boolean(), 'false', False),
              (attributes.Enum(0, 1), '1', 1),
              (attributes.String(), 'x', 'x'))
    @ddt.unpack
    def test_parse_command_line_text(self, attr, text, value):
        self.assertEqual(value, attr.parse(text))

    def test_enum_shares_the_declared_option(self):
        attr = attributes.Enum('good', 'bad')
        value = ''.join(['go', 'od'])
        self.assertIs(attr.options[0], attr.cast(value))
