"""The manager's store of storage resources: what plugin sessions report.

A Plugin (``storagemgr.plugins.api.plugin``) collects what its scan found
and sends only the changes through the ``session_*`` calls below; this
module turns them into rows. It is the one writer of the resource graph
in a process and keeps in-memory indexes (parent edges, relation values,
active alerts, each session's local-to-global id map) so that a scan
costs queries proportional to what changed, not to what exists.

Identity of a resource is (class, identifier values, scope): the scope is
the scannable for ScopedId resources and nothing for global ones, which
several scannables may report (``reported_by``). A resource missing from
a session's initial report is deleted; deleting cascades to resources
holding a mandatory reference to it and clears optional references.

Every entry point takes one lock and runs in one transaction; ``batch()``
widens that transaction to a whole scan (the scanner uses it so that an
update scan commits once).
"""

import contextlib
import threading

from oslo_log import log as logging
import sqlalchemy as sa

from storagemgr.db.models import plugin as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.plugins import alerts as plugin_alerts
from storagemgr.plugins import graph as plugin_graph
from storagemgr.plugins import graph_store
from storagemgr.plugins import relation_index
from storagemgr.plugins import statistics_store

LOG = logging.getLogger(__name__)


class _Session(object):
    """One plugin instance's view: its local ids mapped to record ids."""

    __slots__ = ('plugin', 'scannable_id', 'update_period', 'to_global',
                 'resources')

    def __init__(self, plugin, scannable_id, update_period):
        self.plugin = plugin
        self.scannable_id = scannable_id
        self.update_period = update_period
        self.to_global = {}
        self.resources = {}

    def add(self, resource, pk):
        self.to_global[resource._handle] = pk
        self.resources[resource._handle] = resource


