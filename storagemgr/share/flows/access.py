"""Apply and revoke share access rules.

The service layer queues rules (``queued_to_apply``/``queued_to_deny``);
this flow moves them to ``applying``/``denying``, asks the driver through
``update_access`` (or, for drivers that only implement them,
``allow_access``/``deny_access`` one rule at a time) and records the
outcome: applied rules become ``active`` (or what the driver said), denied
rules are deleted. If the driver raises, of any exception class, every
rule of the share still in transition goes to ``error``. Secondary
replicas then get the rules in force (``storagemgr.share_replication
.access``).
"""

from oslo_log import log as logging
from taskflow.patterns import linear_flow

from storagemgr.share import constants
from storagemgr.share import driver_views
from storagemgr.share.flows import base
from storagemgr.share import model_updates
from storagemgr.share import records
from storagemgr.share_replication import access as replica_access

LOG = logging.getLogger(__name__)

_MOVES = ((constants.ACCESS_STATE_QUEUED_TO_APPLY,
           constants.ACCESS_STATE_APPLYING),
          (constants.ACCESS_STATE_QUEUED_TO_DENY,
           constants.ACCESS_STATE_DENYING))


class MarkRulesInTransition(base.ShareTask):
    """Queued rules become applying or denying."""

    def execute(self, share_id, apply_ids, deny_ids):
        model_updates.move_rules(share_id, zip((apply_ids, deny_ids),
                                               _MOVES))

    def revert(self, share_id, **kwargs):
        set_rules_in_transition_to_error(share_id)


def set_rules_in_transition_to_error(share_id):
    try:
        model_updates.rules_in_transition_to_error(share_id)
    except Exception:
        LOG.exception('Could not set the access rules of share %s that '
                      'were in transition to error', share_id)


class UpdateAccessOnBackend(base.ShareTask):
    """One update_access call, or the allow/deny fallback."""

    default_provides = 'access_updates'

    def execute(self, share_id, backend, apply_ids, deny_ids):
        driver = self.driver(backend)
        share = records.share_view(share_id)
        rules = records.list_rules(share_id)
        wanted = [driver_views.access_view(r) for r in rules
                  if r.state in (constants.ACCESS_STATE_ACTIVE,
                                 constants.ACCESS_STATE_APPLYING)]
        add = [driver_views.access_view(r) for r in rules
               if r.id in apply_ids]
        delete = [driver_views.access_view(r) for r in rules
                  if r.id in deny_ids]
        try:
            updates = driver.update_access(self.context, share, wanted, add,
                                           delete, share_server=None)
        except NotImplementedError:
            return self._allow_and_deny(driver, share, add, delete)
        return model_updates.check_access_updates(
            driver, updates, [r.id for r in rules])

    def _allow_and_deny(self, driver, share, add, delete):
        """Fallback: one call per rule; a refused rule alone fails."""
        updates = {}
        for rule in add:
            try:
                driver.allow_access(self.context, share, rule,
                                    share_server=None)
            except Exception as e:
                LOG.warning('Backend refused access rule %(id)s: %(e)s',
                            {'id': rule['id'], 'e': e})
                updates[rule['id']] = {'state': constants.ACCESS_STATE_ERROR}
        for rule in delete:
            try:
                driver.deny_access(self.context, share, rule,
                                   share_server=None)
            except Exception as e:
                LOG.warning('Backend failed to revoke access rule %(id)s: '
                            '%(e)s', {'id': rule['id'], 'e': e})
                updates[rule['id']] = {'state': constants.ACCESS_STATE_ERROR}
        return updates

    def revert(self, share_id, **kwargs):
        set_rules_in_transition_to_error(share_id)


class RecordAccessUpdates(base.ShareTask):

    def execute(self, share_id, access_updates, apply_ids, deny_ids):
        model_updates.apply_access_updates(share_id, access_updates,
                                           apply_ids, deny_ids)


class SyncSecondaryReplicas(base.ShareTask):
    """The rules in force on each secondary replica (never fails)."""

    def execute(self, share_id):
        try:
            replica_access.sync_secondaries(self.context, share_id)
        except Exception:
            LOG.exception('Could not sync the access rules of the '
                          'replicas of share %s', share_id)


def update_access_flow():
    flow = linear_flow.Flow('update_share_access')
    flow.add(MarkRulesInTransition(), UpdateAccessOnBackend(),
             RecordAccessUpdates(), SyncSecondaryReplicas())
    return flow
