"""Rows of the resource graph: writing reports, culling and cascading.

The ResourceManager owns the lock, the sessions and the indexes; this
module does the SQL for it. Writes are batched (one INSERT ... RETURNING
per dependency level, bulk UPDATEs by primary key) and skip rows whose
attributes and label did not change.
"""

import json
import types

from oslo_log import log as logging
import sqlalchemy as sa

from storagemgr.db.models import plugin as models
from storagemgr import exception

LOG = logging.getLogger(__name__)

R = models.StorageResource
_REF = '$ref'


def dumps(doc):
    return json.dumps(doc, sort_keys=True, separators=(',', ':'),
                      default=str)


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def plain_value(attribute, value):
    """A JSON-ready value as the attribute serialises it."""
    if value is None:
        return None
    to_json = getattr(type(attribute), 'to_json', None)
    base_to_json = _base_method('to_json')
    if to_json is None or to_json is base_to_json:
        return value
    return json.loads(attribute.to_json(value))


def value_from_plain(attribute, value):
    """Inverse of ``plain_value``."""
    if value is None:
        return None
    from_json = getattr(type(attribute), 'from_json', None)
    if from_json is None or from_json is _base_method('from_json'):
        return value
    return attribute.from_json(json.dumps(value))


def _base_method(name):
    from storagemgr.plugins.api import attributes
    return getattr(attributes.BaseResourceAttribute, name)


def order_by_references(resources):
    """Group resources in levels: a resource comes after those it refers to.

    Only references to resources in ``resources`` count; the others are
    already stored.
    """
    pending = {id(r): r for r in resources}
    placed = set()
    levels = []
    while pending:
        level = []
        for key, resource in pending.items():
            deps = [id(v) for v in _referenced(resource)]
            if all(d in placed or d not in pending or d == key
                   for d in deps):
                level.append(resource)
        if not level:
            raise exception.Invalid(
                'Resources refer to each other in a circle through '
                'ResourceReference attributes: %s' % ', '.join(
                    sorted(str(r.get_label()) for r in pending.values())))
        for resource in level:
            del pending[id(resource)]
            placed.add(id(resource))
        levels.append(level)
    return levels


def _referenced(resource):
    meta = resource._meta
    names = getattr(meta, 'reference_attributes', ())
    values = resource.to_attrs()
    return [values[n] for n in names if values.get(n) is not None]


def label_of(resource):
    try:
        return str(resource.get_label())[:255]
    except Exception:  # plugin code: a broken get_label must not stop us
        LOG.exception('get_label of %r failed', resource)
        return str(resource._meta.label)[:255]


