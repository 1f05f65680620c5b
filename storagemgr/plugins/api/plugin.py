"""The Plugin base class: what a plugin implements and what it may call.

A plugin implements ``initial_scan(root)`` (required), and optionally
``update_scan(root)``, ``teardown()``, ``agent_session_start(host_id,
data)`` and ``agent_session_continue(host_id, data)``. Inside them it
reports resources with ``update_or_create``, changes them by assignment
or ``add_parent``/``remove_parent``, drops them with ``remove``, and logs
through ``self.log``.

The runtime never calls those hooks directly; it calls the ``do_*``
wrappers, which keep the guarantees of the API:

* ``initial_scan`` runs once per instance, before any ``update_scan``;
* ``teardown`` never runs concurrently with a scan, no scan runs after
  it, and once ``initial_scan`` was entered ``do_teardown`` calls it even
  if a scan raised;
* after each hook returns, the changes it made (new, removed and changed
  resources, parent edges, statistic samples, alert state changes) are
  sent to the resource manager exactly once; changes made by threads the
  plugin started go out with the next scan.

The resource manager calls used are listed in
``storagemgr.tests.unit.plugins.fake_resource_manager``.
"""

import itertools
import logging
import threading

from oslo_config import cfg

from storagemgr.agent import device_plugin
from storagemgr import exception
from storagemgr.plugins import opts  # noqa: F401  (registers options)

CONF = cfg.CONF

# Agent-side classes, part of this API module for plugin authors.
DevicePlugin = device_plugin.DevicePlugin
DevicePluginMessage = device_plugin.DevicePluginMessage
DevicePluginMessageCollection = device_plugin.DevicePluginMessageCollection


class ResourceIndex(object):
    """A plugin's resources by local handle and by (class, identifier).

    Keys are kept small (a plugin may hold 100,000 resources): one dict
    per class, keyed by the identifier value itself when it has a single
    field.
    """

    def __init__(self):
        self._by_handle = {}
        self._by_class = {}

    @staticmethod
    def _key(id_tuple):
        return id_tuple[0] if len(id_tuple) == 1 else id_tuple

    def add(self, resource):
        klass = type(resource)
        key = self._key(resource.id_tuple())
        per_class = self._by_class.setdefault(klass, {})
        if key in per_class:
            raise exception.PluginProgrammingError(
                plugin=klass._meta.plugin_name,
                reason='duplicate resource %s' % resource.get_label())
        per_class[key] = resource
        self._by_handle[resource._handle] = resource

    def remove(self, resource):
        self._by_handle.pop(resource._handle, None)
        self._by_class.get(type(resource), {}).pop(
            self._key(resource.id_tuple()), None)

    def find(self, klass, id_tuple):
        return self._by_class.get(klass, {}).get(self._key(id_tuple))

    def get(self, klass, **attrs):
        found = self.find(klass, klass.attrs_to_id_tuple(attrs))
        if found is None:
            raise exception.StorageResourceNotFound(
                resource_class=klass.__name__, what=attrs)
        return found

    def by_handle(self, handle):
        return self._by_handle.get(handle)

    def all(self):
        return list(self._by_handle.values())

    def __len__(self):
        return len(self._by_handle)

    def __contains__(self, resource):
        return self._by_handle.get(resource._handle) is resource

    def find_by_attr(self, klass, **attrs):
        """Resources of ``klass`` whose identifier matches the given attrs.

        Identifier attributes not given match anything.
        """
        wanted = klass.attrs_to_id_tuple(attrs, null_missing=True)
        for resource in list(self._by_class.get(klass, {}).values()):
            if all(w is None or w == v
                   for w, v in zip(wanted, resource.id_tuple())):
                yield resource


