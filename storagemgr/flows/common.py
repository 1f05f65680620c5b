"""Helpers for flow tasks of every area."""

from oslo_log import log as logging

from storagemgr.db import api as db_api
from storagemgr import exception
from storagemgr.message import api as message_api

LOG = logging.getLogger(__name__)


def error_out(model, resource_id, status='error', expected=None,
              extra=None, action=None, detail=None, failures=None,
              resource_type=None, message_resource=None):
    """Put a resource into an error status, or fail the revert.

    Used by task reverts. ``expected`` restricts the write to rows still in
    one of the given statuses (so a revert never overwrites a later
    transition); a row that moved on or is gone is not an error. A write
    that fails (the database is unreachable, say) raises
    ``OutcomeNotRecorded``: the revert fails, and the flow engine keeps the
    flow so that a resumer runs this revert again, rather than forgetting
    a flow whose resource would stay transitional for ever.

    With ``action`` (what failed: "create", "delete"...), a user message
    is recorded once the status is written, its detail ``detail`` or else
    the reason found in ``failures`` (a revert's ``flow_failures``);
    ``resource_type`` defaults to the one of ``model``. The message is
    about the row written unless ``message_resource`` names another
    ``(resource_type, resource_id)``: the user's share, say, for a failure
    of one of its instances.
    """
    values = dict(extra or {}, status=status)
    try:
        if expected is None:
            db_api.update(model, resource_id, values)
            written = True
        else:
            written = db_api.conditional_update(
                model, resource_id, values, expected={'status': expected})
    except exception.NotFound:
        return False
    except Exception as e:
        LOG.exception('Could not set %(model)s %(id)s to %(status)s',
                      {'model': model.__name__, 'id': resource_id,
                       'status': status})
        raise exception.OutcomeNotRecorded(
            resource=model.__name__, id=resource_id, status=status,
            reason='%s: %s' % (type(e).__name__, e)) from e
    if written and action is not None:
        about_type, about_id = message_resource or (
            resource_type or message_api.resource_type_of(model),
            resource_id)
        message_api.record(
            about_type, about_id, action,
            detail or message_api.reason(flow_failures=failures))
    return written
