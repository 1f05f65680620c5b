"""Kill -9 every operation at every crash point, resume, check the result.

How a family's test runs (``CrashHarnessTestCase.run_harness``):

1. ``build_template`` creates, through the real CLI on the real ``local``
   backends, the preconditions of every operation of the family, each on
   its own resources (a share with known files in its directory, a
   snapshot, a volume with known bytes...). The whole state directory is
   then copied aside (sparse files stay sparse).
2. Every operation runs once, uncrashed, with ``STORAGEMGR_TEST_TRACE_FILE``
   set: the points it passes, de-duplicated in order, are its crash
   points. The uncrashed run must itself end as documented.
3. Round ``r`` restores the state directory from the copy, runs every
   operation that has an ``r``-th point with ``STORAGEMGR_TEST_CRASH_AT``
   set to it (the operations touch disjoint resources, so one round
   serves them all), requires each process to have died by SIGKILL (a
   point never reached fails the harness), then runs ``storagemgr manager
   run --once`` (a second time only if the first left a flow unfinished,
   which is reported) and checks the database and the backend directly:
   nothing transitional, no unfinished flow, no orphan on the backend,
   and each operation's resources in one of its documented outcomes with
   the data it had compared byte for byte.

``STORAGEMGR_CRASH_ONLY=<substring>`` limits a run to the operations
whose name contains it (for debugging one of them).

An operation's check classifies the outcome as ``before`` (the operation
left no trace: required for kills at ``claiming`` and ``claimed``, which
are inside the claim's transaction), ``after`` (it completed) or
``error`` (a documented error status, data intact); anything else is a
failure with a reason. The counts per operation are written to the
report (stderr and a file, see ``REPORT_DIR``) and attached to the test.
"""

import collections
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile

from testtools import content

from storagemgr.tests.functional import base

CRASH_AT_ENV = 'STORAGEMGR_TEST_CRASH_AT'
TRACE_ENV = 'STORAGEMGR_TEST_TRACE_FILE'
# Kills here happen inside the claim's transaction: nothing may remain.
IN_TRANSACTION_POINTS = ('claiming', 'claimed')
FINISHED_FLOW_STATES = ('SUCCESS', 'REVERTED')
REPORT_DIR = os.environ.get(
    'STORAGEMGR_CRASH_REPORT_DIR',
    os.path.join(tempfile.gettempdir(),
                 'storagemgr-crash-report-%d' % os.getuid()))

BEFORE = 'before'
AFTER = 'after'
ERROR = 'error'
# A documented error the manager's start-up checks then found healthy.
ENSURED = 'ensured'


class Problem(Exception):
    """An outcome that is not documented; the message says why."""


class Op(object):
    """One operation of a family under test.

    :param name: the operation's name in the report.
    :param argv: ``argv(ctx)``, the CLI arguments.
    :param check: ``check(world, ctx)`` returns BEFORE, AFTER or ERROR,
        or raises Problem.
    :param owns: ``owns(ctx)``, ids and names of the resources it touches
        (for attributing problems found by the family-wide checks).
    :param fails: the uncrashed run is expected to fail (fault paths).
    :param creates: a resource it creates may be unknown by id, so an
        unattributable backend orphan is attributed to it.
    """

    def __init__(self, name, argv, check, owns=None, fails=False,
                 creates=False):
        self.name = name
        self.argv = argv
        self.check = check
        self.owns = owns or (lambda ctx: set())
        self.fails = fails
        self.creates = creates


def unique(points):
    seen = set()
    ordered = []
    for point in points:
        if point not in seen:
            seen.add(point)
            ordered.append(point)
    return ordered


def read_tree(path):
    """``{relative path: bytes}`` of the files under ``path``, or None."""
    if not os.path.isdir(path):
        return None
    tree = {}
    for directory, _dirs, files in os.walk(path):
        for name in files:
            full = os.path.join(directory, name)
            with open(full, 'rb') as f:
                tree[os.path.relpath(full, path)] = f.read()
    return tree


def write_tree(path, tag):
    """Fill a directory with a few files whose bytes are unique to it."""
    tree = {'data.bin': os.urandom(3000) + tag.encode(),
            os.path.join('sub', 'note.txt'): ('%s\n' % tag).encode() * 20}
    for relative, data in tree.items():
        full = os.path.join(path, relative)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'wb') as f:
            f.write(data)
    return tree


def read_at(path, offset, length):
    if not path or not os.path.isfile(path):
        return None
    with open(path, 'rb') as f:
        f.seek(offset)
        return f.read(length)


def write_at(path, offset, data):
    with open(path, 'r+b') as f:
        f.seek(offset)
        f.write(data)


def query(db, sql):
    connection = sqlite3.connect(db)
    try:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(sql)]
    finally:
        connection.close()


def expect(condition, message, *args):
    if not condition:
        raise Problem(message % args if args else message)


def one(rows, what, **match):
    """The row of ``rows`` matching ``match``, or None; two is a problem."""
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    expect(len(found) <= 1, '%d %s rows match %s', len(found), what, match)
    return found[0] if found else None


