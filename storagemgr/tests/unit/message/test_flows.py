"""Flows that put a resource into an error status leave a user message.

The message names the action and the driver's reason, and the resource's
record (what ``show`` prints) carries the latest one while it is in error;
a flow the manager resumed records its message the same way.
"""

from unittest import mock

import ddt
from taskflow.engines.action_engine import engine as tf_engine

from storagemgr.backend import process_registry
from storagemgr import exception
from storagemgr.flows import engine as flow_engine
from storagemgr.message import api as message_api
from storagemgr.share import periodic as share_periodic
from storagemgr.tests import base as test_base
from storagemgr.tests.unit.share import base
from storagemgr.tests.unit.volume import fakes

INJECTED = 'fake driver fault injected in %s'


class _Killed(BaseException):
    """Stands for the process dying: nothing after it runs."""


def _share_create(test):
    test.assertRaises(exception.StorageManagerException, test.make_share)
    return test.only_share().id


def _share_extend(test):
    share_id = test.make_share()['id']
    test.fault('extend_share', raise_='builtins.RuntimeError')
    test.assertRaises(exception.StorageManagerException, test.api.resize,
                      share_id, 2)
    return share_id


def _share_shrink(test):
    share_id = test.make_share(size=2)['id']
    test.fault('shrink_share', raise_='builtins.RuntimeError')
    test.assertRaises(exception.StorageManagerException, test.api.resize,
                      share_id, 1)
    return share_id


def _share_delete(test):
    share_id = test.make_share()['id']
    test.fault('delete_share', raise_='builtins.RuntimeError')
    test.assertRaises(exception.StorageManagerException, test.api.delete,
                      share_id)
    return share_id


def _share_revert(test):
    share_id = test.make_share()['id']
    snapshot_id = test.make_snapshot(share_id)['id']
    test.fault('revert_to_snapshot', raise_='builtins.RuntimeError')
    test.assertRaises(exception.StorageManagerException, test.api.revert,
                      snapshot_id)
    return share_id


@ddt.ddt
class ShareFailureMessageTestCase(base.ShareTestCase):

    def assertMessage(self, resource_type, resource_id, action, method):
        [message] = message_api.list(resource_id=resource_id)
        self.assertEqual((resource_type, action, 'ERROR'),
                         (message['resource_type'], message['action'],
                          message['message_level']))
        self.assertIn('RuntimeError', message['detail'])
        self.assertIn(INJECTED % method, message['detail'])
        return message

    @ddt.unpack
    @ddt.data(
        ('create_share', 'create', 'error', _share_create),
        ('extend_share', 'extend', 'extending_error', _share_extend),
        ('shrink_share', 'shrink', 'shrinking_error', _share_shrink),
        ('delete_share', 'delete', 'error_deleting', _share_delete),
        ('revert_to_snapshot', 'revert', 'reverting_error', _share_revert),
    )
    def test_driver_fault_leaves_a_message(self, method, action, status,
                                           operation):
        self.fault('create_share', raise_='builtins.RuntimeError')
        if method != 'create_share':
            self.driver.clear_faults()
        share_id = operation(self)
        self.assertEqual(status, self.status_of(share_id))
        message = self.assertMessage('share', share_id, action, method)
        shown = self.api.get(share_id)
        self.assertEqual(message['detail'], shown['failure_reason'])

    def test_snapshot_fault_leaves_a_message(self):
        share_id = self.make_share()['id']
        self.fault('create_snapshot', raise_='builtins.RuntimeError')
        self.assertRaises(exception.StorageManagerException,
                          self.make_snapshot, share_id)
        [snapshot] = self.api.list_snapshots(share_id)
        message = self.assertMessage('share_snapshot', snapshot['id'],
                                     'create', 'create_snapshot')
        self.assertEqual(message['detail'],
                         self.api.get_snapshot(snapshot['id'])[
                             'failure_reason'])
        self.assertEqual([], message_api.list(resource_id=share_id))

    def test_no_reason_shown_once_the_resource_recovered(self):
        share_id = self.make_share()['id']
        self.fault('extend_share', raise_='builtins.RuntimeError')
        self.assertRaises(exception.StorageManagerException,
                          self.api.resize, share_id, 2)
        self.assertIsNotNone(self.api.get(share_id)['failure_reason'])
        self.driver.clear_faults()
        self.api.delete(share_id)
        self.assertEqual(1, len(message_api.list(resource_id=share_id)))

    def test_success_leaves_no_message(self):
        share = self.make_share()
        self.assertIsNone(share['failure_reason'])
        self.api.resize(share['id'], 2)
        self.api.delete(share['id'])
        self.assertEqual([], message_api.list())

    def test_resumed_flow_that_fails_leaves_a_message(self):
        # The process "dies" right after the claim and the flow are
        # saved, before any task ran; the manager resumes the flow later
        # and the driver fails then.
        with mock.patch.object(tf_engine.ActionEngine, 'run',
                               side_effect=_Killed()):
            self.assertRaises(_Killed, self.make_share)
        share_id = self.only_share().id
        self.assertEqual('creating', self.status_of(share_id))
        self.assertEqual([], message_api.list())

        self.fault('create_share', raise_='builtins.OSError')
        results = flow_engine.resume_unfinished_flows()

        self.assertEqual(1, len(results))
        self.assertEqual('error', self.status_of(share_id))
        [message] = message_api.list(resource_id=share_id)
        self.assertEqual('create', message['action'])
        self.assertEqual('OSError: ' + INJECTED % 'create_share',
                         message['detail'])
        self.assertEqual(message['detail'],
                         self.api.get(share_id)['failure_reason'])


