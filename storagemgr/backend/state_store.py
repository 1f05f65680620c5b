"""Persists each backend's last known state, for other processes to read."""

from oslo_log import log as logging

from storagemgr.db import api as db_api
from storagemgr.db.models import backend as backend_models

LOG = logging.getLogger(__name__)


def save(backend):
    values = {
        'name': backend.name,
        'kind': backend.kind.name,
        'driver': backend.driver_name,
        'host': backend.host,
        'state': backend.state,
        'error': backend.error,
        'stats': backend.stats or None,
    }
    db_api.upsert(backend_models.BackendState, values)


def load_all():
    return {row.name: row.to_dict()
            for row in db_api.query(backend_models.BackendState)}
