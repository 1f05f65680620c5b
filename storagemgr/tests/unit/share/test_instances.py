"""Share instances: placement on a pool, driver views, ensure."""

import time
from unittest import mock

from storagemgr.backend import process_registry
from storagemgr.db import api as db_api
from storagemgr.db.models import share as models
from storagemgr import driver_view
from storagemgr import exception
from storagemgr.scheduler import capacity
from storagemgr.scheduler import host_manager
from storagemgr.share import ensure
from storagemgr.share import records
from storagemgr.tests.unit.share import base
from storagemgr.types import api as types_api


class PlacementTestCase(base.ShareTestCase):

    def test_host_names_host_backend_and_pool(self):
        share = self.make_share()
        pools = [p['pool_name'] for p in
                 self.driver.get_share_stats()['pools']]
        host, pool = share['host'].split('#')
        self.assertEqual('test-host@%s' % base.BACKEND, host)
        self.assertIn(pool, pools)
        self.assertEqual(base.BACKEND, share['backend'])

    def _report(self, stats):
        backend = process_registry.get_backend(base.BACKEND, 'share')
        backend.stats = stats
        backend.stats_updated_at = time.time()

    def test_pool_with_most_free_space_wins(self):
        self._report({'pools': [
            {'pool_name': 'small', 'total_capacity_gb': 100,
             'free_capacity_gb': 10},
            {'pool_name': 'big', 'total_capacity_gb': 1000,
             'free_capacity_gb': 500}]})
        self.assertEqual('big', self.make_share()['host'].split('#')[1])

    def test_backend_without_pools_is_one_pool(self):
        self.assertEqual(
            [('gold', {'share_backend_name': 'gold'})],
            host_manager.pools_of({'share_backend_name': 'gold'},
                                  base.BACKEND, 'share'))
        self.assertEqual(
            [(base.BACKEND, {})],
            host_manager.pools_of({}, base.BACKEND, 'share'))
        self._report({'share_backend_name': 'gold',
                      'total_capacity_gb': 10, 'free_capacity_gb': 10})
        self.assertEqual('gold', self.make_share()['host'].split('#')[1])

    def test_share_from_snapshot_lives_where_the_snapshot_does(self):
        share = self.make_share()
        snapshot = self.make_snapshot(share['id'])
        clone = self.api.create('NFS', 1, snapshot_id=snapshot['id'])
        self.assertEqual(share['host'], clone['host'])
        self.assertNotEqual(share['instance_id'], clone['instance_id'])


class DriverViewTestCase(base.ShareTestCase):
    """What a Manila driver reads from a share and a snapshot."""

    def test_share_view_is_the_active_instance(self):
        share = self.make_share(name='data')
        view = records.share_view(share['id'])
        self.assertIsInstance(view, driver_view.DriverView)
        self.assertEqual((share['instance_id'], share['id']),
                         (view['id'], view.share_id))
        self.assertEqual('share-%s' % share['instance_id'], view.name)
        self.assertEqual(share['host'], view['host'])
        for key in ('size', 'share_proto', 'export_locations',
                    'export_location', 'share_server_id',
                    'share_network_id', 'share_type_id',
                    'availability_zone', 'replica_state', 'status'):
            self.assertIn(key, view)
        self.assertEqual(view.export_locations[0].path,
                         view.export_location)

    def test_name_template_is_configurable(self):
        self.flags(share_name_template='vol_%s')
        share = self.make_share()
        self.assertEqual('vol_%s' % share['instance_id'],
                         records.share_view(share['id']).name)

    def test_snapshot_view_names_both_instances(self):
        share = self.make_share()
        snapshot = self.make_snapshot(share['id'])
        view = records.snapshot_view(snapshot['id'])
        self.assertEqual((snapshot['instance_id'], snapshot['id'],
                          share['instance_id'], share['id']),
                         (view.id, view.snapshot_id, view.share_instance_id,
                          view.share_id))
        self.assertEqual(share['instance_id'], view.share.id)
        self.assertEqual(view.share, view.share_instance)
        self.assertEqual('share-snapshot-%s' % snapshot['instance_id'],
                         view.name)
        self.assertEqual(view.share.name, view.share_name)
        self.assertEqual(snapshot['provider_location'],
                         view.provider_location)


