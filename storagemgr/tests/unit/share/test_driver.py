"""Tests of the share driver base class: the generic parts of the contract."""

from unittest import mock

import ddt

from storagemgr.conf import backend as backend_conf
from storagemgr import context as sm_context
from storagemgr import exception
from storagemgr.share import driver
from storagemgr.tests import base


class MinimalDriver(driver.ShareDriver):
    """Implements nothing: every capability comes from the base class."""

    def __init__(self, *args, **kwargs):
        super().__init__(False, *args, **kwargs)


class SnapshottingDriver(MinimalDriver):
    """Implements single-share snapshots only, recording each call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.created, self.deleted, self.cloned = [], [], []
        self.fail_on = {}

    def create_snapshot(self, context, snapshot, share_server=None):
        error = self.fail_on.get(('create', snapshot['id']))
        if error is not None:
            raise error
        self.created.append(snapshot)
        return {'provider_location': 'loc-%s' % snapshot['id']}

    def delete_snapshot(self, context, snapshot, share_server=None):
        error = self.fail_on.get(('delete', snapshot['id']))
        if error is not None:
            raise error
        self.deleted.append(snapshot)

    def create_share_from_snapshot(self, context, share, snapshot,
                                   share_server=None):
        self.cloned.append((share['id'], snapshot))
        return [{'path': 'h:/%s' % share['id'], 'is_admin_only': False,
                 'metadata': {}}]


class BothModesDriver(driver.ShareDriver):
    def __init__(self, *args, **kwargs):
        super().__init__((True, False), *args, **kwargs)


class ExecutingDriver(driver.ExecuteMixin, MinimalDriver):
    pass


def _member(member_id, share_id, size=1):
    share = {'id': share_id, 'size': size, 'share_proto': 'NFS',
             'name': 'share-%s' % share_id}
    return {'id': member_id, 'share_id': share_id, 'share': share,
            'share_group_snapshot_id': 'gs1', 'share_name': share['name'],
            'name': 'share-snapshot-%s' % member_id,
            'provider_location': 'loc-%s' % member_id}


class DriverTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.context = sm_context.get_admin_context()

    def make(self, cls=MinimalDriver, name='b1', **options):
        conf = backend_conf.BackendConfiguration(name)
        conf.append_config_values(cls.get_driver_options())
        for key, value in options.items():
            self.flags(group=name, **{key: value})
        return cls(configuration=conf)


@ddt.ddt
class ShareServerModeTestCase(DriverTestCase):

    @ddt.data((MinimalDriver, None, False),
              (MinimalDriver, False, False),
              (BothModesDriver, True, True),
              (BothModesDriver, False, False))
    @ddt.unpack
    def test_accepted_modes(self, cls, configured, expected):
        options = {}
        if configured is not None:
            options['driver_handles_share_servers'] = configured
        drv = self.make(cls, **options)
        self.assertIs(expected, drv.driver_handles_share_servers)

    def test_unsupported_mode_is_refused(self):
        error = self.assertRaises(exception.InvalidConfigValue, self.make,
                                  driver_handles_share_servers=True)
        self.assertIn('driver_handles_share_servers', str(error))
        self.assertIn('[b1]', str(error))

    def test_both_modes_need_a_choice(self):
        error = self.assertRaises(exception.InvalidConfigValue, self.make,
                                  BothModesDriver)
        self.assertIn('both modes', str(error))

    @ddt.data('True', [], [True, 'no'], None, 1)
    def test_bad_declaration_is_refused(self, declared):
        conf = backend_conf.BackendConfiguration('b1')

        class Declared(driver.ShareDriver):
            def __init__(self, *args, **kwargs):
                super().__init__(declared, *args, **kwargs)

        self.assertRaises(exception.ManilaException, Declared,
                          configuration=conf)

    def test_share_server_steps_are_skipped_without_servers(self):
        drv = self.make()
        self.assertIsNone(drv.setup_server({'network': 'x'}))
        self.assertIsNone(drv.teardown_server({}))


@ddt.ddt
class StatsTestCase(DriverTestCase):

    def test_defaults(self):
        drv = self.make()
        stats = drv.get_share_stats(refresh=True)
        self.assertEqual({
            'share_backend_name': 'b1',
            'driver_handles_share_servers': False,
            'vendor_name': 'Open Source',
            'driver_version': '1.0',
            'storage_protocol': None,
            'total_capacity_gb': 'unknown',
            'free_capacity_gb': 'unknown',
            'reserved_percentage': 0,
            'qos': False,
            'pools': None,
            'snapshot_support': False,
            'create_share_from_snapshot_support': False,
            'revert_to_snapshot_support': False,
            'mount_snapshot_support': False,
            'replication_domain': None,
            'filter_function': None,
            'goodness_function': None,
            'share_group_stats': {'consistent_snapshot_support': None},
            'ipv4_support': True,
            'ipv6_support': False,
        }, stats)

    def test_without_refresh_returns_the_last_stats(self):
        drv = self.make()
        self.assertEqual({}, drv.get_share_stats())
        drv.get_share_stats(refresh=True)
        self.assertEqual('b1', drv.get_share_stats()['share_backend_name'])

    def test_data_and_options_override(self):
        drv = self.make(share_backend_name='gold', replication_domain='r1',
                        reserved_share_percentage=5)
        drv._update_share_stats({
            'driver_version': '2.0', 'storage_protocol': 'NFS',
            'share_group_stats': {'consistent_snapshot_support': 'pool',
                                  'ignored': True}})
        stats = drv.get_share_stats()
        self.assertEqual('gold', stats['share_backend_name'])
        self.assertEqual('r1', stats['replication_domain'])
        self.assertEqual(5, stats['reserved_percentage'])
        self.assertEqual('2.0', stats['driver_version'])
        self.assertEqual({'consistent_snapshot_support': 'pool'},
                         stats['share_group_stats'])

    def test_no_configuration_falls_back_to_generic_name(self):
        drv = MinimalDriver()
        drv._update_share_stats()
        self.assertEqual('Generic_NFS',
                         drv.get_share_stats()['share_backend_name'])

    @ddt.data((MinimalDriver, False, False),
              (SnapshottingDriver, True, True))
    @ddt.unpack
    def test_snapshot_support_follows_overrides(self, cls, snapshots,
                                                from_snapshot):
        drv = self.make(cls)
        self.assertIs(snapshots, drv.snapshots_are_supported)
        self.assertIs(from_snapshot,
                      drv.creating_shares_from_snapshots_is_supported)

    def test_clone_support_needs_snapshots(self):
        class CloneOnly(MinimalDriver):
            def create_share_from_snapshot(self, *args, **kwargs):
                pass

        class CreateOnly(MinimalDriver):
            def create_snapshot(self, *args, **kwargs):
                pass

        self.assertFalse(
            self.make(CloneOnly).creating_shares_from_snapshots_is_supported)
        self.assertFalse(self.make(CreateOnly).snapshots_are_supported)

    def test_has_redefined_driver_methods(self):
        drv = self.make(SnapshottingDriver)
        self.assertTrue(drv._has_redefined_driver_methods('create_snapshot'))
        self.assertTrue(drv._has_redefined_driver_methods(
            ['create_snapshot', 'delete_snapshot']))
        self.assertFalse(drv._has_redefined_driver_methods(
            ('create_snapshot', 'create_share')))
        self.assertFalse(drv._has_redefined_driver_methods('no_such'))


@ddt.ddt
class SetupCheckTestCase(DriverTestCase):

    @ddt.data(1.0, 1.5, 20.0)
    def test_ratio_accepted(self, ratio):
        self.make(max_over_subscription_ratio=ratio).check_for_setup_error()

    @ddt.data(0.0, 0.5, 0.999)
    def test_ratio_refused(self, ratio):
        drv = self.make(max_over_subscription_ratio=ratio)
        error = self.assertRaises(exception.InvalidParameterValue,
                                  drv.check_for_setup_error)
        self.assertIn('max_over_subscription_ratio', str(error))

    def test_driver_options_are_listed(self):
        names = {opt.dest for opt in driver.ShareDriver.get_driver_options()}
        for name in ('max_over_subscription_ratio',
                     'reserved_share_percentage', 'filter_function',
                     'goodness_function', 'share_ip_versions',
                     'driver_handles_share_servers', 'replication_domain',
                     'num_shell_tries'):
            self.assertIn(name, names)


@ddt.ddt
class FunctionsAndIpVersionsTestCase(DriverTestCase):

    def test_filter_and_goodness_from_configuration(self):
        drv = self.make(filter_function='capabilities.qos == False',
                        goodness_function='50')
        self.assertEqual('capabilities.qos == False',
                         drv.get_filter_function())
        self.assertEqual('50', drv.get_goodness_function())

    def test_filter_and_goodness_from_backend_defaults(self):
        drv = self.make()
        self.flags(group='backend_defaults', goodness_function='10')
        self.assertEqual('10', drv.get_goodness_function())

    def test_filter_and_goodness_driver_defaults(self):
        class Opinionated(MinimalDriver):
            def get_default_filter_function(self):
                return 'share.size < 10'

            def get_default_goodness_function(self):
                return '100'

        drv = self.make(Opinionated)
        self.assertEqual('share.size < 10', drv.get_filter_function())
        self.assertEqual('100', drv.get_goodness_function())
        self.assertIsNone(self.make().get_filter_function())

    def test_legacy_drivers_are_ipv4_only(self):
        self.assertEqual([4], self.make().get_configured_ip_versions())

    def test_ipv6_drivers_must_override(self):
        drv = self.make()
        drv.ipv6_implemented = True
        self.assertRaises(NotImplementedError,
                          drv.get_configured_ip_versions)

    @ddt.data(([4], True, False), ([6], False, True),
              ([4, 6], True, True), ([], False, False))
    @ddt.unpack
    def test_add_ip_version_capability(self, versions, v4, v6):
        drv = self.make()
        with mock.patch.object(drv, 'get_configured_ip_versions',
                               return_value=versions):
            data = drv.add_ip_version_capability({'share_backend_name': 'b'})
        self.assertEqual((v4, v6), (data['ipv4_support'],
                                    data['ipv6_support']))

    def test_network_api_narrows_versions_with_share_servers(self):
        drv = self.make(BothModesDriver, driver_handles_share_servers=True)
        drv.network_api = mock.Mock(enabled_ip_versions={6})
        with mock.patch.object(drv, 'get_configured_ip_versions',
                               return_value=[4, 6]):
            data = drv.add_ip_version_capability({'share_backend_name': 'b'})
        self.assertFalse(data['ipv4_support'])
        self.assertTrue(data['ipv6_support'])

    def test_configured_versions_helper(self):
        drv = self.make(share_ip_versions=['6', '4'])
        self.assertEqual([4, 6], drv._ip_versions_from_config())


@ddt.ddt
class GroupFallbackTestCase(DriverTestCase):

    def setUp(self):
        super().setUp()
        self.drv = self.make(SnapshottingDriver)
        self.drv.get_share_stats(refresh=True)
        self.group_snapshot = {
            'id': 'gs1', 'share_group_id': 'g1',
            'share_group_snapshot_members': [
                _member('m1', 's1'), _member('m2', 's2', size=3),
                _member('m3', 's3')]}

    def test_create_snapshots_every_member(self):
        update, members = self.drv.create_share_group_snapshot(
            self.context, self.group_snapshot)
        self.assertIsNone(update)
        self.assertEqual([{'id': 'm1', 'provider_location': 'loc-m1'},
                          {'id': 'm2', 'provider_location': 'loc-m2'},
                          {'id': 'm3', 'provider_location': 'loc-m3'}],
                         members)
        second = [s for s in self.drv.created if s['id'] == 'm2'][0]
        for key in ('share_name', 'name', 'provider_location', 'share',
                    'share_id', 'share_proto', 'size', 'snapshot_id'):
            self.assertIn(key, second)
        self.assertEqual(3, second['size'])
        self.assertIsNone(second['provider_location'])

    @ddt.data(exception.ShareBackendException(msg='boom'),
              RuntimeError('not a storagemgr error'))
    def test_member_failure_cleans_up_and_raises(self, error):
        self.drv.fail_on[('create', 'm3')] = error
        raised = self.assertRaises(type(error),
                                   self.drv.create_share_group_snapshot,
                                   self.context, self.group_snapshot)
        self.assertIs(error, raised)
        # Members run in parallel: the order of the clean-up is not fixed.
        self.assertEqual(['m1', 'm2'],
                         sorted(s['id'] for s in self.drv.deleted))

    def test_cleanup_failure_keeps_original_error(self):
        original = exception.ShareBackendException(msg='create failed')
        self.drv.fail_on[('create', 'm3')] = original
        self.drv.fail_on[('delete', 'm1')] = RuntimeError('cleanup failed')
        raised = self.assertRaises(exception.ShareBackendException,
                                   self.drv.create_share_group_snapshot,
                                   self.context, self.group_snapshot)
        self.assertIs(original, raised)
        self.assertEqual(['m2'], [s['id'] for s in self.drv.deleted])

    def test_no_members(self):
        self.group_snapshot['share_group_snapshot_members'] = []
        self.assertEqual((None, None), self.drv.create_share_group_snapshot(
            self.context, self.group_snapshot))

    def test_stats_not_yet_reported_are_asked_for(self):
        # A driver set up by a CLI process has not reported stats yet.
        drv = self.make(SnapshottingDriver)
        self.assertEqual({}, drv._stats)
        _update, members = drv.create_share_group_snapshot(
            self.context, self.group_snapshot)
        self.assertEqual(3, len(members))

    def test_without_snapshot_support(self):
        drv = self.make()
        drv.get_share_stats(refresh=True)
        self.assertRaises(exception.ShareGroupSnapshotNotSupported,
                          drv.create_share_group_snapshot, self.context,
                          self.group_snapshot)

    def test_delete_removes_every_member(self):
        self.assertEqual((None, None), self.drv.delete_share_group_snapshot(
            self.context, self.group_snapshot))
        self.assertEqual(['loc-m1', 'loc-m2', 'loc-m3'],
                         sorted(s['provider_location']
                                for s in self.drv.deleted))

    def test_create_group_from_group_snapshot(self):
        group = {'id': 'g2', 'shares': [
            {'id': 'n1', 'source_share_group_snapshot_member_id': 'm2'},
            {'id': 'n2', 'source_share_group_snapshot_member_id': 'm1'}]}
        update, shares = self.drv.create_share_group_from_share_group_snapshot(
            self.context, group, self.group_snapshot)
        self.assertIsNone(update)
        self.assertEqual(['n1', 'n2'], [s['id'] for s in shares])
        self.assertEqual('h:/n1', shares[0]['export_locations'][0]['path'])
        cloned = sorted(self.drv.cloned, key=lambda pair: pair[0])
        self.assertEqual([('n1', 'm2'), ('n2', 'm1')],
                         [(sid, snap['id']) for sid, snap in cloned])
        self.assertEqual('loc-m2', cloned[0][1]['provider_location'])

    def test_create_group_from_group_snapshot_mismatch(self):
        group = {'id': 'g2', 'shares': [
            {'id': 'n1', 'source_share_group_snapshot_member_id': 'zz'}]}
        create = self.drv.create_share_group_from_share_group_snapshot
        self.assertRaises(exception.InvalidShareGroup, create,
                          self.context, group, self.group_snapshot)

    def test_create_group_from_empty_group_snapshot(self):
        self.group_snapshot['share_group_snapshot_members'] = []
        self.assertEqual(
            (None, None),
            self.drv.create_share_group_from_share_group_snapshot(
                self.context, {'id': 'g2', 'shares': []},
                self.group_snapshot))

    def test_create_and_delete_group_are_no_ops(self):
        self.assertIsNone(self.drv.create_share_group(self.context,
                                                      {'id': 'g'}))
        self.assertIsNone(self.drv.delete_share_group(self.context,
                                                      {'id': 'g'}))


@ddt.ddt
class ContractStubsTestCase(DriverTestCase):

    @ddt.data(
        ('create_share', 2), ('create_share_from_snapshot', 3),
        ('create_snapshot', 2), ('delete_share', 2), ('delete_snapshot', 2),
        ('ensure_share', 2), ('ensure_shares', 2), ('allow_access', 3),
        ('deny_access', 3), ('update_access', 5), ('extend_share', 2),
        ('shrink_share', 2), ('revert_to_snapshot', 4),
        ('manage_existing', 2), ('manage_existing_snapshot', 2),
        ('get_share_status', 1), ('get_backend_info', 1),
        ('snapshot_update_access', 5), ('migration_start', 5),
        ('migration_continue', 5), ('migration_complete', 5),
        ('migration_cancel', 5), ('migration_get_progress', 5),
        ('create_replica', 5), ('delete_replica', 4),
        ('promote_replica', 4), ('update_replica_state', 5),
        ('create_replicated_snapshot', 3),
        ('revert_to_replicated_snapshot', 7),
        ('delete_replicated_snapshot', 3),
        ('update_replicated_snapshot', 5),
        ('get_network_allocations_number', 0))
    @ddt.unpack
    def test_not_implemented(self, method, nargs):
        drv = self.make()
        self.assertRaises(NotImplementedError, getattr(drv, method),
                          *([None] * nargs))

    def test_generic_defaults(self):
        drv = self.make()
        self.assertEqual({'compatible': False, 'writable': False,
                          'preserve_metadata': False, 'nondisruptive': False,
                          'preserve_snapshots': False},
                         drv.migration_check_compatibility(None, {}, {}))
        self.assertEqual([], drv.update_share_usage_size(None, [{'id': 1}]))
        self.assertEqual(['x'], drv.get_periodic_hook_data(None, ['x']))
        self.assertIsNone(drv.get_pool({'id': 's'}))
        self.assertEqual([], drv.get_share_server_pools(None))
        self.assertIsNone(drv.unmanage({'id': 's'}))
        self.assertIsNone(drv.unmanage_snapshot({'id': 's'}))
        self.assertEqual(0, drv.get_admin_network_allocations_number())

    def test_choose_share_server(self):
        drv = self.make()
        servers = [{'id': 'a'}, {'id': 'b'}]
        self.assertEqual({'id': 'a'},
                         drv.choose_share_server_compatible_with_share(
                             None, servers, {}))
        self.assertEqual({'id': 'b'},
                         drv.choose_share_server_compatible_with_share(
                             None, servers, {},
                             share_group={'share_server_id': 'b'}))
        self.assertIsNone(drv.choose_share_server_compatible_with_share(
            None, servers, {}, share_group={'share_server_id': 'c'}))
        self.assertIsNone(drv.choose_share_server_compatible_with_share(
            None, [], {}))

    def test_network_allocation_without_network_plugin(self):
        drv = self.make()
        self.assertRaises(exception.NetworkBadConfigurationException,
                          drv.allocate_admin_network, None, {}, count=1)
        self.assertRaises(exception.NetworkBadConfigurationException,
                          drv.allocate_network, None, {}, {}, count=1)
        drv.allocate_admin_network(None, {})  # nothing asked, nothing done

    def test_connection_get_info(self):
        drv = self.make(protocol_access_mapping={'ip': 'nfs;cifs',
                                                 'user': 'cifs'})
        share = {'id': 's1', 'share_proto': 'NFS', 'export_locations': [
            {'path': 'h:/user', 'is_admin_only': False},
            {'path': 'adm:/admin', 'is_admin_only': True}]}
        info = drv.connection_get_info(None, share)
        self.assertEqual('mount -vt nfs %(options)s adm:/admin %(path)s',
                         info['mount'])
        self.assertEqual('umount -v %(path)s', info['unmount'])
        self.assertEqual({'ip': ['nfs']}, info['access_mapping'])
        share['share_proto'] = 'CIFS'
        share['export_locations'] = [{'path': 'h:/only',
                                      'is_admin_only': False}]
        info = drv.connection_get_info(None, share)
        self.assertIn('h:/only', info['mount'])
        self.assertEqual({'ip': ['cifs'], 'user': ['cifs']},
                         info['access_mapping'])


@ddt.ddt
class ExecuteMixinTestCase(DriverTestCase):

    def _driver(self, failures, tries=3):
        calls, sleeps = [], []

        def fake_execute(*cmd, **kwargs):
            calls.append(cmd)
            if len(calls) <= failures:
                raise exception.ProcessExecutionError(exit_code=1, cmd=cmd)
            return '', ''

        conf = backend_conf.BackendConfiguration('b1')
        self.flags(group='b1', num_shell_tries=tries)
        drv = ExecutingDriver(configuration=conf, execute=fake_execute,
                              retry_sleep=sleeps.append)
        return drv, calls, sleeps

    @ddt.data(0, 1, 2)
    def test_retries_until_success(self, failures):
        drv, calls, sleeps = self._driver(failures)
        self.assertTrue(drv._try_execute('exportfs', '-ra'))
        self.assertEqual(failures + 1, len(calls))
        self.assertEqual([n ** 2 for n in range(1, failures + 1)], sleeps)

    def test_gives_up_after_num_shell_tries(self):
        drv, calls, sleeps = self._driver(failures=5, tries=3)
        self.assertRaises(exception.ProcessExecutionError,
                          drv._try_execute, 'false')
        self.assertEqual(3, len(calls))
        self.assertEqual([1, 4], sleeps)

    def test_default_runner_uses_no_shell(self):
        from storagemgr.share import driver_execute
        out, _err = driver_execute.execute('echo', 'a;b $HOME')
        self.assertEqual('a;b $HOME\n', out)
        self.assertRaises(exception.ProcessExecutionError,
                          driver_execute.execute, 'false')
        self.assertRaises(exception.ProcessExecutionError,
                          driver_execute.execute, '/no/such/binary')
