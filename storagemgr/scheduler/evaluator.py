"""A small, safe expression language for filter and goodness functions.

Backends report a ``filter_function`` (may this pool take the request?)
and a ``goodness_function`` (how good a choice is it, 0 to 100) as text,
in the language of the reference services::

    stats.free_capacity_gb > 100 and share.size < 50
    capabilities.storage_protocol == 'NFS' ? 100 : 20
    max(0, 100 - stats.allocated_capacity_gb / stats.total_capacity_gb * 100)

Numbers, 'quoted' strings, ``true``/``false``; ``+ - * / ^`` (power),
comparisons ``< <= > >= == != <>`` (chainable), ``and``/``&&``,
``or``/``||``, ``not``/``!``, ``cond ? a : b``, ``abs``, ``max``, ``min``
and parentheses. ``namespace.key`` reads a variable (numeric strings read
as numbers); a bare word is a string, as in the reference services.

Expressions are parsed with pyparsing into a tree of closures, never
``eval``: they can read the variables they are given and nothing else.
Input is bounded (length, nesting, power size); anything wrong ends in
:class:`EvaluatorError` naming the problem, never another exception.
Parsed expressions are cached, errors included.
"""

import collections.abc
import functools
import math
import operator

from oslo_utils import strutils
import pyparsing as pp

from storagemgr import exception
from storagemgr.i18n import _

MAX_LENGTH = 1024
MAX_NESTING = 20
# An integer power is computed exactly up to this many bits of result;
# beyond, in floating point (which overflows with an error, not a hang).
_MAX_POWER_BITS = 4096


class EvaluatorError(exception.Invalid):
    msg_fmt = _('%(reason)s')


def _fail(reason):
    raise EvaluatorError(reason=reason)


def _number(value):
    if isinstance(value, (int, float)):
        return value
    _fail('%r is not a number' % (value,))


def _coerce(value):
    # Capabilities and extra specs are often numbers written as text.
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value
    return value


def _as_bool_if(other, value):
    """``value`` read as a boolean when compared with a boolean."""
    if isinstance(other, bool) and isinstance(value, str):
        parsed = strutils.bool_from_string(value, default=None)
        if parsed is not None:
            return parsed
    return value


def _power(base, exponent):
    base, exponent = _number(base), _number(exponent)
    if (isinstance(base, int) and isinstance(exponent, int) and
            0 <= exponent and
            abs(base).bit_length() * exponent <= _MAX_POWER_BITS):
        return base ** exponent
    try:
        return math.pow(base, exponent)
    except (OverflowError, ValueError) as e:
        _fail('%s ^ %s: %s' % (base, exponent, e))


def _divide(a, b):
    a, b = _number(a), _number(b)
    if b == 0:
        _fail('division by zero')
    return a / float(b)


_ARITHMETIC = {
    '+': lambda a, b: _number(a) + _number(b),
    '-': lambda a, b: _number(a) - _number(b),
    '*': lambda a, b: _number(a) * _number(b),
    '/': _divide,
}


def _equal(a, b):
    return _as_bool_if(b, a) == _as_bool_if(a, b)


_COMPARISONS = {
    '<': operator.lt, '<=': operator.le, '>': operator.gt,
    '>=': operator.ge, '==': _equal, '!=': lambda a, b: not _equal(a, b),
    '<>': lambda a, b: not _equal(a, b),
}


def _call_max(*args):
    if not args:
        _fail('max() needs at least one argument')
    return max(_number(a) for a in args)


def _call_min(*args):
    if not args:
        _fail('min() needs at least one argument')
    return min(_number(a) for a in args)


def _call_abs(*args):
    if len(args) != 1:
        _fail('abs() takes one argument, not %d' % len(args))
    return abs(_number(args[0]))


FUNCTIONS = {'abs': _call_abs, 'max': _call_max, 'min': _call_min}


# -- parse actions: each turns tokens into a closure env -> value ---------

def _constant(value):
    return lambda env: value


def _on_number(toks):
    text = toks[0]
    if text.isdigit():
        return _constant(int(text))
    return _constant(float(text))


def _on_name(toks):
    path = toks[0].split('.')
    if len(path) == 1:
        return _constant(path[0])
    namespace, keys = path[0], path[1:]
    name = toks[0]

    def read(env):
        value = env.get(namespace)
        if value is None:
            _fail('unknown variable %s' % name)
        for key in keys:
            if not isinstance(value, collections.abc.Mapping) or (
                    key not in value):
                _fail('unknown variable %s' % name)
            value = value[key]
        return _coerce(value)
    return read


def _on_call(toks):
    function = FUNCTIONS[toks[0]]
    args = list(toks[1:])
    return lambda env: function(*[a(env) for a in args])


def _pairs(items):
    return list(zip(items[1::2], items[2::2]))


def _on_power(toks):
    items = list(toks[0])
    # Right-associative: a ^ b ^ c is a ^ (b ^ c).
    node = items[-1]
    for operand in reversed(items[:-1:2]):
        node = (lambda x, y: lambda env: _power(x(env), y(env)))(
            operand, node)
    return node


def _on_sign(toks):
    sign, operand = toks[0]
    if sign == '-':
        return lambda env: -_number(operand(env))
    return lambda env: +_number(operand(env))


def _on_arithmetic(toks):
    items = list(toks[0])
    first, rest = items[0], [(_ARITHMETIC[op], node)
                             for op, node in _pairs(items)]

    def run(env):
        value = first(env)
        for apply, node in rest:
            value = apply(value, node(env))
        return value
    return run


