"""Volumes placed by the scheduler, with their pool's capacity accounted.

Two fake backends: ``b1`` small (10 GiB, no over-subscription) and ``b2``
roomy, in availability zone ``az2``. Each reports one pool named after
its section, so volumes live on ``test-host@b1#b1`` or ``...@b2#b2``.
"""

from unittest import mock

import ddt

from storagemgr.backend import registry as backend_registry
from storagemgr.db import api as db_api
from storagemgr.db.models import pool_usage
from storagemgr.db.models import volume as models
from storagemgr import exception
from storagemgr.tests import base
from storagemgr.types import api as types_api
from storagemgr.volume import api as volume_api

B1 = 'test-host@b1#b1'
B2 = 'test-host@b2#b2'

CONFIG = ('[DEFAULT]\nstate_path=@STATE@\nenabled_backends=b1,b2\n'
          '[b1]\nvolume_driver=fake\nfake_total_capacity_gb=10\n'
          'max_over_subscription_ratio=1\n'
          '[b2]\nvolume_driver=fake\nbackend_availability_zone=az2\n')


def allocated(host):
    row = db_api.get_by(pool_usage.PoolUsage, host=host)
    return row.allocated_capacity_gb if row is not None else None


class SchedulingTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.flags(state_path=self.state_path)
        self.registry = backend_registry.BackendRegistry()
        self.api = volume_api.API(self.registry)
        self.b1 = self.registry.get('b1', kind='volume').driver
        types_api.volume_types.create('small', {'volume_backend_name': 'b1'})

    def create_on_b1(self, name, size):
        return self.api.create_volume(name, size=size, volume_type='small')

    def statuses(self):
        return sorted(v['status'] for v in self.api.list_volumes())


@ddt.ddt
class TestCapacityAccounted(SchedulingTestCase):

    def test_creates_stop_at_the_limit(self):
        for i in range(5):
            volume = self.create_on_b1('v%d' % i, 2)
            self.assertEqual(B1, volume['host'])
        self.assertEqual(10, allocated(B1))
        error = self.assertRaises(exception.NoValidHost, self.create_on_b1,
                                  'v5', 1)
        self.assertIn(B1, str(error))
        self.assertNotIn('\n', str(error))
        # Nothing left behind by the refusal.
        self.assertEqual(['available'] * 5, self.statuses())
        self.assertEqual(10, allocated(B1))

    def test_delete_gives_the_space_back(self):
        for i in range(5):
            self.create_on_b1('v%d' % i, 2)
        self.api.delete_volume('v0')
        self.assertEqual(8, allocated(B1))
        self.assertEqual(B1, self.create_on_b1('again', 2)['host'])
        self.assertEqual(10, allocated(B1))

    def test_a_failed_create_counts_until_deleted(self):
        self.b1.set_fault('create_volume', exception=RuntimeError('boom'),
                          times=1)
        self.assertRaises(exception.VolumeDriverException,
                          self.create_on_b1, 'v', 4)
        self.assertEqual(['error'], self.statuses())
        self.assertEqual(4, allocated(B1))
        self.api.delete_volume('v')
        self.assertEqual(0, allocated(B1))

    def test_the_size_the_driver_reports_is_counted(self):
        with mock.patch.object(self.b1, 'create_volume',
                               return_value={'size': 3}):
            volume = self.create_on_b1('v', 2)
        self.assertEqual(3, volume['size'])
        self.assertEqual(3, allocated(B1))

    def test_extend_reserves_the_growth(self):
        self.create_on_b1('v', 4)
        self.assertEqual(7, self.api.extend_volume('v', 7)['size'])
        self.assertEqual(7, allocated(B1))

    @ddt.data(11, 20)
    def test_extend_beyond_the_pool_refused_with_one_line(self, new_size):
        self.create_on_b1('v', 4)
        error = self.assertRaises(exception.InvalidVolume,
                                  self.api.extend_volume, 'v', new_size)
        message = str(error)
        self.assertNotIn('\n', message)
        self.assertIn('4 to %d GiB' % new_size, message)
        self.assertIn(B1, message)
        self.assertIn('of 10 GiB', message)
        volume = self.api.get_volume('v')
        self.assertEqual(('available', 4), (volume['status'],
                                            volume['size']))
        self.assertEqual(4, allocated(B1))

    def test_failed_extend_gives_the_growth_back(self):
        self.create_on_b1('v', 4)
        self.b1.set_fault('extend_volume', exception=RuntimeError('boom'),
                          times=1)
        self.assertRaises(exception.VolumeDriverException,
                          self.api.extend_volume, 'v', 9)
        volume = self.api.get_volume('v')
        self.assertEqual(('error_extending', 4), (volume['status'],
                                                  volume['size']))
        self.assertEqual(4, allocated(B1))

    def test_revert_gives_back_only_what_it_wrote(self):
        # A revert that finds the volume moved on (no error status
        # written) leaves the count alone: someone else owns it now.
        from storagemgr.volume.flows import volume as volume_flows
        volume = self.create_on_b1('v', 4)
        volume_flows.ExtendVolumeOnBackendTask().revert(volume['id'], 9)
        self.assertEqual('available', self.api.get_volume('v')['status'])
        self.assertEqual(4, allocated(B1))

    def test_clone_is_counted_on_its_source_pool(self):
        self.create_on_b1('v', 4)
        clone = self.api.create_volume('c', source_volume='v')
        self.assertEqual(B1, clone['host'])
        self.assertEqual(8, allocated(B1))
        # The capacity filter still judges the source's pool.
        error = self.assertRaises(exception.NoValidHost,
                                  self.api.create_volume, 'c2',
                                  source_volume='v')
        self.assertIn(B1, str(error))
        self.assertEqual(2, len(self.api.list_volumes()))

    def test_volume_from_snapshot_stays_on_the_source_pool(self):
        self.create_on_b1('v', 2)
        self.api.create_snapshot('v', 's')
        volume = self.api.create_volume('fs', snapshot='s', size=3)
        self.assertEqual((B1, 'small'), (volume['host'],
                                         volume['volume_type']))
        self.assertEqual(5, allocated(B1))

    def test_group_members_are_counted_and_released(self):
        self.api.create_group('g', backend='b1')
        self.api.create_volume('m', size=3, group='g')
        self.api.create_cgsnapshot('g', 'cgs')
        self.api.create_group_from_src('g2', cgsnapshot='cgs')
        self.api.create_group_from_src('g3', source_group='g')
        self.assertEqual(9, allocated(B1))
        members = db_api.query(models.Volume, host=B1)
        self.assertEqual(3, len(members))
        self.api.delete_group('g3', force=True)
        self.assertEqual(6, allocated(B1))

    def test_group_from_source_refused_when_the_pool_is_full(self):
        self.api.create_group('g', backend='b1')
        self.api.create_volume('m', size=6, group='g')
        error = self.assertRaises(exception.NoValidHost,
                                  self.api.create_group_from_src, 'g2',
                                  source_group='g')
        self.assertIn(B1, str(error))
        self.assertEqual(['g'], [g['name'] for g in self.api.list_groups()])
        self.assertEqual(6, allocated(B1))


