"""Loading of share drivers, volume drivers and storage plugins.

The one place that turns a name from the configuration into code. A name is
either an alias registered in the kind's stevedore namespace or the dotted
path of a class (or, for storage plugins, of a module). An unknown name
raises an error that lists the aliases on offer.
"""

import importlib
from importlib import metadata as importlib_metadata

from oslo_log import log as logging
from stevedore import driver as driver_manager
from stevedore import extension

from storagemgr import compat
from storagemgr import exception

LOG = logging.getLogger(__name__)

SHARE = 'share'
VOLUME = 'volume'
STORAGE_PLUGIN = 'storage_plugin'

NAMESPACES = {
    SHARE: 'storagemgr.share.drivers',
    VOLUME: 'storagemgr.volume.drivers',
    STORAGE_PLUGIN: 'storagemgr.storage_plugins',
}


def available(kind):
    """Sorted aliases declared for ``kind``, loadable or not."""
    return sorted({ep.name for ep in
                   importlib_metadata.entry_points(group=NAMESPACES[kind])})


def _import_dotted(path):
    module_name, _sep, attr = path.rpartition('.')
    try:
        module = importlib.import_module(path)
        return module
    except ImportError:
        if not module_name:
            raise
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attr)
    except AttributeError:
        raise ImportError('%s has no attribute %s' % (module_name, attr))


def load(kind, name, where=''):
    """Return the class (or plugin module) that ``name`` designates.

    :param kind: SHARE, VOLUME or STORAGE_PLUGIN.
    :param name: an alias or a dotted path.
    :param where: words naming where the name came from, for errors
        (for example ``" in section [b1]"``).
    :raises DriverNotFound: the name matches nothing importable.
    """
    name = (name or '').strip()
    if not name:
        raise exception.DriverNotFound(kind=kind.replace('_', ' '),
                                       name=name, where=where,
                                       available=', '.join(available(kind)))
    if name in available(kind):
        try:
            return driver_manager.DriverManager(
                NAMESPACES[kind], name, invoke_on_load=False).driver
        except Exception as e:
            # The alias exists but its code does not import: say so
            # instead of pretending the alias is unknown.
            raise exception.DriverNotFound(
                kind=kind.replace('_', ' '), name=name,
                where='%s (it failed to load: %s)' % (where, e),
                available=', '.join(available(kind)))
    if '.' in name:
        # A driver written for Manila or Cinder imports their modules.
        compat.install()
        try:
            return _import_dotted(name)
        except Exception as e:
            LOG.debug('Could not import %s: %s', name, e)
            raise exception.DriverNotFound(
                kind=kind.replace('_', ' '), name=name,
                where='%s (import failed: %s)' % (where, e),
                available=', '.join(available(kind)))
    raise exception.DriverNotFound(kind=kind.replace('_', ' '), name=name,
                                   where=where,
                                   available=', '.join(available(kind)))


def load_all(kind, on_error=None):
    """Load every registered extension of ``kind``.

    Returns ``{alias: class_or_module}``. Broken extensions are reported
    to ``on_error(alias, exc)`` and left out, so one broken package never
    hides the others.
    """
    loaded = {}

    def _failed(manager, entrypoint, exc):
        LOG.warning('Could not load %s %s: %s', kind, entrypoint.name, exc)
        if on_error is not None:
            on_error(entrypoint.name, exc)

    mgr = extension.ExtensionManager(NAMESPACES[kind], invoke_on_load=False,
                                     on_load_failure_callback=_failed)
    for ext in mgr:
        loaded[ext.name] = ext.plugin
    return loaded
