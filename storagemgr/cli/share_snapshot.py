"""``storagemgr share snapshot ...``: create, list, show, delete, adopt
and abandon share snapshots.
"""

from storagemgr.cli import base
from storagemgr.cli import share as share_cli

STRUCTURED = ('export_locations',)
LIST_COLUMNS = ('id', 'name', 'share_id', 'size', 'status')


class CreateShareSnapshot(base.ShowOne):
    """Take a snapshot of a share."""

    def get_parser(self, prog_name):
        parser = share_cli.add_ref(super().get_parser(prog_name), 'share',
                                   'share')
        parser.add_argument('--name', help='Snapshot name.')
        return parser

    def take_action(self, parsed_args):
        snapshot = share_cli.get_api(self.app).create_snapshot(
            parsed_args.share, name=parsed_args.name)
        return base.show_columns(snapshot, structured=STRUCTURED)


class ListShareSnapshot(base.Lister):
    """List share snapshots."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--share', metavar='<share>',
                            help='Only snapshots of this share.')
        return parser

    def take_action(self, parsed_args):
        snapshots = share_cli.get_api(self.app).list_snapshots(
            parsed_args.share)
        return base.list_columns(snapshots, LIST_COLUMNS)


class ShowShareSnapshot(base.ShowOne):
    """Show a share snapshot."""

    def get_parser(self, prog_name):
        parser = share_cli.add_ref(super().get_parser(prog_name),
                                   'snapshot', 'snapshot')
        return parser

    def take_action(self, parsed_args):
        return base.show_columns(
            share_cli.get_api(self.app).get_snapshot(parsed_args.snapshot),
            structured=STRUCTURED)


class DeleteShareSnapshot(base.Command):
    """Delete share snapshots."""

    def get_parser(self, prog_name):
        return share_cli.add_refs(super().get_parser(prog_name),
                                  'snapshots', 'snapshot')

    def take_action(self, parsed_args):
        share_cli.for_each(parsed_args.snapshots,
                           share_cli.get_api(self.app).delete_snapshot,
                           'snapshot deletions')


class AdoptShareSnapshot(base.ShowOne):
    """Bring a snapshot the backend already has under management."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('share', metavar='<share>',
                            help='Share id or name the snapshot belongs to.')
        parser.add_argument('provider_location',
                            metavar='<provider-location>',
                            help='Where the backend keeps the snapshot.')
        parser.add_argument('--name', help='Snapshot name.')
        parser.add_argument('--driver-option', metavar='<key=value>',
                            action='append', default=[],
                            help='Driver-specific option (repeatable).')
        return parser

    def take_action(self, parsed_args):
        snapshot = share_cli.get_api(self.app).manage_snapshot(
            parsed_args.share, parsed_args.provider_location,
            name=parsed_args.name,
            driver_options=share_cli.parse_key_values(
                parsed_args.driver_option, '--driver-option'))
        return base.show_columns(snapshot, structured=STRUCTURED)


class AbandonShareSnapshot(base.Command):
    """Stop managing snapshots; their data stays on the backend."""

    def get_parser(self, prog_name):
        return share_cli.add_refs(super().get_parser(prog_name),
                                  'snapshots', 'snapshot')

    def take_action(self, parsed_args):
        share_cli.for_each(parsed_args.snapshots,
                           share_cli.get_api(self.app).unmanage_snapshot,
                           'snapshot abandons')
