"""The user message API: record, list, show, delete, expiry."""

import datetime
from unittest import mock

from oslo_db import exception as db_exc
from oslo_utils import timeutils
from oslo_utils import uuidutils

from storagemgr.db.models import share as share_models
from storagemgr import exception
from storagemgr.flows import common
from storagemgr.message import api as message_api
from storagemgr.message import periodic as message_periodic
from storagemgr.service import periodic
from storagemgr.tests import base

DAY = 24 * 3600


class MessageApiTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        timeutils.set_time_override(datetime.datetime(2026, 12, 1, 12, 0))
        self.addCleanup(timeutils.clear_time_override)

    def record(self, resource_id='r1', action='create',
               detail='RuntimeError: disk on fire', resource_type='share'):
        return message_api.record(resource_type, resource_id, action,
                                  detail)

    def test_record_returns_the_message(self):
        message = self.record()
        self.assertTrue(uuidutils.is_uuid_like(message['id']))
        self.assertEqual(
            ('share', 'r1', 'create', 'RuntimeError: disk on fire',
             'ERROR'),
            (message['resource_type'], message['resource_id'],
             message['action'], message['detail'],
             message['message_level']))
        self.assertEqual('2026-12-01T12:00:00', message['created_at'])
        self.assertEqual('2026-12-31T12:00:00', message['expires_at'])
        self.assertEqual(message, message_api.get(message['id']))

    def test_list_filters_newest_first(self):
        first = self.record('r1')
        timeutils.advance_time_seconds(1)
        second = self.record('r1', action='delete')
        timeutils.advance_time_seconds(1)
        other = self.record('r2', resource_type='volume')
        self.assertEqual([other['id'], second['id'], first['id']],
                         [m['id'] for m in message_api.list()])
        self.assertEqual([second['id'], first['id']],
                         [m['id'] for m in message_api.list(
                             resource_id='r1')])
        self.assertEqual([other['id']],
                         [m['id'] for m in message_api.list(
                             resource_type='volume')])
        self.assertEqual([], message_api.list(resource_type='volume',
                                              resource_id='r1'))
        self.assertEqual(second, message_api.latest_for('share', 'r1'))
        self.assertIsNone(message_api.latest_for('share', 'r9'))

    def test_delete(self):
        message = self.record()
        message_api.delete(message['id'])
        self.assertEqual([], message_api.list())
        self.assertRaises(exception.NotFound, message_api.delete,
                          message['id'])
        self.assertRaises(exception.NotFound, message_api.get,
                          message['id'])

    def test_ids_are_never_reused(self):
        ids = set()
        for _ in range(3):
            message = self.record()
            message_api.delete(message['id'])
            ids.add(message['id'])
        self.assertEqual(3, len(ids))

    def test_long_detail_is_clipped_to_one_line(self):
        detail = message_api.record('share', 'r1', 'create',
                                    'a\nb ' + 'x' * 5000)['detail']
        self.assertTrue(detail.startswith('a b x'))
        self.assertLessEqual(len(detail), 2000)

    def test_expired_messages_are_hidden_then_removed(self):
        self.flags(message_ttl=DAY, group='message')
        old = self.record('r1')
        timeutils.advance_time_seconds(DAY // 2)
        young = self.record('r2')
        timeutils.advance_time_seconds(DAY // 2)
        # ``old`` has reached its expiry time, ``young`` has not.
        self.assertEqual([young['id']],
                         [m['id'] for m in message_api.list()])
        self.assertRaises(exception.NotFound, message_api.get, old['id'])
        self.assertIsNone(message_api.latest_for('share', 'r1'))
        self.assertEqual(1, message_api.cleanup_expired())
        self.assertEqual(0, message_api.cleanup_expired())
        self.assertRaises(exception.NotFound, message_api.delete, old['id'])
        self.assertEqual(young, message_api.get(young['id']))

    def test_default_ttl_is_thirty_days(self):
        message = self.record()
        timeutils.advance_time_seconds(30 * DAY - 1)
        self.assertEqual(0, message_api.cleanup_expired())
        self.assertEqual(message, message_api.get(message['id']))
        timeutils.advance_time_seconds(1)
        self.assertEqual(1, message_api.cleanup_expired())

    def test_manager_runs_the_cleanup(self):
        self.flags(message_ttl=60, group='message')
        self.record()
        tasks = {t.name: t for t in periodic.all_tasks()}
        task = tasks['storagemgr.message.periodic.delete_expired_messages']
        self.assertEqual(3600, task.spacing())
        timeutils.advance_time_seconds(61)
        task.func(mock.Mock())
        self.assertEqual([], message_api.list())
        self.assertIs(message_periodic.delete_expired_messages, task.func)

    def test_record_never_raises_when_the_write_fails(self):
        with mock.patch.object(message_api.db_api, 'create',
                               side_effect=db_exc.DBError('db is gone')), \
                mock.patch.object(message_api.LOG, 'exception') as log:
            self.assertIsNone(self.record())
        self.assertEqual(1, log.call_count)
        self.assertEqual([], message_api.list())

    def test_record_never_raises_on_a_bad_option(self):
        with mock.patch.object(message_api, '_ttl',
                               side_effect=RuntimeError('broken')):
            self.assertIsNone(self.record())

    def test_failure_detail_only_for_error_statuses(self):
        self.record('r1')
        row = mock.Mock(__tablename__='shares', id='r1', status='error')
        self.assertEqual('RuntimeError: disk on fire',
                         message_api.failure_detail(row))
        row.status = 'available'
        self.assertIsNone(message_api.failure_detail(row))
        row.status = 'error'
        with mock.patch.object(message_api, 'latest_for',
                               side_effect=db_exc.DBError('gone')):
            self.assertIsNone(message_api.failure_detail(row))

    def test_resource_types(self):
        self.assertEqual('share',
                         message_api.resource_type_of(share_models.Share))
        self.assertEqual('share_snapshot', message_api.resource_type_of(
            share_models.ShareSnapshot))


class ErrorOutTestCase(base.TestCase):
    """flows.common.error_out records the message after the status."""

    def _share(self, status='creating'):
        """A share and its instance; returns the instance id.

        Failures are written on the instance and told about the share
        (``message_resource``), as the share flows do.
        """
        from storagemgr.db import api as db_api
        share = db_api.create(share_models.Share, {
            'size': 1, 'share_proto': 'NFS'})
        self.share_id = share.id
        return db_api.create(share_models.ShareInstance, {
            'share_id': share.id, 'host': 'h@b#p', 'backend': 'b',
            'status': status}).id

    def _error_out(self, instance_id, *args, **kwargs):
        return common.error_out(
            share_models.ShareInstance, instance_id, *args,
            message_resource=('share', self.share_id), **kwargs)

    def _failures(self, text='no space left'):
        from taskflow.types import failure
        try:
            raise OSError(text)
        except OSError:
            return {'CreateShareOnBackend': failure.Failure()}

    def test_message_with_the_reason_of_the_failure(self):
        share_id = self._share()
        self.assertTrue(self._error_out(
            share_id, 'error', expected=['creating'],
            action='create', failures=self._failures()))
        [message] = message_api.list()
        self.assertEqual(('share', self.share_id, 'create',
                          'OSError: no space left'),
                         (message['resource_type'], message['resource_id'],
                          message['action'], message['detail']))

    def test_no_message_when_the_row_moved_on(self):
        share_id = self._share('available')
        self.assertFalse(self._error_out(
            share_id, 'error', expected=['creating'],
            action='create', detail='late revert'))
        self.assertEqual([], message_api.list())

    def test_no_message_without_an_action(self):
        share_id = self._share()
        self._error_out(share_id, 'error', expected=['creating'])
        self.assertEqual([], message_api.list())

    def test_status_written_even_if_the_message_is_not(self):
        share_id = self._share()
        with mock.patch.object(message_api.db_api, 'create',
                               side_effect=db_exc.DBError('full')):
            self.assertTrue(self._error_out(
                share_id, 'error',
                expected=['creating'], action='create', detail='boom'))
        from storagemgr.share import records
        self.assertEqual('error',
                         records.active_instance(self.share_id).status)