class TestPlacement(SchedulingTestCase):

    def test_type_with_backend_name_places_there_every_time(self):
        types_api.volume_types.create('fast', {'volume_backend_name': 'b2'})
        for i in range(6):
            volume = self.api.create_volume('v%d' % i, size=1,
                                            volume_type='fast')
            self.assertEqual((B2, 'b2', 'fast'), (
                volume['host'], volume['backend'], volume['volume_type']))
        self.assertEqual(6, allocated(B2))

    def test_no_valid_host_leaves_no_row(self):
        types_api.volume_types.create('nowhere',
                                      {'volume_backend_name': 'b9'})
        error = self.assertRaises(exception.NoValidHost,
                                  self.api.create_volume, 'v', size=1,
                                  volume_type='nowhere')
        self.assertIn('b9', str(error))
        self.assertEqual([], self.api.list_volumes())

    def test_unknown_type_named(self):
        error = self.assertRaises(exception.TypeNotFound,
                                  self.api.create_volume, 'v', size=1,
                                  volume_type='gold')
        self.assertIn('gold', str(error))
        self.assertEqual([], self.api.list_volumes())

    def test_default_volume_type_applies(self):
        types_api.volume_types.create('fast', {'volume_backend_name': 'b2'})
        self.flags(default_volume_type='fast')
        volume = self.api.create_volume('v', size=1)
        self.assertEqual((B2, 'fast'), (volume['host'],
                                        volume['volume_type']))

    def test_without_a_type_the_filters_still_run(self):
        # 11 GiB fits only b2; b1 is too small.
        volume = self.api.create_volume('v', size=11)
        self.assertEqual(B2, volume['host'])
        self.assertIsNone(volume['volume_type'])
        self.assertIsNone(volume['volume_type_id'])

    def test_availability_zone(self):
        volume = self.api.create_volume('v', size=1, availability_zone='az2')
        self.assertEqual(B2, volume['host'])
        self.assertRaises(exception.NoValidHost, self.api.create_volume,
                          'w', size=1, availability_zone='az9')
        self.assertEqual(1, len(self.api.list_volumes()))

    def test_backend_restricts_and_the_filters_still_run(self):
        self.assertEqual(B1, self.api.create_volume(
            'v', size=1, backend='b1')['host'])
        self.assertEqual(B1, self.api.create_volume(
            'w', size=1, backend=B1)['host'])
        error = self.assertRaises(exception.NoValidHost,
                                  self.api.create_volume, 'x', size=11,
                                  backend='b1')
        self.assertIn('b1', str(error))
        self.assertEqual(2, len(self.api.list_volumes()))

    def test_clone_keeps_its_source_type_unless_told(self):
        types_api.volume_types.create('fast', {'volume_backend_name': 'b2'})
        self.api.create_volume('v', size=1, volume_type='fast')
        clone = self.api.create_volume('c', source_volume='v')
        self.assertEqual((B2, 'fast'), (clone['host'],
                                        clone['volume_type']))
        # A type its source's pool does not suit is refused, not moved.
        error = self.assertRaises(exception.NoValidHost,
                                  self.api.create_volume, 'c2',
                                  source_volume='v', volume_type='small')
        self.assertIn('b1', str(error))

    def test_volume_in_a_group_goes_to_the_group_backend(self):
        self.api.create_group('g', backend=B2)
        volume = self.api.create_volume('v', size=1, group='g')
        self.assertEqual(B2, volume['host'])
        error = self.assertRaises(exception.InvalidInput,
                                  self.api.create_volume, 'w', size=1,
                                  group='g', backend='b1')
        self.assertIn('b2', str(error))
