"""The backend registry of this process, for code that runs inside flows.

A flow's store holds only a backend's name, because a flow whose process
died is rebuilt and resumed by another process. Its tasks find the driver
here. The CLI and the manager hand over the registry they built, so every
driver call of a process goes to the same driver instances; a process that
registered none (a resumer started before anything else ran) gets one
built from the configuration.
"""

import threading

from oslo_config import cfg

from storagemgr.backend import registry as backend_registry

_LOCK = threading.Lock()
_registry = None


def use_registry(registry):
    """Make ``registry`` the process's (None forgets it; tests do that)."""
    global _registry
    with _LOCK:
        _registry = registry


def get_registry():
    global _registry
    with _LOCK:
        if _registry is None:
            _registry = backend_registry.BackendRegistry(cfg.CONF)
        return _registry


def get_backend(name, kind, context=None):
    """The backend called ``name`` of ``kind``, set up; or a clear error."""
    return get_registry().get(name, kind=kind, context=context)


def driver_for(name, kind, context=None):
    """The set-up driver of backend ``name``."""
    return get_backend(name, kind, context).driver
