"""The fake share driver: the contract in memory, delays and faults."""

import ddt

from storagemgr.conf import backend as backend_conf
from storagemgr import context as sm_context
from storagemgr import exception
from storagemgr.share.drivers import fake
from storagemgr.share.drivers import fake_faults
from storagemgr.tests import base


def _share(share_id='s1', size=1):
    return {'id': share_id, 'name': 'share-%s' % share_id, 'size': size,
            'share_proto': 'NFS'}


def _snapshot(snapshot_id, share):
    return {'id': snapshot_id, 'share_id': share['id'], 'share': share,
            'size': share['size']}


class CustomError(Exception):
    """Not a storagemgr exception: the manager must cope with any class."""


class FakeDriverTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.context = sm_context.get_admin_context()
        self.slept = []
        self.driver = self.make_driver()

    def make_driver(self, name='f1', **options):
        conf = backend_conf.BackendConfiguration(name)
        conf.append_config_values(fake.FakeShareDriver.get_driver_options())
        for key, value in options.items():
            self.flags(group=name, **{key: value})
        drv = fake.FakeShareDriver(configuration=conf,
                                   sleep=self.slept.append)
        drv.do_setup(self.context)
        drv.check_for_setup_error()
        return drv


class ContractTestCase(FakeDriverTestCase):

    def test_share_lifecycle(self):
        share = _share()
        locations = self.driver.create_share(self.context, share)
        self.assertEqual([{'path': 'test-host:/fake/f1/s1',
                           'is_admin_only': False, 'metadata': {}}],
                         locations)
        self.driver.extend_share(share, 3)
        self.driver.set_used_size('s1', 2)
        self.assertRaises(exception.ShareShrinkingPossibleDataLoss,
                          self.driver.shrink_share, share, 1)
        self.driver.shrink_share(share, 2)
        self.assertEqual(2, self.driver.shares['s1']['size'])
        self.driver.delete_share(self.context, share)
        self.driver.delete_share(self.context, share)
        self.assertEqual({}, self.driver.shares)

    def test_snapshot_clone_and_revert(self):
        share = _share()
        self.driver.create_share(self.context, share)
        self.driver.shares['s1']['content'] = {'f': 'before'}
        snapshot = _snapshot('sn1', share)
        update = self.driver.create_snapshot(self.context, snapshot)
        self.assertEqual('fake-snapshot-sn1', update['provider_location'])
        self.driver.shares['s1']['content']['f'] = 'after'
        self.driver.revert_to_snapshot(self.context, snapshot, [], [])
        self.assertEqual({'f': 'before'}, self.driver.shares['s1']['content'])
        self.driver.create_share_from_snapshot(self.context, _share('c1'),
                                               snapshot)
        self.assertEqual({'f': 'before'}, self.driver.shares['c1']['content'])
        self.driver.delete_snapshot(self.context, snapshot)
        self.assertRaises(exception.SnapshotResourceNotFound,
                          self.driver.revert_to_snapshot, self.context,
                          snapshot, [], [])

    def test_access(self):
        share = _share()
        self.driver.create_share(self.context, share)
        rule = {'id': 'r1', 'access_type': 'ip', 'access_to': '10.0.0.1',
                'access_level': 'rw'}
        self.assertEqual({'r1': {'state': 'active', 'access_key': None}},
                         self.driver.update_access(self.context, share,
                                                   [rule], [rule], []))
        self.driver.update_access(self.context, share, [], [], [rule])
        self.assertEqual({}, self.driver.shares['s1']['rules'])

    def test_manage_and_ensure(self):
        update = self.driver.manage_existing(_share('m1'), {'size': 4})
        self.assertEqual(4, update['size'])
        self.assertEqual(
            {'m1': 'available', 'x': 'error'},
            {k: v['status'] for k, v in self.driver.ensure_shares(
                self.context, [_share('m1'), _share('x')]).items()})
        self.driver.unmanage(_share('m1'))
        self.assertNotIn('m1', self.driver.shares)

    def test_async_create_from_snapshot(self):
        drv = self.make_driver('f2', fake_async_create_from_snapshot=True,
                               fake_async_polls=3)
        share = _share()
        drv.create_share(self.context, share)
        drv.create_snapshot(self.context, _snapshot('sn1', share))
        self.assertEqual({'status': 'creating_from_snapshot'},
                         drv.create_share_from_snapshot(
                             self.context, _share('c1'),
                             _snapshot('sn1', share)))
        statuses = [drv.get_share_status(_share('c1'))['status']
                    for _ in range(3)]
        self.assertEqual(['creating_from_snapshot', 'creating_from_snapshot',
                          'available'], statuses)

    def test_group_snapshot_through_fallback(self):
        for sid in ('s1', 's2'):
            self.driver.create_share(self.context, _share(sid))
        self.driver.get_share_stats(refresh=True)
        members = [{'id': 'm%s' % n, 'share_id': sid, 'share': _share(sid),
                    'share_group_snapshot_id': 'gs'}
                   for n, sid in enumerate(('s1', 's2'))]
        _none, updates = self.driver.create_share_group_snapshot(
            self.context, {'id': 'gs', 'share_group_id': 'g',
                           'share_group_snapshot_members': members})
        self.assertEqual({'m0', 'm1'}, set(self.driver.snapshots))
        self.assertEqual(['m0', 'm1'], [u['id'] for u in updates])

    def test_replication(self):
        replicas = [{'id': 'r0', 'share_id': 's1', 'replica_state': 'active'},
                    {'id': 'r1', 'share_id': 's1'}]
        created = self.driver.create_replica(self.context, replicas,
                                             replicas[1], [], [])
        self.assertEqual('in_sync', created['replica_state'])
        self.assertEqual('in_sync', self.driver.update_replica_state(
            self.context, replicas, replicas[1], [], []))
        promoted = self.driver.promote_replica(self.context, replicas,
                                               replicas[1], [])
        self.assertEqual({'r0': 'in_sync', 'r1': 'active'},
                         {r['id']: r['replica_state'] for r in promoted})
        self.assertRaises(exception.SnapshotResourceNotFound,
                          self.driver.update_replicated_snapshot,
                          self.context, replicas, replicas[1], [],
                          {'id': 'x', 'status': 'deleting'})
        self.assertEqual([{'id': 'x', 'status': 'deleted'}],
                         self.driver.delete_replicated_snapshot(
                             self.context, replicas, [{'id': 'x'}]))
        self.driver.delete_replica(self.context, replicas, [], replicas[1])
        self.assertEqual({}, self.driver.replicas)

    def test_two_phase_migration(self):
        share = _share()
        self.driver.create_share(self.context, share)
        self.driver.create_snapshot(self.context, _snapshot('sn1', share))
        args = (self.context, share, _share('dest'), [], {'sn1': {
            'id': 'dsn1'}})
        self.assertTrue(self.driver.migration_check_compatibility(
            self.context, share, _share('dest'))['compatible'])
        self.driver.migration_start(*args)
        self.assertFalse(self.driver.migration_continue(*args))
        self.assertEqual({'total_progress': 50},
                         self.driver.migration_get_progress(*args))
        self.assertTrue(self.driver.migration_continue(*args))
        result = self.driver.migration_complete(*args)
        self.assertEqual({'dsn1'}, set(result['snapshot_updates']))
        self.assertIn('dest', self.driver.shares)
        self.assertNotIn('s1', self.driver.shares)
        self.assertRaises(exception.InvalidShare,
                          self.driver.migration_continue, *args)

    def test_stats(self):
        self.driver.create_share(self.context, _share(size=10))
        stats = self.driver.get_share_stats(refresh=True)
        self.assertEqual(990.0, stats['free_capacity_gb'])
        self.assertTrue(stats['snapshot_support'])
        self.assertTrue(stats['revert_to_snapshot_support'])
        self.assertEqual('f1', stats['pools'][0]['pool_name'])


