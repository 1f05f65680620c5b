"""``storagemgr storage alert list``."""

from storagemgr.cli import base


class ListAlert(base.Lister):
    """List storage alerts, lowered ones included unless --active.

    ``affects`` lists the resources an alert propagated to.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--active', action='store_true',
                            help='Only alerts that are still raised.')
        return parser

    def take_action(self, parsed_args):
        return base.list_columns(
            base.plugin_service().list_alerts(active_only=parsed_args.active),
            ('id', 'resource_id', 'resource', 'severity', 'alert_class',
             'message', 'active', 'raised_at', 'lowered_at', 'affects'),
            structured=('affects',))
