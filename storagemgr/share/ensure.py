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

from storagemgr import hosts
from storagemgr.share import constants
from storagemgr.share import driver_views
from storagemgr.share import model_updates
from storagemgr.share import records

LOG = logging.getLogger(__name__)

_ENSURED_STATUSES = [constants.STATUS_AVAILABLE, constants.STATUS_ERROR]


def ensure_backend_shares(context, backend_name, driver):
    """Ensure one backend's shares; return how many rows changed."""
    pairs = records.list_shares(backend=backend_name,
                                status=_ENSURED_STATUSES)
    if not pairs:
        return 0
    views = [driver_views.share_view(s, i) for s, i in pairs]
    changed = _fill_in_pools(driver, views)
    try:
        try:
            raw = driver.ensure_shares(context, views)
        except NotImplementedError:
            return changed + _ensure_one_by_one(context, driver, views)
        # The driver answers per share instance.
        updates = model_updates.check_ensure_shares(
            driver, raw, [view['id'] for view in views])
    except Exception as e:
        LOG.error('Ensuring the shares of backend %(backend)s failed: '
                  '%(type)s: %(e)s', {'backend': backend_name,
                                      'type': type(e).__name__, 'e': e})
        return changed
    share_of = {view['id']: view['share_id'] for view in views}
    return changed + sum(
        1 for instance_id, update in updates.items()
        if model_updates.apply_ensure_update(share_of[instance_id], update))


def _fill_in_pools(driver, views):
    """Give instances whose host names no pool the driver's pool.

    Shares made before pools were recorded (an upgraded database) have
    ``host@backend`` only; as the reference does at start-up, the driver's
    ``get_pool`` completes it. Returns how many rows changed.
    """
    changed = 0
    for view in views:
        place = hosts.parse(view['host'])
        if place.pool is not None:
            continue
        try:
            pool = driver.get_pool(view)
        except Exception as e:
            LOG.warning('Could not get the pool of share %(id)s: %(e)s',
                        {'id': view['share_id'], 'e': e})
            continue
        if not pool:
            continue
        view['host'] = hosts.join(place.host, place.backend, pool)
        if model_updates.apply_ensure_update(view['share_id'],
                                             {'host': view['host']}):
            changed += 1
    return changed


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
                view['share_id'], {'export_locations': locations}):
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
