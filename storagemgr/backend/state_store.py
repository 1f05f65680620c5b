"""Persists each backend's last known state, for other processes to read."""

import datetime

from oslo_log import log as logging

from storagemgr.db import api as db_api
from storagemgr.db.models import backend as backend_models

LOG = logging.getLogger(__name__)


def _utc(timestamp):
    """Seconds since the epoch as the naive UTC datetime the DB keeps."""
    if timestamp is None:
        return None
    return datetime.datetime.fromtimestamp(
        timestamp, datetime.timezone.utc).replace(tzinfo=None)


def save(backend):
    values = {
        'name': backend.name,
        'kind': backend.kind.name,
        'driver': backend.driver_name or '',
        'host': backend.host,
        'state': backend.state,
        'error': backend.error,
        'stats': backend.stats or None,
        'next_attempt_at': _utc(backend.next_attempt_at),
    }
    db_api.upsert(backend_models.BackendState, values)


def load_all():
    return {row.name: row.to_dict()
            for row in db_api.query(backend_models.BackendState)}
