"""The simulator: state file, faults, and the alerts they cause."""

import os

import ddt

from storagemgr import exception
from storagemgr.plugins import builtin  # noqa: F401
from storagemgr.plugins.builtin import simulator
from storagemgr.plugins.builtin.simulator import state as array_state
from storagemgr.tests import base
from storagemgr.tests.unit.plugins import fake_resource_manager


@ddt.ddt
class StateTestCase(base.TestCase):

    def test_generate_and_count(self):
        state = array_state.generate(enclosures=2, disks_per_enclosure=6,
                                     fans_per_enclosure=1, disks_per_pool=6,
                                     luns_per_pool=2)
        self.assertEqual(1 + 2 + 2 + 2 + 12 + 2 + 4,
                         array_state.count_resources(state))

    def test_sized_for(self):
        state = array_state.generate(**array_state.sized_for(10000))
        self.assertAlmostEqual(10000, array_state.count_resources(state),
                               delta=100)

    @ddt.data('relative.json', '', 'a\0b')
    def test_hostile_paths_refused(self, path):
        self.assertRaises(exception.InvalidInput,
                          array_state.check_state_path, path)

    def test_directory_refused(self):
        self.assertRaises(exception.InvalidInput,
                          array_state.check_state_path, self.state_path)

    def test_save_load_round_trip(self):
        path = os.path.join(self.state_path, 'a.json')
        state = array_state.load_or_create(path)
        self.assertEqual(state, array_state.load(path))
        self.assertEqual(0o600, os.stat(path).st_mode & 0o777)

    @ddt.data(('fail-disk', 'SIM00000000', 'disks', 'status', 'FAILED'),
              ('overheat-enclosure', '1', 'enclosures', 'temperature', 70),
              ('fail-controller', '0', 'controllers', 'status', 'FAILED'),
              ('fail-fan', '0:1', 'fans', 'status', 'FAILED'))
    @ddt.unpack
    def test_fault_and_clear(self, kind, target, items, field, value):
        state = array_state.generate()
        before = [dict(x) for x in state[items]]
        array_state.inject_fault(state, kind, target)
        array_state.inject_fault(state, kind, target)
        self.assertEqual(1, len(state['faults']))
        self.assertEqual(1, [x[field] for x in state[items]].count(value))
        array_state.clear_fault(state, kind, target)
        self.assertEqual(before, state[items])
        self.assertEqual([], state['faults'])

    def test_remove_lun_and_restore(self):
        state = array_state.generate()
        count = len(state['luns'])
        array_state.inject_fault(state, 'remove-lun', 'lun1')
        self.assertNotIn('lun1', [x['name'] for x in state['luns']])
        array_state.clear_fault(state)
        self.assertEqual(count, len(state['luns']))

    def test_unknown_fault_and_target(self):
        state = array_state.generate()
        self.assertRaises(exception.InvalidInput, array_state.inject_fault,
                          state, 'explode', 'x')
        self.assertRaises(exception.NotFound, array_state.inject_fault,
                          state, 'fail-disk', 'NOPE')

    @ddt.data((0, 'OK'), (1, 'DEGRADED'), (2, 'DEGRADED'), (3, 'FAILED'))
    @ddt.unpack
    def test_pool_status(self, failed, expected):
        disks = {'d%d' % i: {'status': 'FAILED' if i < failed else 'OK'}
                 for i in range(6)}
        self.assertEqual(expected, array_state.pool_status(
            disks, {'disks': sorted(disks)}))


class SimulatorPluginTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.path = os.path.join(self.state_path, 'array.json')
        self.rm = fake_resource_manager.FakeResourceManager(
            {1: simulator.Couplet(state_file=self.path)})
        self.plugin = simulator.Simulator(self.rm, 1)
        self.plugin.do_initial_scan()

    def change(self, fn, *args):
        state = array_state.load(self.path)
        fn(state, *args)
        array_state.save(self.path, state)
        self.rm.calls = []
        self.plugin.do_periodic_update()

    def alerts(self):
        return {(type(self.rm.resources[1][h]).__name__, c)
                for (_s, h, c) in self.rm.alerts}

    def test_initial_scan_creates_the_default_array(self):
        kinds = {}
        for r in self.rm.resources[1].values():
            kinds[type(r).__name__] = kinds.get(type(r).__name__, 0) + 1
        self.assertEqual({'Couplet': 1, 'Controller': 2, 'Enclosure': 2,
                          'Fan': 4, 'Disk': 24, 'Pool': 4, 'Lun': 8}, kinds)
        self.assertEqual(set(), self.alerts())

    def test_disk_failure_alerts_disk_and_pool_then_clears(self):
        self.change(array_state.inject_fault, 'fail-disk', 'SIM00000000')
        self.assertEqual({('Disk', '_failure_status_40'),
                          ('Pool', '_None_status_30')}, self.alerts())
        pool = [r for r in self.rm.resources[1].values()
                if type(r).__name__ == 'Pool' and r.name == 'pool0'][0]
        disk = self.plugin.get_resource(simulator.Disk, serial='SIM00000000')
        self.assertIn(disk, pool.get_parents())
        self.change(array_state.clear_fault)
        self.assertEqual(set(), self.alerts())

    def test_overheat_and_lun_removal(self):
        self.change(array_state.inject_fault, 'overheat-enclosure', '0')
        self.assertEqual({('Enclosure', '_None_temperature_40'),
                          ('Enclosure', '_None_temperature_30')},
                         self.alerts())
        self.change(array_state.inject_fault, 'remove-lun', 'lun0')
        removed = self.rm.calls_named('session_remove_local_resources')
        self.assertEqual(['lun0'], [r.name for r in removed[0][2]])

    def test_unchanged_update_sends_nothing(self):
        self.rm.calls = []
        self.plugin.do_periodic_update()
        self.assertEqual([], self.rm.calls)

    def test_lun_provides_serial_to_linux_devices(self):
        provide = simulator.Lun._meta.orig_relations[0]
        self.assertEqual(('linux', 'ScsiDevice'), provide.provide_to)
        self.assertTrue(provide.ignorecase)
