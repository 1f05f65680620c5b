"""Driver private storage: Manila's semantics, on every database."""

import ddt
import sqlalchemy as sa
import testscenarios

from storagemgr.db.models import driver_private as models
from storagemgr.db import session as db_session
from storagemgr.share import private_storage
from storagemgr.tests import base
from storagemgr.tests import db_backends

load_tests = testscenarios.load_tests_apply_scenarios

E1 = '8a1c2b7e-0f0e-4a49-9a57-1f0d4b9f6a01'
E2 = '8a1c2b7e-0f0e-4a49-9a57-1f0d4b9f6a02'
E3 = '8a1c2b7e-0f0e-4a49-9a57-1f0d4b9f6a03'


def _rows():
    with db_session.session_scope() as session:
        return sorted((r.entity_uuid, r.key, r.value) for r in session.scalars(
            sa.select(models.DriverPrivateData)))


class PrivateStorageTestCase(db_backends.DatabaseScenarios, base.TestCase):

    scenarios = db_backends.scenarios()

    def setUp(self):
        super().setUp()
        self.storage = private_storage.DriverPrivateData('b1')

    def test_get_of_nothing(self):
        self.assertEqual({}, self.storage.get(E1))
        self.assertIsNone(self.storage.get(E1, 'k'))
        self.assertEqual('dflt', self.storage.get(E1, 'k', default='dflt'))
        self.assertEqual({}, self.storage.get(E1, ['a', 'b']))

    def test_update_stores_text(self):
        self.storage.update(E1, {'name': 'share_1', 'size': 2,
                                 'thin': True, 'ratio': 1.5, 'none': None})
        self.assertEqual({'name': 'share_1', 'size': '2', 'thin': 'True',
                          'ratio': '1.5', 'none': 'None'},
                         self.storage.get(E1))
        self.assertEqual('2', self.storage.get(E1, key='size'))
        self.assertEqual({'name': 'share_1', 'size': '2'},
                         self.storage.get(E1, ['name', 'size', 'missing']))

    def test_update_merges_or_replaces(self):
        self.storage.update(E1, {'a': '1', 'b': '2'})
        self.storage.update(E1, {'b': '3', 'c': '4'})
        self.assertEqual({'a': '1', 'b': '3', 'c': '4'},
                         self.storage.get(E1))
        self.storage.update(E1, {'c': '5'}, delete_existing=True)
        self.assertEqual({'c': '5'}, self.storage.get(E1))

    def test_entities_are_separate(self):
        self.storage.update(E1, {'k': 'one'})
        self.storage.update(E2, {'k': 'two'})
        self.storage.delete(E1)
        self.assertEqual({}, self.storage.get(E1))
        self.assertEqual('two', self.storage.get(E2, 'k'))

    def test_delete_one_key_a_list_or_all(self):
        self.storage.update(E1, {'a': '1', 'b': '2', 'c': '3', 'd': '4'})
        self.storage.delete(E1, 'a')
        self.assertEqual({'b': '2', 'c': '3', 'd': '4'},
                         self.storage.get(E1))
        self.storage.delete(E1, ['b', 'c', 'never-set'])
        self.assertEqual({'d': '4'}, self.storage.get(E1))
        self.storage.delete(E1)
        self.assertEqual({}, self.storage.get(E1))
        # Deleting what is not there is fine.
        self.storage.delete(E1)
        self.storage.delete(E1, 'a')

    def test_ids_are_canonical(self):
        self.storage.update(E1.upper(), {'k': 'v'})
        self.assertEqual('v', self.storage.get(E1, 'k'))
        self.assertEqual([(E1, 'k', 'v')], _rows())

    def test_keys_and_values_keep_their_case(self):
        self.storage.update(E1, {'Path': 'A', 'path': 'a'})
        self.assertEqual({'Path': 'A', 'path': 'a'}, self.storage.get(E1))
        self.assertEqual('a', self.storage.get(E1, 'path'))
        self.storage.delete(E1, 'PATH')
        self.assertEqual({'Path': 'A', 'path': 'a'}, self.storage.get(E1))
        self.storage.delete(E1, 'Path')
        self.assertEqual({'path': 'a'}, self.storage.get(E1))

    def test_longest_key_and_value_fit(self):
        key = 'k' * models.KEY_LENGTH
        value = 'v' * models.VALUE_LENGTH
        self.storage.update(E1, {key: value})
        self.assertEqual(value, self.storage.get(E1, key))

    def test_delete_entities(self):
        self.storage.update(E1, {'a': '1', 'b': '2'})
        self.storage.update(E2, {'a': '1'})
        self.storage.update(E3, {'kept': 'yes'})
        self.assertEqual(3, private_storage.delete_entities([E1, E2]))
        self.assertEqual([(E3, 'kept', 'yes')], _rows())
        self.assertEqual(0, private_storage.delete_entities([E1]))
        self.assertEqual(0, private_storage.delete_entities([]))

    def test_delete_entities_in_the_callers_transaction(self):
        self.storage.update(E1, {'a': '1'})

        class Boom(Exception):
            pass

        def work():
            with db_session.session_scope() as session:
                private_storage.delete_entities([E1], session=session)
                raise Boom()
        self.assertRaises(Boom, work)
        # Rolled back with the caller's transaction.
        self.assertEqual('1', self.storage.get(E1, 'a'))
        with db_session.session_scope() as session:
            private_storage.delete_entities((E1,), session=session)
        self.assertEqual({}, self.storage.get(E1))


