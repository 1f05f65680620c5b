"""Access rules on secondary replicas (R40-R42).

The share's rules and their states live on its active replica. After
they change there, each secondary gets the whole rule set in force, in
one ``update_access`` on its own backend with no added or deleted rules
(a full sync, idempotent): cast to read-only on a readable secondary
(``cast_rules_to_readonly``), as given on a writable one; a ``dr``
driver disregards rules on its secondaries. The outcome is the
secondary's ``access_rules_status``: ``active``, or ``error`` when the
driver raised (of any class) or denied a rule. A replica being created,
deleted or promoted is skipped: those operations pass the rules
themselves.
"""

from oslo_log import log as logging

from storagemgr.backend import process_registry
from storagemgr.db import api as db_api
from storagemgr.share import model_updates
from storagemgr.share_replication import constants
from storagemgr.share_replication.flows import base
from storagemgr.share_replication import records

LOG = logging.getLogger(__name__)

_SYNCED_STATUSES = (constants.STATUS_AVAILABLE, constants.STATUS_ERROR)


def sync_secondaries(context, share_id):
    """Give every settled secondary the share's rules; the count synced.

    A share without secondaries (most of them) costs one query here.
    """
    settled = [replica for replica in records.secondaries(share_id)
               if replica.status in _SYNCED_STATUSES]
    if not settled:
        return 0
    views, _ = base.replica_list(share_id)
    rules = base.access_rules(share_id)
    for replica in settled:
        status = _sync_one(
            context, replica, views[replica.id],
            base.cast_readonly(rules) if replica.cast_rules_to_readonly
            else rules)
        db_api.conditional_update(
            records.Instance, replica.id, {'access_rules_status': status},
            expected={'status': list(_SYNCED_STATUSES)})
    return len(settled)


def _sync_one(context, replica, view, rules):
    try:
        driver = process_registry.driver_for(replica.backend, 'share',
                                             context)
        answer = driver.update_access(context, view, rules, [], [],
                                      share_server=None)
        checked = model_updates.check_access_updates(
            driver, answer, {r['id'] for r in rules})
    except Exception as e:  # any driver exception, any class
        LOG.error('Access rules of share replica %(id)s could not be '
                  'synced: %(type)s: %(e)s',
                  {'id': replica.id, 'type': type(e).__name__, 'e': e})
        return 'error'
    if any(u.get('state') == 'error' for u in checked.values()):
        return 'error'
    return 'active'
