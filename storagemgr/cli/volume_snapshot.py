"""``storagemgr volume snapshot ...``: snapshots of single volumes."""

from storagemgr.cli import base
from storagemgr.cli import volume as volume_cli

SNAPSHOT_COLUMNS = ('id', 'name', 'status', 'size', 'volume_id',
                    'cgsnapshot_id')


class CreateVolumeSnapshot(base.ShowOne):
    """Snapshot a volume."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--volume', metavar='<volume>', required=True,
                            help='Volume to snapshot (name or id).')
        parser.add_argument('name', metavar='<name>')
        return parser

    def take_action(self, parsed_args):
        return base.show_columns(volume_cli.service(self.app).create_snapshot(
            parsed_args.volume, parsed_args.name))


class ListVolumeSnapshot(base.Lister):
    """List volume snapshots (group snapshot members included)."""

    def take_action(self, parsed_args):
        return base.list_columns(
            volume_cli.service(self.app).list_snapshots(), SNAPSHOT_COLUMNS)


class ShowVolumeSnapshot(base.ShowOne):
    """Show a volume snapshot."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('snapshot', metavar='<snapshot>',
                            help='Name or id.')
        return parser

    def take_action(self, parsed_args):
        return base.show_columns(volume_cli.service(self.app).get_snapshot(
            parsed_args.snapshot))


class DeleteVolumeSnapshot(base.Command):
    """Delete volume snapshots."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('snapshots', metavar='<snapshot>', nargs='+',
                            help='Names or ids.')
        return parser

    def take_action(self, parsed_args):
        api = volume_cli.service(self.app)
        for snapshot in parsed_args.snapshots:
            api.delete_snapshot(snapshot)
