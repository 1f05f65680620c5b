"""Attaching volumes to this host and detaching them (os-brick, local).

The drivers are the fake one (exports a scratch file, fails on demand) and
the local one (exposes the volume's own file); os-brick's local connector
is the real one. Only the host probe of os-brick's connector properties
is replaced, so no test depends on what this machine has installed.
"""

import os
from unittest import mock

import ddt

from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr.db.models import volume_attachment as attachment_models
from storagemgr import exception
from storagemgr.flows import engine as flow_engine
from storagemgr.message import api as message_api
from storagemgr.tests import base
from storagemgr.tests.unit.volume import fakes
from storagemgr.volume.flows import attach as attach_flows

CONNECTOR = {'platform': 'x86_64', 'os_type': 'linux', 'ip': '127.0.0.1',
             'host': 'test-host', 'multipath': False,
             'enforce_multipath': False}


def _brick_properties(root_helper, my_ip, multipath, enforce_multipath,
                      host=None, execute=None):
    return dict(CONNECTOR, ip=my_ip, host=host, multipath=multipath,
                enforce_multipath=enforce_multipath)


class AttachTestCase(base.TestCase):

    driver_name = 'fake'

    def setUp(self):
        super().setUp()
        self.api, self.driver = fakes.make_api(self, driver=self.driver_name)
        module = attach_flows._brick_connector_module()
        self.probe = self.useFixture_patch(module, 'get_connector_properties',
                                           _brick_properties)
        self.volume = self.api.create_volume('v', size=1)

    def useFixture_patch(self, target, name, new):
        patcher = mock.patch.object(target, name, side_effect=new)
        started = patcher.start()
        self.addCleanup(patcher.stop)
        return started

    def attachments(self):
        return db_api.query(attachment_models.VolumeAttachment)

    def status(self):
        return self.api.get_volume('v')['status']

    def messages(self, action):
        return [m for m in message_api.list('volume', self.volume['id'])
                if m['action'] == action]


