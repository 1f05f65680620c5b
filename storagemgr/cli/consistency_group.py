"""``storagemgr consistency group ...``: as ``openstack consistency group``."""

from storagemgr.cli import base
from storagemgr.cli import volume as volume_cli

GROUP_COLUMNS = ('id', 'name', 'status', 'backend')


def _show_group(api, group):
    group = dict(group, volumes=api.group_volume_ids(group['id']))
    return base.show_columns(group, structured=('volumes',))


class CreateConsistencyGroup(base.ShowOne):
    """Create a consistency group, empty or from a source."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--backend', metavar='<backend>',
                            help='Volume backend (default: the only one; '
                                 'with a source: the source\'s).')
        source = parser.add_mutually_exclusive_group()
        source.add_argument('--consistency-group-snapshot',
                            metavar='<group-snapshot>',
                            help='Create from this group snapshot.')
        source.add_argument('--consistency-group-source',
                            metavar='<group>',
                            help='Create as a copy of this group.')
        parser.add_argument('name', metavar='<name>')
        return parser

    def take_action(self, parsed_args):
        api = volume_cli.service(self.app)
        if (parsed_args.consistency_group_snapshot or
                parsed_args.consistency_group_source):
            group = api.create_group_from_src(
                parsed_args.name,
                cgsnapshot=parsed_args.consistency_group_snapshot,
                source_group=parsed_args.consistency_group_source,
                backend=parsed_args.backend)
        else:
            group = api.create_group(parsed_args.name,
                                     backend=parsed_args.backend)
        return _show_group(api, group)


class ListConsistencyGroup(base.Lister):
    """List consistency groups."""

    def take_action(self, parsed_args):
        return base.list_columns(volume_cli.service(self.app).list_groups(),
                                 GROUP_COLUMNS)


class ShowConsistencyGroup(base.ShowOne):
    """Show a consistency group and its volumes."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('group', metavar='<group>', help='Name or id.')
        return parser

    def take_action(self, parsed_args):
        api = volume_cli.service(self.app)
        return _show_group(api, api.get_group(parsed_args.group))


class DeleteConsistencyGroup(base.Command):
    """Delete consistency groups with their volumes."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--force', action='store_true',
                            help='Also delete its volumes, their snapshots '
                                 'and its group snapshots (refused '
                                 'without it when it has any).')
        parser.add_argument('groups', metavar='<group>', nargs='+',
                            help='Names or ids.')
        return parser

    def take_action(self, parsed_args):
        api = volume_cli.service(self.app)
        for group in parsed_args.groups:
            api.delete_group(group, force=parsed_args.force)


class _Membership(base.ShowOne):
    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('group', metavar='<group>', help='Name or id.')
        parser.add_argument('volumes', metavar='<volume>', nargs='+',
                            help='Names or ids.')
        return parser


class AddVolumeToConsistencyGroup(_Membership):
    """Add volumes to a consistency group."""

    def take_action(self, parsed_args):
        api = volume_cli.service(self.app)
        return _show_group(api, api.update_group(
            parsed_args.group, add_volumes=parsed_args.volumes))


class RemoveVolumeFromConsistencyGroup(_Membership):
    """Remove volumes from a consistency group."""

    def take_action(self, parsed_args):
        api = volume_cli.service(self.app)
        return _show_group(api, api.update_group(
            parsed_args.group, remove_volumes=parsed_args.volumes))