class GraphStore(object):

    def __init__(self, manager):
        self._rm = manager
        self._class_ids = {}
        self._pending = {}

    # -- classes --------------------------------------------------------------

    def class_id(self, sess, cls):
        key = cls.resource_class_key()
        cid = self._class_ids.get(key)
        if cid is None:
            table = models.StorageResourceClass
            cid = sess.scalar(sa.select(table.id).where(
                table.plugin_name == key[0], table.class_name == key[1]))
            if cid is None:
                cid = sess.scalar(sa.insert(table).values(
                    plugin_name=key[0], class_name=key[1]).returning(
                        table.id))
            self._class_ids[key] = cid
        return cid

    def class_names(self, sess):
        table = models.StorageResourceClass
        return {row.id: (row.plugin_name, row.class_name)
                for row in sess.execute(sa.select(
                    table.id, table.plugin_name, table.class_name))}

    def load_class(self, plugin_name, class_name):
        try:
            return self._rm.resource_class(plugin_name, class_name)
        except Exception as e:
            LOG.warning('Resource class %s.%s is not available: %s',
                        plugin_name, class_name, e)
            return None

    # -- serialisation --------------------------------------------------------

    def serialize(self, session, resource, values):
        """(JSON document, {ref name: (target pk, optional)})."""
        declared = resource._meta.storage_attributes
        doc = {}
        refs = {}
        for name, value in values.items():
            attribute = declared.get(name)
            if attribute is None:
                continue
            if attribute.is_reference:
                if value is None:
                    doc[name] = None
                    continue
                target = self.global_id(session, value)
                doc[name] = {_REF: target}
                refs[name] = (target, bool(attribute.optional))
            else:
                doc[name] = plain_value(attribute, value)
        return doc, refs

    def global_id(self, session, resource):
        pk = getattr(resource, '_scannable_pk', None)
        if pk is not None:
            return pk
        try:
            return session.to_global[resource._handle]
        except KeyError:
            raise exception.Invalid(
                'Scannable %s: a resource refers to %s, which its plugin '
                'never reported.' % (session.scannable_id,
                                     label_of(resource)))

    def identity(self, sess, session, resource):
        meta = resource._meta
        values = [self.global_id(session, v) if hasattr(v, '_meta') else v
                  for v in resource.id_tuple()]
        scope = session.scannable_id if getattr(
            meta.identifier, 'scoped', False) else 0
        return self.class_id(sess, type(resource)), dumps(values), scope

    # -- reports --------------------------------------------------------------

    def persist(self, sess, session, resources):
        """Store reported resources; return the set of their record ids."""
        reported = set()
        created = []
        edges = []
        claimed = set(sess.scalars(sa.select(
            models.StorageResourceReporter.resource_id).where(
                models.StorageResourceReporter.scannable_id ==
                session.scannable_id)))
        new_claims = []
        for level in order_by_references(resources):
            created.extend(self._persist_level(sess, session, level))
            for resource in level:
                pk = session.to_global[resource._handle]
                reported.add(pk)
                if (pk != session.scannable_id and pk not in claimed and
                        not getattr(resource._meta.identifier, 'scoped',
                                    False)):
                    claimed.add(pk)
                    new_claims.append({'resource_id': pk,
                                       'scannable_id': session.scannable_id})
                edges.extend((pk, parent) for parent in resource._parents)
        # Parents may sit in a later level than their children.
        edges = [(pk, self.global_id(session, parent))
                 for pk, parent in edges]
        if new_claims:
            sess.execute(sa.insert(models.StorageResourceReporter),
                         new_claims)
        for pk, resource in created:
            if self._rm.relations.has_relations(resource._meta):
                self._rm.relations.add(pk, resource, resource._meta)
                edges.extend(self._rm.relations.links(pk))
        self.add_edges(sess, edges)
        return reported

    def _persist_level(self, sess, session, level):
        keyed = []
        for resource in level:
            if getattr(resource, '_scannable_pk', None) is not None:
                session.add(resource, resource._scannable_pk)
                continue
            keyed.append((self.identity(sess, session, resource), resource))
        existing = self._lookup(sess, [k for k, _r in keyed])
        inserts, new_resources, updates, ref_rows, ref_owners = (
            [], [], [], [], [])
        for key, resource in keyed:
            doc, refs = self.serialize(session, resource,
                                       resource.to_attrs())
            text, label = dumps(doc), label_of(resource)
            row = existing.get(key)
            if row is None:
                inserts.append({'class_id': key[0], 'id_str': key[1],
                                'scope_key': key[2], 'attrs': text,
                                'label': label})
                new_resources.append((resource, refs))
                continue
            pk = row[0]
            session.add(resource, pk)
            if row[1] != text or row[2] != label:
                updates.append({'id': pk, 'attrs': text, 'label': label})
                ref_owners.append(pk)
                ref_rows.extend(self._ref_rows(pk, refs))
        created = []
        if inserts:
            pks = sess.scalars(
                sa.insert(R).returning(R.id, sort_by_parameter_order=True),
                inserts).all()
            for pk, (resource, refs) in zip(pks, new_resources):
                session.add(resource, pk)
                ref_rows.extend(self._ref_rows(pk, refs))
                created.append((pk, resource))
        if updates:
            sess.execute(sa.update(R), updates)
        self._write_refs(sess, ref_owners, ref_rows)
        return created

    @staticmethod
    def _ref_rows(pk, refs):
        return [{'resource_id': pk, 'key': name, 'target_id': target,
                 'optional': optional}
                for name, (target, optional) in refs.items()]

    @staticmethod
    def _write_refs(sess, owners, rows, keys=None):
        table = models.StorageResourceReference
        for chunk in _chunks(owners):
            stmt = sa.delete(table).where(table.resource_id.in_(chunk))
            if keys is not None:
                stmt = stmt.where(table.key.in_(list(keys)))
            sess.execute(stmt)
        if rows:
            sess.execute(sa.insert(table), rows)

    def _lookup(self, sess, keys):
        """{(class_id, id_str, scope): (pk, attrs, label)} of stored keys."""
        groups = {}
        for class_id, id_str, scope in keys:
            groups.setdefault((class_id, scope), []).append(id_str)
        found = {}
        for (class_id, scope), id_strs in groups.items():
            for chunk in _chunks(id_strs):
                for row in sess.execute(sa.select(
                        R.id, R.id_str, R.attrs, R.label).where(
                        R.class_id == class_id, R.scope_key == scope,
                        R.id_str.in_(chunk))):
                    found[(class_id, row.id_str, scope)] = (
                        row.id, row.attrs, row.label)
        return found

    def update_attributes(self, sess, session, pk, local_id, values,
                          defer=False):
        """Merge changed attribute values into the stored document."""
        resource = session.resources.get(local_id)
        if resource is None:
            return
        pending = self._pending.setdefault(pk, [session, resource, {}])
        pending[2].update(values)
        if not defer:
            self.flush_updates(sess)

    def discard_pending(self):
        self._pending = {}

    def flush_updates(self, sess):
        """Write queued attribute changes: one read and one bulk update."""
        pending, self._pending = self._pending, {}
        if not pending:
            return
        stored = {}
        for chunk in _chunks(pending):
            for row in sess.execute(sa.select(R.id, R.attrs, R.label).where(
                    R.id.in_(chunk))):
                stored[row.id] = row
        updates, ref_changes, relinked = [], [], []
        for pk, (session, resource, values) in pending.items():
            row = stored.get(pk)
            if row is None:
                continue
            doc = json.loads(row.attrs)
            changed, refs = self.serialize(session, resource, values)
            doc.update(changed)
            text, label = dumps(doc), label_of(resource)
            if text != row.attrs or label != row.label:
                updates.append({'b_id': pk, 'b_attrs': text,
                                'b_label': label})
            ref_names = [n for n in changed
                         if n in resource._meta.reference_attributes]
            if ref_names:
                ref_changes.append((pk, ref_names,
                                    self._ref_rows(pk, refs)))
            if self._rm.relations.has_relations(resource._meta):
                relinked.append((pk, resource))
        if updates:
            table = R.__table__
            sess.connection().execute(
                table.update().where(table.c.id == sa.bindparam('b_id'))
                .values(attrs=sa.bindparam('b_attrs'),
                        label=sa.bindparam('b_label')), updates)
        for pk, names, rows in ref_changes:
            self._write_refs(sess, [pk], rows, keys=names)
        relations = self._rm.relations
        for pk, resource in relinked:
            relations.remove(pk)
            relations.add(pk, resource, resource._meta)
            self.add_edges(sess, relations.links(pk))

    # -- edges ----------------------------------------------------------------

    def add_edges(self, sess, edges):
        """Add parent edges, refusing any that would close a cycle."""
        graph = self._rm.graph
        added = []
        try:
            for child, parent in edges:
                if graph.add_edge(child, parent,
                                  describe=lambda pk: self.name(sess, pk)):
                    added.append({'child_id': child, 'parent_id': parent})
        except exception.ResourceGraphCycle:
            for edge in added:
                graph.remove_edge(edge['child_id'], edge['parent_id'])
            raise
        if added:
            sess.execute(sa.insert(models.StorageResourceParent), added)
            self._rm.alerts.extend_to(sess, [e['child_id'] for e in added])

    def remove_edge(self, sess, child, parent):
        if self._rm.graph.remove_edge(child, parent):
            table = models.StorageResourceParent
            sess.execute(sa.delete(table).where(
                table.child_id == child, table.parent_id == parent))

    def name(self, sess, pk):
        label = sess.scalar(sa.select(R.label).where(R.id == pk))
        return '%s (id %s)' % (label, pk) if label else 'resource %s' % pk

    # -- deletion -------------------------------------------------------------

    def cull(self, sess, session, reported):
        """Delete what a complete report of the scannable left out."""
        sid = session.scannable_id
        scoped = set(sess.scalars(sa.select(R.id).where(R.scope_key == sid)))
        self.delete(sess, scoped - reported)
        claimed = set(sess.scalars(sa.select(
            models.StorageResourceReporter.resource_id).where(
                models.StorageResourceReporter.scannable_id == sid)))
        self.release_claims(sess, sid, claimed - reported)

    def release_claims(self, sess, scannable_id, pks):
        table = models.StorageResourceReporter
        pks = list(pks)
        for chunk in _chunks(pks):
            sess.execute(sa.delete(table).where(
                table.scannable_id == scannable_id,
                table.resource_id.in_(chunk)))
        self.delete(sess, self._orphans(sess, pks))

    def _orphans(self, sess, pks):
        """Those of ``pks`` no scannable reports, scopes or is."""
        orphans = set()
        reporters = models.StorageResourceReporter
        for chunk in _chunks(pks):
            still = set(sess.scalars(sa.select(reporters.resource_id).where(
                reporters.resource_id.in_(chunk))))
            scannable = set(sess.scalars(sa.select(
                models.StorageScannable.id).where(
                    models.StorageScannable.id.in_(chunk))))
            orphans.update(set(chunk) - still - scannable)
        return orphans

    def delete(self, sess, pks):
        """Delete resources and what depends on them; return every id."""
        victims = set()
        frontier = set(pks)
        cleared = []
        while frontier:
            victims |= frontier
            found = set()
            found |= self._scoped_to(sess, frontier)
            new, optional = self._referrers(sess, frontier, victims)
            found |= new
            cleared.extend(optional)
            frontier = found - victims
        cleared = [(rid, key) for rid, key in cleared if rid not in victims]
        self._clear_references(sess, cleared)
        if victims:
            self._delete_rows(sess, victims)
        return victims

    def _scoped_to(self, sess, pks):
        """Resources scoped to, or only reported by, scannables in pks."""
        scannables = set()
        for chunk in _chunks(pks):
            scannables.update(sess.scalars(sa.select(
                models.StorageScannable.id).where(
                    models.StorageScannable.id.in_(chunk))))
        found = set()
        reporters = models.StorageResourceReporter
        for sid in scannables:
            found.update(sess.scalars(sa.select(R.id).where(
                R.scope_key == sid)))
            claimed = list(sess.scalars(sa.select(
                reporters.resource_id).where(
                    reporters.scannable_id == sid)))
            sess.execute(sa.delete(reporters).where(
                reporters.scannable_id == sid))
            found |= self._orphans(sess, claimed)
        return found

    def _referrers(self, sess, pks, victims):
        """(resources to delete, optional references to clear)."""
        table = models.StorageResourceReference
        doomed, cleared = set(), []
        for chunk in _chunks(pks):
            for row in sess.execute(sa.select(
                    table.resource_id, table.key, table.optional).where(
                    table.target_id.in_(chunk))):
                if row.resource_id in victims:
                    continue
                if row.optional:
                    cleared.append((row.resource_id, row.key))
                else:
                    doomed.add(row.resource_id)
        return doomed, cleared

    def _clear_references(self, sess, cleared):
        table = models.StorageResourceReference
        for rid, key in cleared:
            text = sess.scalar(sa.select(R.attrs).where(R.id == rid))
            if text is None:
                continue
            doc = json.loads(text)
            doc[key] = None
            sess.execute(sa.update(R).where(R.id == rid).values(
                attrs=dumps(doc)))
            sess.execute(sa.delete(table).where(
                table.resource_id == rid, table.key == key))

    def _delete_rows(self, sess, victims):
        rm = self._rm
        rm.alerts.forget_resources(sess, victims)
        rm.stats.forget_resources(sess, victims)
        parents = models.StorageResourceParent
        refs = models.StorageResourceReference
        reporters = models.StorageResourceReporter
        for chunk in _chunks(victims):
            for stmt in (
                    sa.delete(parents).where(sa.or_(
                        parents.child_id.in_(chunk),
                        parents.parent_id.in_(chunk))),
                    sa.delete(refs).where(refs.resource_id.in_(chunk)),
                    sa.delete(reporters).where(sa.or_(
                        reporters.resource_id.in_(chunk),
                        reporters.scannable_id.in_(chunk))),
                    sa.delete(models.AgentSession).where(
                        models.AgentSession.scannable_id.in_(chunk)),
                    sa.delete(models.StorageScannable).where(
                        models.StorageScannable.id.in_(chunk)),
                    sa.delete(R).where(R.id.in_(chunk))):
                sess.execute(stmt)
        for pk in victims:
            rm.graph.remove_node(pk)
            rm.relations.remove(pk)
        rm.forget_resources(victims)

    # -- loading --------------------------------------------------------------

    def populate_relations(self, sess):
        """Index relation values of stored resources of related classes."""
        for class_id, (plugin_name, class_name) in (
                self.class_names(sess).items()):
            cls = self.load_class(plugin_name, class_name)
            if cls is None or not self._rm.relations.has_relations(
                    cls._meta):
                continue
            for row in sess.execute(sa.select(R.id, R.attrs).where(
                    R.class_id == class_id)):
                values = types.SimpleNamespace(**json.loads(row.attrs))
                self._rm.relations.add(row.id, values, cls._meta)

    def build_resource(self, sess, pk):
        """An instance of a stored (root) resource with its attributes."""
        row = sess.execute(sa.select(
            R.attrs, models.StorageResourceClass.plugin_name,
            models.StorageResourceClass.class_name).join(
                models.StorageResourceClass,
                models.StorageResourceClass.id == R.class_id).where(
                    R.id == pk)).first()
        if row is None:
            raise exception.ScannableNotFound(scannable=pk)
        cls = self._rm.resource_class(row.plugin_name, row.class_name)
        declared = cls._meta.storage_attributes
        values = {}
        for name, value in json.loads(row.attrs).items():
            attribute = declared.get(name)
            if attribute is None or attribute.is_reference:
                continue
            values[name] = value_from_plain(attribute, value)
        return cls(**values)