@ddt.ddt
class TestAttachStatuses(AttachTestCase):

    def _seen_in(self, method):
        """Record the volume's status while the driver runs ``method``."""
        seen = []
        original = getattr(self.driver, method)

        def spy(*args, **kwargs):
            seen.append(self.status())
            return original(*args, **kwargs)
        self.useFixture_patch(self.driver, method, spy)
        return seen

    @ddt.data(
        # operation, status before, status while the driver works
        # (seen in this driver method), status after.
        ('attach', 'available', 'create_export', 'attaching', 'in-use'),
        ('attach', 'available', 'initialize_connection', 'attaching',
         'in-use'),
        ('detach', 'in-use', 'terminate_connection', 'detaching',
         'available'),
        ('detach', 'in-use', 'remove_export', 'detaching', 'available'),
    )
    @ddt.unpack
    def test_transition(self, operation, before, method, during, after):
        if before == 'in-use':
            self.api.attach('v')
        self.assertEqual(before, self.status())
        seen = self._seen_in(method)
        getattr(self.api, operation)('v')
        self.assertEqual([during], seen)
        self.assertEqual(after, self.status())
        self.assertEqual([], flow_engine.find_unfinished_flows())

    @ddt.data(
        # operation, status it is refused in
        ('attach', 'in-use'), ('attach', 'error'), ('attach', 'attaching'),
        ('attach', 'detaching'), ('attach', 'creating'),
        ('detach', 'available'), ('detach', 'error'),
        ('detach', 'attaching'), ('detach', 'detaching'),
    )
    @ddt.unpack
    def test_refused_in_status(self, operation, status):
        db_api.update(models.Volume, self.volume['id'],
                      {'status': status})
        calls = list(self.driver.calls)
        error = self.assertRaises(exception.InvalidState,
                                  getattr(self.api, operation), 'v')
        self.assertIn(status, str(error))
        self.assertEqual(status, self.status())
        self.assertEqual(calls, self.driver.calls)
        self.assertEqual([], self.attachments())

    def test_attach_records_the_attachment(self):
        attachment = self.api.attach('v')
        path = self.driver.exports[self.volume['id']]
        self.assertEqual(path, attachment['attached_path'])
        self.assertTrue(os.path.exists(path))
        self.assertEqual('local', attachment['driver_volume_type'])
        self.assertEqual('attached', attachment['attach_status'])
        self.assertEqual('rw', attachment['attach_mode'])
        self.assertEqual('test-host', attachment['attached_host'])
        self.assertEqual({'device_path': path, 'access_mode': 'rw'},
                         attachment['connection_info']['data'])
        self.assertEqual('test-host', attachment['connector']['host'])
        self.assertEqual([attachment], self.api.list_attachments('v'))
        # What create_export returned is stored on the volume.
        volume = db_api.get(models.Volume,
                            self.volume['id'])
        self.assertEqual('fake-auth %s' % self.volume['id'],
                         volume.provider_auth)
        # The driver saw the connector os-brick built for this host.
        self.assertEqual('test-host',
                         self.driver.connections[self.volume['id']]['host'])

    def test_detach_removes_everything(self):
        self.api.attach('v')
        path = self.driver.exports[self.volume['id']]
        self.api.detach('v')
        self.assertEqual([], self.attachments())
        self.assertEqual({}, self.driver.exports)
        self.assertEqual({}, self.driver.connections)
        self.assertFalse(os.path.exists(path))
        self.assertEqual(['create_export', 'initialize_connection',
                          'terminate_connection', 'remove_export'],
                         [c for c in self.driver.calls
                          if 'export' in c or 'connection' in c])

    def test_in_use_volume_cannot_be_deleted_or_extended(self):
        self.api.attach('v')
        self.assertRaises(exception.InvalidState, self.api.delete_volume, 'v')
        self.assertRaises(exception.InvalidState, self.api.extend_volume,
                          'v', 2)
        self.assertEqual('in-use', self.status())
        self.assertEqual(1, len(self.attachments()))
        self.api.detach('v')
        self.api.delete_volume('v')
        self.assertEqual([], self.api.list_volumes())

    def test_second_attach_refused(self):
        self.api.attach('v')
        self.assertRaises(exception.InvalidState, self.api.attach, 'v')
        self.assertEqual(1, len(self.attachments()))

    def test_concurrent_attach_refused_by_the_claim(self):
        # Another attach wins between this one's status check and its
        # claim: the claim's conditional update matches no row.
        real = attach_flows.connector_properties
        raced = []

        def race(backend_name):
            if not raced:
                raced.append(None)
                raced[0] = self.api.attach('v')
            return real(backend_name)

        with mock.patch.object(attach_flows, 'connector_properties',
                               side_effect=race):
            self.assertRaises(exception.InvalidState, self.api.attach, 'v')
        self.assertEqual(1, len(raced))
        self.assertEqual([raced[0]['id']],
                         [r.id for r in self.attachments()])
        self.assertEqual('in-use', self.status())
        self.assertEqual(1, self.driver.calls.count('create_export'))

    def test_attachment_row_alone_refuses_the_claim(self):
        # The claim also requires the volume to have no attachment at all.
        db_api.create(attachment_models.VolumeAttachment, {
            'volume_id': self.volume['id'], 'attach_status': 'attached',
            'attach_mode': 'rw'})
        error = self.assertRaises(exception.InvalidVolume, self.api.attach,
                                  'v')
        self.assertIn('already attached', str(error))
        self.assertEqual('available', self.status())
        self.assertNotIn('create_export', self.driver.calls)

    def test_detach_of_in_use_volume_without_attachment(self):
        db_api.update(models.Volume, self.volume['id'],
                      {'status': 'in-use'})
        self.api.detach('v')
        self.assertEqual('available', self.status())
        self.assertNotIn('terminate_connection', self.driver.calls)

    def test_unknown_volume(self):
        self.assertRaises(exception.VolumeNotFound, self.api.attach, 'nope')
        self.assertRaises(exception.VolumeNotFound, self.api.detach, 'nope')


