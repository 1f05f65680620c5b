"""``storagemgr share group snapshot ...``: create, list, show, set and
delete share group snapshots, and list their members (as
``openstack share group snapshot ...`` does).
"""

from storagemgr.cli import base
from storagemgr.cli import share as share_cli
from storagemgr.cli import share_group as group_cli

LIST_COLUMNS = ('id', 'name', 'status', 'description', 'share_group_id')
MEMBER_COLUMNS = ('id', 'share_id', 'size', 'share_proto', 'status')


def show_snapshot(api, snapshot):
    """A group snapshot with the ids of the shares it holds."""
    members = api.list_snapshot_members(snapshot['id'])
    snapshot = dict(snapshot, shares=[m['share_id'] for m in members])
    return base.show_columns(snapshot, structured=('shares',))


def add_snapshot_ref(parser, dest='snapshot', nargs=None):
    parser.add_argument(dest, metavar='<share-group-snapshot>', nargs=nargs,
                        help='Share group snapshot name or id%s.' % (
                            ' (repeatable)' if nargs else ''))
    return parser


class CreateShareGroupSnapshot(base.ShowOne):
    """Snapshot every share of a share group at one point in time."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('group', metavar='<share-group>',
                            help='Share group name or id.')
        parser.add_argument('--name', metavar='<name>',
                            help='Share group snapshot name.')
        parser.add_argument('--description', metavar='<description>',
                            help='Share group snapshot description.')
        return parser

    def take_action(self, parsed_args):
        api = group_cli.get_api(self.app)
        return show_snapshot(api, api.create_snapshot(
            parsed_args.group, name=parsed_args.name,
            description=parsed_args.description))


class ListShareGroupSnapshot(base.Lister):
    """List share group snapshots."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--share-group', metavar='<share-group>',
                            help='Only the snapshots of this share group '
                                 '(name or id).')
        return parser

    def take_action(self, parsed_args):
        snapshots = group_cli.get_api(self.app).list_snapshots(
            parsed_args.share_group)
        return base.list_columns(snapshots, LIST_COLUMNS)


class ShowShareGroupSnapshot(base.ShowOne):
    """Show a share group snapshot and the ids of the shares it holds."""

    def get_parser(self, prog_name):
        return add_snapshot_ref(super().get_parser(prog_name))

    def take_action(self, parsed_args):
        api = group_cli.get_api(self.app)
        return show_snapshot(api, api.get_snapshot(parsed_args.snapshot))


class SetShareGroupSnapshot(base.Command):
    """Set the name or description of a share group snapshot."""

    def get_parser(self, prog_name):
        parser = add_snapshot_ref(super().get_parser(prog_name))
        parser.add_argument('--name', metavar='<name>', help='New name.')
        parser.add_argument('--description', metavar='<description>',
                            help='New description ("" clears it).')
        return parser

    def take_action(self, parsed_args):
        group_cli.get_api(self.app).update_snapshot(
            parsed_args.snapshot, name=parsed_args.name,
            description=parsed_args.description)


class DeleteShareGroupSnapshot(base.Command):
    """Delete share group snapshots with their members' snapshots."""

    def get_parser(self, prog_name):
        parser = add_snapshot_ref(super().get_parser(prog_name),
                                  'snapshots', '+')
        parser.add_argument('--force', action='store_true',
                            help='Remove the records even if the backend '
                                 'fails to delete the snapshots (what it '
                                 'may still hold is logged).')
        return parser

    def take_action(self, parsed_args):
        api = group_cli.get_api(self.app)
        share_cli.for_each(
            parsed_args.snapshots,
            lambda ref: api.delete_snapshot(ref, force=parsed_args.force),
            'share group snapshot deletions')


class ListShareGroupSnapshotMembers(base.Lister):
    """List the members of a share group snapshot: one per share."""

    def get_parser(self, prog_name):
        return add_snapshot_ref(super().get_parser(prog_name))

    def take_action(self, parsed_args):
        members = group_cli.get_api(self.app).list_snapshot_members(
            parsed_args.snapshot)
        return base.list_columns(members, MEMBER_COLUMNS)
