"""Extra-spec requirements matched against reported capability values.

A requirement is the value of a type's extra spec. Its first word may be
an operator, as in the reference services:

=========== =========================================================
``<is> b``  both sides read as booleans and equal
``<in> s``  ``s`` is a substring of the value (an item of a list)
``<all-in> a b``  every word is in the value (substring or list item)
``<or> a <or> b``  the value equals one of the words
``== n``    numeric equality; ``!= n``, ``>= n``, ``<= n`` likewise
``= n``     numeric "at least" (the reference services' meaning)
``s== t``   string comparison; ``s!=``, ``s<``, ``s<=``, ``s>``, ``s>=``
other       plain equality (a boolean value equals 'True'/'False')
=========== =========================================================

Both sides are compared case-insensitively, as the reference share
service does. A requirement that cannot apply (a number that does not
parse, an operator without operand) does not match; :func:`validate`
tells a type's author about it up front.
"""

import functools
import operator

from storagemgr import exception


def _bool_from_string(text, **kwargs):
    # Imported on use: oslo_utils.strutils compiles its password-masking
    # expressions on import (about 80 ms), and reading shares imports this
    # module without comparing any capability.
    from oslo_utils import strutils

    return strutils.bool_from_string(text, **kwargs)


def _text(value):
    # Booleans read 'true'/'false' so that s== True works on them.
    return str(value).lower()


def _num(compare):
    return lambda value, arg: compare(float(value), float(arg))


def _as_bool(value):
    return value if isinstance(value, bool) else _bool_from_string(value)


def _is(value, arg):
    return _as_bool(value) is _as_bool(arg)


def _contains(value, arg):
    if isinstance(value, (list, tuple, set)):
        return arg in [_text(v) for v in value]
    return arg in _text(value)


def _string(compare):
    return lambda value, arg: compare(_text(value), arg)


_UNARY = {
    '=': _num(operator.ge),
    '==': _num(operator.eq),
    '!=': _num(operator.ne),
    '>=': _num(operator.ge),
    '<=': _num(operator.le),
    '<is>': _is,
    '<in>': _contains,
    's==': _string(operator.eq),
    's!=': _string(operator.ne),
    's<': _string(operator.lt),
    's<=': _string(operator.le),
    's>': _string(operator.gt),
    's>=': _string(operator.ge),
}
_NUMERIC = frozenset(['=', '==', '!=', '>=', '<='])
OR = '<or>'
ALL_IN = '<all-in>'
OPERATORS = frozenset(_UNARY) | {OR, ALL_IN}


def _equals(value, req, req_bool=None):
    """Plain equality of a capability value and one requirement word.

    ``req_bool``: ``req`` read as a boolean, when the caller has it.
    """
    if isinstance(value, bool):
        if req_bool is None:
            req_bool = _bool_from_string(req, default=req)
        return value == req_bool
    if isinstance(value, (int, float)):
        try:
            return float(value) == float(req)
        except ValueError:
            return False
    if isinstance(value, str):
        return value.lower() == req
    return False


def _guarded(test):
    def matcher(value):
        if value is None:
            return False
        try:
            return bool(test(value))
        except (TypeError, ValueError):
            return False
    return matcher


def compile_requirement(req):
    """A function ``value -> bool`` for the requirement ``req``.

    Parsed once per distinct requirement: the scheduler applies the same
    requirement to every pool of every request. A requirement that is not
    text (a boolean or number from an API caller) is read as its text.
    """
    if req is None:
        return _is_none
    return _compile(str(req).lower())


def _is_none(value):
    return value is None


@functools.lru_cache(maxsize=2048)
def _compile(req):
    words = req.split()
    op = words[0] if words else None
    if op == OR:
        # '<or> a <or> b': every other word is an alternative.
        choices = [(c, _bool_from_string(c, default=c))
                   for c in words[1::2]]
        return _guarded(lambda v: any(_equals(v, c, b) for c, b in choices))
    if op == ALL_IN:
        wanted = words[1:]
        return _guarded(
            lambda v: bool(wanted) and all(_contains(v, w) for w in wanted))
    method = _UNARY.get(op)
    if method is None:
        req_bool = _bool_from_string(req, default=req)
        return lambda value: _equals(value, req, req_bool)
    if len(words) < 2:
        return lambda value: False
    arg = words[1]
    if method is _is:
        arg = _bool_from_string(arg)
    return _guarded(lambda v: method(v, arg))


def match(value, req):
    """Whether the capability ``value`` satisfies the requirement ``req``."""
    return compile_requirement(req)(value)


def wants_whole_list(req):
    """True when ``req`` is matched against a list value as a whole.

    Other requirements match a list-valued capability when one of its
    items matches (thin_provisioning reported as [True, False] satisfies
    both 'True' and 'False').
    """
    return isinstance(req, str) and req.lower().split()[:1] == [ALL_IN]


def validate(key, req):
    """Raise InvalidExtraSpec when ``req`` uses an operator wrongly."""
    words = str(req).split() if req is not None else []
    op = words[0].lower() if words else None
    if op not in OPERATORS:
        return
    if len(words) < 2:
        raise exception.InvalidExtraSpec(
            key=key, reason='operator %s needs a value after it' % op)
    if op == OR and (len(words) % 2 != 0 or any(
            w.lower() != OR for w in words[2::2])):
        raise exception.InvalidExtraSpec(
            key=key, reason="'<or>' separates single words: "
                            "'<or> a <or> b', not %r" % req)
    if op in _NUMERIC:
        try:
            float(words[1])
        except ValueError:
            raise exception.InvalidExtraSpec(
                key=key, reason='operator %s compares numbers; %r is not '
                                'one' % (op, words[1]))
