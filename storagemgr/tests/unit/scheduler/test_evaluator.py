"""The filter/goodness expression language, including hostile input."""

import ddt
import testtools

from storagemgr.scheduler import evaluator

VARIABLES = {
    'stats': {'free_capacity_gb': 150, 'total_capacity_gb': 200,
              'storage_protocol': 'NFS', 'snapshot_support': True,
              'capacity': 'unknown', 'nested': {'level': 3},
              'ratio': '2.5', 'nothing': None},
    'share': {'size': 10, 'share_proto': 'NFS'},
    'extra': {'limit': '100', 'flag': 'True'},
}


@ddt.ddt
class EvaluateTestCase(testtools.TestCase):

    @ddt.unpack
    @ddt.data(
        ('1', 1), ('1.5', 1.5), ('.5', 0.5), ('1e3', 1000.0),
        ("'text'", 'text'), ('"text"', 'text'), ('word', 'word'),
        ('true', True), ('False', False),
        ('1 + 2 * 3', 7), ('(1 + 2) * 3', 9), ('7 - 2 - 1', 4),
        ('10 / 4', 2.5), ('2 ^ 3', 8), ('2 ^ 3 ^ 2', 512), ('-2 ^ 2', -4),
        ('-3 + 5', 2), ('+3', 3), ('- - 3', 3),
        ('1 < 2', True), ('2 <= 2', True), ('3 > 4', False),
        ('4 >= 5', False), ('1 == 1', True), ('1 != 1', False),
        ('1 <> 2', True), ('1 < 2 < 3', True), ('1 < 3 < 2', False),
        ('true and false', False), ('true && true', True),
        ('false or true', True), ('false || false', False),
        ('not true', False), ('!false', True), ('not 1 == 2', True),
        ('1 == 1 and 2 == 2 or false', True),
        ('true ? 1 : 2', 1), ('false ? 1 : 2', 2),
        ('false ? 1 : true ? 2 : 3', 2), ('1 > 2 ? 10 : 20', 20),
        ('abs(-4)', 4), ('max(1, 5, 3)', 5), ('min(4, 2)', 2),
        ('max(1, min(5, 2))', 2),
        ('stats.free_capacity_gb', 150),
        ('stats.free_capacity_gb / stats.total_capacity_gb * 100', 75.0),
        ('share.size < 50 and stats.free_capacity_gb > 100', True),
        ('stats.storage_protocol == NFS', True),
        ("stats.storage_protocol == 'CIFS'", False),
        ('share.share_proto == stats.storage_protocol', True),
        ('stats.snapshot_support == True', True),
        ('stats.snapshot_support', True),
        ('extra.limit * 2', 200),
        ('extra.flag == true', True),
        ('stats.ratio * 2', 5.0),
        ('stats.nested.level', 3),
        ('stats.nothing == 1', False),
        ('stats.free_capacity_gb > 100 ? 100 : 50', 100),
    )
    def test_value(self, expression, expected):
        result = evaluator.evaluate(expression, **VARIABLES)
        self.assertEqual(expected, result)
        self.assertIs(type(expected), type(result))

    @ddt.unpack
    @ddt.data(
        ('stats.missing', 'unknown variable stats.missing'),
        ('volume.size', 'unknown variable volume.size'),
        ('stats.free_capacity_gb.x', 'unknown variable'),
        ('1 / 0', 'division by zero'),
        ('1 / (2 - 2)', 'division by zero'),
        ("'a' * 3", "'a' is not a number"),
        ('stats.capacity + 1', "'unknown' is not a number"),
        ('stats.capacity > 10', "cannot compare 'unknown' > 10"),
        ('-word', "'word' is not a number"),
        ('abs(1, 2)', 'abs() takes one argument'),
        ('max()', 'max() needs at least one argument'),
        ('1 +', 'cannot parse'),
        ('(1', 'cannot parse'),
        ('1 ? 2', 'cannot parse'),
        ('stats.', 'cannot parse'),
        ('', 'must not be empty'),
        ('   ', 'must not be empty'),
    )
    def test_error(self, expression, words):
        error = self.assertRaises(evaluator.EvaluatorError,
                                  evaluator.evaluate, expression,
                                  **VARIABLES)
        self.assertIn(words, str(error))

    @ddt.data(
        "__import__('os').system('true')",
        'open("/etc/passwd")',
        'stats.__class__',
        'share.size.__class__.__mro__',
        'lambda: 1',
        '[1, 2]',
        '{1: 2}',
        'exec("1")',
        'a; b',
        '1 if 2 else 3',
        'stats["free_capacity_gb"]',
        '`id`',
        '$HOME',
    )
    def test_hostile_input_is_refused(self, expression):
        self.assertRaises(evaluator.EvaluatorError, evaluator.evaluate,
                          expression, **VARIABLES)

    @ddt.unpack
    @ddt.data(
        ('9 ^ 9 ^ 9', 'range error'),
        ('2 ^ 100000', 'range error'),
        ('(' * 21 + '1' + ')' * 21, 'nested deeper than 20'),
        ('1 + ' * 300 + '1', 'longer than 1024'),
        ('-' * 1000 + '1', 'too deeply nested'),
    )
    def test_resource_bombs_are_refused(self, expression, words):
        error = self.assertRaises(evaluator.EvaluatorError,
                                  evaluator.evaluate, expression)
        self.assertIn(words, str(error))

    def test_limits_still_allow_reasonable_input(self):
        self.assertEqual(1, evaluator.evaluate('(' * 20 + '1' + ')' * 20))
        self.assertEqual(2 ** 64, evaluator.evaluate('2 ^ 64'))
        self.assertEqual(0.5, evaluator.evaluate('2 ^ (0 - 1)'))

    @ddt.data(None, 5, ['1'], {'a': 1})
    def test_non_text_expression(self, expression):
        error = self.assertRaises(evaluator.EvaluatorError,
                                  evaluator.evaluate, expression)
        self.assertIn('an expression is text', str(error))

    def test_check(self):
        evaluator.check('stats.x > 1')
        self.assertRaises(evaluator.EvaluatorError, evaluator.check, '1 +')

    def test_failed_parse_is_cached_and_still_raised(self):
        for _ in range(2):
            self.assertRaises(evaluator.EvaluatorError, evaluator.evaluate,
                              '1 + + (')

    def test_variables_are_read_not_written(self):
        stats = {'x': 1}
        evaluator.evaluate('stats.x == 2', stats=stats)
        self.assertEqual({'x': 1}, stats)
