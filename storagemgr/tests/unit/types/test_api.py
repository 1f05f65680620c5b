"""The types service layer: the three families, their defaults and guards."""

import threading
import time

import ddt
import sqlalchemy as sa
import testscenarios

from storagemgr.db import api as db_api
from storagemgr.db.models import share as share_models
from storagemgr.db.models import types as models
from storagemgr.db.models import volume as volume_models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.tests import base
from storagemgr.tests import db_backends
from storagemgr.types import api as types_api

load_tests = testscenarios.load_tests_apply_scenarios

FAMILIES = ('share_types', 'volume_types', 'share_group_types')
RECORD_KEYS = {'id', 'name', 'description', 'is_public', 'extra_specs',
               'is_default'}
KIND = {'share_types': 'share', 'volume_types': 'volume',
        'share_group_types': 'share group'}
SPEC_MODEL = {'share_types': models.ShareTypeExtraSpec,
              'volume_types': models.VolumeTypeExtraSpec,
              'share_group_types': models.ShareGroupTypeSpec}
DHSS = 'driver_handles_share_servers'


class TypesTestCase(base.TestCase):

    def family(self, name):
        return getattr(types_api, name)

    def make(self, family, name, specs=None, **kwargs):
        """A type of ``family`` with ``specs`` (plus what it requires)."""
        specs = dict(specs or {})
        if family == 'share_types':
            specs.setdefault(DHSS, 'False')
        if family == 'share_group_types':
            member = self.member_type()
            return types_api.share_group_types.create(
                name, [member['name']], specs, **kwargs)
        return self.family(family).create(name, specs, **kwargs)

    def member_type(self):
        try:
            return types_api.share_types.get('member')
        except exception.TypeNotFound:
            return types_api.share_types.create('member', {DHSS: 'False'})

    def share_using(self, type_id, instance_type_id=None):
        share = db_api.create(share_models.Share, {
            'size': 1, 'share_proto': 'NFS', 'share_type_id': type_id})
        db_api.create(share_models.ShareInstance, {
            'share_id': share.id, 'host': 'h@b#b', 'backend': 'b',
            'status': 'available', 'share_type_id': instance_type_id})
        return share

    def spec_rows(self, family):
        with db_session.session_scope() as session:
            return session.scalar(sa.select(sa.func.count()).select_from(
                SPEC_MODEL[family]))


