"""``storagemgr share replica ...`` and ``share snapshot instance ...``:
argument parsing and output against a mocked service layer, and the
commands against the real one on fake backends.
"""

from importlib import metadata
import json
import subprocess
import sys
from unittest import mock

import ddt

from storagemgr.backend import process_registry
from storagemgr.cli import app
from storagemgr import exception
from storagemgr.tests.unit.cli import fixtures
from storagemgr.tests.unit.share_replication import base as rep_base

LIST_COLUMNS = ['id', 'share_id', 'status', 'replica_state', 'backend',
                'host', 'availability_zone', 'updated_at']
INSTANCE_COLUMNS = ['id', 'snapshot_id', 'share_instance_id',
                    'is_active_replica', 'status']
INSTANCE_DETAILED = INSTANCE_COLUMNS + [
    'replica_state', 'share_id', 'progress', 'provider_location',
    'created_at', 'updated_at']
COMMANDS = {
    'share_replica_create': 'share_replica:CreateShareReplica',
    'share_replica_list': 'share_replica:ListShareReplica',
    'share_replica_show': 'share_replica:ShowShareReplica',
    'share_replica_delete': 'share_replica:DeleteShareReplica',
    'share_replica_promote': 'share_replica:PromoteShareReplica',
    'share_replica_resync': 'share_replica:ResyncShareReplica',
    'share_replica_set': 'share_replica:SetShareReplica',
    'share_snapshot_instance_list':
        'share_snapshot_instance:ListShareSnapshotInstance',
    'share_snapshot_instance_show':
        'share_snapshot_instance:ShowShareSnapshotInstance',
}


def replica(replica_id='r1', replica_state='in_sync', status='available'):
    return {'id': replica_id, 'share_id': 'sid-1', 'status': status,
            'replica_state': replica_state, 'host': 'h@b2#p0',
            'backend': 'b2', 'availability_zone': 'nova',
            'export_locations': [{'path': 'h:/r/%s' % replica_id,
                                  'is_admin_only': False, 'metadata': {}}],
            'access_rules_status': 'active',
            'cast_rules_to_readonly': True, 'share_type_id': 'tid-1',
            'failure_reason': None, 'created_at': '2024-01-01T00:00:00',
            'updated_at': '2024-01-01T00:00:05'}


def snapshot_instance(instance_id='i1', active=True):
    return {'id': instance_id, 'snapshot_id': 'snap-1', 'share_id': 'sid-1',
            'share_instance_id': 'r0' if active else 'r1',
            'replica_state': 'active' if active else 'in_sync',
            'is_active_replica': active, 'status': 'available',
            'progress': '100%', 'provider_location': 'loc-%s' % instance_id,
            'export_locations': [], 'created_at': '2024-01-01T00:00:00',
            'updated_at': '2024-01-01T00:00:05'}


class EntryPointsTestCase(fixtures.CLITestCase):

    def test_every_command_is_registered(self):
        found = {ep.name: ep.value for ep in
                 metadata.entry_points(group='storagemgr.cli')
                 if ep.name in COMMANDS}
        self.assertEqual({name: 'storagemgr.cli.' + target
                          for name, target in COMMANDS.items()}, found)

    def test_the_modules_import_no_service_layer(self):
        code = ('import sys\n'
                'import storagemgr.cli.share_replica\n'
                'import storagemgr.cli.share_snapshot_instance\n'
                'print(sorted(m for m in sys.modules if m in ("sqlalchemy", '
                '"taskflow", "oslo_db") or m.startswith('
                '"storagemgr.share_replication")))\n')
        out = subprocess.run([sys.executable, '-c', code], check=True,
                             capture_output=True, text=True).stdout
        self.assertEqual('[]', out.strip())