class ResourceManager(object):

    def __init__(self, plugin_manager=None):
        self._lock = threading.RLock()
        self._local = threading.local()
        self._plugin_manager = plugin_manager
        self._sessions = {}
        self._loaded = False
        self.graph = plugin_graph.EdgeIndex()
        self.relations = relation_index.RelationIndex()
        self.store = graph_store.GraphStore(self)
        self.alerts = plugin_alerts.AlertBook(self)
        self.stats = statistics_store.StatisticsStore()

    # -- plumbing -----------------------------------------------------------

    @property
    def plugin_manager(self):
        if self._plugin_manager is None:
            from storagemgr.plugins import loader
            self._plugin_manager = loader.get_plugin_manager()
        return self._plugin_manager

    def resource_class(self, plugin_name, class_name):
        return self.plugin_manager.get_resource_class(plugin_name, class_name)

    @contextlib.contextmanager
    def db(self):
        """The current batch's DB session, or a new one committed at exit."""
        current = getattr(self._local, 'db', None)
        if current is not None:
            yield current
            return
        try:
            with db_session.session_scope() as sess:
                self._local.db = sess
                try:
                    yield sess
                finally:
                    self._local.db = None
        except BaseException:
            # The transaction rolled back: the indexes may hold what it
            # wrote. Rebuild them from the database on next use.
            self._invalidate()
            raise

    @contextlib.contextmanager
    def batch(self):
        """Run every session call inside the block in one transaction.

        Attribute updates and statistic samples are queued and written in
        bulk when the block ends.
        """
        with self._lock, self.db() as sess:
            outer = not getattr(self._local, 'batching', False)
            self._local.batching = True
            try:
                yield sess
                if outer:
                    self.flush(sess)
            finally:
                if outer:
                    self._local.batching = False
                    self.store.discard_pending()

    def _batching(self):
        return getattr(self._local, 'batching', False)

    def flush(self, sess):
        self.store.flush_updates(sess)
        self.stats.flush(sess)

    def load(self):
        """Fill the in-memory indexes from the database (once)."""
        with self._lock:
            if self._loaded:
                return
            with self.db() as sess:
                self.graph.populate(sess.execute(sa.select(
                    models.StorageResourceParent.child_id,
                    models.StorageResourceParent.parent_id)))
                self.alerts.populate(sess)
                self.store.populate_relations(sess)
            self._loaded = True

    def _invalidate(self):
        with self._lock:
            self.graph = plugin_graph.EdgeIndex()
            self.relations = relation_index.RelationIndex()
            self.alerts = plugin_alerts.AlertBook(self)
            self._loaded = False

    def reload(self):
        """Rebuild the indexes (another process changed the graph)."""
        self._invalidate()
        self.load()

    def _session(self, scannable_id):
        session = self._sessions.get(scannable_id)
        if session is None:
            raise exception.ScannableNotFound(
                scannable='%s (no open plugin session)' % scannable_id)
        return session

    def _pk(self, session, local_id):
        try:
            return session.to_global[local_id]
        except KeyError:
            raise exception.Invalid(
                'Plugin session for scannable %s: unknown resource handle '
                '%r (report it with update_or_create first).' % (
                    session.scannable_id, local_id))

    # -- roots ----------------------------------------------------------------

    def get_resource(self, scannable_id):
        """The scannable's root resource, built from its stored attributes."""
        self.load()
        with self.db() as sess:
            resource = self.store.build_resource(sess, scannable_id)
        # Lets session_open recognise the root whatever handle it gets.
        resource._scannable_pk = scannable_id
        return resource

    # -- sessions -------------------------------------------------------------

    def session_open(self, plugin, scannable_id, resources, update_period):
        """Start a session with the complete report of a scan.

        Resources of this scannable's scope (and global resources it
        reported before) that are not in ``resources`` are deleted.
        """
        self.load()
        with self._lock, self.db() as sess:
            if scannable_id in self._sessions:
                LOG.info('Replacing the open plugin session of scannable '
                         '%s', scannable_id)
            session = _Session(plugin, scannable_id, update_period)
            self._sessions[scannable_id] = session
            reported = self.store.persist(sess, session, list(resources))
            self.store.cull(sess, session, reported)
            self._record_period(sess, scannable_id, update_period)

    def session_close(self, scannable_id):
        with self._lock:
            self._sessions.pop(scannable_id, None)

    def has_session(self, scannable_id):
        return scannable_id in self._sessions

    def session_add_resources(self, scannable_id, resources):
        with self._lock, self.db() as sess:
            session = self._session(scannable_id)
            self.store.persist(sess, session, list(resources))

    def session_remove_local_resources(self, scannable_id, resources):
        self._remove_resources(scannable_id, resources)

    def session_remove_global_resources(self, scannable_id, resources):
        """Drop this scannable's claim on global resources.

        A global resource is deleted only once no scannable reports it.
        (The reference runtime ignored ``resources`` and recomputed the
        set from the plugin index; here the plugin's list is used.)
        """
        self._remove_resources(scannable_id, resources, only_claim=True)

    def _remove_resources(self, scannable_id, resources, only_claim=False):
        with self._lock, self.db() as sess:
            session = self._session(scannable_id)
            pks = []
            for resource in resources:
                pk = session.to_global.pop(resource._handle, None)
                session.resources.pop(resource._handle, None)
                if pk is not None:
                    pks.append(pk)
            if only_claim:
                self.store.release_claims(sess, scannable_id, pks)
            else:
                self.store.delete(sess, pks)

    def session_update_resource(self, scannable_id, local_id, attrs):
        with self._lock, self.db() as sess:
            session = self._session(scannable_id)
            self.store.update_attributes(
                sess, session, self._pk(session, local_id), local_id, attrs,
                defer=self._batching())

    def session_resource_add_parent(self, scannable_id, local_id,
                                    parent_local_id):
        with self._lock, self.db() as sess:
            session = self._session(scannable_id)
            self.store.add_edges(sess, [(
                self._pk(session, local_id),
                self._pk(session, parent_local_id))])

    def session_resource_remove_parent(self, scannable_id, local_id,
                                       parent_local_id):
        with self._lock, self.db() as sess:
            session = self._session(scannable_id)
            self.store.remove_edge(sess, self._pk(session, local_id),
                                   self._pk(session, parent_local_id))

    def session_update_stats(self, scannable_id, local_id, stats):
        with self._lock, self.db() as sess:
            session = self._session(scannable_id)
            self.stats.add_samples(sess, self._pk(session, local_id), stats,
                                   defer=self._batching())

    def session_notify_alert(self, scannable_id, local_id, active, severity,
                             alert_class, attribute, message=None):
        with self._lock, self.db() as sess:
            session = self._session(scannable_id)
            pk = self._pk(session, local_id)
            if active:
                self.alerts.raise_alert(sess, pk, alert_class, attribute,
                                        severity, message)
            else:
                self.alerts.lower_alert(sess, pk, alert_class)

    def session_update_period(self, scannable_id, seconds):
        with self._lock, self.db() as sess:
            session = self._session(scannable_id)
            session.update_period = seconds
            self._record_period(sess, scannable_id, seconds)

    def _record_period(self, sess, scannable_id, seconds):
        sess.execute(sa.update(models.StorageScannable).where(
            models.StorageScannable.id == scannable_id).values(
                update_period=seconds))

    # -- administration -------------------------------------------------------

    def global_remove_resource(self, pk):
        """Delete a resource and its cascade (scannable removal)."""
        self.load()
        with self._lock, self.db() as sess:
            return self.store.delete(sess, [pk])

    def forget_resources(self, pks):
        """Drop deleted records from every session's map."""
        pks = set(pks)
        for session in self._sessions.values():
            for handle in [h for h, pk in session.to_global.items()
                           if pk in pks]:
                session.to_global.pop(handle, None)
                session.resources.pop(handle, None)

    def set_offline(self, scannable_id, reason):
        """Raise the offline alert of a scannable (idempotent)."""
        self.load()
        with self._lock, self.db() as sess:
            self.alerts.raise_alert(
                sess, scannable_id, plugin_alerts.OFFLINE_ALERT_CLASS, None,
                plugin_alerts.OFFLINE_SEVERITY,
                'Cannot reach the scannable: %s' % reason)

    def set_online(self, scannable_id):
        self.load()
        with self._lock, self.db() as sess:
            self.alerts.lower_alert(sess, scannable_id,
                                    plugin_alerts.OFFLINE_ALERT_CLASS)
