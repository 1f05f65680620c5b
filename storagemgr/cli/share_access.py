"""``storagemgr share access ...``: grant, list and revoke access rules."""

from storagemgr.cli import base
from storagemgr.cli import share as share_cli
from storagemgr.share import constants

LIST_COLUMNS = ('id', 'access_type', 'access_to', 'access_level', 'state')


class CreateShareAccess(base.ShowOne):
    """Grant access to a share."""

    def get_parser(self, prog_name):
        parser = share_cli.add_ref(super().get_parser(prog_name), 'share',
                                   'share')
        parser.add_argument('access_type', metavar='<access_type>',
                            help='Rule type: %s.' %
                            ', '.join(constants.ACCESS_TYPES))
        parser.add_argument('access_to', metavar='<access_to>',
                            help='IP address or network (ip), user or '
                                 'group name (user), certificate common '
                                 'name (cert).')
        parser.add_argument('--access-level', default='rw',
                            metavar='<access_level>',
                            help='rw (default) or ro.')
        return parser

    def take_action(self, parsed_args):
        rule = share_cli.get_api(self.app).allow_access(
            parsed_args.share, parsed_args.access_type,
            parsed_args.access_to, parsed_args.access_level)
        return base.show_columns(rule)


class ListShareAccess(base.Lister):
    """List the access rules of a share."""

    def get_parser(self, prog_name):
        parser = share_cli.add_ref(super().get_parser(prog_name), 'share',
                                   'share')
        return parser

    def take_action(self, parsed_args):
        rules = share_cli.get_api(self.app).list_access(parsed_args.share)
        return base.list_columns(rules, LIST_COLUMNS)


class DeleteShareAccess(base.Command):
    """Revoke an access rule of a share."""

    def get_parser(self, prog_name):
        parser = share_cli.add_ref(super().get_parser(prog_name), 'share',
                                   'share')
        parser.add_argument('id', metavar='<id>', help='Access rule id.')
        return parser

    def take_action(self, parsed_args):
        share_cli.get_api(self.app).deny_access(parsed_args.share,
                                                parsed_args.id)
