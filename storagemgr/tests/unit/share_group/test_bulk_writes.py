"""Writes that concern every member are one statement, not one per member.

The same operation runs on a group of 2 shares and on a group of 20; the
write statements the engine sends (``before_cursor_execute``), counted by
verb and table within a step, must be the same for both. A difference
names the statement that is sent once per member.

Steps: ``claim`` (the claim function, inside the transaction that saves
the flow) and ``write`` (the task that writes the driver's outcome).
"""

import collections
import functools
import re
from unittest import mock

import fixtures
import sqlalchemy as sa
import testscenarios

from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.share_group import api as group_api
from storagemgr.share_group.flows import group as group_flows
from storagemgr.share_group.flows import snapshot as snapshot_flows
from storagemgr.tests import base as tests_base
from storagemgr.tests import db_backends
from storagemgr.tests.unit.share_group import base

load_tests = testscenarios.load_tests_apply_scenarios

FEW, MANY = 2, 20
MEMBERS = 'share_group_snapshot_members'

_WRITE = re.compile(r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)',
                    re.IGNORECASE)


class WriteCounter(fixtures.Fixture):
    """Write statements sent to the engine, by step, verb and table.

    ``step(name)`` is a context manager; statements outside every step
    are not kept.
    """

    def _setUp(self):
        self.step_name = None
        self.seen = collections.Counter()
        engine = db_session.get_engine()
        sa.event.listen(engine, 'before_cursor_execute', self._on_statement)
        self.addCleanup(sa.event.remove, engine, 'before_cursor_execute',
                        self._on_statement)

    def _on_statement(self, conn, cursor, statement, parameters, context,
                      executemany):
        found = _WRITE.match(statement)
        if found and self.step_name is not None:
            verb = found.group(1).split()[0].upper()
            self.seen[(self.step_name, verb, found.group(2).lower())] += 1

    def wrap(self, func, step_name):
        # Same signature: taskflow reads a task's arguments from it.
        @functools.wraps(func)
        def in_step(*args, **kwargs):
            outer, self.step_name = self.step_name, step_name
            try:
                return func(*args, **kwargs)
            finally:
                self.step_name = outer
        return in_step

    def take(self, step_name, tables=None):
        """This step's counts since the last take, then forget them all."""
        counts = {(verb, table): n for (step, verb, table), n in
                  self.seen.items() if step == step_name and
                  (tables is None or table in tables)}
        self.seen.clear()
        return counts


class _OnScenarioDatabase(db_backends.DatabaseScenarios,
                          tests_base.TestCase):
    """Switches the database before the share group set-up uses it."""


