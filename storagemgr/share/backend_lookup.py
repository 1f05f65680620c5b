"""Which share driver serves a backend, for the service layer and flows.

Flows are rebuilt from their factory when a manager resumes them, so a
task cannot be handed a driver object: it names its backend and looks the
driver up here. The process's registry is the one the CLI or the manager
registered with ``use_registry``; a process that registered none (a
resumer started before any share code ran) gets one built from the
configuration.
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


def registry_for_manager(manager):
    """The registry share work of this process uses, in a manager.

    The manager's own registry, unless flows resumed at its start already
    built one (``Manager.start`` resumes flows before any periodic task
    runs): then that one, so every driver call of the process goes to
    the same driver instances.
    """
    global _registry
    with _LOCK:
        if _registry is None:
            _registry = manager.registry
        return _registry


def get_backend(name, context=None):
    """The share backend called ``name``, set up; or a clear error."""
    return get_registry().get(name, kind='share', context=context)


def driver_for(name, context=None):
    return get_backend(name, context).driver