class PollFailureMessageTestCase(base.ShareTestCase):
    """A share created asynchronously fails while the manager polls it."""

    extra_config = 'fake_async_create_from_snapshot = true\n'

    def test_poll_failure_leaves_a_message(self):
        parent = self.make_share()
        snapshot = self.make_snapshot(parent['id'])
        share = self.api.create('NFS', 1, snapshot_id=snapshot['id'])
        self.fault('get_share_status', raise_='builtins.OSError')
        share_periodic.poll_creating_from_snapshot(
            process_registry.get_registry(), self.api.context)
        self.assertEqual('error', self.status_of(share['id']))
        [message] = message_api.list(resource_id=share['id'])
        self.assertEqual(('create', 'OSError: ' + INJECTED %
                          'get_share_status'),
                         (message['action'], message['detail']))


class VolumeFailureMessageTestCase(test_base.TestCase):

    def setUp(self):
        super().setUp()
        self.api, self.driver = fakes.make_api(self)

    def test_create_fault_leaves_a_message(self):
        self.driver.set_fault('create_volume',
                              exception=RuntimeError('no space on pool'))
        self.assertRaises(exception.StorageManagerException,
                          self.api.create_volume, 'v', size=1)
        volume = self.api.get_volume('v')
        self.assertEqual('error', volume['status'])
        [message] = message_api.list(resource_type='volume')
        self.assertEqual((volume['id'], 'create',
                          'RuntimeError: no space on pool'),
                         (message['resource_id'], message['action'],
                          message['detail']))
        self.assertEqual(message['detail'], volume['failure_reason'])

    def test_extend_and_delete_faults_leave_messages(self):
        volume_id = self.api.create_volume('v', size=1)['id']
        self.driver.set_fault('extend_volume',
                              exception=RuntimeError('extend refused'))
        self.assertRaises(exception.StorageManagerException,
                          self.api.extend_volume, 'v', 2)
        self.assertEqual('extend refused'.join(('RuntimeError: ', '')),
                         self.api.get_volume('v')['failure_reason'])
        self.driver.clear_faults()
        self.driver.set_fault('delete_volume',
                              exception=KeyError('lost track'))
        self.assertRaises(exception.StorageManagerException,
                          self.api.delete_volume, 'v')
        volume = self.api.get_volume('v')
        self.assertEqual('error_deleting', volume['status'])
        self.assertEqual(['delete', 'extend'],
                         [m['action'] for m in message_api.list(
                             resource_id=volume_id)])
        self.assertIn('lost track', volume['failure_reason'])

    def test_snapshot_fault_leaves_a_message(self):
        self.api.create_volume('v', size=1)
        self.driver.set_fault('create_snapshot',
                              exception=RuntimeError('snap failed'))
        self.assertRaises(exception.StorageManagerException,
                          self.api.create_snapshot, 'v', 's')
        snapshot = self.api.get_snapshot('s')
        self.assertEqual('error', snapshot['status'])
        self.assertEqual('RuntimeError: snap failed',
                         snapshot['failure_reason'])
        [message] = message_api.list(resource_type='volume_snapshot')
        self.assertEqual('create', message['action'])

    def test_group_create_fault_leaves_a_message(self):
        self.driver.set_fault('create_consistencygroup',
                              exception=RuntimeError('no group support'))
        self.assertRaises(exception.StorageManagerException,
                          self.api.create_group, 'g')
        group = self.api.get_group('g')
        self.assertEqual('error', group['status'])
        [message] = message_api.list(resource_type='consistency_group')
        self.assertEqual((group['id'], 'create'),
                         (message['resource_id'], message['action']))
        self.assertIn('no group support', message['detail'])
        self.assertEqual(message['detail'], group['failure_reason'])

    def test_group_snapshot_fault_leaves_a_message(self):
        group = self.api.create_group('g')
        self.api.create_volume('v', size=1, group=group['id'])
        self.driver.set_fault('create_cgsnapshot',
                              exception=RuntimeError('quiesce failed'))
        self.assertRaises(exception.StorageManagerException,
                          self.api.create_cgsnapshot, group['id'], 'cgs')
        cgsnapshot = self.api.get_cgsnapshot('cgs')
        self.assertEqual('error', cgsnapshot['status'])
        [message] = message_api.list(
            resource_type='consistency_group_snapshot')
        self.assertEqual((cgsnapshot['id'], 'create'),
                         (message['resource_id'], message['action']))
        self.assertIn('quiesce failed', cgsnapshot['failure_reason'])
