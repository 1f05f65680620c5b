"""Group methods called as Cinder calls them, and drivers built likewise.

``RenamedDriver`` names every group parameter differently from the
contract (as Cinder's own FakeGateDriver misspells ``soure_cg``); it
records what it got, so the tests see each argument arrive in its place.
"""

from storagemgr.tests import base
from storagemgr.tests.unit.volume import fakes
from storagemgr.volume import driver_building
from storagemgr.volume import driver_views
from storagemgr.volume.drivers import fake


class RenamedDriver(fake.FakeVolumeDriver):
    """Group methods with parameter names of its own."""

    recorded = []

    def create_consistencygroup(self, ctx, grp):
        self.recorded.append(('create', grp))
        return {'status': 'available', 'updated_at': 'now',
                'provider_id': 'cg-%s' % grp.id}

    def create_consistencygroup_from_src(self, ctx, grp, vols, cgsnap=None,
                                         snaps=None, soure_cg=None,
                                         src_vols=None):
        self.recorded.append(
            ('from_src', grp, vols, cgsnap, snaps, soure_cg, src_vols))
        return None, [{'id': v.id, 'provider_id': 'v-' + v.id}
                      for v in vols]

    def update_consistencygroup(self, ctx, grp, adding=None, removing=None):
        self.recorded.append(('update', grp, adding, removing))
        return None, None, None

    def delete_consistencygroup(self, ctx, grp, vols):
        self.recorded.append(('delete', grp, vols))
        return None, [{'id': v.id, 'status': 'deleted'} for v in vols]

    def create_cgsnapshot(self, ctx, cgs, snaps):
        self.recorded.append(('cgsnapshot', cgs, snaps))
        return {'status': 'available'}, [
            {'id': s.id, 'status': 'available', 'provider_id': 's-' + s.id}
            for s in snaps]

    def delete_cgsnapshot(self, ctx, cgs, snaps):
        self.recorded.append(('cgsnapshot_delete', cgs, snaps))
        return None, None


class KeywordDriver(fake.FakeVolumeDriver):
    """Takes Cinder's keyword names, in an order of its own."""

    recorded = []

    def update_consistencygroup(self, context, group, remove_volumes=None,
                                add_volumes=None):
        self.recorded.append((add_volumes, remove_volumes))
        return None, None, None


class TestPositionalGroupCalls(base.TestCase):

    def setUp(self):
        super().setUp()
        RenamedDriver.recorded = []
        self.api, self.driver = fakes.make_api(
            self, driver='%s.RenamedDriver' % __name__)

    def _calls(self, kind):
        return [c for c in RenamedDriver.recorded if c[0] == kind]

    def test_create_stores_provider_id_and_ignores_the_rest(self):
        group = self.api.create_group('g')
        self.assertEqual('available', group['status'])
        self.assertEqual('cg-%s' % group['id'], group['provider_id'])
        (_kind, view), = self._calls('create')
        self.assertIsInstance(view, driver_views.GroupView)
        self.assertEqual(group['id'], view.id)

    def test_every_group_method_gets_its_arguments_in_place(self):
        self.api.create_group('g')
        member = self.api.create_volume('m', size=1, group='g')
        plain = self.api.create_volume('p', size=1)
        self.api.update_group('g', add_volumes=['p'])
        _k, group, adding, removing = self._calls('update')[-1]
        self.assertEqual([plain['id']], [v.id for v in adding])
        # Not a member yet, as far as the driver is told.
        self.assertIsNone(adding[0].consistencygroup_id)
        self.assertIsNone(adding[0].consistencygroup)
        self.assertEqual([], removing)
        self.api.update_group('g', remove_volumes=['p'])
        _k, group, adding, removing = self._calls('update')[-1]
        self.assertEqual([], adding)
        self.assertEqual([plain['id']], [v.id for v in removing])

        cgs = self.api.create_cgsnapshot('g', 'cgs')
        _k, cgs_view, snaps = self._calls('cgsnapshot')[-1]
        self.assertEqual(cgs['id'], cgs_view.id)
        self.assertEqual([member['id']], [s.volume_id for s in snaps])
        self.assertEqual(cgs['id'], snaps[0].cgsnapshot.id)
        shown = self.api.get_snapshot(
            self.api.cgsnapshot_snapshot_ids(cgs['id'])[0])
        self.assertEqual('s-%s' % shown['id'], shown['provider_id'])

        copy = self.api.create_group_from_src('g2', cgsnapshot='cgs')
        _k, grp, vols, cgsnap, snaps, source_cg, src_vols = \
            self._calls('from_src')[-1]
        self.assertEqual(copy['id'], grp.id)
        self.assertEqual(cgs['id'], cgsnap.id)
        self.assertEqual([v.snapshot_id for v in vols],
                         [s.id for s in snaps])
        self.assertIsNone(source_cg)
        self.assertIsNone(src_vols)
        new = self.api.get_volume(self.api.group_volume_ids(copy['id'])[0])
        self.assertEqual('v-%s' % new['id'], new['provider_id'])

        clone = self.api.create_group_from_src('g3', source_group='g')
        _k, grp, vols, cgsnap, snaps, source_cg, src_vols = \
            self._calls('from_src')[-1]
        self.assertEqual(clone['id'], grp.id)
        self.assertIsNone(cgsnap)
        self.assertIsNone(snaps)
        self.assertEqual('g', source_cg.name)
        self.assertEqual([member['id']], [v.id for v in src_vols])
        self.assertEqual([v.source_volid for v in vols],
                         [v.id for v in src_vols])

        self.api.delete_cgsnapshot('cgs')
        self.assertEqual(1, len(self._calls('cgsnapshot_delete')))
        self.api.delete_group('g3', force=True)
        _k, grp, vols = self._calls('delete')[-1]
        self.assertEqual(clone['id'], grp.id)
        self.assertEqual(1, len(vols))
        self.assertEqual({clone['id']},
                         {v.consistencygroup_id for v in vols})