def created_outcome(row, label, error='error'):
    """Outcome of an operation that makes ``row``.

    BEFORE when the row never appeared, ERROR when it is in ``error``,
    AFTER when it is available (anything else is a problem).
    """
    if row is None:
        return BEFORE
    if row['status'] == error:
        return ERROR
    expect(row['status'] == 'available', '%s is %s', label, row['status'])
    return AFTER


class CrashHarnessTestCase(base.FunctionalTestCase):
    """The harness; a family's test case fills it in.

    Subclasses give FAMILY, CONFIG, build_template, ops, observe and
    family_problems.
    """

    FAMILY = None
    CONFIG = None
    # Operations whose resumer is killed too, at every point after saved.
    RESUMER_OPS = ()

    def setUp(self):
        super().setUp()
        self.write_config(self.CONFIG)
        self.template = tempfile.mkdtemp(prefix='sm-crash-template-')
        self.addCleanup(shutil.rmtree, self.template, True)
        self.db = os.path.join(self.state_path, 'storagemgr.sqlite')
        self.env = {k: v for k, v in os.environ.items()
                    if k not in (CRASH_AT_ENV, TRACE_ENV)}

    # -- state directory --------------------------------------------------

    def save_template(self):
        subprocess.run(['cp', '-a', '--sparse=always',
                        self.state_path + '/.', self.template], check=True)

    def restore_template(self):
        for name in os.listdir(self.state_path):
            full = os.path.join(self.state_path, name)
            if os.path.isdir(full) and not os.path.islink(full):
                shutil.rmtree(full)
            else:
                os.unlink(full)
        subprocess.run(['cp', '-a', '--sparse=always',
                        self.template + '/.', self.state_path], check=True)

    # -- running ----------------------------------------------------------

    def must(self, *args):
        result = self.cli(*args)
        self.assertEqual(0, result.rc, '%s: %s' % (args, result.err))
        return result

    def must_json(self, *args):
        return self.must(*(args + ('-f', 'json'))).json()

    def run_op(self, op, ctx, **env):
        environment = dict(self.env)
        environment.update(env)
        return self.run_script('storagemgr', '--config-file', self.conf,
                               *op.argv(ctx), env=environment)

    def manager_once(self, **env):
        environment = dict(self.env)
        environment.update(env)
        return self.run_script('storagemgr', '--config-file', self.conf,
                               'manager', 'run', '--once', env=environment)

    def unfinished_flows(self):
        return query(self.db,
                     "SELECT f.name, f.state, b.meta FROM flowdetails f "
                     "JOIN logbooks b ON f.parent_uuid = b.uuid "
                     "WHERE f.state IS NULL OR f.state NOT IN "
                     "('SUCCESS', 'REVERTED')")

    def flow_problems(self):
        problems = []
        for flow in self.unfinished_flows():
            try:
                resource = json.loads(flow['meta'] or '{}').get(
                    'resource') or {}
            except ValueError:
                resource = {}
            ids = set(str(v) for v in resource.values()
                      if isinstance(v, (str, int)))
            for value in resource.values():
                if isinstance(value, list):
                    ids.update(str(v) for v in value)
            problems.append((ids, 'unfinished flow %s in state %s (%s)' % (
                flow['name'], flow['state'], resource)))
        return problems

    # -- the harness --------------------------------------------------------

    def run_harness(self):
        ctx = self.build_template()
        self.save_template()
        ops = self.ops()
        only = os.environ.get('STORAGEMGR_CRASH_ONLY')
        if only:  # for debugging one operation: a substring of its name
            ops = [op for op in ops if only in op.name]
        report = collections.OrderedDict(
            (op.name, {'tried': 0, 'survived': 0, 'points': [],
                       'outcomes': collections.Counter(), 'failures': [],
                       'notes': []}) for op in ops)

        # Enumerate every operation's points with one traced run.
        points = {}
        trace_dir = tempfile.mkdtemp(prefix='sm-crash-trace-')
        self.addCleanup(shutil.rmtree, trace_dir, True)
        for op in ops:
            trace = os.path.join(trace_dir, op.name)
            result = self.run_op(op, ctx, **{TRACE_ENV: trace})
            if op.fails:
                self.assertNotEqual(0, result.rc, '%s: %s' % (
                    op.name, result.out))
                self.assertNotIn('Traceback', result.err, op.name)
            else:
                self.assertEqual(0, result.rc, '%s: %s' % (
                    op.name, result.err))
            with open(trace) as f:
                points[op.name] = unique(line.strip() for line in f
                                         if line.strip())
            report[op.name]['points'] = points[op.name]
            self.assertIn('saved', points[op.name], op.name)
        world = self.observe()
        for op in ops:
            try:
                outcome = op.check(world, ctx)
            except Problem as e:
                self.fail('%s, uncrashed: %s' % (op.name, e))
            self.assertEqual(ERROR if op.fails else AFTER, outcome,
                             '%s, uncrashed' % op.name)
        self.assertEqual([], self.family_problems(world, ctx) +
                         self.flow_problems(), 'uncrashed runs')

        rounds = max(len(p) for p in points.values())
        for index in range(rounds):
            self.restore_template()
            batch = [(op, points[op.name][index]) for op in ops
                     if index < len(points[op.name])]
            reached = {}
            for op, point in batch:
                result = self.run_op(op, ctx, **{CRASH_AT_ENV: point})
                reached[op.name] = result.rc == -signal.SIGKILL
                if not reached[op.name]:
                    report[op.name]['failures'].append(
                        '%s: point never reached (exit status %s): %s' % (
                            point, result.rc, result.err.strip()[-300:]))
            self.resume_and_check(ctx, report, [
                (op, point, op.name, reached[op.name])
                for op, point in batch])

        # The resumer killed too: the CLI dies once the flow is saved, the
        # manager dies at each later point, a second manager finishes.
        for op in ops:
            if op.name not in self.RESUMER_OPS:
                continue
            key = op.name + ' (resumer killed)'
            report[key] = {'tried': 0, 'survived': 0, 'failures': [],
                           'outcomes': collections.Counter(), 'notes': []}
            later = points[op.name][points[op.name].index('saved') + 1:]
            report[key]['points'] = later
            for point in later:
                self.restore_template()
                result = self.run_op(op, ctx, **{CRASH_AT_ENV: 'saved'})
                reached = result.rc == -signal.SIGKILL
                if reached:
                    result = self.manager_once(**{CRASH_AT_ENV: point})
                    reached = result.rc == -signal.SIGKILL
                if not reached:
                    report[key]['failures'].append(
                        '%s: point never reached (exit status %s): %s' % (
                            point, result.rc, result.err.strip()[-300:]))
                self.resume_and_check(ctx, report,
                                      [(op, point, key, reached)])
        text = self.write_report(report)
        self.addDetail('crash-report', content.text_content(text))
        failures = ['%s at %s' % (name, failure)
                    for name, entry in report.items()
                    for failure in entry['failures']]
        self.assertEqual([], failures, text)

    def resume_and_check(self, ctx, report, batch):
        """Run the manager, then check every (op, point, key, reached)."""
        manager_runs = 0
        for _attempt in range(2):
            manager_runs += 1
            result = self.manager_once()
            if result.rc != 0:
                for _op, point, key, _reached in batch:
                    report[key]['failures'].append(
                        '%s: manager run --once failed (%s): %s' % (
                            point, result.rc, result.err.strip()[-300:]))
            if not self.unfinished_flows():
                break
        world = self.observe()
        shared = self.family_problems(world, ctx) + self.flow_problems()
        attributed = collections.defaultdict(list)
        for ids, message in shared:
            owners = [key for op, _p, key, _r in batch if ids & op.owns(ctx)]
            if not owners:
                owners = [key for op, _p, key, _r in batch if op.creates] or [
                    key for _op, _p, key, _r in batch]
                message += ' (not attributable to one operation)'
            for key in owners:
                attributed[key].append(message)
        for op, point, key, reached in batch:
            entry = report[key]
            entry['tried'] += 1
            if not reached:
                continue
            problems = list(attributed.get(key, []))
            outcome = None
            try:
                outcome = op.check(world, ctx)
            except Problem as e:
                problems.append(str(e))
            if point in IN_TRANSACTION_POINTS and outcome not in (
                    None, BEFORE):
                problems.append('killed inside the claim transaction '
                                'but the outcome is %r' % outcome)
            if manager_runs > 1:
                entry['notes'].append(
                    '%s: a second manager run was needed' % point)
            if problems:
                entry['failures'].append('%s: %s' % (
                    point, '; '.join(problems)))
            else:
                entry['survived'] += 1
                entry['outcomes'][outcome] += 1

    def write_report(self, report):
        lines = ['Crash harness, %s family: boundaries tried / survived '
                 '(outcomes)' % self.FAMILY]
        total_tried = total_survived = 0
        for name, entry in report.items():
            total_tried += entry['tried']
            total_survived += entry['survived']
            outcomes = ', '.join('%s %d' % item for item in
                                 sorted(entry['outcomes'].items()))
            lines.append('  %-40s %3d / %3d  (%s)' % (
                name, entry['tried'], entry['survived'], outcomes))
            for failure in entry['failures']:
                lines.append('      FAILED %s' % failure)
            for note in entry['notes']:
                lines.append('      note: %s' % note)
        lines.append('  %-40s %3d / %3d' % ('TOTAL', total_tried,
                                            total_survived))
        lines.append('  points: ' + json.dumps(
            {name: entry['points'] for name, entry in report.items()}))
        text = '\n'.join(lines) + '\n'
        os.makedirs(REPORT_DIR, exist_ok=True)
        with open(os.path.join(REPORT_DIR, '%s.txt' % self.FAMILY),
                  'w') as f:
            f.write(text)
        sys.__stderr__.write(text)
        sys.__stderr__.flush()
        return text
