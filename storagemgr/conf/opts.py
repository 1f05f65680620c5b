"""Every option storagemgr knows, for oslo-config-generator.

Drivers contribute their options through ``get_driver_options()``, found
through the driver entry points, so the sample always matches the code.
"""

import copy
import itertools

from storagemgr.conf import backend
from storagemgr.conf import coordination
from storagemgr.conf import data
from storagemgr.conf import database
from storagemgr.conf import default
from storagemgr.conf import message
from storagemgr import loading

# Modules whose list_opts() adds groups of their own (storage plugins,
# agents). Imported lazily so a broken area cannot break the generator.
_AREA_OPT_MODULES = (
    'storagemgr.plugins.opts',
    'storagemgr.volume.flows.attach',
    'storagemgr.volume.driver_views',
    'storagemgr.types.opts',
    'storagemgr.scheduler.opts',
)


def _driver_opts():
    opts = []
    for kind in (loading.SHARE, loading.VOLUME):
        for _alias, driver_cls in sorted(loading.load_all(kind).items()):
            getter = getattr(driver_cls, 'get_driver_options', None)
            if getter is not None:
                opts.extend(getter())
    return opts


def _unique(opts):
    seen = {}
    for opt in opts:
        seen.setdefault(opt.dest, opt)
    return [seen[name] for name in sorted(seen)]


def _area_opts():
    import importlib
    groups = []
    for module_name in _AREA_OPT_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        groups.extend(module.list_opts())
    return groups


def list_opts():
    backend_group = backend.list_opts()[0]
    backend_all = backend_group[1] + [
        o for o in _unique(_driver_opts())
        if o.dest not in {b.dest for b in backend_group[1]}]
    return [
        (name, copy.deepcopy(opts)) for name, opts in itertools.chain(
            default.list_opts(),
            database.list_opts(),
            coordination.list_opts(),
            data.list_opts(),
            message.list_opts(),
            [(backend_group[0], backend_all)],
            _area_opts())
    ]