@ddt.ddt
class TestAttachFailures(AttachTestCase):

    def assertNothingAttached(self):
        self.assertEqual('available', self.status())
        self.assertEqual([], self.attachments())
        self.assertEqual({}, self.driver.exports)
        self.assertEqual({}, self.driver.connections)
        self.assertEqual([], flow_engine.find_unfinished_flows())
        exports = os.path.join(self.state_path, 'fake-volume-exports', 'b1')
        if os.path.isdir(exports):
            self.assertEqual([], os.listdir(exports))

    @ddt.data(
        # failing driver method, driver calls made after the failure
        ('create_export', []),
        ('initialize_connection', ['remove_export']),
    )
    @ddt.unpack
    def test_driver_failure(self, method, undo):
        self.driver.set_fault(method, exception=RuntimeError('boom'))
        error = self.assertRaises(exception.VolumeDriverException,
                                  self.api.attach, 'v')
        self.assertIn('boom', str(error))
        self.assertNothingAttached()
        index = self.driver.calls.index(method)
        self.assertEqual(undo, self.driver.calls[index + 1:])
        [message] = self.messages('attach')
        self.assertIn('RuntimeError: boom', message['detail'])

    def test_connect_failure_undoes_every_driver_step(self):
        module = attach_flows._brick_connector_module()
        with mock.patch.object(module.InitiatorConnector, 'factory') as f:
            f.return_value.connect_volume.side_effect = OSError('no device')
            self.assertRaises(exception.VolumeDriverException,
                              self.api.attach, 'v')
        f.return_value.disconnect_volume.assert_called_once_with(
            mock.ANY, None, force=True, ignore_errors=True)
        self.assertEqual(['terminate_connection', 'remove_export'],
                         self.driver.calls[-2:])
        self.assertNothingAttached()
        [message] = self.messages('attach')
        self.assertIn('no device', message['detail'])

    def test_unreadable_device_fails_the_attach(self):
        module = attach_flows._brick_connector_module()
        with mock.patch.object(module.InitiatorConnector, 'factory') as f:
            f.return_value.connect_volume.return_value = {
                'type': 'local', 'path': '/no/such/device'}
            f.return_value.check_valid_device.return_value = False
            error = self.assertRaises(exception.VolumeDriverException,
                                      self.api.attach, 'v')
        self.assertIn('/no/such/device', str(error))
        f.return_value.disconnect_volume.assert_called_once_with(
            mock.ANY, {'type': 'local', 'path': '/no/such/device'},
            force=True, ignore_errors=True)
        self.assertNothingAttached()

    def test_failure_after_connecting_disconnects(self):
        with mock.patch.object(attach_flows.FinishAttachTask, 'execute',
                               side_effect=RuntimeError('db gone')):
            self.assertRaises(exception.VolumeDriverException,
                              self.api.attach, 'v')
        self.assertNothingAttached()

    @ddt.data(
        None, 'not a dict', {'data': {}},
        {'driver_volume_type': 'local', 'data': 'x'},
        {'driver_volume_type': '', 'data': {}},
    )
    def test_bad_connection_info(self, returned):
        with mock.patch.object(self.driver, 'initialize_connection',
                               return_value=returned):
            self.assertRaises(exception.InvalidDriverReturn,
                              self.api.attach, 'v')
        self.assertNothingAttached()

    def test_driver_that_cannot_attach(self):
        with mock.patch.object(
                self.driver, 'initialize_connection',
                side_effect=NotImplementedError()):
            self.assertRaises(exception.VolumeDriverException,
                              self.api.attach, 'v')
        self.assertNothingAttached()

    def test_cleanup_failure_still_makes_it_available(self):
        self.driver.set_fault('initialize_connection',
                              exception=RuntimeError('boom'))
        self.driver.set_fault('remove_export',
                              exception=RuntimeError('stuck'))
        self.assertRaises(exception.VolumeDriverException, self.api.attach,
                          'v')
        self.assertEqual('available', self.status())
        self.assertEqual([], self.attachments())
        [message] = self.messages('attach')
        self.assertIn('boom', message['detail'])
        self.assertIn('stuck', message['detail'])

    def test_connector_failure_refuses_with_nothing_changed(self):
        self.probe.side_effect = OSError('privsep helper missing')
        error = self.assertRaises(exception.VolumeDriverException,
                                  self.api.attach, 'v')
        self.assertIn('connector properties', str(error))
        self.assertEqual([], self.driver.calls[1:])  # only create_volume
        self.assertNothingAttached()
        self.assertEqual([], self.messages('attach'))

    @ddt.data('disconnect', 'terminate_connection', 'remove_export')
    def test_detach_failure_back_in_use_then_retried(self, method):
        self.api.attach('v')
        module = attach_flows._brick_connector_module()
        if method == 'disconnect':
            patcher = mock.patch.object(
                module.InitiatorConnector, 'factory')
            factory = patcher.start()
            factory.return_value.disconnect_volume.side_effect = \
                OSError('busy')
        else:
            self.driver.set_fault(method, exception=RuntimeError('busy'),
                                  times=1)
        try:
            self.assertRaises(exception.VolumeDriverException,
                              self.api.detach, 'v')
        finally:
            if method == 'disconnect':
                patcher.stop()
        self.assertEqual('in-use', self.status())
        [row] = self.attachments()
        self.assertEqual('error_detaching', row.attach_status)
        [message] = self.messages('detach')
        self.assertIn('busy', message['detail'])
        # Detaching again runs every step and succeeds.
        self.api.detach('v')
        self.assertNothingAttached()


