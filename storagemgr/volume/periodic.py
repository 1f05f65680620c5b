"""The volume service's periodic tasks, run by the manager.

* ``ensure_exports_at_start`` (order 10, once per manager run): as the
  reference volume manager does when it starts, each volume attached to
  this host (``in-use``) gets ``ensure_export`` from its backend's
  driver, so an export a restart lost comes back before anyone uses the
  volume. A driver exception, of any class, puts the volume in ``error``
  with a user message saying why; a backend that is down is skipped (its
  volumes are left as they are, and the next manager start tries again).
"""

from oslo_log import log as logging

from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr.flows import common
from storagemgr.service import periodic
from storagemgr.volume import constants
from storagemgr.volume import driver_views
from storagemgr.volume.flows import attach as attach_flows

LOG = logging.getLogger(__name__)

_ONCE = float(2 ** 31)


@periodic.periodic_task(spacing=lambda: _ONCE, order=10)
def ensure_exports_at_start(manager):
    ensure_exports(manager.registry, manager.context)


def ensure_exports(registry, context):
    """``ensure_export`` of every in-use volume; returns how many failed."""
    failed = 0
    for backend in registry:
        if backend.kind.name != 'volume':
            continue
        volumes = db_api.query(models.Volume, backend=backend.name,
                               status=attach_flows.IN_USE)
        if not volumes:
            continue
        if not backend.setup(context):
            LOG.warning('Not ensuring the exports of backend %s: it is not '
                        'available.', backend.name)
            continue
        for volume in volumes:
            if not _ensure_one(context, backend.driver, volume):
                failed += 1
    return failed


def _ensure_one(context, driver, volume):
    try:
        driver.ensure_export(context, driver_views.volume_view(volume))
    except Exception as e:  # any driver exception, any class
        LOG.error('Re-exporting volume %(id)s failed; setting it to '
                  'error: %(type)s: %(e)s',
                  {'id': volume.id, 'type': type(e).__name__, 'e': e})
        common.error_out(models.Volume, volume.id, constants.VOLUME_ERROR,
                         expected=[attach_flows.IN_USE], action='attach',
                         detail='re-export at start-up failed: %s: %s' % (
                             type(e).__name__, e))
        return False
    return True