class BulkWritesTestCase(base.ShareGroupTestCase, _OnScenarioDatabase):

    scenarios = db_backends.scenarios()

    def setUp(self):
        super().setUp()
        self.counter = self.useFixture(WriteCounter())
        real_run = group_api.API._run

        def run_with_claim_step(api, factory, store, resource, operation,
                                claim):
            return real_run(api, factory, store, resource, operation,
                            self.counter.wrap(claim, 'claim'))

        for owner, name, replacement in (
                (group_api.API, '_run', run_with_claim_step),
                (snapshot_flows.WriteGroupSnapshotOutcome, 'execute',
                 self.counter.wrap(
                     snapshot_flows.WriteGroupSnapshotOutcome.execute,
                     'write')),
                (group_flows.WriteGroupOutcome, 'execute',
                 self.counter.wrap(group_flows.WriteGroupOutcome.execute,
                                   'write'))):
            self.useFixture(fixtures.MockPatchObject(owner, name,
                                                     replacement))
        self.few, _members = self.group_with_members(FEW, name='few')
        self.many, _members = self.group_with_members(MANY, name='many')
        self.counter.take(None)

    def counts_of(self, operation, step_name, tables=None):
        """``{size: counts}`` of ``operation(group name)`` on both groups."""
        found = {}
        for name, size in (('few', FEW), ('many', MANY)):
            operation(name)
            found[size] = self.counter.take(step_name, tables)
        return found

    def assertSameForEverySize(self, found, expected_statement):
        self.assertIn(expected_statement, found[FEW],
                      'the step never wrote that way: %s' % found)
        self.assertEqual(found[FEW], found[MANY],
                         'statements by (verb, table) with %d members, '
                         'then %d' % (FEW, MANY))

    def snapshot(self, name):
        return self.groups.create_snapshot(name, name='gs-' + name)

    def two_group_snapshots(self):
        self.snapshot('few')
        self.snapshot('many')
        self.counter.take(None)

    # -- group snapshot ----------------------------------------------------

    def test_snapshot_claim_inserts_every_member_at_once(self):
        found = self.counts_of(self.snapshot, 'claim')
        self.assertSameForEverySize(found, ('INSERT', MEMBERS))
        self.assertEqual(1, found[MANY][('INSERT', MEMBERS)])

    def test_snapshot_write_task_writes_every_member_at_once(self):
        # The fake driver's members each report their own
        # provider_location (and size), as real drivers do.
        found = self.counts_of(self.snapshot, 'write')
        self.assertSameForEverySize(found, ('UPDATE', MEMBERS))

    def test_snapshot_write_of_identical_member_updates_is_one(self):
        with mock.patch.object(self.driver, 'create_share_group_snapshot',
                               return_value=(None, None)):
            found = self.counts_of(self.snapshot, 'write')
        self.assertSameForEverySize(found, ('UPDATE', MEMBERS))
        self.assertEqual(1, found[MANY][('UPDATE', MEMBERS)])

    def test_failed_snapshot_writes_every_member_at_once(self):
        self.fault('create_share_group_snapshot',
                   raise_='builtins.RuntimeError')
        found = self.counts_of(
            lambda name: self.assertRaises(
                exception.ShareBackendException, self.snapshot, name),
            'write', tables=(MEMBERS, 'share_group_snapshots'))
        self.assertSameForEverySize(found, ('UPDATE', MEMBERS))
        self.assertEqual('error',
                         self.groups.get_snapshot('gs-many')['status'])

    def test_snapshot_delete_claim_marks_every_member_at_once(self):
        self.two_group_snapshots()
        found = self.counts_of(
            lambda name: self.groups.delete_snapshot('gs-' + name), 'claim')
        self.assertSameForEverySize(found, ('UPDATE', MEMBERS))
        self.assertEqual(1, found[MANY][('UPDATE', MEMBERS)])

    def test_snapshot_delete_write_task_removes_members_at_once(self):
        self.two_group_snapshots()
        found = self.counts_of(
            lambda name: self.groups.delete_snapshot('gs-' + name), 'write')
        self.assertSameForEverySize(found, ('DELETE', MEMBERS))
        self.assertEqual(1, found[MANY][('DELETE', MEMBERS)])

    # -- group from a group snapshot ---------------------------------------

    def clone(self, name):
        return self.groups.create(name='clone-' + name,
                                  source_share_group_snapshot='gs-' + name)

    def test_clone_claim_inserts_every_share_at_once(self):
        self.two_group_snapshots()
        found = self.counts_of(self.clone, 'claim')
        self.assertSameForEverySize(found, ('INSERT', 'shares'))
        self.assertEqual(1, found[MANY][('INSERT', 'shares')])
        self.assertEqual(1, found[MANY][('INSERT', 'share_instances')])
        self.assertEqual(MANY, len(self.groups.share_ids('clone-many')))

    def test_clone_write_task_writes_every_share_at_once(self):
        # Each new share has its own export locations.
        self.two_group_snapshots()
        found = self.counts_of(self.clone, 'write')
        self.assertSameForEverySize(found, ('UPDATE', 'share_instances'))

    # -- forced group delete -----------------------------------------------

    def test_forced_delete_claim_claims_every_share_at_once(self):
        self.two_group_snapshots()
        found = self.counts_of(
            lambda name: self.groups.delete(name, force=True), 'claim')
        self.assertSameForEverySize(found, ('UPDATE', 'share_instances'))
        self.assertEqual([], self.groups.list())
