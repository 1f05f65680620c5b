"""``storagemgr share group ...``: create, list, show, set and delete share
groups (as ``openstack share group ...`` does).
"""

from storagemgr.cli import base
from storagemgr.cli import share as share_cli

STRUCTURED = ('share_types', 'share_type_ids', 'shares')
LIST_COLUMNS = ('id', 'name', 'status', 'description', 'share_group_type',
                'backend', 'availability_zone')


def get_api(app):
    """The share group service layer (imported when a command runs)."""
    from storagemgr.share_group import api as group_api

    return group_api.API(registry=app.registry, context=app.context)


def show_group(api, group):
    """A group with the ids of its shares, as ShowOne columns."""
    group = dict(group, shares=api.share_ids(group['id']))
    return base.show_columns(group, structured=STRUCTURED)


class CreateShareGroup(base.ShowOne):
    """Create a share group, empty or from a share group snapshot."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--name', metavar='<name>',
                            help='Share group name.')
        parser.add_argument('--description', metavar='<description>',
                            help='Share group description.')
        parser.add_argument('--share-group-type',
                            metavar='<share-group-type>',
                            help='Share group type (name or id); default: '
                                 'the default share group type, if any.')
        parser.add_argument('--share-types', metavar='<share-type>',
                            nargs='+', default=[],
                            help='Share types (names or ids) the group\'s '
                                 'shares may be of; each must be one of '
                                 'the group type\'s. Default: all of the '
                                 'group type\'s.')
        parser.add_argument('--source-share-group-snapshot',
                            metavar='<share-group-snapshot>',
                            help='Create the group from this share group '
                                 'snapshot (name or id): one new share per '
                                 'member, holding its data. The group type, '
                                 'share types and backend are the '
                                 'snapshot\'s group\'s.')
        parser.add_argument('--backend', metavar='<backend>',
                            help='Only consider this backend (a name, or '
                                 'host@backend#pool for one pool).')
        parser.add_argument('--availability-zone', metavar='<zone>',
                            help='Place the group in this availability '
                                 'zone.')
        return parser

    def take_action(self, parsed_args):
        api = get_api(self.app)
        group = api.create(
            name=parsed_args.name, description=parsed_args.description,
            share_group_type=parsed_args.share_group_type,
            share_types=parsed_args.share_types or None,
            source_share_group_snapshot=(
                parsed_args.source_share_group_snapshot),
            backend=parsed_args.backend,
            availability_zone=parsed_args.availability_zone)
        return show_group(api, group)


class ListShareGroup(base.Lister):
    """List share groups."""

    def take_action(self, parsed_args):
        return base.list_columns(get_api(self.app).list(), LIST_COLUMNS,
                                 structured=STRUCTURED)


class ShowShareGroup(base.ShowOne):
    """Show a share group, its share types and the ids of its shares."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('group', metavar='<share-group>',
                            help='Share group name or id.')
        return parser

    def take_action(self, parsed_args):
        api = get_api(self.app)
        return show_group(api, api.get(parsed_args.group))


class SetShareGroup(base.Command):
    """Set the name or description of a share group."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('group', metavar='<share-group>',
                            help='Share group name or id.')
        parser.add_argument('--name', metavar='<name>', help='New name.')
        parser.add_argument('--description', metavar='<description>',
                            help='New description ("" clears it).')
        return parser

    def take_action(self, parsed_args):
        get_api(self.app).update(parsed_args.group, name=parsed_args.name,
                                 description=parsed_args.description)


class DeleteShareGroup(base.Command):
    """Delete share groups (with shares or snapshots: only with --force)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('groups', metavar='<share-group>', nargs='+',
                            help='Share group name or id (repeatable).')
        parser.add_argument('--force', action='store_true',
                            help='Also delete the group\'s snapshots and '
                                 'shares (all or nothing is started).')
        return parser

    def take_action(self, parsed_args):
        api = get_api(self.app)
        share_cli.for_each(
            parsed_args.groups,
            lambda ref: api.delete(ref, force=parsed_args.force),
            'share group deletions')