def _on_comparison(toks):
    items = list(toks[0])
    first, rest = items[0], [(op, _COMPARISONS[op], node)
                             for op, node in _pairs(items)]

    def run(env):
        left = first(env)
        for op, compare, node in rest:
            right = node(env)
            try:
                if not compare(left, right):
                    return False
            except TypeError:
                _fail('cannot compare %r %s %r' % (left, op, right))
            left = right
        return True
    return run


def _on_not(toks):
    operand = toks[0][1]
    return lambda env: not operand(env)


def _on_and(toks):
    operands = list(toks[0])[::2]
    return lambda env: all(o(env) for o in operands)


def _on_or(toks):
    operands = list(toks[0])[::2]
    return lambda env: any(o(env) for o in operands)


def _on_ternary(toks):
    items = list(toks[0])
    # a ? b : c ? d : e groups to the right.
    node = items[-1]
    for i in range(len(items) - 5, -1, -4):
        node = (lambda c, y, n: lambda env: y(env) if c(env) else n(env))(
            items[i], items[i + 2], node)
    return node


@functools.lru_cache(maxsize=1)
def _grammar():
    # Without packrat parsing, nested parentheses take exponential time.
    pp.ParserElement.enable_packrat()
    and_op = pp.CaselessKeyword('and') | pp.Literal('&&')
    or_op = pp.CaselessKeyword('or') | pp.Literal('||')
    not_op = pp.CaselessKeyword('not') | pp.Regex(r'!(?!=)')
    true = pp.CaselessKeyword('true').set_parse_action(
        lambda: _constant(True))
    false = pp.CaselessKeyword('false').set_parse_action(
        lambda: _constant(False))
    reserved = pp.MatchFirst([pp.CaselessKeyword(w) for w in (
        'and', 'or', 'not', 'true', 'false')])
    number = pp.Regex(r'(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?')
    number.set_parse_action(_on_number)
    string = (pp.QuotedString("'", esc_char='\\') |
              pp.QuotedString('"', esc_char='\\'))
    string.set_parse_action(lambda toks: _constant(toks[0]))
    name = ~reserved + pp.Regex(
        r'[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*')
    name.set_parse_action(_on_name)
    expr = pp.Forward()
    call = (pp.one_of(list(FUNCTIONS)) + pp.Suppress('(') +
            pp.Optional(pp.DelimitedList(expr)) + pp.Suppress(')'))
    call.set_parse_action(_on_call)
    operand = number | string | true | false | call | name
    expr <<= pp.infix_notation(operand, [
        ('^', 2, pp.OpAssoc.LEFT, _on_power),
        (pp.one_of('+ -'), 1, pp.OpAssoc.RIGHT, _on_sign),
        (pp.one_of('* /'), 2, pp.OpAssoc.LEFT, _on_arithmetic),
        (pp.one_of('+ -'), 2, pp.OpAssoc.LEFT, _on_arithmetic),
        (pp.one_of(list(_COMPARISONS)), 2, pp.OpAssoc.LEFT, _on_comparison),
        (not_op, 1, pp.OpAssoc.RIGHT, _on_not),
        (and_op, 2, pp.OpAssoc.LEFT, _on_and),
        (or_op, 2, pp.OpAssoc.LEFT, _on_or),
        (('?', ':'), 3, pp.OpAssoc.LEFT, _on_ternary),
    ])
    return expr


def _nesting(text):
    depth = deepest = 0
    for char in text:
        if char == '(':
            depth += 1
            deepest = max(deepest, depth)
        elif char == ')':
            depth -= 1
    return deepest


@functools.lru_cache(maxsize=512)
def _compile(expression):
    """(closure, None) or (None, EvaluatorError), cached either way."""
    try:
        if not expression.strip():
            _fail('an expression must not be empty')
        if len(expression) > MAX_LENGTH:
            _fail('expression longer than %d characters' % MAX_LENGTH)
        if _nesting(expression) > MAX_NESTING:
            _fail('parentheses nested deeper than %d' % MAX_NESTING)
        try:
            node = _grammar().parse_string(expression, parse_all=True)[0]
        except pp.ParseBaseException as e:
            near = expression[e.column - 1:e.column + 19]
            _fail('cannot parse at column %d%s' % (
                e.column, ' (%r)' % near if near else ' (end)'))
        except RecursionError:
            _fail('expression is too deeply nested')
    except EvaluatorError as e:
        return None, e
    return node, None


def _parsed(expression):
    if not isinstance(expression, str):
        return None, EvaluatorError(
            reason='an expression is text, not %r' % (expression,))
    return _compile(expression)


def check(expression):
    """Raise EvaluatorError when ``expression`` does not parse."""
    error = _parsed(expression)[1]
    if error is not None:
        raise error


def evaluate(expression, **variables):
    """The value of ``expression`` with ``variables`` as namespaces.

    ``evaluate('stats.free > 10', stats={'free': 20})`` is True.
    :raises EvaluatorError: the expression does not parse or cannot be
        evaluated (unknown variable, division by zero, a string in
        arithmetic, ...).
    """
    node, error = _parsed(expression)
    if error is not None:
        raise error
    try:
        return node(variables)
    except EvaluatorError:
        raise
    except RecursionError:
        _fail('expression is too deeply nested')
    except (ArithmeticError, TypeError, ValueError) as e:
        _fail('%s: %s' % (type(e).__name__, e))
