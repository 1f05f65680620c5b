"""``storagemgr storage stat show``."""

import time


from storagemgr.cli import base
from storagemgr import exception


class ShowStat(base.Lister):
    """Show a resource's statistics; optionally draw them as a PNG."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('id', help='Resource id.')
        parser.add_argument('--stat', action='append', dest='names',
                            help='Only this statistic (repeatable).')
        parser.add_argument('--since', type=float, metavar='SECONDS',
                            help='Only samples of the last SECONDS.')
        parser.add_argument('--chart', metavar='FILE.png',
                            help='Also write the charts of the resource '
                                 '(its Meta.charts layout) to this PNG.')
        return parser

    def take_action(self, parsed_args):
        since = None
        if parsed_args.since is not None:
            if parsed_args.since <= 0:
                raise exception.InvalidInput(
                    reason='--since must be a positive number of seconds')
            since = time.time() - parsed_args.since
        record, series, layout = base.plugin_service().statistics(
            parsed_args.id, parsed_args.names, since)
        if parsed_args.chart:
            from storagemgr.plugins import charts

            charts.write_png(parsed_args.chart, record['label'], layout,
                             series)
        rows = [{'statistic': name, 'timestamp': ts, 'value': value}
                for name in sorted(series) for ts, value in series[name]]
        return base.list_columns(rows, ('statistic', 'timestamp', 'value'),
                                 structured=('value',))
