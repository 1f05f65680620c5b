"""Share migration on Manila's own dummy driver, unmodified.

Two backends, ``dm1`` and ``dm2``, both the dummy of the manila 9.1.5
source distribution (copied as a standalone module, as in
``test_manila_dummy``). The dummy says a destination is compatible when
its backend's section names a driver with ``Dummy`` in it, so shares
migrate driver-assisted; its migration methods keep no data, only:

* ``migration_continue``: adds 50 to a counter kept in the driver object
  (in memory) under the source instance's id, and answers True at 100:
  phase 1 ends at the second call made by the same process;
* ``migration_get_progress``: that counter (0 for an id it never saw);
* ``migration_complete``: new export locations named after the
  destination instance, a snapshot update (``_create_snapshot``) per
  destination snapshot instance, and its private data moved from the
  source instance to the destination;
* ``migration_cancel``: forgets the counter.

Its faults come from its own option: a negative delay for a method makes
``time.sleep`` in it raise ValueError.

The scenarios call the service layer (``storagemgr.share_migration.api``
and the share API), several calls in one process configured as the CLI
configures itself, so that the dummy's in-memory counter lives across
them as it does in Manila's long-lived share manager.
"""

import ddt

from storagemgr.tests.compat import base as compat_base
from storagemgr.tests.compat import service_calls
from storagemgr.tests.compat import test_manila_dummy as dummy_tests

SOURCE = 'dm1'
DESTINATION = 'dm2'
DEFAULT = ('[DEFAULT]\nstate_path = @STATE@\n'
           'enabled_backends = %s,%s\n'
           'migration_wait_poll_interval = 0.05\n' % (SOURCE, DESTINATION))

MIGRATION_SCRIPT = service_calls.script(
    (('shares', 'share_api.API(backends, admin)'),
     ('migrations', 'migration_api.API(backends, admin)'),
     ('messages', 'Messages()')),
    imports=('from storagemgr.message import api as message_api',
             'from storagemgr.share import api as share_api',
             'from storagemgr.share import records as share_records',
             'from storagemgr.share_migration import api as migration_api'),
    preamble='''
    class Messages(object):
        def latest(self, share_ref):
            return message_api.latest_for(
                message_api.SHARE, share_records.find_share(share_ref).id)
    ''')

VALUE_ERROR = 'sleep length must be non-negative'

# Calls on the share every scenario migrates (share references take a
# unique name as well as an id).
NAME = 's1'
SHOW = ('migrations.show', (NAME,), {})
POLL = ('migrations.poll', (NAME,), {})
COMPLETE = ('migrations.complete', (NAME,), {})
CANCEL = ('migrations.cancel', (NAME,), {})
MESSAGE = ('messages.latest', (NAME,), {})
# The share's record and its rules.
CHECKS = (('shares.get', (NAME,), {}), ('shares.list_access', (NAME,), {}))

_host = service_calls.host


