"""Share replication on Manila's own dummy driver, unmodified.

Two backends, ``dr1`` and ``dr2``, both the dummy of the manila 9.1.5
source distribution (copied as a standalone module, as in
``test_manila_dummy``), in replication domain ``d1``. The dummy reports
``replication_type`` 'readable' (for the backend and its pool) only when
its section sets ``replication_domain``; the share type ``rep`` asks for
that type. Its replication methods keep no data, only:

* ``create_replica``: export locations named after the new replica's
  instance, ``replica_state`` 'in_sync' (not the 'out_of_sync' a replica
  starts with when the driver says nothing) and ``access_rules_status``
  'active'; its provider details under the replica's id in the driver
  private storage;
* ``delete_replica``: forgets those details;
* ``promote_replica``: one entry per replica of the list it is given, the
  promoted one 'active' and every other 'in_sync' (the old active
  included, where storagemgr's own default is 'out_of_sync');
* ``update_replica_state``: always 'in_sync';
* ``create_replicated_snapshot`` / ``delete_replicated_snapshot``: one
  entry per snapshot instance, 'available' / 'deleted';
* ``update_replicated_snapshot``: 'available' for the instance asked
  about;
* ``revert_to_replicated_snapshot``: nothing.

Its faults come from its own option: a negative delay for a method makes
``time.sleep`` in it raise ValueError.

The scenarios call the service layer (``storagemgr.share_replication.api``
and the share API), several calls in one process configured as the CLI
configures itself. The dummy keeps nothing of replication in memory, so
a process per configuration is enough: a call after a change of delays
runs in a new one.
"""

from storagemgr.tests.compat import base as compat_base
from storagemgr.tests.compat import service_calls
from storagemgr.tests.compat import test_manila_dummy as dummy_tests

PRIMARY = 'dr1'
SECONDARY = 'dr2'
BACKENDS = (PRIMARY, SECONDARY)
DEFAULT = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = %s\n'
           '[backend_defaults]\ndriver_setup_retries = 0\n'
           % ','.join(BACKENDS))

SCRIPT = service_calls.script(
    (('shares', 'share_api.API(backends, admin)'),
     ('replicas', 'replication_api.API(backends, admin)'),
     ('share_types', 'types_api.share_types'),
     ('messages', 'Messages()')),
    imports=('from storagemgr.message import api as message_api',
             'from storagemgr.share import api as share_api',
             'from storagemgr.share_replication import api as '
             'replication_api',
             'from storagemgr.types import api as types_api'),
    preamble='''
    class Messages(object):
        def latest(self, replica_id):
            return message_api.latest_for(message_api.SHARE_REPLICA,
                                          replica_id)
    ''')

VALUE_ERROR = 'sleep length must be non-negative'
NAME = 's1'
MOUNT = '/path/to/fake/share/share_%s_%s'


_host = service_calls.host


def _exports(mountpoint):
    """The dummy's three export paths of ``mountpoint``."""
    return ['10.0.0.10:' + mountpoint, '10.0.0.20:' + mountpoint,
            '11.0.0.11:' + mountpoint]


