"""``storagemgr volume type ...``: create, list, show, set, unset and
delete volume types (as ``openstack volume type ...`` does).
"""

from storagemgr.cli import share_type

VOLUME_TYPES = share_type.TypeCli(
    'volume_types', ('--property', '--extra-specs'),
    lambda record: {'extra_specs': record['extra_specs']},
    ('id', 'name', 'visibility', 'is_default', 'extra_specs',
     'description'),
    ('extra_specs',))


class CreateVolumeType(share_type.CreateType):
    """Create a volume type."""

    cli = VOLUME_TYPES


class ListVolumeType(share_type.ListType):
    """List volume types."""

    cli = VOLUME_TYPES


class ShowVolumeType(share_type.ShowType):
    """Show a volume type."""

    cli = VOLUME_TYPES


class SetVolumeType(share_type.SetType):
    """Set properties, name, description or visibility of a volume type."""

    cli = VOLUME_TYPES


class UnsetVolumeType(share_type.UnsetType):
    """Remove properties from a volume type."""

    cli = VOLUME_TYPES
    keys_nargs = '*'

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        # OpenStack's client names the keys with --property.
        parser.add_argument('--property', dest='properties',
                            metavar='<key>', action='append', default=[],
                            help='Property to remove (repeatable).')
        return parser

    def keys(self, parsed_args):
        return parsed_args.keys + parsed_args.properties


class DeleteVolumeType(share_type.DeleteType):
    """Delete volume types (refused while volumes use them)."""

    cli = VOLUME_TYPES
