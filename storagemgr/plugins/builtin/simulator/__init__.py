"""The built-in ``simulator`` plugin: a storage array living in a file.

An administrator adds a ``Couplet`` scannable naming a state file
(``storagemgr storage scannable add --plugin simulator --class Couplet
state_file=/path/array.json``); a default array is written there if the
file does not exist. Faults injected with ``storagemgr storage simulator
fault`` change the file, and the next update scan reports them, so every
alert path can be exercised: a failed disk (alert on the disk, its pool
degraded, propagated to the pool's LUNs and whatever sits on them), an
overheated enclosure, a failed fan or controller, a removed LUN.

Parent edges: fan -> enclosure -> disk -> pool -> LUN, controller ->
pool. LUNs provide their serial to ``linux.ScsiDevice``, so a LUN seen
by a server's linux plugin becomes the parent of that device.
"""

from storagemgr import exception
from storagemgr.plugins.api import alert_conditions
from storagemgr.plugins.api import attributes
from storagemgr.plugins.api import identifiers
from storagemgr.plugins.api import plugin
from storagemgr.plugins.api import relations
from storagemgr.plugins.api import resources
from storagemgr.plugins.api import statistics
from storagemgr.plugins.builtin.simulator import state as array_state

version = 1

_STATUS = ('OK', 'PREDICTED_FAILURE', 'DEGRADED', 'FAILED')


class StateFilePath(attributes.PosixPath):
    """A state file path: absolute, without ``..`` (see state.path_problem).

    Only the text is judged here, so a stored path can always be read
    back; the file system is looked at when a Couplet is validated.
    """

    def _check(self, value, name):
        super()._check(value, name)
        problem = array_state.path_problem(value)
        if problem:
            self._refuse(value, problem, name)


class Couplet(resources.ScannableResource):
    """The simulated array: a pair of controllers and a state file."""

    class Meta:
        identifier = identifiers.GlobalId('state_file')
        label = 'Simulated array'

    state_file = StateFilePath()
    name = attributes.String(optional=True, user_read_only=True)

    def get_label(self):
        return self.name or self.state_file

    def validate(self):
        """Also refuse a state file the scan could not use.

        ``storage scannable add`` validates the new Couplet, so a path the
        first scan would fail on is refused before anything is stored.
        """
        super().validate()
        problem = array_state.file_problem(self.state_file,
                                           check_content=True)
        if problem:
            raise exception.InvalidAttributeValue(
                value=self.state_file, attribute='state_file',
                reason=problem)


class Controller(resources.Controller):
    class Meta:
        identifier = identifiers.ScopedId('index')
        alert_conditions = [alert_conditions.ValueCondition(
            'status', error_states=['FAILED'],
            message='Controller failed')]

    index = attributes.Integer(min_val=0)
    status = attributes.Enum(*_STATUS)

    def get_label(self):
        return 'controller %s' % self.index


class Enclosure(resources.Enclosure):
    class Meta:
        identifier = identifiers.ScopedId('index')
        alert_conditions = [alert_conditions.UpperBoundCondition(
            'temperature', error_bound=60, warn_bound=45,
            message='Enclosure temperature too high')]

    index = attributes.Integer(min_val=0)
    status = attributes.Enum(*_STATUS)
    temperature = attributes.Integer(label='Temperature (C)')

    def get_label(self):
        return 'enclosure %s' % self.index


class Fan(resources.Fan):
    class Meta:
        identifier = identifiers.ScopedId('enclosure', 'index')
        alert_conditions = [alert_conditions.ValueCondition(
            'status', error_states=['FAILED'], message='Fan failed')]

    enclosure = attributes.ResourceReference()
    index = attributes.Integer(min_val=0)
    status = attributes.Enum(*_STATUS)
    rpm = attributes.Integer(min_val=0, optional=True)

    def get_label(self):
        return 'fan %s:%s' % (self.enclosure.index, self.index)


class Disk(resources.PhysicalDisk):
    class Meta:
        identifier = identifiers.ScopedId('serial')
        alert_conditions = [
            alert_conditions.ValueCondition(
                'status', error_states=['FAILED'], message='Disk failed',
                id='failure'),
            alert_conditions.ValueCondition(
                'status', warn_states=['PREDICTED_FAILURE'],
                message='Disk predicted to fail', id='prediction'),
        ]

    serial = attributes.String()
    enclosure_index = attributes.Integer(min_val=0)
    slot = attributes.Integer(min_val=0)
    capacity = attributes.Bytes()
    status = attributes.Enum(*_STATUS)
    temperature = statistics.Gauge(units='C')

    def get_label(self):
        return 'disk %s' % self.serial


