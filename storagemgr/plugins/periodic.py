"""The storage plugin runtime inside the manager service.

One periodic task takes pending agent messages to their server plugins,
then runs every due scan; ``storagemgr manager run --once`` therefore
delivers what agents sent and scans every scannable once. When the
manager stops, every plugin instance is torn down.
"""

from oslo_log import log as logging

from storagemgr.plugins import agent_sessions
from storagemgr.plugins import resource_manager
from storagemgr.plugins import scanner
from storagemgr.service import manager as service_manager
from storagemgr.service import periodic

LOG = logging.getLogger(__name__)

_ATTR = '_storage_plugin_runtime'


class Runtime(object):
    """Resource manager, scanners and agent sessions of one manager."""

    def __init__(self):
        self.resource_manager = resource_manager.ResourceManager()
        self.scanners = scanner.ScanDaemon(self.resource_manager)
        self.agents = agent_sessions.AgentSessions(self.resource_manager)

    def tick(self):
        self.resource_manager.load()
        self.agents.process_pending()
        self.scanners.sync()
        self.scanners.run_due()

    def stop(self):
        self.scanners.stop()
        self.agents.stop()


def runtime(manager):
    found = getattr(manager, _ATTR, None)
    if found is None:
        found = Runtime()
        setattr(manager, _ATTR, found)
    return found


@periodic.periodic_task(spacing=lambda: 1.0, order=60)
def run_storage_plugins(manager):
    runtime(manager).tick()


@service_manager.on_stop
def stop_storage_plugins(manager):
    found = getattr(manager, _ATTR, None)
    if found is not None:
        found.stop()
