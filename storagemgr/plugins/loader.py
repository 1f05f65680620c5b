"""Finds, checks and registers storage plugin modules.

Plugins come from the ``storagemgr.storage_plugins`` entry points (name
-> module) and from the module names in ``[storage_plugins] modules``;
a plugin's name is the last component of its module name, which is also
the name of the agent device plugin feeding it. A module that fails to
import or breaks an API rule is recorded in ``errored_plugins`` with the
reason and the others still load (one broken plugin never stops the
rest).

Once all are loaded, relations naming ``('plugin', 'Class')`` are
resolved and each Provide/Subscribe is mirrored on the other side, so
both ends carry the same key (see ``storagemgr.plugins.api.relations``).
"""

import importlib
from importlib import metadata
import threading

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr import exception
from storagemgr.plugins.api import base_resource
from storagemgr.plugins.api import relations
from storagemgr.plugins.api import resources as api_resources
from storagemgr.plugins import opts  # noqa: F401  (registers options)
from storagemgr.plugins import validation

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

ENTRY_POINT_GROUP = 'storagemgr.storage_plugins'
API_PSEUDO_PLUGIN = 'api'


class LoadedPlugin(object):
    """One loaded plugin: its module, Plugin class and resource classes."""

    def __init__(self, name, module):
        self.name = name
        self.module = module
        self.version = getattr(module, 'version', None)
        self.plugin_class = validation.plugin_classes(module)[0]
        self.plugin_class._plugin_name = name
        self.resource_classes = validation.resource_classes(module)
        for cls in self.resource_classes.values():
            _rename_plugin(cls, name)

    @property
    def scannable_classes(self):
        return {n: c for n, c in self.resource_classes.items()
                if issubclass(c, api_resources.ScannableResource)}

    def describe(self):
        return {'name': self.name, 'version': self.version,
                'module': self.module.__name__,
                'internal': bool(self.plugin_class.internal),
                'resource_classes': sorted(self.resource_classes),
                'scannable_classes': sorted(self.scannable_classes),
                'error': None}


def _rename_plugin(cls, name):
    meta = cls._meta
    if meta.plugin_name == name:
        return
    if meta.label == '%s.%s' % (meta.plugin_name, meta.class_name):
        meta.label = '%s.%s' % (name, meta.class_name)
    meta.plugin_name = name


def _api_resource_classes():
    return {n: c for n, c in vars(api_resources).items()
            if isinstance(c, type)
            and issubclass(c, base_resource.BaseStorageResource)}


def configured_modules(conf=CONF):
    """[(plugin name, module name)] from entry points, then the config."""
    found = []
    disabled = set(conf.storage_plugins.disabled)
    for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP),
                     key=lambda e: e.name):
        found.append((ep.name, ep.value.split(':', 1)[0]))
    for module_name in conf.storage_plugins.modules:
        module_name = module_name.strip()
        if module_name:
            found.append((module_name.rsplit('.', 1)[-1], module_name))
    return [(n, m) for n, m in found if n not in disabled]