@ddt.ddt
class EveryFamilyTestCase(TypesTestCase):
    """What the three families do alike."""

    @ddt.data(*FAMILIES)
    def test_create_then_get_by_id_and_by_name(self, family):
        created = self.make(family, 'gold', {'k': 'v'}, is_public=False,
                            description='Gold tier')
        self.assertLessEqual(RECORD_KEYS, set(created))
        self.assertEqual(('gold', False, 'Gold tier', 'v', False),
                         (created['name'], created['is_public'],
                          created['description'],
                          created['extra_specs']['k'],
                          created['is_default']))
        self.assertEqual(created, self.family(family).get(created['id']))
        self.assertEqual(created, self.family(family).get('gold'))

    @ddt.data(*FAMILIES)
    def test_public_without_description_by_default(self, family):
        created = self.make(family, 'plain')
        self.assertEqual((True, None),
                         (created['is_public'], created['description']))

    @ddt.data(*FAMILIES)
    def test_list_by_name(self, family):
        for name in ('b', 'c', 'a'):
            self.make(family, name)
        self.assertEqual(['a', 'b', 'c'],
                         [t['name'] for t in self.family(family).list()])

    @ddt.data(*FAMILIES)
    def test_unknown_type_is_named(self, family):
        e = self.assertRaises(exception.TypeNotFound,
                              self.family(family).get, 'nope')
        self.assertEqual("No %s type 'nope'." % KIND[family], str(e))

    @ddt.data(*FAMILIES)
    def test_taken_name_refused(self, family):
        first = self.make(family, 'gold', {'k': 'v'})
        e = self.assertRaises(exception.TypeExists, self.make, family,
                              'gold', {'k': 'other'})
        self.assertEqual("A %s type named 'gold' already exists." %
                         KIND[family], str(e))
        self.assertEqual(first, self.family(family).get('gold'))

    @ddt.unpack
    @ddt.data(*[(f, n, w) for f in FAMILIES for n, w in (
        ('', 'non-empty'), ('   ', 'non-empty'), (None, 'non-empty'),
        ('a\nb', 'U+000A'), ('n' * 256, 'at most 255'))])
    def test_bad_names_refused(self, family, name, words):
        e = self.assertRaises(exception.InvalidInput, self.make, family,
                              name)
        self.assertIn(words, str(e))
        self.assertIn('%s type name' % KIND[family], str(e))
        self.assertEqual([], self.family(family).list())

    @ddt.data(*FAMILIES)
    def test_visibility_must_be_a_boolean(self, family):
        self.assertRaises(exception.InvalidInput, self.make, family, 'x',
                          is_public='no')

    @ddt.data(*FAMILIES)
    def test_update_adds_and_replaces_specs(self, family):
        self.make(family, 'gold', {'a': '1', 'b': '2'})
        updated = self.family(family).update('gold', {'b': '3', 'c': '4'})
        self.assertEqual(('1', '3', '4'), tuple(
            updated['extra_specs'][k] for k in 'abc'))
        self.assertEqual(updated, self.family(family).get('gold'))

    @ddt.data(*FAMILIES)
    def test_update_fields(self, family):
        created = self.make(family, 'gold', description='old')
        updated = self.family(family).update(
            created['id'], name='platinum', description='new',
            is_public=False)
        self.assertEqual(('platinum', 'new', False),
                         (updated['name'], updated['description'],
                          updated['is_public']))
        cleared = self.family(family).update('platinum', description='')
        self.assertIsNone(cleared['description'])
        self.assertFalse(cleared['is_public'])

    @ddt.data(*FAMILIES)
    def test_rename_to_a_taken_name_refused(self, family):
        self.make(family, 'gold')
        self.make(family, 'silver')
        e = self.assertRaises(exception.TypeExists,
                              self.family(family).update, 'silver',
                              name='gold')
        self.assertIn("'gold' already exists", str(e))
        self.assertEqual('silver', self.family(family).get('silver')['name'])

    @ddt.data(*FAMILIES)
    def test_update_unknown_type(self, family):
        self.assertRaises(exception.TypeNotFound,
                          self.family(family).update, 'nope', {'a': 'b'})

    @ddt.data(*FAMILIES)
    def test_unset(self, family):
        self.make(family, 'gold', {'a': '1', 'b': '2'})
        self.family(family).unset('gold', ['a'])
        specs = self.family(family).get('gold')['extra_specs']
        self.assertNotIn('a', specs)
        self.assertEqual('2', specs['b'])

    @ddt.data(*FAMILIES)
    def test_unset_missing_key_names_it_and_removes_nothing(self, family):
        self.make(family, 'gold', {'a': '1'})
        e = self.assertRaises(exception.InvalidInput,
                              self.family(family).unset, 'gold',
                              ['a', 'zz'])
        self.assertIn("'gold' has no", str(e))
        self.assertIn('zz', str(e))
        self.assertEqual('1',
                         self.family(family).get('gold')['extra_specs']['a'])

    @ddt.data(*FAMILIES)
    def test_unset_nothing_refused(self, family):
        self.make(family, 'gold')
        self.assertRaises(exception.InvalidInput, self.family(family).unset,
                          'gold', [])

    @ddt.data(*FAMILIES)
    def test_delete_removes_the_type_and_its_specs(self, family):
        self.make(family, 'gold', {'a': '1'})
        self.make(family, 'silver', {'a': '1'})
        before = self.spec_rows(family)
        self.family(family).delete('gold')
        self.assertRaises(exception.TypeNotFound, self.family(family).get,
                          'gold')
        self.assertEqual(before // 2, self.spec_rows(family))
        self.assertEqual('1',
                         self.family(family).get('silver')['extra_specs']['a'])

    @ddt.data(*FAMILIES)
    def test_delete_unknown(self, family):
        e = self.assertRaises(exception.TypeNotFound,
                              self.family(family).delete, 'nope')
        self.assertIn("'nope'", str(e))

    @ddt.data(*FAMILIES)
    def test_name_of(self, family):
        created = self.make(family, 'gold')
        self.assertEqual('gold', self.family(family).name_of(created['id']))
        self.assertIsNone(self.family(family).name_of(None))
        self.assertIsNone(self.family(family).name_of('no-such-id'))

    @ddt.data(*FAMILIES)
    def test_resolve_a_type(self, family):
        created = self.make(family, 'gold')
        self.assertEqual(created, self.family(family).resolve('gold'))
        self.assertEqual(created, self.family(family).resolve(created['id']))

    @ddt.data(*FAMILIES)
    def test_resolve_none_without_default_is_the_implicit_type(self,
                                                               family):
        self.make(family, 'gold')
        implicit = self.family(family).resolve()
        self.assertEqual((None, None, {}, True),
                         (implicit['id'], implicit['name'],
                          implicit['extra_specs'], implicit['is_default']))
        self.assertLessEqual(RECORD_KEYS, set(implicit))

    def test_implicit_share_group_type_holds_no_share_types(self):
        self.assertEqual([], types_api.share_group_types.resolve()[
            'share_types'])

    @ddt.data(*FAMILIES)
    def test_bad_ref(self, family):
        for ref in ('', 5):
            self.assertRaises(exception.InvalidInput,
                              self.family(family).get, ref)


@ddt.ddt
class DefaultTypeTestCase(TypesTestCase):
    """default_share_type and default_volume_type."""

    @ddt.unpack
    @ddt.data(('share_types', 'default_share_type'),
              ('volume_types', 'default_volume_type'))
    def test_default_by_name_or_id(self, family, option):
        created = self.make(family, 'gold')
        self.make(family, 'other')
        for ref in ('gold', created['id']):
            self.flags(**{option: ref})
            resolved = self.family(family).resolve()
            self.assertEqual(('gold', True),
                             (resolved['name'], resolved['is_default']))
            self.assertEqual({'gold': True, 'other': False},
                             {t['name']: t['is_default']
                              for t in self.family(family).list()})

    @ddt.unpack
    @ddt.data(('share_types', 'default_share_type', 'share'),
              ('volume_types', 'default_volume_type', 'volume'))
    def test_default_naming_nothing_names_the_option(self, family, option,
                                                     kind):
        self.flags(**{option: 'gone'})
        e = self.assertRaises(exception.TypeNotFound,
                              self.family(family).resolve)
        self.assertEqual("No %s type 'gone' (named by the %s option)." % (
            kind, option), str(e))

    @ddt.unpack
    @ddt.data(('share_types', 'default_share_type'),
              ('volume_types', 'default_volume_type'))
    def test_default_type_cannot_be_deleted(self, family, option):
        self.make(family, 'gold')
        self.flags(**{option: 'gold'})
        e = self.assertRaises(exception.TypeInUse,
                              self.family(family).delete, 'gold')
        self.assertIn('the %s option' % option, str(e))
        self.flags(**{option: None})
        self.family(family).delete('gold')

    def test_the_share_default_does_not_make_a_volume_type_default(self):
        self.make('volume_types', 'gold')
        self.flags(default_share_type='gold')
        self.assertFalse(types_api.volume_types.get('gold')['is_default'])
        self.assertIsNone(types_api.volume_types.resolve()['id'])


class ShareTypeTestCase(TypesTestCase):

    def test_specs_stored_canonical(self):
        created = types_api.share_types.create('gold', {
            DHSS: 'yes', 'snapshot_support': '<is> true',
            'availability_zones': 'a, b'})
        self.assertEqual({DHSS: 'True', 'snapshot_support': '<is> True',
                          'availability_zones': 'a,b'},
                         created['extra_specs'])

    def test_required_spec_missing(self):
        e = self.assertRaises(exception.InvalidExtraSpec,
                              types_api.share_types.create, 'gold', {})
        self.assertIn(DHSS, str(e))
        self.assertEqual([], types_api.share_types.list())

    def test_update_checks_specs(self):
        self.make('share_types', 'gold')
        self.assertRaises(exception.InvalidExtraSpec,
                          types_api.share_types.update, 'gold',
                          {'replication_type': 'sync'})
        updated = types_api.share_types.update('gold', {DHSS: '1'})
        self.assertEqual('True', updated['extra_specs'][DHSS])

    def test_required_spec_cannot_be_unset(self):
        self.make('share_types', 'gold', {'a': '1'})
        e = self.assertRaises(exception.InvalidExtraSpec,
                              types_api.share_types.unset, 'gold',
                              ['a', DHSS])
        self.assertIn(DHSS, str(e))
        self.assertEqual({DHSS: 'False', 'a': '1'},
                         types_api.share_types.get('gold')['extra_specs'])

    def test_in_use_by_a_share(self):
        gold = self.make('share_types', 'gold')
        share = self.share_using(gold['id'], gold['id'])
        e = self.assertRaises(exception.TypeInUse,
                              types_api.share_types.delete, 'gold')
        self.assertEqual("share type 'gold' is in use by 1 share (%s)." %
                         share.id, str(e))
        self.assertEqual(gold, types_api.share_types.get('gold'))

    def test_in_use_by_a_share_instance_of_another_type(self):
        gold = self.make('share_types', 'gold')
        share = self.share_using(None, instance_type_id=gold['id'])
        e = self.assertRaises(exception.TypeInUse,
                              types_api.share_types.delete, 'gold')
        self.assertIn('1 share (%s)' % share.id, str(e))

    def test_many_users_are_counted_and_a_few_named(self):
        gold = self.make('share_types', 'gold')
        ids = sorted(self.share_using(gold['id']).id for _ in range(5))
        e = self.assertRaises(exception.TypeInUse,
                              types_api.share_types.delete, 'gold')
        self.assertIn('5 shares (%s and 2 more)' % ', '.join(ids[:3]),
                      str(e))

    def test_in_use_by_a_share_group_type(self):
        member = self.member_type()
        types_api.share_group_types.create('grp', ['member'])
        e = self.assertRaises(exception.TypeInUse,
                              types_api.share_types.delete, member['id'])
        self.assertEqual("share type 'member' is in use by 1 share group "
                         "type (grp).", str(e))
        types_api.share_group_types.delete('grp')
        types_api.share_types.delete('member')

    def test_deletable_once_its_shares_are_gone(self):
        gold = self.make('share_types', 'gold')
        share = self.share_using(gold['id'])
        with db_session.session_scope() as session:
            session.execute(sa.delete(share_models.ShareInstance))
            session.execute(sa.delete(share_models.Share).where(
                share_models.Share.id == share.id))
        types_api.share_types.delete('gold')
        self.assertEqual([], types_api.share_types.list())


class VolumeTypeTestCase(TypesTestCase):

    def test_specs_kept_as_typed(self):
        created = types_api.volume_types.create(
            'fast', {'volume_backend_name': 'b1', 'thin': '<is> True'})
        self.assertEqual({'volume_backend_name': 'b1', 'thin': '<is> True'},
                         created['extra_specs'])

    def test_in_use_by_a_volume(self):
        fast = types_api.volume_types.create('fast')
        volume = db_api.create(volume_models.Volume, {
            'size': 1, 'backend': 'b', 'status': 'available',
            'volume_type_id': fast['id']})
        e = self.assertRaises(exception.TypeInUse,
                              types_api.volume_types.delete, 'fast')
        self.assertEqual("volume type 'fast' is in use by 1 volume (%s)." %
                         volume.id, str(e))
        db_api.delete(volume_models.Volume, volume.id)
        types_api.volume_types.delete('fast')


class ShareGroupTypeTestCase(TypesTestCase):

    def test_lists_its_share_types_by_name(self):
        for name in ('b', 'a'):
            types_api.share_types.create(name, {DHSS: 'False'})
        created = types_api.share_group_types.create(
            'grp', ['b', 'a', 'b'], {'consistent_snapshot_support': 'pool'})
        self.assertEqual(['a', 'b'],
                         [t['name'] for t in created['share_types']])
        self.assertEqual(types_api.share_types.get('a'),
                         created['share_types'][0])
        self.assertEqual(created, types_api.share_group_types.list()[0])

    def test_unknown_share_type_creates_nothing(self):
        self.member_type()
        e = self.assertRaises(exception.TypeNotFound,
                              types_api.share_group_types.create, 'grp',
                              ['member', 'ghost'])
        self.assertEqual("No share type 'ghost'.", str(e))
        self.assertEqual([], types_api.share_group_types.list())

    def test_needs_a_share_type(self):
        e = self.assertRaises(exception.InvalidInput,
                              types_api.share_group_types.create, 'grp', [])
        self.assertIn('at least one share type', str(e))

    def test_group_specs_follow_the_common_rules(self):
        self.member_type()
        e = self.assertRaises(exception.InvalidInput,
                              types_api.share_group_types.create, 'grp',
                              ['member'], {'': 'x'})
        self.assertIn('group spec keys', str(e))

    def test_delete_drops_its_share_type_list(self):
        self.member_type()
        types_api.share_group_types.create('grp', ['member'])
        types_api.share_group_types.delete('grp')
        self.assertEqual([], db_api.query(models.ShareGroupTypeShareType))


@ddt.ddt
class EveryDatabaseTestCase(db_backends.DatabaseScenarios, TypesTestCase):
    """What depends on the database: uniqueness, case, guarded delete."""

    scenarios = db_backends.scenarios()

    @ddt.data(*FAMILIES)
    def test_names_and_keys_are_case_sensitive(self, family):
        self.make(family, 'gold', {'Key': 'A', 'key': 'a'})
        self.make(family, 'Gold')
        self.assertEqual(['Gold', 'gold'],
                         [t['name'] for t in self.family(family).list()])
        self.assertEqual({'Key': 'A', 'key': 'a'}, {
            k: v for k, v in self.family(family).get('gold')[
                'extra_specs'].items() if k.lower() == 'key'})

    @ddt.data(*FAMILIES)
    def test_taken_name_refused(self, family):
        self.make(family, 'gold')
        self.assertRaises(exception.TypeExists, self.make, family, 'gold')
        self.make(family, 'silver')
        self.assertRaises(exception.TypeExists, self.family(family).update,
                          'silver', name='gold')

    def test_guarded_delete(self):
        gold = self.make('share_types', 'gold', {'a': 'b'})
        self.share_using(gold['id'])
        self.assertRaises(exception.TypeInUse, types_api.share_types.delete,
                          'gold')
        self.assertEqual(gold, types_api.share_types.get('gold'))

    def test_delete_waits_for_a_claim_holding_the_type(self):
        """A create's claim holds the type: a delete meanwhile sees it."""
        gold = self.make('share_types', 'gold')
        held, outcome = threading.Event(), []

        def delete():
            held.wait()
            try:
                types_api.share_types.delete('gold')
                outcome.append('deleted')
            except exception.TypeInUse:
                outcome.append('in use')

        deleter = threading.Thread(target=delete)
        deleter.start()
        with db_session.session_scope() as session:
            types_api.share_types.hold(session, gold['id'])
            held.set()
            time.sleep(0.5)     # the delete is waiting on the row now
            share = db_api.create(share_models.Share, {
                'size': 1, 'share_proto': 'NFS',
                'share_type_id': gold['id']}, session=session)
        deleter.join()
        self.assertEqual(['in use'], outcome)
        self.assertEqual(gold['id'], db_api.get(
            share_models.Share, share.id).share_type_id)

    def test_claim_after_a_delete_finds_the_type_gone(self):
        gold = self.make('share_types', 'gold')
        types_api.share_types.delete('gold')
        with db_session.session_scope() as session:
            self.assertRaises(exception.TypeNotFound,
                              types_api.share_types.hold, session,
                              gold['id'])
            types_api.share_types.hold(session, None)
