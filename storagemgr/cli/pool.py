"""``share pool list`` and ``volume pool list``: where things can go.

Each pool is named ``host@backend#pool``, as the scheduler and every
share instance and volume name it, with its capacity (what the driver
reports and what storagemgr has allocated there) and, with ``--detail``,
its capabilities.
"""

from storagemgr.cli import base

_COLUMNS = ('name', 'host', 'backend', 'pool', 'total_capacity_gb',
            'free_capacity_gb', 'allocated_capacity_gb')
_DETAIL = _COLUMNS + ('capabilities',)


class _ListPools(base.Lister):
    kind = None

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--detail', action='store_true',
                            help='Show each pool\'s capabilities too.')
        parser.add_argument('--backend', metavar='<backend>',
                            help='Only this backend\'s pools (a name or '
                                 'host@backend#pool).')
        parser.add_argument('--%s-type' % self.kind, dest='type_ref',
                            metavar='<%s-type>' % self.kind,
                            help='Only pools whose capabilities match this '
                                 '%s type\'s extra specs.' % self.kind)
        return parser

    def take_action(self, parsed_args):
        from storagemgr.scheduler import placement

        pools = placement.list_pools(self.kind, type_ref=parsed_args.type_ref,
                                     backend=parsed_args.backend)
        return base.list_columns(
            pools, _DETAIL if parsed_args.detail else _COLUMNS,
            structured=('capabilities',))


class ListSharePools(_ListPools):
    """List share pools (host@backend#pool) with capacity."""
    kind = 'share'


class ListVolumePools(_ListPools):
    """List volume pools (host@backend#pool) with capacity."""
    kind = 'volume'
