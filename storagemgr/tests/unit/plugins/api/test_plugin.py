"""The Plugin base: lifecycle guarantees and exactly-once delta commits."""

import threading

from storagemgr import exception
from storagemgr.plugins.api import alert_conditions as ac
from storagemgr.plugins.api import attributes
from storagemgr.plugins.api import identifiers
from storagemgr.plugins.api import plugin
from storagemgr.plugins.api import resources
from storagemgr.plugins.api import statistics
from storagemgr.tests import base
from storagemgr.tests.unit.plugins import fake_resource_manager


class Box(resources.ScannableResource):
    class Meta:
        identifier = identifiers.GlobalId('address')

    address = attributes.Hostname()


class Disk(resources.PhysicalDisk):
    class Meta:
        identifier = identifiers.ScopedId('serial')
        alert_conditions = [ac.ValueCondition(
            'status', error_states=['FAILED'], message='Disk failed')]

    serial = attributes.String()
    status = attributes.String()
    temperature = statistics.Gauge()


class Shared(resources.Resource):
    class Meta:
        identifier = identifiers.GlobalId('wwn')

    wwn = attributes.String()


class Volume(resources.Resource):
    class Meta:
        identifier = identifiers.ScopedId('name')

    name = attributes.String()
    disk = attributes.ResourceReference()
    spare = attributes.ResourceReference(optional=True)


