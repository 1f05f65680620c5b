"""``storagemgr storage plugin list`` and ``... validate``."""

from storagemgr.cli import base

_STRUCTURED = ('resource_classes', 'scannable_classes', 'problems')


class ListPlugin(base.Lister):
    """List the storage plugins: loaded ones, and those that failed."""

    def take_action(self, parsed_args):
        from storagemgr.plugins import loader

        records = loader.get_plugin_manager().list_plugins()
        return base.list_columns(
            records, ('name', 'version', 'module', 'internal',
                      'scannable_classes', 'resource_classes', 'error'),
            structured=_STRUCTURED)


class ValidatePlugin(base.ShowOne):
    """Check a plugin file (or package directory) against the plugin API.

    Prints OK, or every problem found; exits 1 if there is any.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('path', help='Plugin module file (.py) or '
                                         'package directory.')
        return parser

    def take_action(self, parsed_args):
        from storagemgr.plugins import validation

        name, problems = validation.validate_path(parsed_args.path)
        self._problems = problems
        record = {'plugin': name, 'path': parsed_args.path,
                  'status': 'invalid' if problems else 'OK',
                  'problems': problems}
        return base.show_columns(record, structured=_STRUCTURED)

    def run(self, parsed_args):
        self._problems = []
        super().run(parsed_args)
        if self._problems:
            for problem in self._problems:
                self.app.stderr.write('ERROR: %s\n' % problem)
            return 1
        return 0