class Pool(resources.StoragePool):
    class Meta:
        identifier = identifiers.ScopedId('index')
        alert_conditions = [alert_conditions.ValueCondition(
            'status', error_states=['FAILED'], warn_states=['DEGRADED'],
            message='Pool not healthy')]

    index = attributes.Integer(min_val=0)
    name = attributes.String()
    raid_type = attributes.Enum('raid0', 'raid1', 'raid5', 'raid6')
    capacity = attributes.Bytes()
    status = attributes.Enum(*_STATUS)

    def get_label(self):
        return self.name


class Lun(resources.LogicalDrive):
    class Meta:
        identifier = identifiers.ScopedId('index')
        relations = [relations.Provide(provide_to=('linux', 'ScsiDevice'),
                                       attributes=['serial'],
                                       ignorecase=True)]
        charts = [{'title': 'Throughput',
                   'series': ['read_bytes', 'write_bytes']}]

    index = attributes.Integer(min_val=0)
    name = attributes.String()
    serial = attributes.String()
    read_bytes = statistics.Counter(units=statistics.UNITS_BYTES)
    write_bytes = statistics.Counter(units=statistics.UNITS_BYTES)

    def get_label(self):
        return self.name


class Simulator(plugin.Plugin):
    """Reports the array in the Couplet's state file.

    An update re-reads the file and touches only the entities whose
    entry changed (a fingerprint per entry), so a large array with few
    changes costs one file read and a dictionary pass.
    """

    def initial_scan(self, couplet):
        state = array_state.load_or_create(couplet.state_file)
        self._fingerprints = {}
        self._resources = {}
        self._apply(couplet, state)

    def update_scan(self, couplet):
        self._apply(couplet, array_state.load(couplet.state_file))

    def _changed(self, key, entry):
        fingerprint = hash(tuple(
            v if type(v) is not list else tuple(v) for v in entry.values()))
        if self._fingerprints.get(key) == fingerprint and (
                key in self._resources):
            return False
        self._fingerprints[key] = fingerprint
        return True

    def _report(self, key, klass, parents, **attrs):
        resource, _ = self.update_or_create(klass, parents=parents, **attrs)
        self._resources[key] = resource
        return resource

    def _apply(self, couplet, state):
        if state.get('name') and couplet.name != state['name']:
            couplet.name = state['name']
        seen = set()
        disks = {d['serial']: d for d in state['disks']}
        for entry in state['controllers']:
            key = ('controller', entry['index'])
            seen.add(key)
            if self._changed(key, entry):
                self._report(key, Controller, [couplet],
                             index=entry['index'], status=entry['status'])
        for entry in state['enclosures']:
            key = ('enclosure', entry['index'])
            seen.add(key)
            if self._changed(key, entry):
                self._report(key, Enclosure, [couplet], index=entry['index'],
                             status=entry['status'],
                             temperature=entry['temperature'])
        for entry in state['fans']:
            key = ('fan', entry['enclosure'], entry['index'])
            seen.add(key)
            if self._changed(key, entry):
                enclosure = self._resources[('enclosure',
                                             entry['enclosure'])]
                fan = self._report(key, Fan, [], enclosure=enclosure,
                                   index=entry['index'],
                                   status=entry['status'],
                                   rpm=entry.get('rpm'))
                enclosure.add_parent(fan)
        for entry in state['disks']:
            key = ('disk', entry['serial'])
            seen.add(key)
            if self._changed(key, entry):
                disk = self._report(
                    key, Disk,
                    [self._resources[('enclosure', entry['enclosure'])]],
                    serial=entry['serial'],
                    enclosure_index=entry['enclosure'], slot=entry['slot'],
                    capacity=entry['capacity'], status=entry['status'])
                disk.temperature = entry['temperature']
        controllers = [self._resources[('controller', c['index'])]
                       for c in state['controllers']]
        for entry in state['pools']:
            key = ('pool', entry['index'])
            seen.add(key)
            status = array_state.pool_status(disks, entry)
            if self._changed(key, dict(entry, status=status)):
                members = [self._resources[('disk', s)]
                           for s in entry['disks']]
                self._report(key, Pool, members + controllers,
                             index=entry['index'], name=entry['name'],
                             raid_type=entry['raid_type'],
                             capacity=sum(m.capacity for m in members),
                             status=status)
        for entry in state['luns']:
            key = ('lun', entry['index'])
            seen.add(key)
            if self._changed(key, entry):
                lun = self._report(
                    key, Lun, [self._resources[('pool', entry['pool'])]],
                    index=entry['index'], name=entry['name'],
                    serial=entry['serial'], size=entry['size'])
                if 'read_bytes' in entry:
                    lun.read_bytes = entry['read_bytes']
                    lun.write_bytes = entry.get('write_bytes', 0)
        self._forget_missing(seen)

    def _forget_missing(self, seen):
        for key in [k for k in self._resources if k not in seen]:
            self.remove(self._resources.pop(key))
            self._fingerprints.pop(key, None)
