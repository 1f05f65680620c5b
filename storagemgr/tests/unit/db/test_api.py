"""The generic data layer, above all conditional updates."""

import threading

import ddt
import testscenarios

from storagemgr.db import api as db_api
from storagemgr.db.models import backend as backend_models
from storagemgr import exception
from storagemgr.tests import base
from storagemgr.tests import db_backends

load_tests = testscenarios.load_tests_apply_scenarios

Row = backend_models.BackendState


def _row(name='b1', state='down', **extra):
    values = {'name': name, 'kind': 'share', 'driver': 'fake',
              'state': state}
    values.update(extra)
    return db_api.create(Row, values)


@ddt.ddt
class ConditionalUpdateTestCase(db_backends.DatabaseScenarios,
                                base.TestCase):

    scenarios = db_backends.scenarios()

    @ddt.data(
        # (current state, expected, matches)
        ('down', {'state': 'down'}, True),
        ('down', {'state': ['up', 'down']}, True),
        ('error', {'state': ['up', 'down']}, False),
        ('down', {'state': 'down', 'kind': 'volume'}, False),
        ('down', {}, True),
    )
    @ddt.unpack
    def test_matches_only_expected(self, current, expected, matches):
        _row(state=current)
        updated = db_api.conditional_update(Row, 'b1', {'state': 'up'},
                                            expected=expected)
        self.assertEqual(matches, updated)
        self.assertEqual('up' if matches else current,
                         db_api.get(Row, 'b1').state)

    def test_none_in_expected_matches_null(self):
        _row(error=None)
        self.assertTrue(db_api.conditional_update(
            Row, 'b1', {'error': 'x'}, expected={'error': [None, 'y']}))
        self.assertFalse(db_api.conditional_update(
            Row, 'b1', {'error': 'z'}, expected={'error': None}))

    def test_extra_criteria(self):
        _row()
        self.assertFalse(db_api.conditional_update(
            Row, 'b1', {'state': 'up'}, criteria=[Row.kind == 'volume']))
        self.assertTrue(db_api.conditional_update(
            Row, 'b1', {'state': 'up'}, criteria=[Row.kind == 'share']))

    def test_missing_row_is_false_not_error(self):
        self.assertFalse(db_api.conditional_update(
            Row, 'nope', {'state': 'up'}, expected={'state': 'down'}))

    def test_only_one_of_many_racers_wins(self):
        _row()
        wins = []
        barrier = threading.Barrier(8)

        def race(i):
            barrier.wait()
            if db_api.conditional_update(Row, 'b1', {'state': 'up%d' % i},
                                         expected={'state': 'down'}):
                wins.append(i)

        threads = [threading.Thread(target=race, args=(i,))
                   for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(1, len(wins))
        self.assertEqual('up%d' % wins[0], db_api.get(Row, 'b1').state)


class CrudTestCase(db_backends.DatabaseScenarios, base.TestCase):

    scenarios = db_backends.scenarios()

    def test_create_get_query_update_delete(self):
        _row('a')
        _row('b', kind='volume')
        self.assertEqual('a', db_api.get(Row, 'a').name)
        self.assertEqual(['b'], [r.name for r in db_api.query(
            Row, kind='volume')])
        self.assertEqual(['a', 'b'], sorted(r.name for r in db_api.query(
            Row, name=['a', 'b'])))
        db_api.update(Row, 'a', {'state': 'up'})
        self.assertEqual('up', db_api.get_by(Row, name='a').state)
        self.assertTrue(db_api.delete(Row, 'a'))
        self.assertFalse(db_api.delete(Row, 'a'))
        self.assertIsNone(db_api.get_by(Row, name='a'))

    def test_get_missing_raises_not_found(self):
        err = self.assertRaises(exception.NotFound, db_api.get, Row, 'zz',
                                resource_name='Backend')
        self.assertIn('Backend zz', str(err))

    def test_update_missing_raises_not_found(self):
        self.assertRaises(exception.NotFound, db_api.update, Row, 'zz',
                          {'state': 'up'})

    def test_upsert_inserts_then_replaces(self):
        values = {'name': 'u', 'kind': 'share', 'driver': 'x',
                  'state': 'down', 'stats': {'pools': [1, 2]}}
        db_api.upsert(Row, values)
        db_api.upsert(Row, dict(values, state='up'))
        row = db_api.get(Row, 'u')
        self.assertEqual('up', row.state)
        self.assertEqual({'pools': [1, 2]}, row.stats)