class TestKeywordUpdate(base.TestCase):

    def test_cinder_names_go_by_keyword_whatever_their_order(self):
        KeywordDriver.recorded = []
        api, driver = fakes.make_api(self,
                                     driver='%s.KeywordDriver' % __name__)
        api.create_group('g')
        plain = api.create_volume('p', size=1)
        api.update_group('g', add_volumes=['p'])
        adding, removing = KeywordDriver.recorded[-1]
        self.assertEqual([plain['id']], [v.id for v in adding])
        self.assertEqual([], removing)


class CinderShaped(object):
    """A constructor like a Cinder driver's (keywords only)."""

    def __init__(self, *args, **kwargs):
        self.kwargs = kwargs


class NamedKeywords(object):
    def __init__(self, configuration=None, host=None):
        self.kwargs = {'configuration': configuration, 'host': host}


class FakeSpec(object):
    def __init__(self, driver_cls):
        self.driver_cls = driver_cls


class FakeBackend(object):
    name = 'b1'
    host = 'node1'
    configuration = 'conf'

    def __init__(self, driver_cls):
        self.spec = FakeSpec(driver_cls)


class TestDriverBuilding(base.TestCase):

    def test_cinder_shaped_constructor_gets_cinder_keywords(self):
        driver = driver_building.build(FakeBackend(CinderShaped))
        self.assertEqual({'configuration', 'db', 'host', 'cluster_name',
                          'is_vol_db_empty', 'active_backend_id'},
                         set(driver.kwargs))
        self.assertEqual('node1@b1', driver.kwargs['host'])
        self.assertEqual('conf', driver.kwargs['configuration'])
        self.assertIsNone(driver.kwargs['cluster_name'])
        self.assertIsNone(driver.kwargs['active_backend_id'])
        self.assertIs(True, driver.kwargs['is_vol_db_empty'])
        self.assertTrue(hasattr(driver.kwargs['db'], 'volume_get'))

    def test_only_the_keywords_a_constructor_names(self):
        driver = driver_building.build(FakeBackend(NamedKeywords))
        self.assertEqual({'configuration': 'conf', 'host': 'node1@b1'},
                         driver.kwargs)

    def test_storagemgr_drivers_keep_the_keywords(self):

        backend = FakeBackend(fake.FakeVolumeDriver)
        backend.configuration = None
        built = driver_building.build(backend)
        self.assertEqual('node1@b1', built.host)
        self.assertIsNone(built.cluster_name)
        self.assertTrue(hasattr(built.db, 'volume_get'))

    def test_no_keywords_for_a_configuration_only_constructor(self):
        captured = {}

        class Plain(object):
            def __init__(self, configuration=None):
                captured['configuration'] = configuration

        driver_building.build(FakeBackend(Plain))
        self.assertEqual({'configuration': 'conf'}, captured)

    def test_is_vol_db_empty_counts_the_backends_volumes(self):
        api, _driver = fakes.make_api(self)
        api.create_volume('v', size=1)
        backend = FakeBackend(CinderShaped)
        self.assertIs(False, driver_building.cinder_kwargs(
            backend)['is_vol_db_empty'])
        backend.name = 'elsewhere'
        self.assertIs(True, driver_building.cinder_kwargs(
            backend)['is_vol_db_empty'])
