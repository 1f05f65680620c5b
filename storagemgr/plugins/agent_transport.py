"""How agent messages travel from storage servers to the manager.

A message carries ``(host, plugin_name, session_id, seq, body)``: the
first message of a session has ``seq`` 0 and holds ``start_session``'s
data; later ones count up. The manager accepts only the next number of
the current session; anything else (a lost or repeated message, a
manager that restarted) makes it *reset* the session, and an agent that
finds its session reset starts a new one.

``Transport`` is the interface; ``DatabaseTransport``, the embedded
default, passes messages through the shared database. Another transport
(RabbitMQ, say) implements the same methods and is named by
``[agent] transport_class``.
"""

import abc
import collections
import json

from oslo_config import cfg
from oslo_utils import importutils
import sqlalchemy as sa

from storagemgr.db.models import plugin as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.plugins import opts

CONF = cfg.CONF

_GROUP = opts.AGENT_GROUP

SESSION_OPEN = 'open'
SESSION_RESET = 'reset'

Message = collections.namedtuple(
    'Message', ['id', 'host', 'plugin_name', 'session_id', 'seq', 'body'])


class Transport(object, metaclass=abc.ABCMeta):

    @abc.abstractmethod
    def send(self, host, plugin_name, session_id, seq, body):
        """Queue one message (agent side)."""

    @abc.abstractmethod
    def session_state(self, host, plugin_name, session_id):
        """'open', 'reset', or None when the manager has not seen it."""

    @abc.abstractmethod
    def receive(self, limit=100):
        """The oldest pending messages, as ``Message`` (manager side)."""

    @abc.abstractmethod
    def ack(self, message_ids):
        """Forget messages the manager has handled."""

    @abc.abstractmethod
    def accept(self, host, plugin_name, session_id, seq, scannable_id):
        """Record that ``seq`` of this session was applied."""

    @abc.abstractmethod
    def reset(self, host, plugin_name, session_id):
        """Tell the agent its session must start again."""


class DatabaseTransport(Transport):
    """Messages as rows of ``plugin_agent_messages``."""

    def send(self, host, plugin_name, session_id, seq, body):
        text = json.dumps(body, sort_keys=True, default=str)
        if len(text) > CONF.agent.max_message_bytes:
            raise exception.AgentSessionError(
                session='%s/%s' % (host, plugin_name),
                reason='message of %d bytes exceeds [agent] '
                       'max_message_bytes' % len(text))
        with db_session.session_scope() as sess:
            sess.execute(sa.insert(models.AgentMessage).values(
                host=host, plugin_name=plugin_name, session_id=session_id,
                seq=seq, body=text))

    def session_state(self, host, plugin_name, session_id):
        with db_session.session_scope() as sess:
            row = sess.get(models.AgentSession, (host, plugin_name))
        if row is None or row.session_id != session_id:
            return None
        return row.state

    def receive(self, limit=100):
        table = models.AgentMessage
        with db_session.session_scope() as sess:
            rows = sess.execute(sa.select(table).order_by(table.id).limit(
                limit)).scalars().all()
        found = []
        for row in rows:
            try:
                body = json.loads(row.body)
            except ValueError:
                body = None
            found.append(Message(row.id, row.host, row.plugin_name,
                                 row.session_id, row.seq, body))
        return found

    def ack(self, message_ids):
        table = models.AgentMessage
        with db_session.session_scope() as sess:
            sess.execute(sa.delete(table).where(table.id.in_(
                list(message_ids))))

    def _put_session(self, host, plugin_name, values):
        with db_session.session_scope() as sess:
            row = sess.get(models.AgentSession, (host, plugin_name))
            if row is None:
                sess.add(models.AgentSession(
                    host=host, plugin_name=plugin_name, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)

    def accept(self, host, plugin_name, session_id, seq, scannable_id):
        self._put_session(host, plugin_name, {
            'session_id': session_id, 'last_seq': seq,
            'state': SESSION_OPEN, 'scannable_id': scannable_id})

    def reset(self, host, plugin_name, session_id):
        self._put_session(host, plugin_name, {
            'session_id': session_id, 'state': SESSION_RESET,
            'last_seq': -1})


def get_transport(conf=CONF):
    cls = importutils.import_class(conf.agent.transport_class)
    if not issubclass(cls, Transport):
        raise exception.InvalidConfigValue(
            option='transport_class', section=_GROUP,
            reason='%s is not a storagemgr.plugins.agent_transport.'
                   'Transport' % cls.__name__)
    return cls()
