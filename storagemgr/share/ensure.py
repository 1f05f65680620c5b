"""Ensure shares at manager start: re-export what the backends hold.

Each share backend gets one ``ensure_shares`` call with all its available
shares (or shares in error, which a backend may report as back); a driver
that does not implement it (NotImplementedError) gets ``ensure_share``
per share instead. Returns are checked by ``model_updates``. A failing
driver call is logged and changes nothing: the shares are not in a
transition, and the reference manager does the same. A backend that is
down is skipped.
"""

from oslo_log import log as logging

from storagemgr.share import constants
from storagemgr.share import driver_views
from storagemgr.share import model_updates
from storagemgr.share import records

LOG = logging.getLogger(__name__)

_ENSURED_STATUSES = [constants.STATUS_AVAILABLE, constants.STATUS_ERROR]


def ensure_backend_shares(context, backend_name, driver):
    """Ensure one backend's shares; return how many rows changed."""
    shares = records.list_shares(backend=backend_name,
                                 status=_ENSURED_STATUSES)
    if not shares:
        return 0
    views = [driver_views.share_view(s) for s in shares]
    try:
        try:
            raw = driver.ensure_shares(context, views)
        except NotImplementedError:
            return _ensure_one_by_one(context, driver, views)
        updates = model_updates.check_ensure_shares(
            driver, raw, [s.id for s in shares])
    except Exception as e:
        LOG.error('Ensuring the shares of backend %(backend)s failed: '
                  '%(type)s: %(e)s', {'backend': backend_name,
                                      'type': type(e).__name__, 'e': e})
        return 0
    return sum(1 for share_id, update in updates.items()
               if model_updates.apply_ensure_update(share_id, update))


def _ensure_one_by_one(context, driver, views):
    changed = 0
    for view in views:
        try:
            locations = model_updates.check_ensure_share(
                driver, driver.ensure_share(context, view,
                                            share_server=None))
        except NotImplementedError:
            return changed
        except Exception as e:
            LOG.error('Ensuring share %(id)s failed: %(type)s: %(e)s',
                      {'id': view['id'], 'type': type(e).__name__, 'e': e})
            continue
        if locations and model_updates.apply_ensure_update(
                view['id'], {'export_locations': locations}):
            changed += 1
    return changed


def ensure_all(registry, context):
    """Ensure the shares of every share backend that is up."""
    changed = 0
    for backend in registry:
        if backend.kind.name != 'share':
            continue
        if not backend.setup(context):
            LOG.warning('Not ensuring the shares of backend %s: it is not '
                        'available.', backend.name)
            continue
        changed += ensure_backend_shares(context, backend.name,
                                         backend.driver)
    return changed
