"""The simulated storage array's state file, and the faults injected in it.

The file is the array: a JSON document listing controllers, enclosures,
fans, disks, pools and LUNs with their status. The simulator plugin only
reads it; ``storagemgr storage simulator fault/clear`` and the benchmark
change it. Every write replaces the file atomically, so a scan never
reads half a file.

A fault records what it changed, so ``clear`` restores exactly that.
"""

import json
import os

from storagemgr import exception
from storagemgr import paths

FORMAT_VERSION = 1
TEMPERATURE_NORMAL = 30
TEMPERATURE_OVERHEATED = 70
DISK_CAPACITY = 4 * 1024 ** 4
FAULT_KINDS = ('fail-disk', 'predict-disk-failure', 'overheat-enclosure',
               'fail-fan', 'fail-controller', 'remove-lun')


def _invalid(reason):
    return exception.InvalidInput(reason=reason)


def path_problem(path):
    """Why ``path`` cannot name a state file, judged by its text; or None.

    The path must be absolute: the manager (or an agent) scans it from its
    own working directory, not the one ``scannable add`` ran in, and the
    path is the array's identity, so it must mean one file everywhere.
    It must not contain ``..``: nothing needs it, and it is how a path
    wanders out of the directory it seems to name.
    """
    if not isinstance(path, str) or not path or '\0' in path:
        return 'must be a non-empty path without NUL bytes'
    if not os.path.isabs(path):
        return ('must be an absolute path (the manager does not scan from '
                'the directory you are in)')
    if os.pardir in path.split(os.sep):
        return "must not contain '..'"
    return None


def file_problem(path, check_content=False):
    """Why the file system refuses ``path`` as a state file; or None.

    It must name a regular file, or a file that can be created in an
    existing directory. With ``check_content``, an existing file must
    also be a simulator state file.
    """
    real = os.path.realpath(path)
    if os.path.exists(real) and not os.path.isfile(real):
        return 'is not a regular file'
    if not os.path.isdir(os.path.dirname(real)):
        return 'is in a directory that does not exist'
    if check_content and os.path.exists(real):
        try:
            load(real)
        except (exception.Invalid, exception.NotFound):
            return ('names an existing file that is not a simulator '
                    'state file')
    return None


def check_state_path(path):
    """The absolute, resolved path of a state file; refuses odd paths.

    See ``path_problem`` and ``file_problem`` for the rules.
    """
    problem = path_problem(path) or file_problem(path)
    if problem:
        raise _invalid('the simulator state file %r %s' % (path, problem))
    return os.path.realpath(path)


def generate(enclosures=2, disks_per_enclosure=12, fans_per_enclosure=2,
             disks_per_pool=6, luns_per_pool=2, controllers=2,
             name='simulated-array'):
    """A new array's state: healthy, every disk in a pool."""
    state = {'version': FORMAT_VERSION, 'name': name, 'faults': [],
             'removed_luns': [],
             'controllers': [{'index': i, 'status': 'OK'}
                             for i in range(controllers)],
             'enclosures': [], 'fans': [], 'disks': [], 'pools': [],
             'luns': []}
    for e in range(enclosures):
        state['enclosures'].append({'index': e, 'status': 'OK',
                                    'temperature': TEMPERATURE_NORMAL})
        for f in range(fans_per_enclosure):
            state['fans'].append({'enclosure': e, 'index': f,
                                  'status': 'OK', 'rpm': 6000})
        for s in range(disks_per_enclosure):
            state['disks'].append({
                'serial': 'SIM%04d%04d' % (e, s), 'enclosure': e, 'slot': s,
                'capacity': DISK_CAPACITY, 'status': 'OK',
                'temperature': TEMPERATURE_NORMAL})
    serials = [d['serial'] for d in state['disks']]
    for p, start in enumerate(range(0, len(serials), disks_per_pool)):
        members = serials[start:start + disks_per_pool]
        state['pools'].append({'index': p, 'name': 'pool%d' % p,
                               'raid_type': 'raid6', 'disks': members})
        usable = DISK_CAPACITY * max(len(members) - 2, 1)
        for n in range(luns_per_pool):
            index = p * luns_per_pool + n
            state['luns'].append({
                'index': index, 'name': 'lun%d' % index, 'pool': p,
                'size': usable // luns_per_pool,
                'serial': '60000000SIM%021X' % index})
    return state


def sized_for(resource_count):
    """Generation arguments giving about ``resource_count`` resources.

    Per enclosure: itself, 4 fans, 60 disks, 6 pools of 10 disks and 24
    LUNs: 95 resources.
    """
    enclosures = max(1, round(resource_count / 95.0))
    return dict(enclosures=enclosures, disks_per_enclosure=60,
                fans_per_enclosure=4, disks_per_pool=10, luns_per_pool=4)


