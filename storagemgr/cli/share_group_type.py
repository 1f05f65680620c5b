"""``storagemgr share group type ...``: create, list, show, set, unset and
delete share group types (as ``openstack share group type ...`` does).
"""

from storagemgr.cli import share_type


def _fields(record):
    return {'group_specs': record['extra_specs'],
            'share_types': [t['name'] for t in record['share_types']]}


SHARE_GROUP_TYPES = share_type.TypeCli(
    'share_group_types', ('--group-specs',), _fields,
    ('id', 'name', 'visibility', 'is_default', 'group_specs', 'share_types',
     'description'),
    ('group_specs', 'share_types'))


class CreateShareGroupType(share_type.CreateType):
    """Create a share group type."""

    cli = SHARE_GROUP_TYPES

    def add_positionals(self, parser):
        parser.add_argument('share_types', metavar='<share-type>',
                            nargs='+',
                            help='Share type (name or id) the groups may '
                                 'hold (repeatable).')

    def create(self, parsed_args, specs, is_public):
        return self.cli.family.create(
            parsed_args.name, parsed_args.share_types, specs,
            is_public=is_public, description=parsed_args.description)


class ListShareGroupType(share_type.ListType):
    """List share group types."""

    cli = SHARE_GROUP_TYPES


class ShowShareGroupType(share_type.ShowType):
    """Show a share group type."""

    cli = SHARE_GROUP_TYPES


class SetShareGroupType(share_type.SetType):
    """Set group specs, name, description or visibility of a group type."""

    cli = SHARE_GROUP_TYPES


class UnsetShareGroupType(share_type.UnsetType):
    """Remove group specs from a share group type."""

    cli = SHARE_GROUP_TYPES


class DeleteShareGroupType(share_type.DeleteType):
    """Delete share group types."""

    cli = SHARE_GROUP_TYPES