class TestLocalAttach(AttachTestCase):

    driver_name = 'local'

    def test_data_written_through_the_attached_path(self):
        attachment = self.api.attach('v')
        path = attachment['attached_path']
        self.assertEqual(self.driver._volume_path(self.volume['id']), path)
        with open(path, 'r+b') as f:
            f.seek(4096)
            f.write(b'written while attached')
        self.api.detach('v')
        # The volume holds it: read its file, and a clone of it.
        with open(self.driver._volume_path(self.volume['id']), 'rb') as f:
            f.seek(4096)
            self.assertEqual(b'written while attached', f.read(22))
        clone = self.api.create_volume('c', source_volume='v')
        with open(self.driver._volume_path(clone['id']), 'rb') as f:
            f.seek(4096)
            self.assertEqual(b'written while attached', f.read(22))

    def test_missing_file_fails_cleanly(self):
        os.unlink(self.driver._volume_path(self.volume['id']))
        error = self.assertRaises(exception.VolumeDriverException,
                                  self.api.attach, 'v')
        self.assertIn('has no file', str(error))
        self.assertEqual('available', self.status())
        self.assertEqual([], self.attachments())

    def test_connector_of_another_host_refused(self):
        view = {'id': self.volume['id']}
        self.assertRaises(exception.VolumeDriverException,
                          self.driver.initialize_connection, view,
                          {'host': 'elsewhere'})
        info = self.driver.initialize_connection(view, {'host': 'test-host'})
        self.assertEqual('local', info['driver_volume_type'])


class TestConnectorProperties(base.TestCase):

    def test_unprivileged_without_root_helper_probes_nothing(self):
        self.flags(root_helper='', my_ip='192.0.2.7', host='h1')
        module = attach_flows._brick_connector_module()
        with mock.patch.object(attach_flows.os, 'geteuid',
                               return_value=1000), \
                mock.patch.object(module,
                                  'get_connector_properties') as probe:
            props = attach_flows.connector_properties('no-such-backend')
        probe.assert_not_called()
        self.assertEqual('h1', props['host'])
        self.assertEqual('192.0.2.7', props['ip'])
        self.assertFalse(props['multipath'])

    def test_root_helper_and_address_passed_to_os_brick(self):
        self.flags(root_helper='sudo -n', my_ip='192.0.2.8', host='h2')
        module = attach_flows._brick_connector_module()
        with mock.patch.object(module, 'get_connector_properties',
                               return_value={'host': 'h2'}) as probe, \
                mock.patch.object(attach_flows, '_set_up_privsep'):
            self.assertEqual({'host': 'h2'},
                             attach_flows.connector_properties('x'))
        probe.assert_called_once_with('sudo -n', '192.0.2.8', False, False,
                                      host='h2')


class TestDriverConstruction(base.TestCase):

    def test_cinder_keywords_accepted(self):
        from storagemgr.volume.drivers import local

        def run(*cmd, **kwargs):
            return 'ran', ''
        db = object()
        driver = local.LocalVolumeDriver(
            configuration=None, host='h1@b1', db=db, execute=run,
            cluster_name='c1', active_backend_id='secondary',
            is_vol_db_empty=True, unknown_keyword=1)
        self.assertEqual(('h1@b1', db, 'c1', 'secondary', True),
                         (driver.host, driver.db, driver.cluster_name,
                          driver.active_backend_id, driver.is_vol_db_empty))
        self.assertIs(run, driver._execute)
        self.assertIsNone(driver.configuration)

    def test_base_driver_cannot_attach_but_exports_nothing(self):
        from storagemgr.volume.drivers import local
        driver = local.LocalVolumeDriver()
        base_cls = local.driver.VolumeDriver
        self.assertIsNone(base_cls.create_export(driver, None, {}, {}))
        self.assertIsNone(base_cls.remove_export(driver, None, {}))
        self.assertIsNone(base_cls.terminate_connection(driver, {}, {}))
        self.assertRaises(NotImplementedError,
                          base_cls.initialize_connection, driver, {}, {})


class TestGroupSnapshotOfAttachedVolume(AttachTestCase):
    """As the reference allows: a group snapshot includes in-use members."""

    def test_in_use_member_is_snapshotted_and_stays_in_use(self):
        self.api.create_group('g')
        self.api.update_group('g', add_volumes=['v'])
        self.api.attach('v')
        cgsnapshot = self.api.create_cgsnapshot('g', 'cgs')
        self.assertEqual('available', cgsnapshot['status'])
        self.assertEqual('in-use', self.status())
        self.assertEqual(1, len(self.attachments()))
