"""``storagemgr storage simulator fault`` and ``... clear``.

Both take the simulated array as a scannable id (of a simulator
``Couplet``) or as the absolute path of its state file, change the state
file, and show the faults now active. The next scan reports the change.
"""

from storagemgr.cli import base
from storagemgr import exception
from storagemgr.plugins.builtin.simulator import state as array_state


def _state_file(target):
    """The state file path named by ``target`` (a path or scannable id)."""
    if target.startswith('/'):
        return array_state.check_state_path(target)
    if not target.isdigit():
        raise exception.InvalidInput(
            reason='%r is neither a scannable id nor an absolute state '
                   'file path' % target)
    from storagemgr.plugins import resource_manager
    root = resource_manager.ResourceManager().get_resource(int(target))
    path = getattr(root, 'state_file', None)
    if root is None or path is None:
        raise exception.InvalidInput(
            reason='scannable %s is not a simulated array' % target)
    return array_state.check_state_path(path)


def _describe(path, state):
    return {'state_file': path, 'name': state.get('name'),
            'faults': [{'kind': f['kind'], 'target': f['target']}
                       for f in state['faults']],
            'resources': array_state.count_resources(state)}


class InjectFault(base.ShowOne):
    """Inject a fault into a simulated array."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('array', help='Scannable id of the simulated '
                                          'array, or its state file.')
        parser.add_argument('kind', choices=array_state.FAULT_KINDS,
                            help='What fails.')
        parser.add_argument('target', help='Disk serial, enclosure index, '
                                           'fan <enclosure>:<index>, '
                                           'controller index, LUN index '
                                           'or name.')
        return parser

    def take_action(self, parsed_args):
        path = _state_file(parsed_args.array)
        state = array_state.load(path)
        array_state.inject_fault(state, parsed_args.kind, parsed_args.target)
        array_state.save(path, state)
        return base.show_columns(_describe(path, state),
                                 structured=('faults',))


class ClearFault(base.ShowOne):
    """Clear faults of a simulated array (all of them by default)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('array', help='Scannable id of the simulated '
                                          'array, or its state file.')
        parser.add_argument('kind', nargs='?',
                            choices=array_state.FAULT_KINDS,
                            help='Only faults of this kind.')
        parser.add_argument('target', nargs='?',
                            help='Only the fault on this target.')
        return parser

    def take_action(self, parsed_args):
        path = _state_file(parsed_args.array)
        state = array_state.load(path)
        array_state.clear_fault(state, parsed_args.kind, parsed_args.target)
        array_state.save(path, state)
        return base.show_columns(_describe(path, state),
                                 structured=('faults',))
