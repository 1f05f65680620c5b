"""The resource manager against the real Plugin base and database."""

import logging
import sys
import types

import ddt
import sqlalchemy as sa

from storagemgr.db.models import plugin as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.plugins.api import alert_conditions
from storagemgr.plugins.api import attributes
from storagemgr.plugins.api import identifiers
from storagemgr.plugins.api import plugin
from storagemgr.plugins.api import resources
from storagemgr.plugins import graph
from storagemgr.plugins import resource_manager
from storagemgr.plugins import scanner
from storagemgr.plugins import service
from storagemgr.tests import base


class Box(resources.ScannableResource):
    class Meta:
        identifier = identifiers.GlobalId('name')

    name = attributes.String()


class Disk(resources.PhysicalDisk):
    class Meta:
        identifier = identifiers.ScopedId('serial')
        alert_conditions = [alert_conditions.ValueCondition(
            'status', error_states=['FAILED'], message='Disk failed')]

    serial = attributes.String()
    status = attributes.String()


class Pool(resources.StoragePool):
    class Meta:
        identifier = identifiers.ScopedId('name')

    name = attributes.String()


class Volume(resources.Resource):
    class Meta:
        identifier = identifiers.ScopedId('name')

    name = attributes.String()
    pool = attributes.ResourceReference()
    backup_pool = attributes.ResourceReference(optional=True)


class BoxPlugin(plugin.Plugin):
    """Reports what ``self.layout`` (a class attribute in tests) says."""

    layout = {}
    scans = []

    def initial_scan(self, root):
        self.update_period = 42
        self.scans.append('initial')
        self._apply(root)

    def update_scan(self, root):
        self.scans.append('update')
        self._apply(root)

    def teardown(self):
        self.scans.append('teardown')

    def _apply(self, root):
        layout = type(self).layout
        if layout.get('fail'):
            raise RuntimeError('array unreachable')
        disks = {}
        for serial, status in layout.get('disks', {}).items():
            disks[serial], _ = self.update_or_create(
                Disk, serial=serial, status=status)
        pools = {}
        for name, members in layout.get('pools', {}).items():
            pools[name], _ = self.update_or_create(
                Pool, parents=[disks[s] for s in members], name=name)
        for name, (pool, backup) in layout.get('volumes', {}).items():
            self.update_or_create(Volume, parents=[pools[pool]], name=name,
                                  pool=pools[pool],
                                  backup_pool=pools.get(backup))
        for resource in self.find_by_attr(Disk):
            if resource.serial not in layout.get('disks', {}):
                self.remove(resource)


# Labels default to <module>.<class> <id>.
P = 'test_resource_manager.'

_MODULE = types.ModuleType('boxplugin')
for _cls in (Box, Disk, Pool, Volume):
    setattr(_MODULE, _cls.__name__, _cls)
    _cls._meta.plugin_name = 'boxplugin'
_MODULE.BoxPlugin = BoxPlugin
_MODULE.version = 1


class FakePluginManager(object):
    def get_plugin_class(self, name):
        return BoxPlugin

    def get_resource_class(self, plugin_name, class_name):
        return getattr(_MODULE, class_name)