class RecordTestCase(base.ShareTestCase):

    def test_show_keeps_its_keys_and_gains_host(self):
        share = self.api.get(self.make_share()['id'])
        for key in ('id', 'name', 'size', 'share_proto', 'backend',
                    'status', 'export_locations', 'host', 'instance_id'):
            self.assertIn(key, share)

    def test_each_share_has_one_active_instance(self):
        share = self.make_share()
        instances = db_api.query(models.ShareInstance, share_id=share['id'])
        self.assertEqual([True], [i.active for i in instances])

    def test_delete_removes_instances_and_rule_states(self):
        share = self.make_share()
        self.api.allow_access(share['id'], 'ip', '10.0.0.1')
        self.api.delete(share['id'])
        self.assertEqual([], db_api.query(models.ShareInstance))
        self.assertEqual([], db_api.query(models.ShareInstanceAccessRule))
        self.assertEqual([], db_api.query(models.ShareAccessRule))


class EnsurePoolTestCase(base.ShareTestCase):
    """Instances from an upgraded database get their pool at ensure."""

    def test_missing_pool_is_filled_in_from_the_driver(self):
        share = self.make_share()
        instance = records.active_instance(share['id'])
        db_api.update(models.ShareInstance, instance.id,
                      {'host': 'test-host@%s' % base.BACKEND})
        with mock.patch.object(self.driver, 'get_pool',
                               return_value='p9') as get_pool:
            ensure.ensure_backend_shares(self.api.context, base.BACKEND,
                                         self.driver)
        self.assertEqual(share['instance_id'], get_pool.call_args[0][0].id)
        self.assertEqual('test-host@%s#p9' % base.BACKEND,
                         self.api.get(share['id'])['host'])

    def test_filled_in_pool_counts_the_share(self):
        share = self.make_share(size=4)
        new_host = 'test-host@%s#p9' % base.BACKEND
        capacity.allocated('share', [new_host])    # the pool has a row
        db_api.update(models.ShareInstance, share['instance_id'],
                      {'host': 'test-host@%s' % base.BACKEND})
        with mock.patch.object(self.driver, 'get_pool', return_value='p9'):
            ensure.ensure_backend_shares(self.api.context, base.BACKEND,
                                         self.driver)
        self.assertEqual({new_host: 4},
                         capacity.allocated('share', [new_host]))

    def test_host_with_a_pool_is_left_alone(self):
        share = self.make_share()
        with mock.patch.object(self.driver, 'get_pool') as get_pool:
            ensure.ensure_backend_shares(self.api.context, base.BACKEND,
                                         self.driver)
        get_pool.assert_not_called()
        self.assertEqual(share['host'], self.api.get(share['id'])['host'])


class PrivateDataLifetimeTestCase(base.ShareTestCase):
    """A driver's private data goes with a deleted share.

    An abandoned share keeps it: adopting the share back may need it.
    """

    def _stored(self, share):
        self.driver.private_storage.update(share['instance_id'],
                                           {'export': 'x'})
        snapshot = self.make_snapshot(share['id'])
        self.driver.private_storage.update(snapshot['instance_id'],
                                           {'location': 'y'})
        return snapshot

    def _data(self, entity_id):
        return self.driver.private_storage.get(entity_id)

    def test_delete_removes_the_instances_data(self):
        share = self.make_share()
        snapshot = self._stored(share)
        self.api.delete_snapshot(snapshot['id'])
        self.assertEqual({}, self._data(snapshot['instance_id']))
        self.api.delete(share['id'])
        self.assertEqual({}, self._data(share['instance_id']))

    def test_abandon_keeps_the_instances_data(self):
        share = self.make_share()
        snapshot = self._stored(share)
        self.api.unmanage_snapshot(snapshot['id'])
        self.assertEqual({'location': 'y'},
                         self._data(snapshot['instance_id']))
        self.api.unmanage(share['id'])
        self.assertEqual({'export': 'x'}, self._data(share['instance_id']))