@ddt.ddt
class MockedApiTestCase(fixtures.CLITestCase):
    """The commands against a mocked ``share_replication.api.API``."""

    enabled_backends = 'b1'
    sections = '[b1]\nshare_driver = local\n'

    def setUp(self):
        super().setUp()
        patcher = mock.patch('storagemgr.share_replication.api.API')
        self.api_class = patcher.start()
        self.addCleanup(patcher.stop)
        self.api = self.api_class.return_value
        for method in ('create', 'get', 'promote', 'resync', 'reset'):
            getattr(self.api, method).return_value = replica()
        self.api.list.return_value = [replica('r0', 'active'), replica()]
        self.api.delete.return_value = None
        self.api.list_snapshot_instances.return_value = [
            snapshot_instance('i0'), snapshot_instance('i1', active=False)]
        self.api.get_snapshot_instance.return_value = snapshot_instance()

    # -- create ------------------------------------------------------------

    def test_create_without_options(self):
        self.assertEqual(replica(),
                         self.json('share', 'replica', 'create', 'share1'))
        self.api.create.assert_called_once_with(
            'share1', backend=None, availability_zone=None)
        kwargs = self.api_class.call_args.kwargs
        self.assertIsNotNone(kwargs['registry'])
        self.assertIsNotNone(kwargs['context'])

    def test_create_with_backend_zone_and_wait(self):
        self.json('share', 'replica', 'create', 'share1', '--backend',
                  'b2', '--availability-zone', 'az2', '--wait')
        self.api.create.assert_called_once_with(
            'share1', backend='b2', availability_zone='az2')

    def test_create_table_shows_export_locations_as_json_text(self):
        table = self.ok('share', 'replica', 'create', 'share1')
        self.assertIn('"path": "h:/r/r1"', table)
        self.assertIn('replica_state', table)

    def test_create_refusal_is_one_line(self):
        self.api.create.side_effect = exception.InvalidShare(
            reason='share s9 is of share type t, which has no '
                   'replication_type extra spec')
        self.refused('share', 'replica', 'create', 's9',
                     expect='which has no replication_type extra spec')

    # -- list and show ------------------------------------------------------

    def test_list_all(self):
        rows = self.json('share', 'replica', 'list')
        self.api.list.assert_called_once_with(None)
        self.assertEqual([LIST_COLUMNS, LIST_COLUMNS],
                         [list(row) for row in rows])
        self.assertEqual(['active', 'in_sync'],
                         [row['replica_state'] for row in rows])

    def test_list_of_one_share(self):
        self.json('share', 'replica', 'list', '--share', 'share1')
        self.api.list.assert_called_once_with('share1')

    def test_list_table(self):
        table = self.ok('share', 'replica', 'list')
        for column in LIST_COLUMNS:
            self.assertIn(column, table)

    def test_show_keeps_export_locations_structured_in_json(self):
        shown = self.json('share', 'replica', 'show', 'r1')
        self.api.get.assert_called_once_with('r1')
        self.assertEqual(replica(), shown)
        self.assertEqual('h:/r/r1', shown['export_locations'][0]['path'])

    def test_show_table(self):
        table = self.ok('share', 'replica', 'show', 'r1')
        for text in ('replica_state', 'in_sync', 'status', 'available',
                     'host', 'h@b2#p0', '"path": "h:/r/r1"'):
            self.assertIn(text, table)

    def test_show_without_export_locations(self):
        self.api.get.return_value = dict(replica(), export_locations=[])
        self.assertEqual(
            [], self.json('share', 'replica', 'show', 'r1')[
                'export_locations'])

    # -- delete -------------------------------------------------------------

    def test_delete_one(self):
        out = self.ok('share', 'replica', 'delete', 'r1')
        self.assertEqual('', out)
        self.api.delete.assert_called_once_with('r1', force=False)

    def test_delete_with_force_and_wait(self):
        self.ok('share', 'replica', 'delete', 'r1', '--force', '--wait')
        self.api.delete.assert_called_once_with('r1', force=True)

    def test_delete_several_reports_every_failure_on_one_line(self):
        def delete(ref, force=False):
            if ref != 'r2':
                raise exception.NotFound('No share replica with id %r.' %
                                         ref)
        self.api.delete.side_effect = delete
        self.refused('share', 'replica', 'delete', 'r1', 'r2', 'r3',
                     expect="2 of 3 replica deletions failed: No share "
                            "replica with id 'r1'.; No share replica with "
                            "id 'r3'.")
        self.assertEqual([mock.call(ref, force=False)
                          for ref in ('r1', 'r2', 'r3')],
                         self.api.delete.call_args_list)

    def test_delete_of_the_active_replica_is_refused_on_one_line(self):
        self.api.delete.side_effect = exception.InvalidShare(
            reason='replica r0 is the active replica of share sid-1')
        err = self.refused('share', 'replica', 'delete', 'r0')
        self.assertEqual('ERROR: Invalid share: replica r0 is the active '
                         'replica of share sid-1\n', err)

    # -- promote, resync ----------------------------------------------------

    @ddt.data(('promote', 'promote'), ('resync', 'resync'))
    @ddt.unpack
    def test_one_replica_commands_show_the_replica(self, verb, method):
        self.assertEqual(replica(),
                         self.json('share', 'replica', verb, 'r1'))
        getattr(self.api, method).assert_called_once_with('r1')

    def test_promote_accepts_wait(self):
        self.api.promote.return_value = replica(replica_state='active')
        shown = self.json('share', 'replica', 'promote', 'r1', '--wait')
        self.assertEqual('active', shown['replica_state'])
        self.api.promote.assert_called_once_with('r1')

    @ddt.data(('show', 'get'), ('promote', 'promote'),
              ('resync', 'resync'))
    @ddt.unpack
    def test_one_replica_commands_refuse_on_one_line(self, verb, method):
        getattr(self.api, method).side_effect = exception.NotFound(
            "No share replica with id 'nosuch'.")
        self.refused('share', 'replica', verb, 'nosuch',
                     expect="No share replica with id 'nosuch'.")

    def test_a_driver_failure_is_one_line(self):
        self.api.promote.side_effect = exception.ShareBackendException(
            msg='promote of share replica r1 failed: RuntimeError: boom\n'
                'second line')
        err = self.refused('share', 'replica', 'promote', 'r1')
        self.assertIn('RuntimeError: boom second line', err)

    # -- set ----------------------------------------------------------------

    @ddt.data((['--status', 'error'], 'error', None),
              (['--replica-state', 'out_of_sync'], None, 'out_of_sync'),
              (['--replica-state', 'in_sync', '--status', 'available'],
               'available', 'in_sync'))
    @ddt.unpack
    def test_set(self, options, status, replica_state):
        shown = self.json('share', 'replica', 'set', 'r1', *options)
        self.assertEqual(replica(), shown)
        self.api.reset.assert_called_once_with(
            'r1', status=status, replica_state=replica_state)

    def test_set_needs_an_option(self):
        self.refused('share', 'replica', 'set', 'r1',
                     expect='share replica set needs --replica-state '
                            'and/or --status')
        self.api.reset.assert_not_called()

    def test_set_passes_a_bad_value_to_the_api_which_names_it(self):
        self.api.reset.side_effect = exception.InvalidInput(
            reason="status 'bogus' is not one of available, error")
        self.refused('share', 'replica', 'set', 'r1', '--status', 'bogus',
                     expect="status 'bogus'")
        self.api.reset.assert_called_once_with(
            'r1', status='bogus', replica_state=None)

    # -- snapshot instances -------------------------------------------------

    def test_snapshot_instance_list(self):
        rows = self.json('share', 'snapshot', 'instance', 'list')
        self.api.list_snapshot_instances.assert_called_once_with(None)
        self.assertEqual([INSTANCE_COLUMNS] * 2, [list(r) for r in rows])
        self.assertEqual([True, False],
                         [r['is_active_replica'] for r in rows])

    def test_snapshot_instance_list_of_one_snapshot_detailed(self):
        rows = self.json('share', 'snapshot', 'instance', 'list',
                         '--snapshot', 'snap1', '--detailed')
        self.api.list_snapshot_instances.assert_called_once_with('snap1')
        self.assertEqual([INSTANCE_DETAILED] * 2, [list(r) for r in rows])
        self.assertEqual('loc-i1', rows[1]['provider_location'])

    def test_snapshot_instance_show(self):
        shown = self.json('share', 'snapshot', 'instance', 'show', 'i1')
        self.api.get_snapshot_instance.assert_called_once_with('i1')
        self.assertEqual(snapshot_instance(), shown)

    def test_snapshot_instance_show_refusal_is_one_line(self):
        self.api.get_snapshot_instance.side_effect = exception.NotFound(
            "No share snapshot instance with id 'nosuch'.")
        self.refused('share', 'snapshot', 'instance', 'show', 'nosuch',
                     expect="No share snapshot instance with id 'nosuch'.")

    def test_snapshot_commands_still_reach_their_own(self):
        with mock.patch('storagemgr.share.api.API') as share_api:
            share_api.return_value.list_snapshots.return_value = []
            self.assertEqual([], self.json('share', 'snapshot', 'list'))
        self.api.list_snapshot_instances.assert_not_called()


