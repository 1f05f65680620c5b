"""Share database records: lookups by id or name, listings, guards.

The service layer (``storagemgr.share.api``) uses these; flows use the
small getters. Every state change here is a conditional update, and a
refused one is turned into an error that says what the row's status is
and what the operation needed.
"""

import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db.models import share as models
from storagemgr import exception
from storagemgr.message import api as message_api
from storagemgr.share import constants
from storagemgr.share import driver_views


def _find(model, ref, what):
    if not isinstance(ref, str) or not ref:
        raise exception.InvalidInput(reason='a %s id or name is needed' %
                                     what)
    row = db_api.get_by(model, id=ref)
    if row is not None:
        return row
    rows = db_api.query(model, display_name=ref)
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        raise exception.InvalidInput(
            reason='%d %ss are named %r; use the id' % (
                len(rows), what, ref))
    raise exception.NotFound('No %s with id or name %r.' % (what, ref))


def find_share(ref):
    """The share whose id, or else whose unique name, is ``ref``."""
    return _find(models.Share, ref, 'share')


def find_snapshot(ref):
    return _find(models.ShareSnapshot, ref, 'share snapshot')


def get_share(share_id, session=None):
    return db_api.get(models.Share, share_id, session=session,
                      resource_name='Share')


def get_snapshot(snapshot_id):
    return db_api.get(models.ShareSnapshot, snapshot_id,
                      resource_name='Share snapshot')


def get_rule(rule_id, session=None):
    return db_api.get(models.ShareAccessRule, rule_id, session=session,
                      resource_name='Access rule')


def list_shares(**filters):
    return db_api.query(models.Share, order_by=models.Share.created_at,
                        **filters)


def list_snapshots(**filters):
    return db_api.query(models.ShareSnapshot,
                        order_by=models.ShareSnapshot.created_at, **filters)


def list_rules(share_id, **filters):
    return db_api.query(models.ShareAccessRule,
                        order_by=models.ShareAccessRule.created_at,
                        share_id=share_id, **filters)


def share_record(row):
    """What the CLI and Python callers see of a share."""
    return {
        'id': row.id,
        'name': row.display_name,
        'size': row.size,
        'share_proto': row.share_proto,
        'backend': row.backend,
        'status': row.status,
        'progress': row.progress,
        'export_locations': driver_views.export_locations(
            row.export_locations),
        'snapshot_id': row.snapshot_id,
        'metadata': dict(row.share_metadata or {}),
        'failure_reason': message_api.failure_detail(row),
        'created_at': _iso(row.created_at),
        'updated_at': _iso(row.updated_at),
    }


def snapshot_record(row):
    return {
        'id': row.id,
        'name': row.display_name,
        'share_id': row.share_id,
        'size': row.size,
        'status': row.status,
        'provider_location': row.provider_location,
        'export_locations': driver_views.export_locations(
            row.export_locations),
        'failure_reason': message_api.failure_detail(row),
        'created_at': _iso(row.created_at),
        'updated_at': _iso(row.updated_at),
    }


def rule_record(row):
    return {
        'id': row.id,
        'share_id': row.share_id,
        'access_type': row.access_type,
        'access_to': row.access_to,
        'access_level': row.access_level,
        'state': row.state,
        'created_at': _iso(row.created_at),
    }


def _iso(value):
    return value.isoformat() if value is not None else None


def no_snapshots_criterion():
    """SQL: the share has no snapshots (a guard for delete and abandon)."""
    snapshots = models.ShareSnapshot
    return ~sa.exists().where(snapshots.share_id == models.Share.id)


def no_rules_in_transition_criterion():
    rules = models.ShareAccessRule
    return ~sa.exists().where(sa.and_(
        rules.share_id == models.Share.id,
        rules.state.in_(sorted(constants.ACCESS_TRANSITIONAL_STATES))))


def transition(model, row_id, expected, values, action, what,
               criteria=(), session=None, conditions=None):
    """Move a row from one of ``expected`` statuses, or refuse clearly.

    :param conditions: what ``criteria`` require, in words, for the
        refusal when the status fitted but a criterion did not.
    :raises InvalidState: the row is in another status, or a criterion
        refused it (nothing changed).
    """
    if db_api.conditional_update(model, row_id, values,
                                 expected={'status': list(expected)},
                                 criteria=criteria, session=session):
        return
    current = db_api.get(model, row_id, session=session,
                         resource_name=what)
    if current.status in expected:
        # The status fitted, so an extra criterion refused it.
        raise exception.ConditionNotMet(
            resource=what, id=row_id, status=current.status, action=action,
            conditions=conditions or 'conditions that another operation '
            'changed meanwhile')
    raise exception.InvalidState(resource=what, id=row_id,
                                 status=current.status, action=action,
                                 expected=' or '.join(expected))
