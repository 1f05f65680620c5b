"""The views volume drivers get: Cinder's keys, items and attributes."""

import ddt

from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr.tests import base
from storagemgr.tests.unit.volume import fakes
from storagemgr.volume import driver_views

VOLUME_KEYS = ('id', 'name', 'display_name', 'size', 'host', 'status',
               'volume_type_id', 'provider_location', 'provider_auth',
               'provider_id', 'consistencygroup_id', 'consistencygroup',
               'snapshot_id', 'source_volid', 'metadata', 'admin_metadata',
               'volume_admin_metadata', 'volume_metadata')
SNAPSHOT_KEYS = ('id', 'name', 'display_name', 'status', 'volume',
                 'volume_id', 'volume_size', 'volume_name', 'cgsnapshot_id',
                 'cgsnapshot', 'provider_location', 'provider_id')
GROUP_KEYS = ('id', 'name', 'status', 'host', 'volume_type_id',
              'cgsnapshot_id', 'source_cgid')
CGSNAPSHOT_KEYS = ('id', 'name', 'status', 'consistencygroup_id',
                   'consistencygroup')


@ddt.ddt
class TestDriverViews(base.TestCase):

    def setUp(self):
        super().setUp()
        self.api, _driver = fakes.make_api(self)
        self.group = self.api.create_group('g')
        self.volume = self.api.create_volume('v', size=2, group='g')
        db_api.update(models.Volume, self.volume['id'],
                      {'provider_id': 'lun-9', 'provider_auth': 'CHAP u p',
                       'provider_metadata': {'k': 'v'}})
        self.cgsnapshot = self.api.create_cgsnapshot('g', 'cgs')

    def _rows(self):
        snapshot = db_api.query(models.VolumeSnapshot,
                                cgsnapshot_id=self.cgsnapshot['id'])[0]
        return (db_api.get(models.Volume, self.volume['id']), snapshot,
                db_api.get(models.ConsistencyGroup, self.group['id']),
                db_api.get(models.CGSnapshot, self.cgsnapshot['id']))

    def test_volume(self):
        volume = driver_views.volume_view(self._rows()[0])
        self.assertIsInstance(volume, driver_views.VolumeView)
        for key in VOLUME_KEYS:
            self.assertIn(key, volume)
            self.assertEqual(volume[key], getattr(volume, key))
        self.assertEqual('volume-%s' % self.volume['id'], volume.name)
        self.assertEqual('v', volume.display_name)
        self.assertEqual(2, volume['size'])
        self.assertEqual('lun-9', volume.provider_id)
        self.assertEqual('CHAP u p', volume['provider_auth'])
        self.assertEqual({'k': 'v'}, volume.metadata)
        self.assertEqual([{'key': 'k', 'value': 'v'}],
                         volume.volume_metadata)
        host, _at, rest = volume.host.partition('@')
        self.assertEqual(('b1', 'b1'), tuple(rest.split('#')))
        self.assertTrue(host)
        self.assertEqual(self.group['id'], volume.consistencygroup.id)
        self.assertIsInstance(volume.consistencygroup,
                              driver_views.GroupView)

    @ddt.data(('available', 'detached'), ('attaching', 'attaching'),
              ('in-use', 'attached'), ('detaching', 'detaching'))
    @ddt.unpack
    def test_attach_status_follows_the_volume(self, status, attach_status):
        db_api.update(models.Volume, self.volume['id'], {'status': status})
        volume = driver_views.volume_view(self._rows()[0])
        self.assertEqual(attach_status, volume.attach_status)

    def test_snapshot(self):
        snapshot = driver_views.snapshot_view(self._rows()[1])
        self.assertIsInstance(snapshot, driver_views.SnapshotView)
        for key in SNAPSHOT_KEYS:
            self.assertEqual(snapshot[key], getattr(snapshot, key))
        self.assertEqual('snapshot-%s' % snapshot.id, snapshot.name)
        self.assertEqual(self.volume['id'], snapshot.volume.id)
        self.assertEqual('lun-9', snapshot.volume.provider_id)
        self.assertEqual(2, snapshot.volume_size)
        self.assertEqual('volume-%s' % self.volume['id'],
                         snapshot.volume_name)
        self.assertEqual(self.cgsnapshot['id'], snapshot.cgsnapshot.id)
        self.assertEqual(self.group['id'],
                         snapshot.cgsnapshot.consistencygroup.id)

    @ddt.data((2, GROUP_KEYS, driver_views.group_view, 'g'),
              (3, CGSNAPSHOT_KEYS, driver_views.cgsnapshot_view, 'cgs'))
    @ddt.unpack
    def test_group_and_cgsnapshot(self, index, keys, build, name):
        view = build(self._rows()[index])
        for key in keys:
            self.assertEqual(view[key], getattr(view, key))
        self.assertEqual(name, view.name)

    def test_templates_are_configurable(self):
        self.flags(volume_name_template='lv_%s',
                   snapshot_name_template='snap_%s')
        volume_row, snapshot_row = self._rows()[:2]
        self.assertEqual('lv_%s' % volume_row.id,
                         driver_views.volume_view(volume_row).name)
        self.assertEqual('snap_%s' % snapshot_row.id,
                         driver_views.snapshot_view(snapshot_row).name)

    def test_override_and_missing_keys(self):
        view = driver_views.volume_view(self._rows()[0], group=None,
                                        consistencygroup_id=None)
        self.assertIsNone(view.consistencygroup_id)
        self.assertIsNone(view.consistencygroup)
        self.assertRaises(AttributeError, getattr, view, 'no_such_key')
        self.assertRaises(KeyError, view.__getitem__, 'no_such_key')