class Plugin(object):
    """Base class of the one plugin class of every plugin module."""

    #: Internal plugins (the linux one) are hidden from administrators'
    #: lists of plugins one can add scannables for.
    internal = False

    def __init__(self, resource_manager, scannable_id=None):
        self._resource_manager = resource_manager
        self._scannable_id = scannable_id
        self._resource_lock = threading.RLock()
        self._lifecycle_lock = threading.Lock()
        self._handles = itertools.count(1)
        self._index = ResourceIndex()
        self._new = {}
        self._deleted = []
        self._active_alerts = set()
        self._initialized = False
        self._session_open = False
        self._torn_down = False
        self._update_period = CONF.storage_plugins.default_update_period
        self.log = self._make_logger()
        root = resource_manager.get_resource(scannable_id)
        root._handle = next(self._handles)
        self._root_resource = root

    @classmethod
    def plugin_name(cls):
        return getattr(cls, '_plugin_name', None) or (
            cls.__module__.rsplit('.', 1)[-1])

    def _make_logger(self):
        name = self.plugin_name()
        log = logging.getLogger('storagemgr.plugins.%s' % name)
        debug = set(CONF.storage_plugins.debug_plugins)
        if name in debug or '*' in debug:
            log.setLevel(logging.DEBUG)
        return log

    # -- hooks a plugin implements --------------------------------------

    def initial_scan(self, root_resource):
        """Report every resource below ``root_resource``; raise on failure.

        Returning means the scan was complete: anything of this scope
        previously stored and not reported now is deleted.
        """
        raise NotImplementedError()

    def update_scan(self, root_resource):
        """Refresh resources; called every ``update_period`` seconds."""

    def agent_session_start(self, host_id, data):
        """Start from an agent plugin's full report ``data``."""

    def agent_session_continue(self, host_id, data):
        """Apply an agent plugin's later report ``data``."""

    def teardown(self):
        """Release whatever the scans allocated (threads, sockets)."""

    # -- what a plugin calls ------------------------------------------------

    @property
    def update_period(self):
        """Seconds between update scans; assignable in any hook."""
        return self._update_period

    @update_period.setter
    def update_period(self, seconds):
        if isinstance(seconds, bool) or not isinstance(
                seconds, (int, float)) or seconds <= 0:
            raise exception.PluginProgrammingError(
                plugin=self.plugin_name(),
                reason='update_period must be a positive number of '
                       'seconds, not %r' % (seconds,))
        changed = seconds != self._update_period
        self._update_period = seconds
        if changed and self._session_open:
            self._resource_manager.session_update_period(
                self._scannable_id, seconds)

    def update_or_create(self, klass, parents=None, **attrs):
        """Report a resource: (resource, created).

        The identifier attributes in ``attrs`` find an existing resource
        of this session, which gets the other attributes and parents;
        otherwise a new one is created. ``created`` is True for the first
        report in this plugin session.
        """
        parents = list(parents or [])
        with self._resource_lock:
            existing = self._index.find(klass,
                                        klass.attrs_to_id_tuple(attrs))
            if existing is not None:
                for name, value in attrs.items():
                    setattr(existing, name, value)
                for parent in parents:
                    existing.add_parent(parent)
                return existing, False
            resource = klass(parents=parents, **attrs)
            resource.validate()
            resource._handle = next(self._handles)
            self._index.add(resource)
            if self._session_open:
                self._new[resource._handle] = resource
            return resource, True

    def remove(self, resource):
        """Drop a resource; the manager deletes it after this scan."""
        with self._resource_lock:
            if resource not in self._index:
                return
            self._index.remove(resource)
            if self._new.pop(resource._handle, None) is None and (
                    self._session_open):
                self._deleted.append(resource)

    def find_by_attr(self, klass, **attrs):
        """Resources of this session matching part of an identifier."""
        with self._resource_lock:
            return list(self._index.find_by_attr(klass, **attrs))

    def remove_by_attr(self, klass, **attrs):
        """Remove the resources ``find_by_attr`` finds; True if any."""
        found = self.find_by_attr(klass, **attrs)
        for resource in found:
            self.remove(resource)
        return bool(found)

    def get_resource(self, klass, **attrs):
        """The resource of this session with that identifier, or raise."""
        with self._resource_lock:
            return self._index.get(klass, **attrs)

    # -- what the runtime calls -------------------------------------------

    def do_initial_scan(self):
        self._initial_populate(self.initial_scan, self._root_resource)

    def do_periodic_update(self):
        self._update(self.update_scan, self._root_resource)

    def do_agent_session_start(self, data):
        self._initial_populate(self.agent_session_start,
                               self._root_resource.host_id, data)

    def do_agent_session_continue(self, data):
        self._update(self.agent_session_continue,
                     self._root_resource.host_id, data)

    def do_teardown(self):
        """Run teardown (if a scan was entered) and close the session."""
        with self._lifecycle_lock:
            if self._torn_down:
                return
            self._torn_down = True
            try:
                if self._initialized:
                    self.teardown()
            finally:
                if self._session_open:
                    self._session_open = False
                    self._resource_manager.session_close(self._scannable_id)

    def _check_usable(self):
        if self._torn_down:
            raise exception.PluginProgrammingError(
                plugin=self.plugin_name(),
                reason='scan requested after teardown')

    def _initial_populate(self, hook, *args):
        with self._lifecycle_lock:
            self._check_usable()
            if self._initialized:
                raise exception.PluginProgrammingError(
                    plugin=self.plugin_name(),
                    reason='initial scan requested twice; use a new '
                           'plugin instance')
            self._initialized = True
            with self._resource_lock:
                self._index.add(self._root_resource)
            hook(*args)
            with self._resource_lock:
                resources = self._index.all()
                stats = self._take_all_deltas(resources)
                self._resource_manager.session_open(
                    self, self._scannable_id, resources,
                    self._update_period)
                self._session_open = True
                self._commit_stats(stats)
                self._commit_alerts(resources, changed=None,
                                    report_inactive=True)

    def _update(self, hook, *args):
        with self._lifecycle_lock:
            self._check_usable()
            if not self._session_open:
                raise exception.PluginProgrammingError(
                    plugin=self.plugin_name(),
                    reason='update requested before a successful initial '
                           'scan')
            hook(*args)
            with self._resource_lock:
                self._commit()

    # -- delta commit -----------------------------------------------------

    def _take_all_deltas(self, resources):
        stats = []
        for resource in resources:
            deltas = resource.take_deltas()
            if deltas is not None and deltas.stats:
                stats.append((resource, deltas.stats))
        return stats

    def _commit(self):
        rm = self._resource_manager
        sid = self._scannable_id
        self._commit_deletes()
        new = list(self._new.values())
        self._new = {}
        stats = self._take_all_deltas(new)
        if new:
            rm.session_add_resources(sid, new)
        changed = {}
        new_handles = {r._handle for r in new}
        for resource in self._index.all():
            if resource._deltas is None or resource._handle in new_handles:
                continue
            deltas = resource.take_deltas()
            if deltas.attrs:
                rm.session_update_resource(sid, resource._handle,
                                           deltas.attrs)
                changed[resource._handle] = set(deltas.attrs)
            for added, parent in deltas.parents:
                call = (rm.session_resource_add_parent if added
                        else rm.session_resource_remove_parent)
                call(sid, resource._handle, parent._handle)
            if deltas.stats:
                stats.append((resource, deltas.stats))
        self._commit_stats(stats)
        self._commit_alerts(new, changed=None, report_inactive=False)
        self._commit_alerts(
            [self._index.by_handle(h) for h in changed], changed=changed,
            report_inactive=False)

    def _commit_deletes(self):
        if not self._deleted:
            return
        victims = self._cascade(self._deleted)
        self._deleted = []
        scoped = [r for r in victims if r._meta.identifier.scoped]
        unscoped = [r for r in victims if not r._meta.identifier.scoped]
        victim_handles = {r._handle for r in victims}
        self._active_alerts = {a for a in self._active_alerts
                               if a[0] not in victim_handles}
        if scoped:
            self._resource_manager.session_remove_local_resources(
                self._scannable_id, scoped)
        if unscoped:
            self._resource_manager.session_remove_global_resources(
                self._scannable_id, unscoped)

    def _cascade(self, removed):
        """Removed resources plus what must go with them, in the index.

        A resource referring to a victim through a mandatory reference is
        removed as well; an optional reference is cleared (a delta the
        manager also applies itself). Parent edges to victims disappear.
        """
        victims = {id(r): r for r in removed}
        pending = list(removed)
        while pending:
            gone = {id(r) for r in pending}
            pending = []
            for resource in self._index.all():
                refs = resource._meta.reference_attributes
                for name in refs:
                    value = resource._storage_dict.get(name)
                    if value is None or id(value) not in gone:
                        continue
                    if resource._meta.storage_attributes[name].optional:
                        setattr(resource, name, None)
                    elif id(resource) not in victims:
                        victims[id(resource)] = resource
                        pending.append(resource)
                        self._index.remove(resource)
                        self._new.pop(resource._handle, None)
        for resource in self._index.all():
            if resource._parents:
                resource._parents[:] = [
                    p for p in resource._parents if id(p) not in victims]
        return list(victims.values())

    def _commit_stats(self, stats):
        for resource, samples in stats:
            self._resource_manager.session_update_stats(
                self._scannable_id, resource._handle, samples)

    def _commit_alerts(self, resources, changed, report_inactive):
        """Evaluate conditions and send the alert states that changed.

        ``changed`` maps handles to changed attribute names (None: check
        every condition). With ``report_inactive`` every evaluated state
        is sent, so a new session lowers alerts left by an earlier one.
        """
        notify = self._resource_manager.session_notify_alert
        for resource in resources:
            meta = resource._meta
            if not meta.alert_conditions:
                continue
            if changed is None:
                conditions = meta.alert_conditions
            else:
                conditions = [c for name in changed[resource._handle]
                              for c in meta.conditions_by_attribute.get(
                                  name, ())]
            for condition in conditions:
                for alert_class, attribute, active, severity in (
                        condition.test(resource)):
                    key = (resource._handle, alert_class)
                    was_active = key in self._active_alerts
                    if active == was_active and not report_inactive:
                        continue
                    if active:
                        self._active_alerts.add(key)
                    else:
                        self._active_alerts.discard(key)
                    notify(self._scannable_id, resource._handle, active,
                           severity, alert_class, attribute,
                           condition.describe(resource))