@ddt.ddt
class FaultTestCase(FakeDriverTestCase):

    def test_configured_delays_use_injected_sleep(self):
        drv = self.make_driver('f3', fake_delays={'create_share': '0.05'},
                               fake_default_delay=0.01)
        drv.create_share(self.context, _share())
        drv.delete_share(self.context, _share())
        self.assertEqual([0.05, 0.01], self.slept)

    def test_no_delay_by_default(self):
        self.driver.create_share(self.context, _share())
        self.assertEqual([], self.slept)

    @ddt.data('builtins.RuntimeError',
              'storagemgr.exception.ShareBackendException',
              'storagemgr.tests.unit.share.drivers.test_fake.CustomError')
    def test_configured_raise(self, path):
        drv = self.make_driver('f4', fake_raise={'create_share': path})
        try:
            drv.create_share(self.context, _share())
        except Exception as e:  # noqa: B902 - any class may be configured
            error = e
        else:
            self.fail('create_share did not raise')
        self.assertEqual(path.rsplit('.', 1)[1], type(error).__name__)
        self.assertIn('create_share', str(error))
        self.assertEqual({}, drv.shares)

    def test_unknown_exception_class_refused_at_setup(self):
        self.assertRaises(exception.InvalidConfigValue, self.make_driver,
                          'f5', fake_raise={'create_share': 'no.such.Err'})

    def test_bad_return_kind_refused_at_setup(self):
        self.assertRaises(exception.InvalidConfigValue, self.make_driver,
                          'f6', fake_return={'create_share': 'weird'})

    @ddt.data(('create_share', 'malformed', fake_faults.MALFORMED_VALUE),
              ('create_share', 'none', None),
              ('create_share', 'empty', []),
              ('create_snapshot', 'error_status',
               {'provider_location': 'fake-snapshot-sn1', 'size': 1,
                'status': 'error'}),
              ('create_snapshot', 'unknown_status',
               {'provider_location': 'fake-snapshot-sn1', 'size': 1,
                'status': fake_faults.UNKNOWN_STATUS_VALUE}))
    @ddt.unpack
    def test_set_fault_return(self, method, kind, expected):
        share = _share()
        if method != 'create_share':
            self.driver.create_share(self.context, share)
        self.driver.set_fault(method, return_=kind)
        call = {'create_share': lambda: self.driver.create_share(
            self.context, share),
            'create_snapshot': lambda: self.driver.create_snapshot(
                self.context, _snapshot('sn1', share))}[method]
        self.assertEqual(expected, call())

    def test_missing_size_on_manage(self):
        self.driver.set_fault('manage_existing', return_='missing_size')
        update = self.driver.manage_existing(_share('m1'), {'size': 2})
        self.assertNotIn('size', update)
        self.assertIn('export_locations', update)

    def test_error_status_on_update_access(self):
        share = _share()
        self.driver.create_share(self.context, share)
        self.driver.set_fault('update_access', return_='error_status')
        rule = {'id': 'r1', 'access_type': 'ip', 'access_to': '1.1.1.1',
                'access_level': 'rw'}
        self.assertEqual('error', self.driver.update_access(
            self.context, share, [rule], [rule], [])['r1']['state'])

    def test_error_status_on_replica_state(self):
        self.driver.set_fault('update_replica_state', return_='error_status')
        self.assertEqual('error', self.driver.update_replica_state(
            self.context, [], {'id': 'r'}, [], []))

    def test_set_fault_raise_and_clear(self):
        self.driver.set_fault('delete_share', raise_=CustomError, delay=2)
        self.assertRaises(CustomError, self.driver.delete_share,
                          self.context, _share())
        self.assertEqual([2], self.slept)
        self.driver.clear_faults()
        self.driver.delete_share(self.context, _share())

    def test_set_fault_with_instance(self):
        error = exception.ShareBackendException(msg='disk on fire')
        self.driver.set_fault('create_snapshot', raise_=error)
        self.assertIs(error, self.assertRaises(
            exception.ShareBackendException, self.driver.create_snapshot,
            self.context, {'id': 'x', 'share_id': 's'}))

    def test_set_fault_on_group_fallback_member(self):
        for sid in ('s1', 's2'):
            self.driver.create_share(self.context, _share(sid))
        self.driver.get_share_stats(refresh=True)
        self.driver.set_fault('create_snapshot', raise_=RuntimeError)
        members = [{'id': 'm1', 'share_id': 's1', 'share': _share('s1')}]
        self.assertRaises(RuntimeError,
                          self.driver.create_share_group_snapshot,
                          self.context, {'id': 'g', 'share_group_id': 'g',
                                         'share_group_snapshot_members':
                                         members})

    @ddt.data(('no_such_method', {}),
              ('create_share', {'return_': 'bogus'}),
              ('create_share', {'raise_': 'nope.Nope'}),
              ('create_share', {'raise_': 'builtins.len'}))
    @ddt.unpack
    def test_set_fault_refuses_mistakes(self, method, kwargs):
        self.assertRaises(exception.InvalidInput, self.driver.set_fault,
                          method, **kwargs)

    def test_calls_are_recorded(self):
        self.driver.create_share(self.context, _share())
        self.driver.ensure_share(self.context, _share())
        self.assertEqual(['create_share', 'ensure_share'], self.driver.calls)