class PluginManager(object):
    """The loaded plugins and their resource classes.

    ``errored_plugins`` maps the name of each plugin that could not be
    loaded to the reason (an exception whose text names the problem).
    """

    def __init__(self, modules=None, conf=CONF):
        self.loaded_plugins = {}
        self.errored_plugins = {}
        for name, module_name in (configured_modules(conf)
                                  if modules is None else modules):
            self._load(name, module_name)
        self.resolve_relations()

    def _load(self, name, module_name):
        if name in self.loaded_plugins or name in self.errored_plugins:
            self.errored_plugins.setdefault(
                name, exception.PluginProgrammingError(
                    plugin=name, reason='duplicate plugin name (module %s)'
                    % module_name))
            return
        try:
            module = importlib.import_module(module_name)
            problems = validation.module_problems(module)
            if problems:
                raise exception.PluginProgrammingError(
                    plugin=name, reason='; '.join(problems))
            self.loaded_plugins[name] = LoadedPlugin(name, module)
        except Exception as exc:  # one broken plugin never stops others
            LOG.error('Storage plugin %s (%s) not loaded: %s', name,
                      module_name, exc)
            self.errored_plugins[name] = exc

    # -- lookups -----------------------------------------------------------

    def _plugin(self, name):
        try:
            return self.loaded_plugins[name]
        except KeyError:
            if name in self.errored_plugins:
                raise exception.PluginProgrammingError(
                    plugin=name, reason=str(self.errored_plugins[name]))
            raise exception.PluginNotFound(
                name=name, available=', '.join(sorted(self.loaded_plugins))
                or 'none')

    def get_plugin(self, name):
        return self._plugin(name)

    def get_plugin_class(self, name):
        return self._plugin(name).plugin_class

    def get_resource_class(self, plugin_name, class_name):
        """The class a resource_class_key() names, or raise NotFound."""
        if plugin_name == API_PSEUDO_PLUGIN:
            classes = _api_resource_classes()
        else:
            classes = self._plugin(plugin_name).resource_classes
        try:
            return classes[class_name]
        except KeyError:
            raise exception.StorageResourceNotFound(
                resource_class='%s.%s' % (plugin_name, class_name),
                what='that name: the plugin declares %s' % (
                    ', '.join(sorted(classes)) or 'no classes'))

    def all_resource_classes(self):
        """Every resource class of every loaded plugin (api ones too)."""
        found = list(_api_resource_classes().values())
        for loaded in self.loaded_plugins.values():
            found.extend(loaded.resource_classes.values())
        return found

    def list_plugins(self):
        described = [p.describe() for p in self.loaded_plugins.values()]
        for name, exc in self.errored_plugins.items():
            described.append({'name': name, 'version': None, 'module': None,
                              'internal': False, 'resource_classes': [],
                              'scannable_classes': [], 'error': str(exc)})
        return sorted(described, key=lambda d: d['name'])

    # -- relations ---------------------------------------------------------

    def _resolve_target(self, target):
        if not isinstance(target, tuple):
            return target
        try:
            return self.get_resource_class(*target)
        except exception.StorageManagerException:
            return None

    def resolve_relations(self):
        """Resolve class names in relations and mirror each relation."""
        classes = self.all_resource_classes()
        for cls in classes:
            cls._meta.provides = []
            cls._meta.subscriptions = []
            cls._meta.relations = []
        for cls in classes:
            for relation in cls._meta.orig_relations:
                target = self._resolve_target(relation.target)
                if target is None:
                    LOG.info('%s: relation %r names a plugin or class that '
                             'is not loaded; ignored', cls.__name__,
                             relation)
                    continue
                self._mirror(cls, relation, target, classes)

    @staticmethod
    def _mirror(cls, relation, target, classes):
        own_kind, other_kind = (
            (relations.Provide, relations.Subscribe)
            if isinstance(relation, relations.Provide)
            else (relations.Subscribe, relations.Provide))
        own = own_kind(target, relation.attributes, relation.ignorecase)
        own._key = relation.key
        cls._meta.relations.append(own)
        own_list = ('provides' if own_kind is relations.Provide
                    else 'subscriptions')
        other_list = ('subscriptions' if own_list == 'provides'
                      else 'provides')
        getattr(cls._meta, own_list).append(own)
        for other in classes:
            if not issubclass(other, target) or not all(
                    a in other._meta.storage_attributes
                    for a in relation.attributes):
                continue
            mirror = other_kind(cls, relation.attributes,
                                relation.ignorecase)
            mirror._key = relation.key
            getattr(other._meta, other_list).append(mirror)


_manager = None
_manager_lock = threading.Lock()


def get_plugin_manager():
    """The process-wide PluginManager, loaded on first use."""
    global _manager
    with _manager_lock:
        if _manager is None:
            _manager = PluginManager()
        return _manager


def reset_plugin_manager():
    """Forget the loaded plugins (tests, configuration reloads)."""
    global _manager
    with _manager_lock:
        _manager = None
