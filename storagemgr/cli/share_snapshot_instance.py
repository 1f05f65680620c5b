"""``storagemgr share snapshot instance ...``: list and show the instances
of share snapshots, one per replica of a replicated share (as
``openstack share snapshot instance ...`` does).
"""

from storagemgr.cli import base
from storagemgr.cli import share_replica as replica_cli

STRUCTURED = ('export_locations',)
LIST_COLUMNS = ('id', 'snapshot_id', 'share_instance_id',
                'is_active_replica', 'status')
DETAILED_COLUMNS = LIST_COLUMNS + ('replica_state', 'share_id', 'progress',
                                   'provider_location', 'created_at',
                                   'updated_at')


class ListShareSnapshotInstance(base.Lister):
    """List share snapshot instances (of one snapshot, or all)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--snapshot', metavar='<snapshot>',
                            help='Only the instances of this snapshot (id '
                                 'or name).')
        parser.add_argument('--detailed', action='store_true',
                            help='Also show the share, replica state, '
                                 'progress, provider location and times.')
        return parser

    def take_action(self, parsed_args):
        instances = replica_cli.get_api(self.app).list_snapshot_instances(
            parsed_args.snapshot)
        columns = DETAILED_COLUMNS if parsed_args.detailed else LIST_COLUMNS
        return base.list_columns(instances, columns)


class ShowShareSnapshotInstance(base.ShowOne):
    """Show a share snapshot instance: its replica, status, progress..."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('instance', metavar='<snapshot-instance>',
                            help='Share snapshot instance id.')
        return parser

    def take_action(self, parsed_args):
        record = replica_cli.get_api(self.app).get_snapshot_instance(
            parsed_args.instance)
        return base.show_columns(record, structured=STRUCTURED)
