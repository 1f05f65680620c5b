"""``storagemgr share replica ...``: create, list, show, delete, promote,
resync and set share replicas (as ``openstack share replica ...`` does).

A replica is named by its id (replicas have no names). Every command
returns once its work is done, so ``--wait`` (the OpenStack client's
option to poll until then) is accepted and changes nothing. Commands that
change a replica show it afterwards, as ``share replica show`` does.
"""

from storagemgr.cli import base
from storagemgr.cli import share as share_cli
from storagemgr import exception

STRUCTURED = ('export_locations',)
LIST_COLUMNS = ('id', 'share_id', 'status', 'replica_state', 'backend',
                'host', 'availability_zone', 'updated_at')
WAIT_HELP = ('Accepted for the OpenStack client\'s sake: the command '
             'returns once the work is done anyway.')


def get_api(app):
    """The share replication service layer (imported when a command runs).

    Not imported with this module: listing or describing the commands
    (``--help``) must not pay for the service layer.
    """
    from storagemgr.share_replication import api as replication_api

    return replication_api.API(registry=app.registry, context=app.context)


def show_record(record):
    return base.show_columns(record, structured=STRUCTURED)


def add_replica(parser):
    parser.add_argument('replica', metavar='<replica>',
                        help='Share replica id.')
    return parser


def add_wait(parser):
    parser.add_argument('--wait', action='store_true', help=WAIT_HELP)
    return parser


class ReplicaCommand(base.ShowOne):
    """A command on one replica that shows it afterwards."""

    def get_parser(self, prog_name):
        return add_replica(super().get_parser(prog_name))

    def call(self, api, parsed_args):
        raise NotImplementedError()

    def take_action(self, parsed_args):
        return show_record(self.call(get_api(self.app), parsed_args))


class CreateShareReplica(base.ShowOne):
    """Add a replica of a replicated share on another backend."""

    def get_parser(self, prog_name):
        parser = share_cli.add_ref(super().get_parser(prog_name), 'share',
                                   'share')
        parser.add_argument('--availability-zone', metavar='<zone>',
                            help='Place the replica in this availability '
                                 'zone.')
        parser.add_argument('--backend', metavar='<backend>',
                            help='Only consider this backend (a name, or '
                                 'host@backend#pool for one pool); it must '
                                 'be in the share\'s replication domain '
                                 'and hold no replica of it yet.')
        return add_wait(parser)

    def take_action(self, parsed_args):
        replica = get_api(self.app).create(
            parsed_args.share, backend=parsed_args.backend,
            availability_zone=parsed_args.availability_zone)
        return show_record(replica)


class ListShareReplica(base.Lister):
    """List share replicas, each share's active replica first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--share', metavar='<share>',
                            help='Only the replicas of this share (id or '
                                 'name).')
        return parser

    def take_action(self, parsed_args):
        replicas = get_api(self.app).list(parsed_args.share)
        return base.list_columns(replicas, LIST_COLUMNS)


class ShowShareReplica(ReplicaCommand):
    """Show a share replica: replica state, status, host, export locations."""

    def call(self, api, parsed_args):
        return api.get(parsed_args.replica)


class DeleteShareReplica(base.Command):
    """Delete secondary replicas (the active replica is refused)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('replicas', metavar='<replica>', nargs='+',
                            help='Share replica id (repeatable).')
        parser.add_argument('--force', action='store_true',
                            help='Remove the replica even when its backend '
                                 'fails to delete it (its data may stay '
                                 'there), or when it is stuck creating or '
                                 'deleting.')
        return add_wait(parser)

    def take_action(self, parsed_args):
        api = get_api(self.app)
        share_cli.for_each(
            parsed_args.replicas,
            lambda ref: api.delete(ref, force=parsed_args.force),
            'replica deletions')


class PromoteShareReplica(ReplicaCommand):
    """Make a secondary replica the share's active replica."""

    def get_parser(self, prog_name):
        return add_wait(super().get_parser(prog_name))

    def call(self, api, parsed_args):
        return api.promote(parsed_args.replica)


class ResyncShareReplica(ReplicaCommand):
    """Bring a secondary replica up to date with the active one now."""

    def call(self, api, parsed_args):
        return api.resync(parsed_args.replica)


class SetShareReplica(ReplicaCommand):
    """Set a replica's status and/or replica state (admin repair)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--replica-state', metavar='<replica-state>',
                            help='New replica state: in_sync, out_of_sync '
                                 'or error (not of the active replica).')
        parser.add_argument('--status', metavar='<status>',
                            help='New status: available, error, creating, '
                                 'deleting or error_deleting.')
        return parser

    def call(self, api, parsed_args):
        if parsed_args.status is None and parsed_args.replica_state is None:
            raise exception.InvalidInput(
                reason='share replica set needs --replica-state and/or '
                       '--status')
        return api.reset(parsed_args.replica, status=parsed_args.status,
                         replica_state=parsed_args.replica_state)