@ddt.ddt
class _MigrationTests(service_calls.ServiceCalls,
                      service_calls.DummyBackends,
                      dummy_tests._StandaloneBackend):
    """Driver-assisted migrations between two dummy backends."""

    script = MIGRATION_SCRIPT
    default = DEFAULT

    def set_delays(self, delays, destination_delays=dummy_tests.NO_DELAYS):
        """``dummy_driver_driver_methods_delays`` of dm1 (and dm2)."""
        self.write_backends((SOURCE, delays),
                            (DESTINATION, destination_delays))

    # -- the database, read as it is -----------------------------------------

    def instances(self, share_id):
        return self.rows('SELECT id, host, status, active FROM '
                         'share_instances WHERE share_id = ?', share_id)

    def snapshot_instances(self, snapshot_id):
        return self.rows('SELECT id, share_instance_id, status, '
                         'provider_location, export_locations FROM '
                         'share_snapshot_instances WHERE snapshot_id = ?',
                         snapshot_id)

    # -- fixtures -------------------------------------------------------------

    def setUp(self):
        super().setUp()
        share, self.rule = self.results(
            ('shares.create', ('NFS', 1), {'name': NAME,
                                           'backend': SOURCE}),
            ('shares.allow_access', (NAME, 'ip', '10.0.0.0/24'), {}))
        self.assertEqual('available', share['status'], share)
        self.assertTrue(share['host'].endswith(_host(SOURCE)), share)
        self.assertEqual('active', self.rule['state'], self.rule)
        self.share = share
        self.destination = share['host'].split('@')[0] + _host(DESTINATION)

    def start(self, **kwargs):
        return ('migrations.start', (NAME, self.destination), kwargs)

    # -- what a scenario ends with --------------------------------------------

    def assert_back_on_source(self, task_state, share, rules):
        """Available on dm1 as before the migration, in ``task_state``.

        ``share``, ``rules``: the share's record and rules (CHECKS), read
        in the process that ran the scenario.
        """
        self.assertEqual(
            ('available', task_state, self.share['instance_id'],
             self.share['host'], self.share['export_locations']),
            (share['status'], share['task_state'], share['instance_id'],
             share['host'], share['export_locations']), share)
        # The destination instance is gone; the rule is as the user made
        # it, and active on the source.
        self.assertEqual([(share['instance_id'], 'available', 1)],
                         [(i['id'], i['status'], i['active'])
                          for i in self.instances(share['id'])])
        self.assertEqual({share['instance_id']: ['active']},
                         self.rule_states(share['id']))
        self.assertEqual([('10.0.0.0/24', 'rw', 'active')], [
            (r['access_to'], r['access_level'], r['state']) for r in rules])
        # The dummy's provider details of the source are untouched.
        self.assertEqual(
            '/path/to/fake/share/share_%s_%s' % (
                dummy_tests._underscored(share['id']),
                dummy_tests._underscored(share['instance_id'])),
            self.private_data(share['instance_id'])[
                'fake_provider_location'])

    def assert_on_destination(self, share, rules):
        """Moved to dm2 with the dummy's exports and an active rule."""
        self.assertEqual(('available', 'migration_success', DESTINATION),
                         (share['status'], share['task_state'],
                          share['backend']), share)
        self.assertTrue(share['host'].endswith(_host(DESTINATION)), share)
        destination_id = share['instance_id']
        self.assertNotEqual(self.share['instance_id'], destination_id)
        # migration_complete's export locations, named after the
        # destination instance.
        mountpoint = '/path/to/fake/share/share_%s_%s' % (
            dummy_tests._underscored(share['id']),
            dummy_tests._underscored(destination_id))
        self.assertEqual(['10.0.0.10:' + mountpoint,
                          '10.0.0.20:' + mountpoint,
                          '11.0.0.11:' + mountpoint],
                         dummy_tests._paths(share))
        # The dummy moved its private data; the source's rows are gone.
        self.assertEqual(mountpoint, self.private_data(destination_id)[
            'fake_provider_location'])
        self.assertEqual({}, self.private_data(self.share['instance_id']))
        self.assertEqual([(destination_id, 'available', 1)],
                         [(i['id'], i['status'], i['active'])
                          for i in self.instances(share['id'])])
        self.assertEqual({destination_id: ['active']},
                         self.rule_states(share['id']))
        self.assertEqual([('10.0.0.0/24', 'rw', 'active')], [
            (r['access_to'], r['access_level'], r['state']) for r in rules])

    # -- the scenarios --------------------------------------------------------

    def test_phase1_polls_the_dummys_counter_to_the_end(self):
        started, shown, first, polled, done = self.results(
            self.start(), SHOW, POLL, POLL, SHOW)
        # The dummy said compatible: driver-assisted; start made one
        # migration_continue call (50), which said not done yet, and
        # show asked the dummy's migration_get_progress.
        self.assertEqual(
            ('driver', 'migration_driver_in_progress', self.share['host'],
             self.destination),
            (started['method'], started['task_state'],
             started['source_host'], started['destination_host']), started)
        self.assertEqual(('migration_driver_in_progress', 50),
                         (shown['task_state'], shown['total_progress']))
        # The second call (100) ends phase 1; the next poll finds
        # nothing left to poll.
        self.assertEqual((1, 0), (first, polled))
        self.assertEqual(('migration_driver_phase1_done', 100),
                         (done['task_state'], done['total_progress']), done)
        # The source instance stays the active one until the cut-over.
        self.assertEqual(
            [(1, 'migrating', self.share['host']),
             (0, 'migrating_to', self.destination)],
            sorted(((i['active'], i['status'], i['host'])
                    for i in self.instances(self.share['id'])),
                   reverse=True))

    def test_the_dummys_progress_lives_in_its_process(self):
        started = self.results(self.start())[0]
        self.assertEqual('migration_driver_in_progress',
                         started['task_state'], started)
        # A new process has a new dummy, which never saw this migration:
        # its migration_get_progress answers 0, and its first
        # migration_continue call counts 50 again.
        shown, polled, again = self.results(SHOW, POLL, SHOW)
        self.assertEqual((0, 1, 50), (shown['total_progress'], polled,
                                      again['total_progress']))
        self.assertEqual('migration_driver_in_progress',
                         again['task_state'], again)
        # Two calls in one process end it.
        done = self.results(POLL, POLL, SHOW)[-1]
        self.assertEqual('migration_driver_phase1_done', done['task_state'])

    def test_start_wait_then_complete_moves_the_share_to_dm2(self):
        started, completed, share, rules = self.results(
            self.start(wait=True), COMPLETE, *CHECKS)
        # wait=True polled migration_continue to its second call.
        self.assertEqual(
            ('driver', 'migration_driver_phase1_done', 100, False),
            (started['method'], started['task_state'],
             started['total_progress'], started['writable']), started)
        self.assertEqual(('migration_success', 100, None),
                         (completed['task_state'],
                          completed['total_progress'], completed['detail']),
                         completed)
        self.assert_on_destination(share, rules)

    def test_preserved_snapshot_moves_with_the_share(self):
        snapshot = self.api('shares.create_snapshot', NAME)
        refused, started, snapshot_rows, completed, moved, share, rules = \
            self.run_calls(
                self.start(), self.start(preserve_snapshots=True, wait=True),
                ('shares.list_snapshots', (NAME,), {}), COMPLETE,
                ('shares.get_snapshot', (snapshot['id'],), {}), *CHECKS)
        self.assertEqual('InvalidShare', refused.get('error'), refused)
        self.assertIn('--preserve-snapshots', refused['message'])
        started = started['result']
        self.assertEqual(('migration_driver_phase1_done', True),
                         (started['task_state'],
                          started['preserve_snapshots']), started)
        # During phase 1 the snapshot showed its source instance,
        # migrating.
        self.assertEqual([(snapshot['instance_id'], 'migrating')],
                         [(s['instance_id'], s['status'])
                          for s in snapshot_rows['result']])
        self.assertEqual('migration_success',
                         completed['result']['task_state'], completed)
        share, rules = share['result'], rules['result']
        self.assert_on_destination(share, rules)

        # migration_complete's snapshot update (the dummy's
        # _create_snapshot of the destination snapshot instance) is
        # applied to it; the source's snapshot instance is gone.
        [row] = self.snapshot_instances(snapshot['id'])
        self.assertEqual((share['instance_id'], 'available'),
                         (row['share_instance_id'], row['status']))
        self.assertNotEqual(snapshot['instance_id'], row['id'])
        location = dummy_tests.SNAPSHOT_PREFIX + '%s_%s' % (
            dummy_tests._underscored(snapshot['id']),
            dummy_tests._underscored(row['id']))
        moved = moved['result']
        self.assertEqual(('available', row['id'], location),
                         (moved['status'], moved['instance_id'],
                          moved['provider_location']), moved)
        self.assertEqual(['10.0.0.10:' + location, '10.0.0.20:' + location,
                          '11.0.0.11:' + location],
                         dummy_tests._paths(moved))
        self.assertEqual(location, self.private_data(row['id'])[
            'fake_provider_location'])
        # It lives on dm2 now: dm2's dummy deletes it.
        self.api('shares.delete_snapshot', snapshot['id'])
        self.assertEqual({}, self.private_data(row['id']))
        self.assertEqual([], self.snapshot_instances(snapshot['id']))

    @ddt.data(False, True)
    def test_cancel(self, after_phase1):
        started, cancelled, share, rules = self.results(
            self.start(wait=after_phase1), CANCEL, *CHECKS)
        self.assertEqual(
            'migration_driver_phase1_done' if after_phase1 else
            'migration_driver_in_progress', started['task_state'])
        self.assertEqual(('migration_cancelled', None),
                         (cancelled['task_state'], cancelled['detail']),
                         cancelled)
        self.assert_back_on_source('migration_cancelled', share, rules)
        # Nothing left behind stops the next migration.
        completed, share, rules = self.results(
            self.start(wait=True), COMPLETE, *CHECKS)[1:]
        self.assertEqual('migration_success', completed['task_state'])
        self.assert_on_destination(share, rules)

    @ddt.data('complete', 'cancel')
    def test_a_share_whose_migration_ended_can_be_deleted(self, ending):
        outcomes = self.run_calls(
            self.start(wait=True), ('migrations.' + ending, (NAME,), {}),
            ('shares.delete', (NAME,), {}),
            ('shares.list', (), {}))
        self.assertEqual([None] * 4, [o.get('error') for o in outcomes],
                         outcomes)
        self.assertEqual([], outcomes[-1]['result'])
        self.assertEqual([], self.instances(self.share['id']))

    def test_refusals_change_nothing(self):
        same = self.share['host']
        outcomes = self.run_calls(
            ('migrations.start', (NAME, same), {}),
            ('migrations.start', (NAME, 'h@nowhere#p'), {}),
            COMPLETE, CANCEL, SHOW)
        self.assertEqual(
            ['InvalidInput', 'BackendNotFound', 'NotFound', 'NotFound'],
            [o.get('error') for o in outcomes[:-1]], outcomes)
        self.assertIn('already on %s' % same, outcomes[0]['message'])
        self.assertIn("No backend named 'nowhere'", outcomes[1]['message'])
        self.assertIn('never been migrated', outcomes[2]['message'])
        self.assertEqual((None, 0, None), (
            outcomes[-1]['result']['task_state'],
            outcomes[-1]['result']['total_progress'],
            outcomes[-1]['result']['method']))
        # Under way: a second start, and completing phase 1 early, are
        # refused; the migration goes on.
        outcomes = self.run_calls(self.start(), self.start(), COMPLETE, SHOW)
        self.assertEqual([None, 'InvalidState', 'InvalidState', None],
                         [o.get('error') for o in outcomes], outcomes)
        self.assertEqual(('migration_driver_in_progress', 50),
                         (outcomes[-1]['result']['task_state'],
                          outcomes[-1]['result']['total_progress']))

    @ddt.data('migration_start', 'migration_continue', 'migration_complete',
              'migration_cancel')
    def test_a_failing_method_lands_in_migration_error(self, method):
        # migration_complete and migration_cancel fail in their own step,
        # after phase 1; the others in start.
        step = {'migration_complete': COMPLETE,
                'migration_cancel': CANCEL}.get(method)
        if step is not None:
            started = self.results(self.start(wait=True))[0]
            self.assertEqual('migration_driver_phase1_done',
                             started['task_state'])
        self.set_delays('%s:-1' % method)
        failed, shown, message, share, rules = self.run_calls(
            step or self.start(), SHOW, MESSAGE, *CHECKS)
        self.assertIn(VALUE_ERROR, failed.get('message', ''), failed)
        shown = shown['result']
        self.assertEqual('migration_error', shown['task_state'], shown)
        self.assertIn('ValueError', shown['detail'], shown)
        self.assertIn(VALUE_ERROR, message['result']['detail'])
        self.assert_back_on_source('migration_error', share['result'],
                                   rules['result'])

    def test_a_failing_poll_aborts_to_the_source(self):
        started = self.results(self.start())[0]
        self.assertEqual('migration_driver_in_progress',
                         started['task_state'])
        self.set_delays('migration_continue:-1')
        polled, shown, share, rules = self.results(POLL, SHOW, *CHECKS)
        self.assertEqual(1, polled)
        self.assertEqual('migration_error', shown['task_state'], shown)
        self.assertIn('migration_continue failed: ValueError: ' +
                      VALUE_ERROR, shown['detail'])
        self.assert_back_on_source('migration_error', share, rules)

    def test_a_failing_progress_reads_zero_and_changes_nothing(self):
        self.set_delays('migration_get_progress:-1')
        shown = self.results(self.start(), SHOW)[-1]
        self.assertEqual(('migration_driver_in_progress', 0, None),
                         (shown['task_state'], shown['total_progress'],
                          shown['detail']), shown)

    def test_cli_start_show_complete_and_cancel(self):
        # Each command is a process of its own: ``start --wait`` polls
        # the dummy in its process to the end of phase 1.
        started = self.ok('share', 'migration', 'start', NAME,
                          self.destination, '--writable', '--wait')
        self.assertEqual(
            ('migration_driver_phase1_done', 'driver', True),
            (started['task_state'], started['method'], started['writable']),
            started)
        shown = self.ok('share', 'migration', 'show', NAME)
        self.assertEqual(('migration_driver_phase1_done', 100),
                         (shown['task_state'], shown['total_progress']))
        completed = self.ok('share', 'migration', 'complete', NAME)
        self.assertEqual('migration_success', completed['task_state'])
        share = self.ok('share', 'show', NAME)
        self.assert_on_destination(share, self.ok('share', 'access', 'list',
                                                  NAME))

        # Back to dm1, cancelled while phase 1 is under way: ``show``,
        # another process, has a dummy that never saw the migration.
        back = share['host'].split('@')[0] + _host(SOURCE)
        started = self.ok('share', 'migration', 'start', NAME, back)
        self.assertEqual('migration_driver_in_progress',
                         started['task_state'])
        shown = self.ok('share', 'migration', 'show', NAME)
        self.assertEqual(('migration_driver_in_progress', 0, back),
                         (shown['task_state'], shown['total_progress'],
                          shown['destination_host']), shown)
        cancelled = self.ok('share', 'migration', 'cancel', NAME)
        self.assertEqual('migration_cancelled', cancelled['task_state'])
        self.assertEqual((share['instance_id'], DESTINATION, 'available',
                          'migration_cancelled'), tuple(
            self.ok('share', 'show', NAME)[key] for key in (
                'instance_id', 'backend', 'status', 'task_state')))
        self.assertEqual([share['instance_id']],
                         [i['id'] for i in self.instances(share['id'])])


class MigrationTestCase(_MigrationTests, compat_base.DriverCLITestCase):
    """The dummy copied as a standalone module on both backends."""
