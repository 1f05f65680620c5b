"""The agent's end of the message transport.

Wraps the configured ``storagemgr.plugins.agent_transport.Transport`` with
the agent's host name, so the runner only deals in plugin names, session
ids and bodies.
"""

from oslo_config import cfg

from storagemgr.plugins import agent_transport

CONF = cfg.CONF


class AgentTransport(object):

    def __init__(self, host=None, transport=None):
        self.host = host or CONF.host
        self._transport = transport or agent_transport.get_transport()

    def send(self, plugin_name, session_id, seq, body):
        self._transport.send(self.host, plugin_name, session_id, seq, body)

    def was_reset(self, plugin_name, session_id):
        """True when the manager asked this session to start again."""
        return self._transport.session_state(
            self.host, plugin_name, session_id) == (
                agent_transport.SESSION_RESET)