class _ReplicationTests(service_calls.ServiceCalls,
                        service_calls.DummyBackends,
                        dummy_tests._StandaloneBackend):
    """Replicas of a share on dr1, made on dr2 by the dummy."""

    script = SCRIPT
    default = DEFAULT
    options = 'replication_domain = d1\n'

    def set_delays(self, delays, secondary=None):
        """``dummy_driver_driver_methods_delays`` of dr1 (and dr2).

        ``secondary``: dr2's, when it differs from dr1's.
        """
        self.write_backends(
            (PRIMARY, delays),
            (SECONDARY, delays if secondary is None else secondary))

    # -- the database, read as it is -----------------------------------------

    def snapshot_rows(self, snapshot_id):
        """``{share instance id: status}`` of the snapshot's instances."""
        return {row['share_instance_id']: row['status'] for row in self.rows(
            'SELECT share_instance_id, status FROM '
            'share_snapshot_instances WHERE snapshot_id = ?', snapshot_id)}

    # -- fixtures -------------------------------------------------------------

    def start(self, *then, replica=True):
        """Share ``s1`` on dr1 (type ``rep``), a replica on dr2, ``then``.

        All in one process. ``replica``: False to leave the replica out
        (then it is None).
        :returns: ``(replica record, [outcome of each of then])``.
        """
        create = [('replicas.create', (NAME,), {'backend': SECONDARY})]
        outcomes = self.run_calls(
            ('share_types.create', ('rep',),
             {'extra_specs': {'driver_handles_share_servers': 'False',
                              'replication_type': 'readable'}}),
            ('shares.create', ('NFS', 1),
             {'name': NAME, 'backend': PRIMARY, 'share_type': 'rep'}),
            *(create if replica else []), *then)
        for outcome in outcomes[:3 if replica else 2]:
            self.assertIn('result', outcome, outcomes)
        self.share = outcomes[1]['result']
        self.assertEqual('available', self.share['status'], self.share)
        self.assertTrue(self.share['host'].endswith(_host(PRIMARY)),
                        self.share)
        self.active_id = self.share['instance_id']
        return (outcomes[2]['result'] if replica else None,
                outcomes[3 if replica else 2:])

    def add_replica(self, *then):
        """``start`` with calls that must all succeed: their results."""
        replica, outcomes = self.start(*then)
        for outcome in outcomes:
            self.assertIn('result', outcome, outcomes)
        return replica, [outcome['result'] for outcome in outcomes]

    def add_replica_later(self, *then):
        """``start`` without the replica; ``then``'s results.

        :returns: ``(the record of the first replica ``then`` created,
            [results of then])``.
        """
        _, outcomes = self.start(*then, replica=False)
        for outcome in outcomes:
            self.assertIn('result', outcome, outcomes)
        results = [outcome['result'] for outcome in outcomes]
        created = [call for call, _, _ in then].index('replicas.create')
        return results[created], results

    def replica_mount(self, replica_id):
        return MOUNT % (dummy_tests._underscored(self.share['id']),
                        dummy_tests._underscored(replica_id))

    def secondary_rules(self, replicas):
        """``[(id, access_rules_status)]`` of the secondaries."""
        return [(r['id'], r['access_rules_status']) for r in replicas
                if r['replica_state'] != 'active']

    def states(self, replicas):
        """``[(id, status, replica_state)]`` of replica records."""
        return [(r['id'], r['status'], r['replica_state']) for r in replicas]

    # -- the scenarios --------------------------------------------------------

    def test_create_replica_applies_the_dummys_return(self):
        replica, (listed, share, rules, stats, pools) = self.add_replica(
            ('replicas.list', (NAME,), {}), ('shares.get', (NAME,), {}),
            ('shares.list_access', (NAME,), {}),
            ('shares.get_stats', (PRIMARY,), {}),
            ('shares.get_pools', (SECONDARY,), {}))
        # replication_domain set: the dummy reports readable replication
        # for the backend and its pool.
        self.assertEqual(('readable', 'd1'),
                         (stats['replication_type'],
                          stats['replication_domain']), stats)
        self.assertEqual([('fake_pool_for_dr2', 'readable')],
                         [(p['pool_name'], p['replication_type'])
                          for p in pools])
        # create_replica said in_sync and rules active: both applied, over
        # the out_of_sync the replica was created with.
        self.assertEqual(
            ('available', 'in_sync', 'active', True, SECONDARY, None),
            (replica['status'], replica['replica_state'],
             replica['access_rules_status'],
             replica['cast_rules_to_readonly'], replica['backend'],
             replica['failure_reason']), replica)
        self.assertTrue(replica['host'].endswith(_host(SECONDARY)), replica)
        mountpoint = self.replica_mount(replica['id'])
        self.assertEqual(_exports(mountpoint), dummy_tests._paths(replica))
        self.assertEqual({'fake_provider_replica_name':
                          mountpoint.rsplit('/', 1)[1],
                          'fake_provider_location': mountpoint},
                         self.private_data(replica['id']))
        # The active replica first; the share stays on dr1 as it was.
        self.assertEqual(
            [(self.active_id, 'available', 'active'),
             (replica['id'], 'available', 'in_sync')], self.states(listed))
        self.assertEqual(
            (self.active_id, PRIMARY, self.share['export_locations']),
            (share['instance_id'], share['backend'],
             share['export_locations']), share)
        self.assertEqual([], rules)

    def test_rules_reach_the_secondary_and_its_failure_stays_there(self):
        replica, (rule, listed) = self.add_replica(
            ('shares.allow_access', (NAME, 'ip', '10.0.0.0/24'), {}),
            ('replicas.list', (NAME,), {}))
        self.assertEqual('active', rule['state'], rule)
        self.assertEqual([(replica['id'], 'active')], self.secondary_rules(
            listed))
        # dr2's update_access fails: only the secondary's rules are in
        # error; the rule itself, on the active replica, is applied.
        self.set_delays(dummy_tests.NO_DELAYS, secondary='update_access:-1')
        rule, listed, rules = self.results(
            ('shares.allow_access', (NAME, 'ip', '10.0.1.0/24'), {}),
            ('replicas.list', (NAME,), {}),
            ('shares.list_access', (NAME,), {}))
        self.assertEqual('active', rule['state'], rule)
        self.assertEqual([(replica['id'], 'error')],
                         self.secondary_rules(listed))
        self.assertEqual(['available', 'available'],
                         [r['status'] for r in listed])
        self.assertEqual({self.active_id: ['active', 'active']},
                         self.rule_states(self.share['id']))
        self.assertEqual(['active', 'active'], [r['state'] for r in rules])
        # The next change that reaches dr2 sets them right again.
        self.set_delays(dummy_tests.NO_DELAYS)
        listed = self.results(
            ('shares.deny_access', (NAME, rule['id']), {}),
            ('replicas.list', (NAME,), {}))[1]
        self.assertEqual([(replica['id'], 'active')],
                         self.secondary_rules(listed))

    def test_resync_and_poll_ask_update_replica_state(self):
        replica_id = self.add_replica()[0]['id']
        refused, *outcomes = self.run_calls(
            ('replicas.resync', (self.active_id,), {}),
            ('replicas.reset', (replica_id,),
             {'replica_state': 'out_of_sync'}),
            ('replicas.resync', (replica_id,), {}),
            ('replicas.reset', (replica_id,),
             {'replica_state': 'out_of_sync'}),
            ('replicas.poll', (), {}),
            ('replicas.get', (replica_id,), {}))
        self.assertEqual('InvalidShare', refused.get('error'), refused)
        self.assertIn('only secondaries are resynced', refused['message'])
        set_out, resynced, set_again, polled, shown = [
            o['result'] for o in outcomes]
        self.assertEqual('out_of_sync', set_out['replica_state'])
        # The dummy answers in_sync each time; the poll asked about the
        # one secondary.
        self.assertEqual(('available', 'in_sync'),
                         (resynced['status'], resynced['replica_state']))
        self.assertEqual('out_of_sync', set_again['replica_state'])
        self.assertEqual((1, 'available', 'in_sync'),
                         (polled, shown['status'], shown['replica_state']))

    def test_promote_applies_the_dummys_list_and_moves_the_share(self):
        replica, _ = self.add_replica(
            ('shares.allow_access', (NAME, 'ip', '10.0.0.0/24'), {}))
        promoted, listed, share, back, listed_back, share_back, rules = \
            self.results(
                ('replicas.promote', (replica['id'],), {}),
                ('replicas.list', (NAME,), {}), ('shares.get', (NAME,), {}),
                ('replicas.promote', (self.active_id,), {}),
                ('replicas.list', (NAME,), {}), ('shares.get', (NAME,), {}),
                ('shares.list_access', (NAME,), {}))
        self.assertEqual(('available', 'active', False),
                         (promoted['status'], promoted['replica_state'],
                          promoted['cast_rules_to_readonly']), promoted)
        # The dummy's list: the promoted one active, every other in_sync
        # (the old active too, where storagemgr alone would say
        # out_of_sync); one active replica, read-only rules on the other.
        self.assertEqual(
            [(replica['id'], 'available', 'active'),
             (self.active_id, 'available', 'in_sync')], self.states(listed))
        self.assertEqual([False, True], [r['cast_rules_to_readonly']
                                         for r in listed])
        # The share is the promoted replica now, with its exports.
        self.assertEqual(
            (replica['id'], SECONDARY, replica['export_locations']),
            (share['instance_id'], share['backend'],
             share['export_locations']), share)
        self.assertTrue(share['host'].endswith(_host(SECONDARY)), share)

        # And back again.
        self.assertEqual(('available', 'active'),
                         (back['status'], back['replica_state']), back)
        self.assertEqual(
            [(self.active_id, 'available', 'active'),
             (replica['id'], 'available', 'in_sync')],
            self.states(listed_back))
        self.assertEqual([False, True], [r['cast_rules_to_readonly']
                                         for r in listed_back])
        self.assertEqual(
            (self.active_id, PRIMARY, self.share['export_locations']),
            (share_back['instance_id'], share_back['backend'],
             share_back['export_locations']), share_back)
        # The rule followed the active replica each time.
        self.assertEqual([('10.0.0.0/24', 'rw', 'active')], [
            (r['access_to'], r['access_level'], r['state']) for r in rules])
        self.assertEqual({self.active_id: ['active']},
                         self.rule_states(self.share['id']))

    def test_replicated_snapshot_has_an_instance_per_replica(self):
        replica, (snapshot, instances, deleted, snapshots, left) = \
            self.add_replica(
                ('shares.create_snapshot', (NAME,), {'name': 'snap1'}),
                ('replicas.list_snapshot_instances', ('snap1',), {}),
                ('shares.delete_snapshot', ('snap1',), {}),
                ('shares.list_snapshots', (NAME,), {}),
                ('replicas.list_snapshot_instances', (), {}))
        # create_replicated_snapshot said available for both instances.
        self.assertEqual('available', snapshot['status'], snapshot)
        self.assertEqual(
            [(self.active_id, True, 'active', 'available', '100%'),
             (replica['id'], False, 'in_sync', 'available', '100%')],
            [(i['share_instance_id'], i['is_active_replica'],
              i['replica_state'], i['status'], i['progress'])
             for i in instances])
        self.assertEqual({snapshot['id']}, {i['snapshot_id']
                                            for i in instances})
        # delete_replicated_snapshot said deleted for both: all gone.
        self.assertEqual((None, [], []), (deleted, snapshots, left))
        self.assertEqual({}, self.snapshot_rows(snapshot['id']))

    def test_a_snapshot_older_than_the_replica_revert_and_deletes(self):
        _, (snapshot, replica, before, polled, after, reverted, listed,
            resynced) = self.add_replica_later(
            ('shares.create_snapshot', (NAME,), {'name': 'snap1'}),
            ('replicas.create', (NAME,), {'backend': SECONDARY}),
            ('replicas.list_snapshot_instances', ('snap1',), {}),
            ('replicas.poll_snapshots', (), {}),
            ('replicas.list_snapshot_instances', ('snap1',), {}),
            ('shares.revert', ('snap1',), {}),
            ('replicas.list', (NAME,), {}),
            ('replicas.poll', (), {}))
        # The new replica got an instance of the snapshot, creating until
        # update_replicated_snapshot on dr2 said available.
        self.assertEqual(
            [(self.active_id, 'available'), (replica['id'], 'creating')],
            [(i['share_instance_id'], i['status']) for i in before])
        self.assertEqual(1, polled)
        self.assertEqual(
            [(self.active_id, 'available'), (replica['id'], 'available')],
            [(i['share_instance_id'], i['status']) for i in after])
        # revert_to_replicated_snapshot on the active: the secondary is
        # out of sync until update_replica_state says otherwise.
        self.assertEqual(('available', self.active_id),
                         (reverted['status'], reverted['instance_id']))
        self.assertEqual([(replica['id'], 'available', 'out_of_sync')],
                         self.states(listed)[1:])
        self.assertEqual(1, resynced)

        refused, *outcomes = self.run_calls(
            ('replicas.delete', (self.active_id,), {}),
            ('replicas.get', (replica['id'],), {}),
            ('replicas.delete', (replica['id'],), {}),
            ('replicas.list', (NAME,), {}),
            ('replicas.list_snapshot_instances', ('snap1',), {}),
            ('shares.delete_snapshot', ('snap1',), {}),
            ('shares.delete', (NAME,), {}),
            ('shares.list', (), {}))
        self.assertEqual('InvalidShare', refused.get('error'), refused)
        self.assertIn('is the active replica', refused['message'])
        self.assertEqual([None] * 7, [o.get('error') for o in outcomes],
                         outcomes)
        shown, _, listed, instances, _, _, shares = [
            o['result'] for o in outcomes]
        self.assertEqual('in_sync', shown['replica_state'])
        # delete_replica took the replica's snapshot instance with it;
        # the dummy forgot the replica.
        self.assertEqual([self.active_id], [r['id'] for r in listed])
        self.assertEqual([self.active_id],
                         [i['share_instance_id'] for i in instances])
        self.assertEqual({}, self.private_data(replica['id']))
        self.assertEqual([], shares)
        self.assertEqual({}, self.private_data(self.active_id))

    # -- faults the dummy offers ----------------------------------------------

    def test_a_failing_create_replica_leaves_it_in_error(self):
        self.set_delays('create_replica:-1')
        _, (failed, listed, refused) = self.start(
            ('replicas.create', (NAME,), {'backend': SECONDARY}),
            ('replicas.list', (NAME,), {}),
            ('shares.delete', (NAME,), {}), replica=False)
        self.assertEqual('ShareBackendException', failed.get('error'),
                         failed)
        self.assertIn(VALUE_ERROR, failed['message'])
        [active, replica] = listed['result']
        self.assertEqual(('error', 'error'),
                         (replica['status'], replica['replica_state']),
                         replica)
        self.assertIn('ValueError', replica['failure_reason'])
        self.assertEqual(('available', 'active'),
                         (active['status'], active['replica_state']))
        # It counts as a secondary until deleted.
        self.assertEqual('InvalidShare', refused.get('error'), refused)
        self.assertIn('1 secondary replica(s) (%s)' % replica['id'],
                      refused['message'])

        self.set_delays(dummy_tests.NO_DELAYS)
        _, listed, _, shares = self.results(
            ('replicas.delete', (replica['id'],), {}),
            ('replicas.list', (NAME,), {}), ('shares.delete', (NAME,), {}),
            ('shares.list', (), {}))
        self.assertEqual(([self.active_id], []),
                         ([r['id'] for r in listed], shares))

    def test_a_failing_update_replica_state_then_a_good_answer(self):
        # A snapshot older than the replica: its instance on dr2 waits
        # for update_replicated_snapshot.
        replica, _ = self.add_replica_later(
            ('shares.create_snapshot', (NAME,), {'name': 'snap1'}),
            ('replicas.create', (NAME,), {'backend': SECONDARY}))
        self.set_delays('update_replica_state:-1,'
                        'update_replicated_snapshot:-1')
        failed, shown, polled, polled_snapshots, instances = self.run_calls(
            ('replicas.resync', (replica['id'],), {}),
            ('replicas.get', (replica['id'],), {}),
            ('replicas.poll', (), {}),
            ('replicas.poll_snapshots', (), {}),
            ('replicas.list_snapshot_instances', ('snap1',), {}))
        self.assertEqual('ShareBackendException', failed.get('error'),
                         failed)
        self.assertIn(VALUE_ERROR, failed['message'])
        shown = shown['result']
        self.assertEqual(('error', 'error'),
                         (shown['status'], shown['replica_state']), shown)
        self.assertIn(VALUE_ERROR, shown['failure_reason'])
        # The poll asks a replica in error too; the failure is its own.
        self.assertEqual((1, 1), (polled['result'],
                                  polled_snapshots['result']))
        self.assertEqual(
            [(self.active_id, 'available'), (replica['id'], 'error')],
            [(i['share_instance_id'], i['status'])
             for i in instances['result']])

        self.set_delays(dummy_tests.NO_DELAYS)
        resynced, _, instances = self.results(
            ('replicas.resync', (replica['id'],), {}),
            ('shares.delete_snapshot', ('snap1',), {}),
            ('replicas.list_snapshot_instances', (), {}))
        self.assertEqual(('available', 'in_sync', None),
                         (resynced['status'], resynced['replica_state'],
                          resynced['failure_reason']), resynced)
        # delete_replicated_snapshot took the instance in error too.
        self.assertEqual([], instances)

    def test_a_failing_promote_puts_every_replica_in_error(self):
        replica, _ = self.add_replica()
        self.set_delays('promote_replica:-1')
        failed, listed, share, message, *repair = self.run_calls(
            ('replicas.promote', (replica['id'],), {}),
            ('replicas.list', (NAME,), {}), ('shares.get', (NAME,), {}),
            ('messages.latest', (replica['id'],), {}),
            # An admin's way back: the active set available, the
            # secondary resynced.
            ('replicas.reset', (self.active_id,), {'status': 'available'}),
            ('replicas.resync', (replica['id'],), {}),
            ('replicas.list', (NAME,), {}))
        self.assertEqual('ShareBackendException', failed.get('error'),
                         failed)
        self.assertIn(VALUE_ERROR, failed['message'])
        # Every replica in error; replica states as they were, the share
        # still on dr1.
        self.assertEqual(
            [(self.active_id, 'error', 'active'),
             (replica['id'], 'error', 'in_sync')],
            self.states(listed['result']))
        share = share['result']
        self.assertEqual((self.active_id, PRIMARY),
                         (share['instance_id'], share['backend']), share)
        self.assertIn(VALUE_ERROR, message['result']['detail'])
        self.assertEqual([None] * 3, [o.get('error') for o in repair],
                         repair)
        self.assertEqual(
            [(self.active_id, 'available', 'active'),
             (replica['id'], 'available', 'in_sync')],
            self.states(repair[-1]['result']))

    def test_a_failing_delete_replica_then_forced(self):
        replica, _ = self.add_replica()
        self.set_delays('delete_replica:-1')
        failed, shown, *rest = self.run_calls(
            ('replicas.delete', (replica['id'],), {}),
            ('replicas.get', (replica['id'],), {}),
            ('replicas.delete', (replica['id'],), {'force': True}),
            ('replicas.list', (NAME,), {}),
            ('shares.delete', (NAME,), {}), ('shares.list', (), {}))
        self.assertEqual('ShareBackendException', failed.get('error'),
                         failed)
        self.assertIn(VALUE_ERROR, failed['message'])
        shown = shown['result']
        self.assertEqual(('error_deleting', 'error'),
                         (shown['status'], shown['replica_state']), shown)
        self.assertIn(VALUE_ERROR, shown['failure_reason'])
        self.assertEqual([None] * 4, [o.get('error') for o in rest], rest)
        self.assertEqual([self.active_id],
                         [r['id'] for r in rest[1]['result']])
        self.assertEqual([], rest[-1]['result'])

    def test_failing_replicated_snapshot_create_revert_and_delete(self):
        self.set_delays('create_replicated_snapshot:-1')
        replica, (failed, instances, deleted, left) = self.start(
            ('shares.create_snapshot', (NAME,), {'name': 'snap1'}),
            ('replicas.list_snapshot_instances', ('snap1',), {}),
            ('shares.delete_snapshot', ('snap1',), {}),
            ('replicas.list_snapshot_instances', (), {}))
        self.assertEqual('ShareBackendException', failed.get('error'),
                         failed)
        self.assertIn(VALUE_ERROR, failed['message'])
        # A failed create: every instance in error; the dummy's
        # delete_replicated_snapshot takes them all.
        self.assertEqual(
            [(self.active_id, 'error'), (replica['id'], 'error')],
            [(i['share_instance_id'], i['status'])
             for i in instances['result']])
        self.assertEqual((None, []), (deleted.get('error'),
                                      left.get('result')), deleted)

        self.set_delays('revert_to_replicated_snapshot:-1,'
                        'delete_replicated_snapshot:-1')
        snapshot, reverted, share, shown, listed, deleting, instances = \
            self.run_calls(
                ('shares.create_snapshot', (NAME,), {'name': 'snap2'}),
                ('shares.revert', ('snap2',), {}),
                ('shares.get', (NAME,), {}),
                ('shares.get_snapshot', ('snap2',), {}),
                ('replicas.list', (NAME,), {}),
                ('shares.delete_snapshot', ('snap2',), {}),
                ('replicas.list_snapshot_instances', ('snap2',), {}))
        self.assertEqual('available', snapshot['result']['status'])
        for failed in (reverted, deleting):
            self.assertEqual('ShareBackendException', failed.get('error'),
                             failed)
            self.assertIn(VALUE_ERROR, failed['message'])
        # A failed revert: the share in reverting_error, the snapshot
        # available again, the secondary untouched.
        self.assertEqual('reverting_error', share['result']['status'])
        self.assertEqual('available', shown['result']['status'])
        self.assertEqual([(replica['id'], 'available', 'in_sync')],
                         self.states(listed['result'])[1:])
        # A failed delete: every instance error_deleting.
        self.assertEqual(
            [(self.active_id, 'error_deleting'),
             (replica['id'], 'error_deleting')],
            [(i['share_instance_id'], i['status'])
             for i in instances['result']])


class ReplicationTestCase(_ReplicationTests, compat_base.DriverCLITestCase):
    """The dummy copied as a standalone module on both backends."""