def count_resources(state):
    """How many resources the plugin reports for ``state`` (root too)."""
    return 1 + sum(len(state[k]) for k in (
        'controllers', 'enclosures', 'fans', 'disks', 'pools', 'luns'))


def load(path):
    real = check_state_path(path)
    try:
        with open(real) as f:
            state = json.load(f)
    except FileNotFoundError:
        raise exception.NotFound('simulator state file %s does not exist'
                                 % path)
    except (OSError, ValueError) as exc:
        raise _invalid('cannot read simulator state file %s: %s'
                       % (path, exc))
    if not isinstance(state, dict) or state.get('version') != (
            FORMAT_VERSION):
        raise _invalid('%s is not a simulator state file (version %s)'
                       % (path, FORMAT_VERSION))
    return state


def save(path, state):
    """Replace the file atomically, readable by its owner only."""
    paths.write_atomically(check_state_path(path),
                           json.dumps(state, separators=(',', ':')))


def load_or_create(path, **generate_args):
    """The state at ``path``; a default array is written if absent."""
    real = check_state_path(path)
    if not os.path.exists(real):
        save(real, generate(**generate_args))
    return load(real)


def pool_status(state_disks_by_serial, pool):
    """OK, DEGRADED (a disk failed) or FAILED (more than RAID 6 copes)."""
    failed = sum(1 for s in pool['disks']
                 if state_disks_by_serial.get(s, {}).get('status')
                 == 'FAILED')
    if failed == 0:
        return 'OK'
    return 'DEGRADED' if failed <= 2 else 'FAILED'


# -- faults ------------------------------------------------------------------

def _find(items, target, keys, what):
    for item in items:
        if any(str(item.get(k)) == target for k in keys):
            return item
    raise exception.NotFound('no %s %r in the simulated array' % (
        what, target))


def _fan(state, target):
    enclosure, _sep, index = target.partition(':')
    for fan in state['fans']:
        if str(fan['enclosure']) == enclosure and str(fan['index']) == index:
            return fan
    raise exception.NotFound('no fan %r (give <enclosure>:<index>)'
                             % target)


_FIELD_FAULTS = {
    # kind: (list, lookup keys, field, faulty value, what)
    'fail-disk': ('disks', ('serial',), 'status', 'FAILED', 'disk'),
    'predict-disk-failure': ('disks', ('serial',), 'status',
                             'PREDICTED_FAILURE', 'disk'),
    'overheat-enclosure': ('enclosures', ('index',), 'temperature',
                           TEMPERATURE_OVERHEATED, 'enclosure'),
    'fail-controller': ('controllers', ('index',), 'status', 'FAILED',
                        'controller'),
}


def inject_fault(state, kind, target):
    """Apply a fault to ``state`` (a dict), remembering how to undo it."""
    target = str(target)
    if kind not in FAULT_KINDS:
        raise _invalid('unknown fault kind %r; known kinds: %s'
                       % (kind, ', '.join(FAULT_KINDS)))
    if any(f['kind'] == kind and f['target'] == target
           for f in state['faults']):
        return state
    fault = {'kind': kind, 'target': target}
    if kind == 'remove-lun':
        lun = _find(state['luns'], target, ('index', 'name'), 'LUN')
        state['luns'].remove(lun)
        state['removed_luns'].append(lun)
        fault['undo'] = lun['index']
    elif kind == 'fail-fan':
        fan = _fan(state, target)
        fault['undo'] = fan['status']
        fan['status'] = 'FAILED'
    else:
        items, keys, field, value, what = _FIELD_FAULTS[kind]
        item = _find(state[items], target, keys, what)
        fault['undo'] = item[field]
        item[field] = value
    state['faults'].append(fault)
    return state


def clear_fault(state, kind=None, target=None):
    """Undo the matching faults (all of them without kind and target)."""
    kept = []
    for fault in state['faults']:
        if (kind is not None and fault['kind'] != kind) or (
                target is not None and fault['target'] != str(target)):
            kept.append(fault)
            continue
        _undo(state, fault)
    state['faults'] = kept
    return state


def _undo(state, fault):
    kind, target = fault['kind'], fault['target']
    if kind == 'remove-lun':
        for lun in list(state['removed_luns']):
            if lun['index'] == fault['undo']:
                state['removed_luns'].remove(lun)
                state['luns'].append(lun)
        state['luns'].sort(key=lambda lun: lun['index'])
    elif kind == 'fail-fan':
        _fan(state, target)['status'] = fault['undo']
    else:
        items, keys, field, _value, what = _FIELD_FAULTS[kind]
        _find(state[items], target, keys, what)[field] = fault['undo']
