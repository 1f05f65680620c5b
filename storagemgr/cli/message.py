"""``storagemgr message list|show|delete``: why operations failed.

A message is recorded when an operation puts a resource into an error
status; it names the resource, the action and the reason, and expires
after ``[message] message_ttl`` seconds.
"""

from storagemgr.cli import base
from storagemgr import exception
from storagemgr.message import constants as message_constants

LIST_COLUMNS = ('id', 'resource_type', 'resource_id', 'action',
                'message_level', 'detail', 'created_at')


def message_api():
    """``storagemgr.message.api``, imported when a command needs it.

    It imports the database layer; the parsers need only the constants
    (``storagemgr.message.constants``).
    """
    from storagemgr.message import api

    return api


class ListMessage(base.Lister):
    """List user messages, newest first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--resource-id', metavar='<id>',
                            help='Only messages about this resource.')
        parser.add_argument('--resource-type',
                            choices=message_constants.RESOURCE_TYPES,
                            help='Only messages about resources of this '
                                 'type.')
        return parser

    def take_action(self, parsed_args):
        return base.list_columns(
            message_api().list(resource_type=parsed_args.resource_type,
                               resource_id=parsed_args.resource_id),
            LIST_COLUMNS)


class ShowMessage(base.ShowOne):
    """Show one user message."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('message', metavar='<message>',
                            help='Message id.')
        return parser

    def take_action(self, parsed_args):
        return base.show_columns(message_api().get(parsed_args.message))


class DeleteMessage(base.Command):
    """Delete user messages."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('messages', metavar='<message>', nargs='+',
                            help='Message id (repeatable).')
        return parser

    def take_action(self, parsed_args):
        failures = []
        for message_id in parsed_args.messages:
            try:
                message_api().delete(message_id)
            except exception.StorageManagerException as e:
                failures.append(str(e))
        if len(failures) == 1 and len(parsed_args.messages) == 1:
            raise exception.StorageManagerException(failures[0])
        if failures:
            raise exception.StorageManagerException(
                '%d of %d message deletions failed: %s' % (
                    len(failures), len(parsed_args.messages),
                    '; '.join(failures)))