@ddt.ddt
class TestResourceManager(base.TestCase):

    def setUp(self):
        super().setUp()
        sys.modules['boxplugin'] = _MODULE
        self.addCleanup(sys.modules.pop, 'boxplugin', None)
        BoxPlugin.scans = []
        BoxPlugin.layout = {
            'disks': {'d1': 'OK', 'd2': 'OK'},
            'pools': {'p1': ['d1', 'd2'], 'p2': ['d2']},
            'volumes': {'v1': ('p1', 'p2'), 'v2': ('p2', None)}}
        self.rm = resource_manager.ResourceManager(FakePluginManager())
        with db_session.session_scope() as sess:
            self.sid = service.create_root(self.rm, sess, Box(name='b1'),
                                           'boxplugin')
        self.scanner = scanner.Scanner(self.rm, self.sid, 'boxplugin')

    def _labels(self, class_name=None):
        return sorted(r['label'] for r in service.list_resources(
            class_name=class_name) if r['class'] != 'Box')

    def _by_label(self):
        return {r['label']: r['id'] for r in service.list_resources()}

    def test_initial_scan_persists_graph(self):
        self.assertTrue(self.scanner.run(0))
        self.assertEqual([P + 'Disk d1', P + 'Disk d2',
                          P + 'Pool p1', P + 'Pool p2',
                          P + 'Volume v1', P + 'Volume v2'],
                         self._labels())
        ids = self._by_label()
        shown = service.show_resource(ids[P + 'Pool p1'])
        self.assertEqual({ids[P + 'Disk d1'], ids[P + 'Disk d2']},
                         {p['id'] for p in shown['parents']})
        self.assertEqual([ids[P + 'Volume v1']],
                         [c['id'] for c in shown['children']])

    def test_update_period_from_initial_scan_is_used(self):
        self.scanner.run(100)
        self.assertEqual(142, self.scanner.next_run)
        self.assertEqual(42.0, service.show_scannable(
            self.sid)['update_period'])
        self.assertFalse(self.scanner.due(141))
        self.scanner.run(142)
        self.assertEqual(['initial', 'update'], BoxPlugin.scans)

    def test_rescan_in_new_session_writes_nothing_new(self):
        self.scanner.run(0)
        before = self._by_label()
        self.scanner.stop()
        self.scanner.run(1)
        self.assertEqual(before, self._by_label())

    def test_absent_after_initial_scan_is_removed(self):
        self.scanner.run(0)
        self.scanner.stop()
        BoxPlugin.layout = {'disks': {'d1': 'OK'},
                            'pools': {'p1': ['d1']},
                            'volumes': {'v1': ('p1', None)}}
        self.scanner.run(1)
        self.assertEqual([P + 'Disk d1', P + 'Pool p1',
                          P + 'Volume v1'], self._labels())

    def test_mandatory_reference_cascades_optional_is_cleared(self):
        self.scanner.run(0)
        ids = self._by_label()
        with self.rm.batch() as sess:
            removed = self.rm.store.delete(sess, [ids[P + 'Pool p2']])
        self.assertEqual({ids[P + 'Pool p2'],
                          ids[P + 'Volume v2']}, removed)
        v1 = service.show_resource(ids[P + 'Volume v1'])
        self.assertIsNone(v1['attributes']['backup_pool'])
        self.assertEqual(P + 'Pool p1', v1['attributes']['pool'])

    def test_alert_raised_propagated_and_lowered(self):
        self.scanner.run(0)
        ids = self._by_label()
        BoxPlugin.layout['disks']['d2'] = 'FAILED'
        self.scanner.run(100)
        alerts = service.list_alerts(active_only=True)
        self.assertEqual(1, len(alerts))
        self.assertEqual(ids[P + 'Disk d2'], alerts[0]['resource_id'])
        self.assertEqual('ERROR', alerts[0]['severity'])
        self.assertEqual(sorted([ids[P + 'Pool p1'],
                                 ids[P + 'Pool p2'],
                                 ids[P + 'Volume v1'],
                                 ids[P + 'Volume v2']]),
                         alerts[0]['affects'])
        BoxPlugin.layout['disks']['d2'] = 'OK'
        self.scanner.run(200)
        self.assertEqual([], service.list_alerts(active_only=True))
        history = service.list_alerts()
        self.assertEqual(1, len(history))
        self.assertFalse(history[0]['active'])

    def test_failure_backs_off_raises_offline_and_tears_down(self):
        self.flags(scan_retry_interval=10, group='storage_plugins')
        BoxPlugin.layout = {'fail': True}
        self.assertFalse(self.scanner.run(0))
        self.assertEqual(['initial', 'teardown'], BoxPlugin.scans)
        self.assertEqual(10, self.scanner.next_run)
        self.assertFalse(self.scanner.run(10))
        self.assertEqual(30, self.scanner.next_run)
        offline = service.list_alerts(active_only=True)
        self.assertEqual(['offline'], [a['alert_class'] for a in offline])
        self.assertEqual('offline', service.show_scannable(
            self.sid)['state'])
        BoxPlugin.layout = {'disks': {'d1': 'OK'}}
        self.assertTrue(self.scanner.run(30))
        self.assertEqual([], service.list_alerts(active_only=True))

    def test_cycle_is_refused(self):
        self.scanner.run(0)
        ids = self._by_label()
        with self.rm.batch() as sess:
            self.assertRaises(
                exception.ResourceGraphCycle, self.rm.store.add_edges, sess,
                [(ids[P + 'Disk d1'], ids[P + 'Volume v1'])])

    def test_statistics_are_bounded(self):
        self.flags(stats_max_samples=3, group='storage_plugins')
        self.scanner.run(0)
        pk = self._by_label()[P + 'Disk d1']
        with self.rm.batch() as sess:
            for i in range(8):
                self.rm.stats.add_samples(sess, pk, {'temp': [
                    {'timestamp': 1e10 + i, 'value': i}]})
            series = self.rm.stats.series(sess, pk)
        self.assertLessEqual(len(series['temp']), 6)
        self.assertEqual(7, series['temp'][-1][1])

    def test_scannable_removal_cascades(self):
        self.scanner.run(0)
        service.remove_scannable(self.sid)
        self.assertEqual([], service.list_resources())
        with db_session.session_scope() as sess:
            self.assertEqual(0, sess.scalar(sa.select(
                sa.func.count()).select_from(models.StorageResourceParent)))

    @ddt.data(('1', '2', False), ('1', '1', True), ('3', '1', True))
    @ddt.unpack
    def test_edge_index_cycles(self, child, parent, cycles):
        index = graph.EdgeIndex()
        index.populate([(2, 1), (3, 2)])
        self.assertEqual(cycles, index.would_cycle(int(parent), int(child)))

    def test_severity_names(self):
        from storagemgr.plugins import alerts
        self.assertEqual('WARNING', alerts.severity_name(logging.WARNING))
