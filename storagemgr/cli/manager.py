"""``storagemgr manager run``: the service in the foreground."""

from storagemgr.cli import base


class RunManager(base.Command):
    """Run the manager: set up backends, resume flows, run periodic tasks."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--once', action='store_true',
                            help='Run every periodic task a single time, '
                                 'then exit.')
        return parser

    def take_action(self, parsed_args):
        from storagemgr.cmd import manager as manager_cmd

        return manager_cmd.serve(self.app.registry, once=parsed_args.once)