class RealApiTestCase(rep_base.ReplicationTestCase):
    """The commands against the real service layer on fake backends.

    The fake driver keeps its replicas in memory, so the CLI runs with
    the test's backend registry instead of building its own, as a second
    process would.
    """

    def setUp(self):
        super().setUp()
        self.conf_path = self.write_config(
            '[DEFAULT]\nstate_path = @STATE@\nenabled_backends = f1,f2,f3\n'
            '[database]\nconnection = sqlite:///@STATE@/test.sqlite\n'
            '[backend_defaults]\ndriver_setup_retries = 0\n' + ''.join(
                '[%s]\nshare_driver = fake\nreplication_domain = d1\n' % name
                for name in ('f1', 'f2', 'f3')))
        registry = process_registry.get_registry()
        patcher = mock.patch.object(app.StorageManagerApp, 'registry',
                                    new_callable=mock.PropertyMock,
                                    return_value=registry)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.share = self.make_share()

    def cli(self, *args):
        return fixtures.run_cli(['--config-file', self.conf_path] +
                                list(args))

    def json(self, *args):
        rc, out, err = self.cli(*(args + ('-f', 'json')))
        self.assertEqual(0, rc, err)
        return json.loads(out)

    def refused(self, *args, expect=None):
        rc, out, err = self.cli(*args)
        self.assertNotEqual(0, rc)
        self.assertNotIn('Traceback', out + err)
        self.assertEqual(1, len(err.strip().splitlines()), err)
        self.assertTrue(err.startswith('ERROR: '), err)
        if expect:
            self.assertIn(expect, err)
        return err

    def create(self, backend='f2'):
        return self.json('share', 'replica', 'create', 's1', '--backend',
                         backend, '--wait')

    def test_create_list_show(self):
        created = self.create()
        self.assertEqual(('available', 'f2', self.share['id']),
                         (created['status'], created['backend'],
                          created['share_id']))
        self.assertIn(created['replica_state'], ('in_sync', 'out_of_sync'))
        self.assertTrue(created['export_locations'][0]['path'])
        rows = self.json('share', 'replica', 'list', '--share', 's1')
        self.assertEqual([self.share['instance_id'], created['id']],
                         [r['id'] for r in rows])
        self.assertEqual('active', rows[0]['replica_state'])
        self.assertEqual(created, self.json('share', 'replica', 'show',
                                            created['id']))

    def test_create_on_a_backend_holding_a_replica_is_refused(self):
        self.refused('share', 'replica', 'create', 's1', '--backend', 'f1',
                     expect='already holds a replica of this share')
        self.refused('share', 'replica', 'create', 's1', '--backend', 'f9',
                     expect="No backend named 'f9'")
        self.assertEqual(1, len(self.replicas.list(self.share['id'])))

    def test_resync_promote_delete(self):
        created = self.create()
        resynced = self.json('share', 'replica', 'resync', created['id'])
        self.assertEqual(('available', 'in_sync'),
                         (resynced['status'], resynced['replica_state']))
        promoted = self.json('share', 'replica', 'promote', created['id'])
        self.assertEqual('active', promoted['replica_state'])
        self.assertEqual('f2', self.shares.get(self.share['id'])['backend'])
        self.refused('share', 'replica', 'delete', created['id'],
                     expect='is the active replica')
        self.refused('share', 'replica', 'resync', created['id'],
                     expect='only secondaries are resynced')
        rc, out, err = self.cli('share', 'replica', 'delete',
                                self.share['instance_id'])
        self.assertEqual((0, ''), (rc, err))
        self.assertEqual([created['id']],
                         [r['id'] for r in self.json(
                             'share', 'replica', 'list')])

    def test_delete_force_after_a_driver_failure(self):
        created = self.create()
        self.driver('f2').set_fault('delete_replica', raise_=RuntimeError)
        self.refused('share', 'replica', 'delete', created['id'],
                     expect='fake driver fault injected in delete_replica')
        shown = self.json('share', 'replica', 'show', created['id'])
        self.assertEqual('error_deleting', shown['status'])
        rc, out, err = self.cli('share', 'replica', 'delete',
                                created['id'], '--force')
        self.assertEqual(0, rc, err)
        self.refused('share', 'replica', 'show', created['id'],
                     expect="No share replica with id %r." % created['id'])

    def test_set(self):
        created = self.create()
        shown = self.json('share', 'replica', 'set', created['id'],
                          '--replica-state', 'out_of_sync', '--status',
                          'error')
        self.assertEqual(('error', 'out_of_sync'),
                         (shown['status'], shown['replica_state']))
        self.refused('share', 'replica', 'set', created['id'], '--status',
                     'bogus', expect="status 'bogus' is not one of")
        self.refused('share', 'replica', 'set', self.share['instance_id'],
                     '--replica-state', 'in_sync',
                     expect='is the active replica')
        self.refused('share', 'replica', 'show', 'nosuch',
                     expect="No share replica with id 'nosuch'.")

    def test_snapshot_instances(self):
        created = self.create()
        snapshot = self.shares.create_snapshot(self.share['id'], name='sn1')
        rows = self.json('share', 'snapshot', 'instance', 'list',
                         '--snapshot', 'sn1')
        self.assertEqual({self.share['instance_id']: True,
                          created['id']: False},
                         {r['share_instance_id']: r['is_active_replica']
                          for r in rows})
        self.assertEqual({snapshot['id']}, {r['snapshot_id'] for r in rows})
        secondary = [r for r in rows if not r['is_active_replica']][0]
        shown = self.json('share', 'snapshot', 'instance', 'show',
                          secondary['id'])
        self.assertEqual((created['id'], 'in_sync', self.share['id']),
                         (shown['share_instance_id'],
                          shown['replica_state'], shown['share_id']))
        self.refused('share', 'snapshot', 'instance', 'list', '--snapshot',
                     'nosuch', expect="No share snapshot with id or name "
                                      "'nosuch'.")
