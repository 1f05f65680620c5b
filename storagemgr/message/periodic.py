"""The manager's periodic cleanup of expired user messages.

``delete_expired_messages`` runs every ``[message] message_reap_interval``
seconds and deletes every message older than its ``expires_at``.
"""

from oslo_config import cfg

from storagemgr.message import api as message_api
from storagemgr.service import periodic

CONF = cfg.CONF


@periodic.periodic_task(spacing=lambda: CONF.message.message_reap_interval,
                        order=90)
def delete_expired_messages(manager):
    message_api.cleanup_expired()
