"""The share service's periodic tasks, run by the manager.

* ``ensure_shares_at_start`` (order 10, once per manager run): see
  ``storagemgr.share.ensure``.
* ``poll_shares_creating_from_snapshot`` (every ``periodic_interval``):
  finishes shares a driver left in ``creating_from_snapshot`` by asking
  ``get_share_status``. ``available`` (with export locations) and
  ``error`` settle the share; a driver exception, of any class, or a
  malformed answer puts it in ``error``.
* ``poll_share_migrations`` (every ``migration_driver_continue_interval``):
  one ``migration_continue`` of each driver-assisted migration in its
  first phase (see ``storagemgr.share_migration.api.API.poll``).
* ``poll_share_replicas`` (every ``replica_state_update_interval``): one
  ``update_replica_state`` of each secondary replica on the manager's
  backends, then one ``update_replicated_snapshot`` of each of their
  snapshot instances still creating or deleting (see
  ``storagemgr.share_replication.api.API.poll``).
"""

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr.db.models import share as models
from storagemgr import exception
from storagemgr.flows import common
from storagemgr.message import api as message_api
from storagemgr.service import periodic
from storagemgr.share import constants
from storagemgr.share import driver_views
from storagemgr.share import ensure
from storagemgr.share import model_updates
from storagemgr.share import records
from storagemgr.share_migration import api as migration_api
from storagemgr.share_replication import api as replication_api

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

_ONCE = float(2 ** 31)


@periodic.periodic_task(spacing=lambda: _ONCE, order=10)
def ensure_shares_at_start(manager):
    ensure.ensure_all(manager.registry, manager.context)


@periodic.periodic_task(spacing=lambda: CONF.periodic_interval, order=20)
def poll_shares_creating_from_snapshot(manager):
    poll_creating_from_snapshot(manager.registry, manager.context)


@periodic.periodic_task(
    spacing=lambda: CONF.migration_driver_continue_interval, order=30)
def poll_share_migrations(manager):
    migration_api.API(context=manager.context).poll()


@periodic.periodic_task(
    spacing=lambda: CONF.replica_state_update_interval, order=40)
def poll_share_replicas(manager):
    api = replication_api.API(context=manager.context)
    backends = set(manager.registry.names(kind='share'))
    api.poll(backends)
    api.poll_snapshots(backends)


def poll_creating_from_snapshot(registry, context):
    """One poll of every share in creating_from_snapshot; returns count."""
    polled = 0
    for share, instance in records.list_shares(
            status=constants.STATUS_CREATING_FROM_SNAPSHOT):
        try:
            backend = registry.lookup(instance.backend, kind='share')
        except exception.StorageManagerException as e:
            LOG.warning('Cannot poll share %(id)s: %(e)s',
                        {'id': share.id, 'e': e})
            continue
        if not backend.setup(context):
            continue
        polled += 1
        poll_share(backend.driver, share, instance)
    return polled


def poll_share(driver, share, instance):
    """Ask the driver how a share instance's creation goes; record it."""
    expected = [constants.STATUS_CREATING_FROM_SNAPSHOT]
    try:
        update = model_updates.check_share_status(
            driver, driver.get_share_status(
                driver_views.share_view(share, instance),
                share_server=None))
    except Exception as e:
        LOG.error('Share %(id)s failed while being created from a '
                  'snapshot: %(type)s: %(e)s',
                  {'id': share.id, 'type': type(e).__name__, 'e': e})
        common.error_out(models.ShareInstance, instance.id,
                         constants.STATUS_ERROR, expected=expected,
                         extra={'progress': None}, action='create',
                         detail='%s: %s' % (type(e).__name__, e),
                         message_resource=(message_api.SHARE, share.id))
        return
    model_updates.apply_share_created(share.id, update, expected=expected)
