"""Periodic tasks about the backends themselves."""

from oslo_config import cfg

from storagemgr.flows import engine as flow_engine
from storagemgr.scheduler import capacity
from storagemgr.service import periodic

CONF = cfg.CONF


@periodic.periodic_task(spacing=lambda: CONF.backend_stats_interval,
                        order=0)
def refresh_backend_stats(manager):
    """Set up backends that are down, refresh every backend's stats."""
    manager.registry.setup_all(manager.context)


@periodic.periodic_task(spacing=lambda: CONF.backend_stats_interval,
                        order=1)
def reconcile_pool_usage(manager):
    """Correct what storagemgr counts as allocated on this host's pools."""
    prefixes = ['%s@%s#' % (backend.host, backend.name)
                for backend in manager.registry]
    for host in capacity.hosts_of(prefixes):
        capacity.reconcile(host)


@periodic.periodic_task(spacing=lambda: CONF.flow_resume_interval, order=5)
def resume_orphaned_flows(manager):
    """Resume flows whose owning process died (a crashed CLI, say)."""
    # A few seconds of age keeps us off flows whose owner is between
    # saving the flow and taking its lock.
    flow_engine.resume_unfinished_flows(min_age=2.0)