@ddt.ddt
class PrivateStorageInputTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.storage = private_storage.DriverPrivateData('b1')

    @ddt.data(None, 42, '', 'not-a-uuid', 'share_1234')
    def test_bad_entity_id(self, entity_id):
        for call in (lambda: self.storage.get(entity_id),
                     lambda: self.storage.update(entity_id, {'k': 'v'}),
                     lambda: self.storage.delete(entity_id)):
            error = self.assertRaises(private_storage.InvalidPrivateData,
                                      call)
            self.assertIn('entity id %r is not a UUID' % (entity_id,),
                          str(error))
        # A ValueError too, as Manila raises for a bad id.
        self.assertRaises(ValueError, self.storage.get, entity_id)

    @ddt.data(('', "key '' is not a non-empty string"),
              (7, 'key 7 is not a non-empty string'),
              ('k' * 256, 'longer than 255 characters'))
    @ddt.unpack
    def test_bad_key(self, key, words):
        for call in (lambda: self.storage.update(E1, {key: 'v'}),
                     lambda: self.storage.get(E1, key),
                     lambda: self.storage.delete(E1, [key])):
            error = self.assertRaises(private_storage.InvalidPrivateData,
                                      call)
            self.assertIn(words, str(error))
        self.assertEqual([], _rows())

    @ddt.data(({'k': ['a']}, "value of key 'k' is a list"),
              ({'k': {'a': 1}}, "value of key 'k' is a dict"),
              ({'k': b'raw'}, "value of key 'k' is a bytes"),
              ({'k': 'v' * 1024}, 'is 1024 characters long'))
    @ddt.unpack
    def test_bad_value_writes_nothing(self, details, words):
        details = dict(details, good='kept?')
        error = self.assertRaises(private_storage.InvalidPrivateData,
                                  self.storage.update, E1, details)
        self.assertIn(words, str(error))
        self.assertNotIn('\n', str(error))
        self.assertEqual([], _rows())

    @ddt.data(None, [('k', 'v')], 'k=v')
    def test_details_must_be_a_dict(self, details):
        error = self.assertRaises(private_storage.InvalidPrivateData,
                                  self.storage.update, E1, details)
        self.assertIn('must be a dict', str(error))

    def test_delete_entities_refuses_a_string_and_bad_ids(self):
        error = self.assertRaises(private_storage.InvalidPrivateData,
                                  private_storage.delete_entities, E1)
        self.assertIn('takes a list of ids', str(error))
        self.storage.update(E1, {'k': 'v'})
        self.assertRaises(private_storage.InvalidPrivateData,
                          private_storage.delete_entities, [E1, 'bogus'])
        self.assertEqual('v', self.storage.get(E1, 'k'))
