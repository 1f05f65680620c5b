"""``storagemgr backend list`` and ``storagemgr backend show``."""

from storagemgr.cli import base

_STRUCTURED = ('capabilities', 'pools', 'alerts')


def _describe(app, backend):
    # A backend in error is tried again here once its next attempt is due.
    backend.setup(app.context)
    backend.refresh_stats()
    backend.record()
    record = backend.describe()
    # Storage health: alerts on the storage resource it sits on (a
    # misconfigured section may not even parse, so it has none).
    if backend.config_error is None:
        from storagemgr.plugins import health
        record.update(health.backend_health(backend.configuration))
    return record


class ListBackend(base.Lister):
    """List the configured backends with their state and pools."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--kind', choices=('share', 'volume'),
                            help='Only backends of this kind.')
        return parser

    def take_action(self, parsed_args):
        records = [_describe(self.app, b) for b in self.app.registry
                   if parsed_args.kind in (None, b.kind.name)]
        return base.list_columns(
            records, ('name', 'kind', 'driver', 'state', 'capabilities',
                      'pools'), structured=_STRUCTURED)


class ShowBackend(base.ShowOne):
    """Show one backend: driver, state, capabilities and pools.

    A backend in error also shows its last error and, when its setup is to
    be tried again, the time of the next attempt (UTC).
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', help='Backend name (a section of '
                                         'storagemgr.conf).')
        return parser

    def take_action(self, parsed_args):
        backend = self.app.registry.lookup(parsed_args.name)
        return base.show_columns(_describe(self.app, backend),
                                 structured=_STRUCTURED)
