"""How a volume backend's driver is constructed.

The backend registry calls ``build(backend)`` when it sets a backend up;
keeping construction here lets it follow the reference manager's
conventions for this family without the registry knowing them.

Cinder's volume manager builds a driver with keywords only::

    driver_cls(configuration=..., db=..., host='<host>@<backend>',
               cluster_name=..., is_vol_db_empty=...,
               active_backend_id=...)

A driver whose constructor takes those keywords (by name, or through
``**kwargs``, as Cinder drivers and storagemgr's ``VolumeDriver`` do) gets
the ones it takes; any other driver gets ``configuration=`` only. The values:

* ``db``: ``cinder.db`` as storagemgr serves it
  (``storagemgr.compat.cinder.db``, read calls only);
* ``host``: ``<[backend] backend_host or [DEFAULT] host>@<backend>``;
* ``cluster_name``: None (storagemgr runs no clusters);
* ``is_vol_db_empty``: whether the backend has no volume records;
* ``active_backend_id``: None (no replication fail-over).
"""

import importlib
import inspect

from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models

CINDER_KWARGS = ('db', 'host', 'cluster_name', 'is_vol_db_empty',
                 'active_backend_id')


def _accepted(driver_cls, names):
    """The subset of ``names`` the constructor of ``driver_cls`` takes.

    A constructor with ``**kwargs`` takes them all (storagemgr's own
    ``VolumeDriver`` documents and keeps them).
    """
    try:
        parameters = inspect.signature(driver_cls).parameters
    except (TypeError, ValueError):
        return ()
    if any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
        return tuple(names)
    by_name = (inspect.Parameter.POSITIONAL_OR_KEYWORD,
               inspect.Parameter.KEYWORD_ONLY)
    return tuple(name for name in names
                 if name in parameters and parameters[name].kind in by_name)


def cinder_kwargs(backend):
    """The keywords Cinder's volume manager would pass for ``backend``."""
    return {
        # Imported here: storagemgr's own code imports the compat layer
        # only when it builds a driver that asks for Cinder's keywords.
        'db': importlib.import_module('storagemgr.compat.cinder.db'),
        'host': '%s@%s' % (backend.host, backend.name),
        'cluster_name': None,
        'is_vol_db_empty': db_api.count(models.Volume,
                                        backend=backend.name) == 0,
        'active_backend_id': None,
    }


def build(backend):
    """A new, not yet set up, driver for ``backend``."""
    driver_cls = backend.spec.driver_cls
    kwargs = {'configuration': backend.configuration}
    wanted = _accepted(driver_cls, CINDER_KWARGS)
    if wanted:
        extra = cinder_kwargs(backend)
        kwargs.update((name, extra[name]) for name in wanted)
    return driver_cls(**kwargs)
