"""``storagemgr consistency group snapshot ...``."""

from storagemgr.cli import base
from storagemgr.cli import volume as volume_cli

CGSNAPSHOT_COLUMNS = ('id', 'name', 'status', 'consistencygroup_id')


def _show(api, cgsnapshot):
    cgsnapshot = dict(cgsnapshot, snapshots=api.cgsnapshot_snapshot_ids(
        cgsnapshot['id']))
    return base.show_columns(cgsnapshot, structured=('snapshots',))


class CreateConsistencyGroupSnapshot(base.ShowOne):
    """Snapshot every volume of a consistency group at one point in time."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--consistency-group', metavar='<group>',
                            required=True, help='Name or id.')
        parser.add_argument('name', metavar='<name>')
        return parser

    def take_action(self, parsed_args):
        api = volume_cli.service(self.app)
        return _show(api, api.create_cgsnapshot(
            parsed_args.consistency_group, parsed_args.name))


class ListConsistencyGroupSnapshot(base.Lister):
    """List consistency group snapshots."""

    def take_action(self, parsed_args):
        return base.list_columns(
            volume_cli.service(self.app).list_cgsnapshots(),
            CGSNAPSHOT_COLUMNS)


class ShowConsistencyGroupSnapshot(base.ShowOne):
    """Show a consistency group snapshot and its member snapshots."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('cgsnapshot', metavar='<group-snapshot>',
                            help='Name or id.')
        return parser

    def take_action(self, parsed_args):
        api = volume_cli.service(self.app)
        return _show(api, api.get_cgsnapshot(parsed_args.cgsnapshot))


class DeleteConsistencyGroupSnapshot(base.Command):
    """Delete consistency group snapshots."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('cgsnapshots', metavar='<group-snapshot>',
                            nargs='+', help='Names or ids.')
        return parser

    def take_action(self, parsed_args):
        api = volume_cli.service(self.app)
        for cgsnapshot in parsed_args.cgsnapshots:
            api.delete_cgsnapshot(cgsnapshot)
