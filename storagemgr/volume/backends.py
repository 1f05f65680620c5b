"""The volume drivers of this process, by backend name.

Flows keep only the backend's name in their store (a resumed flow runs in
another process), so tasks look the driver up here. The CLI hands over the
registry it already built; a process that has none (the manager resuming
a flow) gets one built from the configuration.
"""

import threading

from storagemgr.backend import registry as backend_registry

_LOCK = threading.Lock()
_registry = None


def use_registry(registry):
    global _registry
    with _LOCK:
        _registry = registry


def get_registry():
    global _registry
    with _LOCK:
        if _registry is None:
            _registry = backend_registry.BackendRegistry()
        return _registry


def driver_for(backend_name):
    """The set-up driver of volume backend ``backend_name``."""
    return get_registry().get(backend_name, kind='volume').driver
