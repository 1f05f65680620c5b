"""``storagemgr storage scannable add/list/remove``."""

from storagemgr.cli import base

_COLUMNS = ('id', 'plugin', 'class', 'label', 'kind', 'host', 'state',
            'update_period', 'failures', 'last_error', 'last_scan_at')


class AddScannable(base.ShowOne):
    """Add a scannable resource (a controller, a simulated array...).

    The manager scans it with its plugin from its next pass on. Password
    attributes are stored as the plugin encrypts them and never shown.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--plugin', required=True,
                            help='Plugin name (see storage plugin list).')
        parser.add_argument('--class', dest='class_name', required=True,
                            help='Scannable resource class of the plugin.')
        parser.add_argument('attributes', nargs='*', metavar='ATTR=VALUE',
                            help='Attribute values of the resource.')
        return parser

    def take_action(self, parsed_args):
        record = base.plugin_service().add_scannable(
            parsed_args.plugin, parsed_args.class_name,
            parsed_args.attributes)
        return base.show_columns(record)


class ListScannable(base.Lister):
    """List scannable resources and agent hosts, with their scan state."""

    def take_action(self, parsed_args):
        return base.list_columns(base.plugin_service().list_scannables(),
                                 _COLUMNS)


class RemoveScannable(base.Command):
    """Remove a scannable and every resource that belongs only to it."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('id', help='Scannable id (storage scannable '
                                       'list).')
        return parser

    def take_action(self, parsed_args):
        removed = base.plugin_service().remove_scannable(parsed_args.id)
        self.app.stdout.write('Removed scannable %s and %d resource(s).\n' % (
            parsed_args.id, removed))