class TypedPlacementTestCase(base.ShareTestCase):
    """Types and capacity on the share service (the fake backend: 1000 GiB)."""

    extra_config = 'max_over_subscription_ratio = 1.0\n'

    def _usage(self, share):
        return capacity.allocated('share', [share['host']])[share['host']]

    def test_share_records_its_type_and_zone(self):
        types_api.share_types.create('gold', {
            'driver_handles_share_servers': 'False'})
        share = self.api.create('NFS', 1, share_type='gold')
        self.assertEqual('gold', share['share_type'])
        self.assertEqual('nova', share['availability_zone'])
        self.assertEqual(share['share_type_id'], records.active_instance(
            share['id']).share_type_id)

    def test_every_size_change_is_counted(self):
        share = self.make_share(size=10)
        self.assertEqual(10, self._usage(share))
        self.api.extend(share['id'], 15)
        self.assertEqual(15, self._usage(share))
        self.api.shrink(share['id'], 12)
        self.assertEqual(12, self._usage(share))
        self.api.delete(share['id'])
        self.assertEqual(0, self._usage(share))

    def test_failed_extend_gives_its_growth_back(self):
        share = self.make_share(size=10)
        self.fault('extend_share', raise_=RuntimeError('array full'))
        self.assertRaises(exception.ShareBackendException, self.api.extend,
                          share['id'], 20)
        self.assertEqual('extending_error', self.status_of(share['id']))
        self.assertEqual(10, self._usage(share))

    def test_extend_past_the_pool_is_refused_unchanged(self):
        share = self.make_share(size=10)
        e = self.assertRaises(exception.CapacityExceeded, self.api.extend,
                              share['id'], 5000)
        self.assertIn(share['host'], str(e))
        self.assertEqual('available', self.status_of(share['id']))
        self.assertEqual(10, self._usage(share))

    def test_create_past_the_pool_is_refused_with_no_row(self):
        e = self.assertRaises(exception.NoValidHost, self.api.create,
                              'NFS', 1001)
        self.assertIn('CapacityFilter', str(e))
        self.assertEqual([], self.api.list())

    def test_adopted_share_is_counted_and_typed(self):
        types_api.share_types.create('plain', {
            'driver_handles_share_servers': 'False'})
        share = self.make_share(size=3)
        self.api.unmanage(share['id'])
        self.assertEqual(0, self._usage(share))
        adopted = self.api.manage(
            base.BACKEND, 'NFS', share['export_locations'][0]['path'],
            share_type='plain')
        self.assertEqual('plain', adopted['share_type'])
        self.assertEqual(adopted['size'], self._usage(adopted))

    def test_adopt_refused_when_the_pool_does_not_suit_the_type(self):
        types_api.share_types.create('dhss', {
            'driver_handles_share_servers': 'True'})
        e = self.assertRaises(exception.InvalidInput, self.api.manage,
                              base.BACKEND, 'NFS', '/x', share_type='dhss')
        self.assertIn('driver_handles_share_servers', str(e))
        self.assertEqual([], self.api.list())

    def test_list_by_backend_or_pool(self):
        share = self.make_share()
        host = share['host']
        self.assertEqual([share['id']], [
            s['id'] for s in self.api.list(backend=base.BACKEND)])
        self.assertEqual([share['id']], [
            s['id'] for s in self.api.list(backend=host)])
        self.assertEqual([], self.api.list(backend=host + '_'))
        self.assertEqual([], self.api.list(
            backend=host.split('#')[0] + '#%'))


class HundredGibPoolTestCase(base.ShareTestCase):

    extra_config = ('max_over_subscription_ratio = 1.0\n'
                    'fake_total_capacity_gb = 100\n')

    def test_fifty_creates_fill_it_and_the_next_is_refused(self):
        made = [self.make_share(size=2) for _ in range(50)]
        e = self.assertRaises(exception.NoValidHost, self.make_share, 2)
        self.assertIn('CapacityFilter', str(e))
        self.assertEqual(50, len(self.api.list()))
        host = made[0]['host']
        self.assertEqual({host: 100}, capacity.allocated('share', [host]))
