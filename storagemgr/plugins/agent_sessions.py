"""Manager side of agent sessions: messages to server plugins.

Each ``(host, plugin)`` pair has one server plugin instance rooted at an
``api.PluginAgentResources`` resource, created (with its scannable row,
kind ``agent``) the first time the host sends data for that plugin. A
message numbered 0 starts a new session (``agent_session_start``); the
next number of the current session continues it
(``agent_session_continue``); any other number, or a plugin failure,
resets the session so the agent starts over with a full report.
"""

import json

from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from storagemgr.db.models import plugin as models
from storagemgr.plugins import agent_transport
from storagemgr.plugins import service

LOG = logging.getLogger(__name__)


class _Live(object):
    __slots__ = ('session_id', 'seq', 'plugin', 'scannable_id')

    def __init__(self, session_id, seq, plugin, scannable_id):
        self.session_id = session_id
        self.seq = seq
        self.plugin = plugin
        self.scannable_id = scannable_id


class AgentSessions(object):

    def __init__(self, resource_manager, transport=None):
        self.rm = resource_manager
        self.transport = transport or agent_transport.get_transport()
        self.live = {}

    def process_pending(self, limit=100):
        """Handle every queued message; return how many were handled."""
        handled = 0
        while True:
            messages = self.transport.receive(limit)
            if not messages:
                return handled
            for message in messages:
                self.handle(message)
            self.transport.ack([m.id for m in messages])
            handled += len(messages)

    def handle(self, message):
        key = (message.host, message.plugin_name)
        try:
            if message.seq == 0:
                self._start(key, message)
                return True
            live = self.live.get(key)
            if (live is None or live.session_id != message.session_id or
                    message.seq != live.seq + 1):
                LOG.info('Agent session %s of %s/%s: message %s out of '
                         'order; resetting', message.session_id,
                         message.host, message.plugin_name, message.seq)
                self._reset(key, message)
                return False
            with self.rm.batch():
                live.plugin.do_agent_session_continue(message.body)
            live.seq = message.seq
            self.transport.accept(message.host, message.plugin_name,
                                  message.session_id, message.seq,
                                  live.scannable_id)
            return True
        except Exception:
            LOG.exception('Agent data of %s for plugin %s failed; '
                          'resetting its session', message.host,
                          message.plugin_name)
            self._reset(key, message)
            return False

    def _start(self, key, message):
        self._drop(key)
        cls = self.rm.plugin_manager.get_plugin_class(message.plugin_name)
        scannable_id = self.host_scannable(message.host,
                                           message.plugin_name)
        plugin = cls(self.rm, scannable_id)
        self.live[key] = _Live(message.session_id, 0, plugin, scannable_id)
        with self.rm.batch():
            plugin.do_agent_session_start(message.body)
        self.transport.accept(message.host, message.plugin_name,
                              message.session_id, 0, scannable_id)
        with self.rm.db() as sess:
            sess.execute(sa.update(models.StorageScannable).where(
                models.StorageScannable.id == scannable_id).values(
                    state='online', last_scan_at=timeutils.utcnow()))

    def _reset(self, key, message):
        self._drop(key)
        self.transport.reset(message.host, message.plugin_name,
                             message.session_id)

    def _drop(self, key):
        live = self.live.pop(key, None)
        if live is not None:
            try:
                live.plugin.do_teardown()
            except Exception:
                LOG.exception('Teardown of agent plugin %s/%s failed', *key)

    def host_scannable(self, host, plugin_name):
        """The id of the host's root for ``plugin_name``, made if new."""
        from storagemgr.plugins.api import resources
        sc = models.StorageScannable
        with self.rm.db() as sess:
            rows = sess.execute(sa.select(
                sc.id, sc.plugin_name, models.StorageResource.attrs).join(
                    models.StorageResource,
                    models.StorageResource.id == sc.id).where(
                        sc.kind == 'agent')).all()
            host_ids = {}
            for row in rows:
                if row.plugin_name == plugin_name and self._host_of(
                        row.attrs) == host:
                    return row.id
                attrs = json.loads(row.attrs)
                host_ids[attrs.get('host_name')] = attrs.get('host_id')
            host_id = host_ids.get(host)
            if host_id is None:
                host_id = 1 + max([h for h in host_ids.values()
                                   if isinstance(h, int)] or [0])
            root = resources.PluginAgentResources(
                host_id=host_id, plugin_name=plugin_name, host_name=host)
            pk = service.create_root(self.rm, sess, root, plugin_name,
                                     kind='agent', host=host)
            LOG.info('Registered host %s as a scannable of the %s plugin '
                     '(id %s)', host, plugin_name, pk)
            return pk

    @staticmethod
    def _host_of(text):
        return json.loads(text).get('host_name')

    def stop(self):
        for key in list(self.live):
            self._drop(key)
