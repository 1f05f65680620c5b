"""``storagemgr storage resource list/show``."""

from storagemgr.cli import base

_STRUCTURED = ('attributes', 'parents', 'children', 'alerts',
               'statistics')


class ListResource(base.Lister):
    """List storage resources reported by the plugins."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--plugin', help='Only this plugin\'s.')
        parser.add_argument('--class', dest='class_name',
                            help='Only resources of this class.')
        parser.add_argument('--scannable',
                            help='Only resources scoped to this scannable.')
        return parser

    def take_action(self, parsed_args):
        records = base.plugin_service().list_resources(
            parsed_args.plugin, parsed_args.class_name,
            parsed_args.scannable)
        return base.list_columns(
            records, ('id', 'plugin', 'class', 'label', 'scope',
                      'attributes'), structured=_STRUCTURED)


class ShowResource(base.ShowOne):
    """Show a resource with its parents, children and active alerts."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('id', help='Resource id.')
        return parser

    def take_action(self, parsed_args):
        record = base.plugin_service().show_resource(parsed_args.id)
        return base.show_columns(record, structured=_STRUCTURED)
