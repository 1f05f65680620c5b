"""Which share driver serves a backend, for the service layer and flows.

A thin share-kind view of ``storagemgr.backend.process_registry``: flows
are rebuilt from their factory when a manager resumes them, so a task
names its backend and looks the driver up here, in the registry the CLI or
the manager installed for the process.
"""

from storagemgr.backend import process_registry

KIND = 'share'

use_registry = process_registry.use_registry
get_registry = process_registry.get_registry


def get_backend(name, context=None):
    """The share backend called ``name``, set up; or a clear error."""
    return process_registry.get_backend(name, KIND, context)


def driver_for(name, context=None):
    return process_registry.driver_for(name, KIND, context)
