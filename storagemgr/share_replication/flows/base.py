"""What replication flow tasks share: the views a driver call needs.

Every replication method receives the whole replica list; ``Call`` reads
it (with the access rules and snapshot instances the method takes) in one
transaction, just before the call, so a resumed task sees the database
as it is then, not as it was when the flow started.
"""

from storagemgr.driver_view import DriverView
from storagemgr.share import constants as share_constants
from storagemgr.share import driver_views
from storagemgr.share.flows import base as share_base
from storagemgr.share import records as share_records
from storagemgr.share_replication import records

ReplicaTask = share_base.ShareTask


def access_rules(share_id, readonly=False):
    """Driver views of the share's rules in force (or being applied).

    ``readonly``: every rule cast to ``ro`` (a readable secondary's).
    """
    views = [driver_views.access_view(rule)
             for rule in share_records.list_rules(share_id)
             if rule.state in (share_constants.ACCESS_STATE_ACTIVE,
                               share_constants.ACCESS_STATE_APPLYING)]
    return cast_readonly(views) if readonly else views


def cast_readonly(rules):
    """Copies of the rule views ``rules``, every one ``ro``."""
    return [DriverView(rule, access_level='ro') for rule in rules]


def replica_list(share_id):
    """``(replica views by id, the active one's view)``."""
    _, views = records.replica_views(share_id)
    active = next((v for v in views.values()
                   if v['replica_state'] == 'active'), None)
    return views, active
