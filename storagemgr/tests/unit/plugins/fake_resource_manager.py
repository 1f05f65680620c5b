"""An in-memory stand-in for the resource manager, for plugin tests.

It implements the session calls the Plugin base makes and records them
(``calls``), keeping a minimal view of the stored resources so tests can
check what a plugin reported.
"""


class FakeResourceManager(object):
    """Records every session call; keeps resources by (scannable, handle)."""

    def __init__(self, roots=None):
        self.roots = dict(roots or {})
        self.calls = []
        self.sessions = {}
        self.resources = {}
        self.alerts = {}
        self.stats = {}
        self.update_periods = {}

    def add_root(self, scannable_id, resource):
        self.roots[scannable_id] = resource

    def get_resource(self, scannable_id):
        return self.roots[scannable_id]

    def _record(self, name, *args):
        self.calls.append((name,) + args)

    def calls_named(self, name):
        return [c for c in self.calls if c[0] == name]

    def session_open(self, plugin, scannable_id, resources, update_period):
        self._record('session_open', scannable_id, list(resources),
                     update_period)
        self.sessions[scannable_id] = plugin
        self.update_periods[scannable_id] = update_period
        self.resources[scannable_id] = {r._handle: r for r in resources}

    def session_close(self, scannable_id):
        self._record('session_close', scannable_id)
        self.sessions.pop(scannable_id, None)

    def session_add_resources(self, scannable_id, resources):
        self._record('session_add_resources', scannable_id, list(resources))
        for r in resources:
            self.resources[scannable_id][r._handle] = r

    def session_remove_local_resources(self, scannable_id, resources):
        self._record('session_remove_local_resources', scannable_id,
                     list(resources))
        for r in resources:
            self.resources[scannable_id].pop(r._handle, None)

    def session_remove_global_resources(self, scannable_id, resources):
        self._record('session_remove_global_resources', scannable_id,
                     list(resources))
        for r in resources:
            self.resources[scannable_id].pop(r._handle, None)

    def session_update_resource(self, scannable_id, local_id, attrs):
        self._record('session_update_resource', scannable_id, local_id,
                     dict(attrs))

    def session_resource_add_parent(self, scannable_id, local_id,
                                    parent_local_id):
        self._record('session_resource_add_parent', scannable_id, local_id,
                     parent_local_id)

    def session_resource_remove_parent(self, scannable_id, local_id,
                                       parent_local_id):
        self._record('session_resource_remove_parent', scannable_id,
                     local_id, parent_local_id)

    def session_update_stats(self, scannable_id, local_id, stats):
        self._record('session_update_stats', scannable_id, local_id, stats)
        per = self.stats.setdefault((scannable_id, local_id), {})
        for name, samples in stats.items():
            per.setdefault(name, []).extend(samples)

    def session_notify_alert(self, scannable_id, local_id, active, severity,
                             alert_class, attribute, message):
        self._record('session_notify_alert', scannable_id, local_id, active,
                     severity, alert_class, attribute, message)
        key = (scannable_id, local_id, alert_class)
        if active:
            self.alerts[key] = message
        else:
            self.alerts.pop(key, None)

    def session_update_period(self, scannable_id, seconds):
        self._record('session_update_period', scannable_id, seconds)
        self.update_periods[scannable_id] = seconds