class Recorder(plugin.Plugin):
    """Runs whatever the test put in ``steps`` as the scan bodies."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = {}
        self.events = []

    def _run(self, name, *args):
        self.events.append(name)
        step = self.steps.get(name)
        if step:
            step(self, *args)

    def add_disk(self, serial='d1', status='OK'):
        return self.update_or_create(Disk, serial=serial, status=status)

    def initial_scan(self, root):
        self._run('initial_scan', root)

    def update_scan(self, root):
        self._run('update_scan', root)

    def teardown(self):
        self._run('teardown')


class PluginTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.rm = fake_resource_manager.FakeResourceManager(
            {7: Box(address='box.example.com')})
        self.plugin = Recorder(self.rm, 7)

    def names(self):
        return [c[0] for c in self.rm.calls]

    def calls(self, name):
        return self.rm.calls_named(name)

    def add_disk(self, serial='d1', status='OK'):
        return self.plugin.add_disk(serial, status)

    # -- lifecycle ---------------------------------------------------------

    def test_initial_scan_opens_session_with_root_and_resources(self):
        self.plugin.steps['initial_scan'] = (
            lambda p, root: p.update_or_create(Disk, parents=[root],
                                               serial='d1', status='OK'))
        self.plugin.do_initial_scan()
        opened = self.calls('session_open')[0]
        self.assertEqual(7, opened[1])
        self.assertEqual(['Box', 'Disk'],
                         [type(r).__name__ for r in opened[2]])
        self.assertEqual(1, opened[2][0]._handle)
        self.assertEqual([], self.calls('session_add_resources'))

    def test_initial_scan_only_once(self):
        self.plugin.do_initial_scan()
        self.assertRaises(exception.PluginProgrammingError,
                          self.plugin.do_initial_scan)

    def test_update_before_initial_refused(self):
        self.assertRaises(exception.PluginProgrammingError,
                          self.plugin.do_periodic_update)
        self.assertEqual([], self.plugin.events)

    def test_teardown_after_failed_initial_scan(self):
        def boom(p, root):
            raise RuntimeError('controller unreachable')
        self.plugin.steps['initial_scan'] = boom
        self.assertRaises(RuntimeError, self.plugin.do_initial_scan)
        self.plugin.do_teardown()
        self.assertEqual(['initial_scan', 'teardown'], self.plugin.events)
        self.assertEqual([], self.calls('session_close'))

    def test_teardown_after_failed_update(self):
        self.plugin.do_initial_scan()

        def boom(p, root):
            raise RuntimeError('lost')
        self.plugin.steps['update_scan'] = boom
        self.assertRaises(RuntimeError, self.plugin.do_periodic_update)
        self.plugin.do_teardown()
        self.assertEqual('teardown', self.plugin.events[-1])
        self.assertEqual(1, len(self.calls('session_close')))

    def test_no_teardown_without_scan_and_no_scan_after_teardown(self):
        self.plugin.do_teardown()
        self.assertEqual([], self.plugin.events)
        self.assertRaises(exception.PluginProgrammingError,
                          self.plugin.do_initial_scan)

    def test_teardown_runs_once(self):
        self.plugin.do_initial_scan()
        self.plugin.do_teardown()
        self.plugin.do_teardown()
        self.assertEqual(1, self.plugin.events.count('teardown'))
        self.assertRaises(exception.PluginProgrammingError,
                          self.plugin.do_periodic_update)

    def test_teardown_waits_for_a_running_scan(self):
        entered, release = threading.Event(), threading.Event()

        def slow(p, root):
            entered.set()
            release.wait(10)
        self.plugin.steps['initial_scan'] = slow
        scan = threading.Thread(target=self.plugin.do_initial_scan)
        scan.start()
        entered.wait(10)
        stopper = threading.Thread(target=self.plugin.do_teardown)
        stopper.start()
        stopper.join(0.2)
        self.assertNotIn('teardown', self.plugin.events)
        release.set()
        scan.join(10)
        stopper.join(10)
        self.assertEqual(['initial_scan', 'teardown'], self.plugin.events)

    # -- update_period -------------------------------------------------------

    def test_update_period_set_in_initial_scan_reaches_open(self):
        def set_period(p, root):
            p.update_period = 42
        self.plugin.steps['initial_scan'] = set_period
        self.plugin.do_initial_scan()
        self.assertEqual(42, self.calls('session_open')[0][3])
        self.assertEqual(42, self.plugin.update_period)
        self.assertEqual([], self.calls('session_update_period'))

    def test_update_period_changed_later_is_sent(self):
        self.plugin.do_initial_scan()
        self.plugin.update_period = 9
        self.plugin.update_period = 9
        self.assertEqual([('session_update_period', 7, 9)],
                         self.calls('session_update_period'))

    def test_update_period_must_be_positive(self):
        self.assertRaises(exception.PluginProgrammingError, setattr,
                          self.plugin, 'update_period', 0)

    def test_default_update_period_from_config(self):
        self.flags(default_update_period=3.0, group='storage_plugins')
        self.assertEqual(3.0, Recorder(self.rm, 7).update_period)

    # -- reporting ---------------------------------------------------------

    def test_update_or_create_reports_created_once_per_session(self):
        self.plugin.do_initial_scan()
        disk, created = self.add_disk()
        again, created_again = self.add_disk(status='FAILED')
        self.assertTrue(created)
        self.assertFalse(created_again)
        self.assertIs(disk, again)
        self.assertEqual('FAILED', disk.status)

    def test_new_resources_sent_once_in_one_batch(self):
        self.plugin.do_initial_scan()
        self.add_disk('a')
        self.add_disk('b')
        self.plugin.do_periodic_update()
        self.plugin.do_periodic_update()
        added = self.calls('session_add_resources')
        self.assertEqual(1, len(added))
        self.assertEqual(['a', 'b'], [r.serial for r in added[0][2]])
        self.assertEqual([], self.calls('session_update_resource'))

    def test_only_changed_attributes_sent(self):
        self.plugin.steps['initial_scan'] = lambda p, r: p.add_disk()
        self.plugin.do_initial_scan()
        disk = self.plugin.get_resource(Disk, serial='d1')
        disk.status = 'OK'
        self.plugin.do_periodic_update()
        self.assertEqual([], self.calls('session_update_resource'))
        disk.status = 'SLOW'
        self.plugin.do_periodic_update()
        self.plugin.do_periodic_update()
        self.assertEqual([('session_update_resource', 7, disk._handle,
                           {'status': 'SLOW'})],
                         self.calls('session_update_resource'))

    def test_parent_changes_sent(self):
        self.plugin.steps['initial_scan'] = lambda p, r: (p.add_disk('a'),
                                                          p.add_disk('b'))
        self.plugin.do_initial_scan()
        a = self.plugin.get_resource(Disk, serial='a')
        b = self.plugin.get_resource(Disk, serial='b')
        b.add_parent(a)
        self.plugin.do_periodic_update()
        b.remove_parent(a)
        self.plugin.do_periodic_update()
        self.assertEqual(
            [('session_resource_add_parent', 7, b._handle, a._handle)],
            self.calls('session_resource_add_parent'))
        self.assertEqual(
            [('session_resource_remove_parent', 7, b._handle, a._handle)],
            self.calls('session_resource_remove_parent'))

    def test_statistics_sent_once(self):
        self.plugin.do_initial_scan()
        disk, _ = self.add_disk()
        self.plugin.do_periodic_update()
        disk.temperature = 30
        disk.temperature = 31
        self.plugin.do_periodic_update()
        self.plugin.do_periodic_update()
        stats = self.calls('session_update_stats')
        self.assertEqual(1, len(stats))
        self.assertEqual([30.0, 31.0],
                         [s['value'] for s in stats[0][3]['temperature']])

    def test_remove_scoped_and_global(self):
        def scan(p, root):
            p.add_disk('a')
            p.update_or_create(Shared, wwn='w')
        self.plugin.steps['initial_scan'] = scan
        self.plugin.do_initial_scan()
        disk = self.plugin.get_resource(Disk, serial='a')
        shared = self.plugin.get_resource(Shared, wwn='w')
        self.plugin.remove(disk)
        self.plugin.remove(shared)
        self.plugin.remove(shared)
        self.plugin.do_periodic_update()
        self.assertEqual([('session_remove_local_resources', 7, [disk])],
                         self.calls('session_remove_local_resources'))
        self.assertEqual([('session_remove_global_resources', 7, [shared])],
                         self.calls('session_remove_global_resources'))

    def test_remove_of_uncommitted_resource_sends_nothing(self):
        self.plugin.do_initial_scan()
        disk, _ = self.add_disk()
        self.plugin.remove(disk)
        self.plugin.do_periodic_update()
        self.assertEqual(['session_open'], self.names())

    def test_remove_cascades_mandatory_and_clears_optional_reference(self):
        def scan(p, root):
            a, _ = p.add_disk('a')
            b, _ = p.add_disk('b')
            p.update_or_create(Volume, name='v1', disk=a)
            p.update_or_create(Volume, name='v2', disk=b, spare=a)
        self.plugin.steps['initial_scan'] = scan
        self.plugin.do_initial_scan()
        a = self.plugin.get_resource(Disk, serial='a')
        v1 = self.plugin.get_resource(Volume, name='v1')
        v2 = self.plugin.get_resource(Volume, name='v2')
        self.plugin.remove(a)
        self.plugin.do_periodic_update()
        removed = self.calls('session_remove_local_resources')[0][2]
        self.assertEqual({a, v1}, set(removed))
        self.assertIsNone(v2.spare)
        self.assertEqual([('session_update_resource', 7, v2._handle,
                           {'spare': None})],
                         self.calls('session_update_resource'))
        self.assertEqual([], self.plugin.find_by_attr(Volume, name='v1'))

    def test_find_and_remove_by_attr(self):
        self.plugin.do_initial_scan()
        self.add_disk('a')
        self.add_disk('b')
        self.assertEqual(2, len(self.plugin.find_by_attr(Disk)))
        self.assertTrue(self.plugin.remove_by_attr(Disk, serial='a'))
        self.assertFalse(self.plugin.remove_by_attr(Disk, serial='a'))
        self.assertEqual(['b'], [d.serial for d in
                                 self.plugin.find_by_attr(Disk)])

    def test_get_resource_not_found(self):
        self.assertRaises(exception.StorageResourceNotFound,
                          self.plugin.get_resource, Disk, serial='x')

    def test_invalid_resource_refused(self):
        self.assertRaises(exception.InvalidAttributeValue,
                          self.plugin.update_or_create, Disk, serial='a')

    # -- alerts ------------------------------------------------------------

    def test_initial_scan_reports_every_condition_state(self):
        self.plugin.steps['initial_scan'] = lambda p, r: (
            p.add_disk('a', 'OK'), p.add_disk('b', 'FAILED'))
        self.plugin.do_initial_scan()
        states = {c[2]: c[3] for c in self.calls('session_notify_alert')}
        handles = {d.serial: d._handle
                   for d in self.plugin.find_by_attr(Disk)}
        self.assertEqual({handles['a']: False, handles['b']: True}, states)

    def test_alert_raised_and_lowered_once(self):
        self.plugin.steps['initial_scan'] = lambda p, r: p.add_disk('a')
        self.plugin.do_initial_scan()
        self.rm.calls = []
        disk = self.plugin.get_resource(Disk, serial='a')
        disk.status = 'FAILED'
        self.plugin.do_periodic_update()
        self.plugin.do_periodic_update()
        disk.status = 'OK'
        self.plugin.do_periodic_update()
        alerts = self.calls('session_notify_alert')
        self.assertEqual(
            [(7, disk._handle, True, 40, '_None_status_40', 'status'),
             (7, disk._handle, False, 40, '_None_status_40', 'status')],
            [c[1:7] for c in alerts])
        self.assertIn('Disk failed', alerts[0][7])

    def test_new_failed_resource_raises_alert(self):
        self.plugin.do_initial_scan()
        self.add_disk('x', 'FAILED')
        self.plugin.do_periodic_update()
        self.assertEqual([True], [c[3] for c in
                                  self.calls('session_notify_alert')])

    # -- threads and agents ---------------------------------------------

    def test_changes_from_other_threads_go_with_next_scan(self):
        self.plugin.steps['initial_scan'] = lambda p, r: p.add_disk('a')
        self.plugin.do_initial_scan()
        disk = self.plugin.get_resource(Disk, serial='a')
        worker = threading.Thread(target=setattr,
                                  args=(disk, 'status', 'SLOW'))
        worker.start()
        worker.join()
        self.assertEqual([], self.calls('session_update_resource'))
        self.plugin.do_periodic_update()
        self.assertEqual(1, len(self.calls('session_update_resource')))


class AgentPlugin(plugin.Plugin):
    def agent_session_start(self, host_id, data):
        self.seen = [('start', host_id, data)]
        for serial in data:
            self.update_or_create(Disk, serial=serial, status='OK')

    def agent_session_continue(self, host_id, data):
        self.seen.append(('continue', host_id, data))
        for serial in data:
            self.update_or_create(Disk, serial=serial, status='OK')


class AgentSessionTestCase(base.TestCase):

    def test_agent_session_start_and_continue(self):
        root = resources.PluginAgentResources(host_id=3, plugin_name='x')
        rm = fake_resource_manager.FakeResourceManager({11: root})
        agent = AgentPlugin(rm, 11)
        agent.do_agent_session_start(['a'])
        agent.do_agent_session_continue(['a', 'b'])
        self.assertEqual([('start', 3, ['a']), ('continue', 3, ['a', 'b'])],
                         agent.seen)
        self.assertEqual(2, len(rm.calls_named('session_open')[0][2]))
        self.assertEqual(['b'], [r.serial for r in rm.calls_named(
            'session_add_resources')[0][2]])

    def test_device_plugin_reexported(self):
        from storagemgr.agent import device_plugin
        self.assertIs(device_plugin.DevicePlugin, plugin.DevicePlugin)
