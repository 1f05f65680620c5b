"""Runs device plugins and sends what they report.

Each device plugin gets one session at a time: a fresh instance whose
``start_session()`` result is message 0, then ``update_session()``
results numbered on. A session the manager reset (it lost or refused a
message) is torn down and replaced by a new one with a new id.
"""

import uuid

from oslo_log import log as logging

from storagemgr.agent import device_plugin

LOG = logging.getLogger(__name__)


class AgentSession(object):
    """One device plugin instance and its message numbering."""

    def __init__(self, name, plugin_cls):
        self.name = name
        self.id = str(uuid.uuid4())
        self.seq = -1
        self.plugin = plugin_cls(self)

    def next_seq(self):
        self.seq += 1
        return self.seq


class AgentRunner(object):

    def __init__(self, transport, plugins=None):
        """Run ``plugins`` ({name: DevicePlugin subclass}).

        The default is every plugin of ``storagemgr.agent.device_plugins``.
        """
        self.transport = transport
        if plugins is None:
            plugins, errors = device_plugin.find_device_plugins()
            for name, error in sorted(errors.items()):
                LOG.error('Device plugin %s cannot be loaded: %s', name,
                          error)
        self.plugins = dict(plugins)
        self.sessions = {}

    def run_once(self):
        """Send one report per plugin; return how many messages went."""
        sent = 0
        for name in sorted(self.plugins):
            try:
                sent += self._report(name)
            except Exception:
                LOG.exception('Device plugin %s failed; its session starts '
                              'again next time', name)
                self._end(name)
        return sent

    def _report(self, name):
        session = self.sessions.get(name)
        if session is not None and self.transport.was_reset(name,
                                                            session.id):
            LOG.info('The manager reset session %s of %s', session.id, name)
            self._end(name)
            session = None
        if session is None:
            session = AgentSession(name, self.plugins[name])
            self.sessions[name] = session
            bodies = device_plugin.message_bodies(
                session.plugin.start_session())
            if not bodies:
                bodies = [None]
        else:
            bodies = device_plugin.message_bodies(
                session.plugin.update_session())
        for body in bodies:
            self.transport.send(name, session.id, session.next_seq(), body)
        return len(bodies)

    def _end(self, name):
        session = self.sessions.pop(name, None)
        if session is not None:
            try:
                session.plugin.teardown()
            except Exception:
                LOG.exception('Teardown of device plugin %s failed', name)

    def stop(self):
        for name in list(self.sessions):
            self._end(name)
