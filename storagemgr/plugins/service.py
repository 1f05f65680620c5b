"""What administrators do with storage plugins (the CLI's service layer).

Adding and removing scannable resources, and reading back resources,
their parents and children, alerts and statistics. Attribute values are
shown through their attribute class (a Password shows as asterisks),
never as stored.
"""

import json
import uuid

import sqlalchemy as sa

from storagemgr.db.models import plugin as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.plugins import alerts as plugin_alerts
from storagemgr.plugins import graph_store
from storagemgr.plugins import resource_manager as rm_module

R = models.StorageResource
C = models.StorageResourceClass
SC = models.StorageScannable
A = models.StorageAlert


def _manager():
    return rm_module.ResourceManager()


def parse_assignments(items):
    """['a=1', 'b=x'] -> {'a': '1', 'b': 'x'}; refuses anything else."""
    values = {}
    for item in items:
        name, sep, text = item.partition('=')
        name = name.strip()
        if not sep or not name:
            raise exception.InvalidInput(
                reason='expected attribute=value, got %r' % item)
        if name in values:
            raise exception.InvalidInput(
                reason='attribute %r given twice' % name)
        values[name] = text
    return values


def _scannable_class(rm, plugin_name, class_name):
    from storagemgr.plugins.api import resources
    cls = rm.resource_class(plugin_name, class_name)
    if not issubclass(cls, resources.ScannableResource):
        raise exception.InvalidScannable(
            resource_class='%s.%s' % (plugin_name, class_name),
            reason='it is not a ScannableResource; the plugin declares '
                   'these scannable classes: %s' % (', '.join(sorted(
                       rm.plugin_manager.get_plugin(
                           plugin_name).scannable_classes)) or 'none'))
    return cls


def _build_root(cls, texts):
    """Instance of ``cls`` from command-line texts (parsed, encrypted)."""
    declared = cls._meta.storage_attributes
    values = {}
    for name, text in texts.items():
        attribute = declared.get(name)
        if attribute is None or attribute.is_reference:
            raise exception.InvalidScannable(
                resource_class=cls._meta.label,
                reason='unknown attribute %r (it has: %s)' % (
                    name, ', '.join(n for n, a in declared.items()
                                    if not a.is_reference and
                                    not a.user_read_only)))
        if attribute.user_read_only:
            raise exception.InvalidScannable(
                resource_class=cls._meta.label,
                reason='attribute %r is set by the plugin only' % name)
        value = attribute.parse(text)
        attribute.validate(value, name)
        values[name] = attribute.encrypt(value)
    from storagemgr.plugins.api import identifiers
    if isinstance(cls._meta.identifier, identifiers.AutoId):
        values[identifiers.AutoId.FIELD] = uuid.uuid4().hex
    try:
        resource = cls(**values)
        resource.validate()
    except ValueError as e:
        raise exception.InvalidScannable(resource_class=cls._meta.label,
                                         reason=str(e))
    return resource


def create_root(rm, sess, resource, plugin_name, kind='scannable',
                host=None):
    """Store a root resource and its scannable row; return the id."""
    store = rm.store
    cls = type(resource)
    doc = {n: graph_store.plain_value(cls._meta.storage_attributes[n], v)
           for n, v in resource.to_attrs().items()}
    id_str = graph_store.dumps(list(resource.id_tuple()))
    class_id = store.class_id(sess, cls)
    existing = sess.scalar(sa.select(R.id).where(
        R.class_id == class_id, R.id_str == id_str, R.scope_key == 0))
    if existing is not None:
        raise exception.ScannableExists(
            resource_class=cls._meta.label, id=existing,
            identity=', '.join('%s=%s' % (f, v) for f, v in zip(
                cls._meta.identifier.id_fields, resource.id_tuple())))
    pk = sess.scalar(sa.insert(R).values(
        class_id=class_id, id_str=id_str, scope_key=0,
        attrs=graph_store.dumps(doc),
        label=graph_store.label_of(resource)).returning(R.id))
    sess.add(SC(id=pk, plugin_name=plugin_name, kind=kind, host=host,
                state='new', failures=0))
    return pk


def add_scannable(plugin_name, class_name, assignments):
    rm = _manager()
    cls = _scannable_class(rm, plugin_name, class_name)
    resource = _build_root(cls, parse_assignments(assignments))
    with db_session.session_scope() as sess:
        pk = create_root(rm, sess, resource, plugin_name)
    return show_scannable(pk)


def _scannable_rows(sess, pk=None):
    stmt = sa.select(SC, R.label, C.class_name).join(R, R.id == SC.id).join(
        C, C.id == R.class_id).order_by(SC.id)
    if pk is not None:
        stmt = stmt.where(SC.id == pk)
    return sess.execute(stmt).all()


def _describe_scannable(row):
    scannable, label, class_name = row
    return {'id': scannable.id, 'plugin': scannable.plugin_name,
            'class': class_name, 'label': label, 'kind': scannable.kind,
            'host': scannable.host, 'state': scannable.state,
            'update_period': scannable.update_period,
            'failures': scannable.failures,
            'last_error': scannable.last_error,
            'last_scan_at': scannable.last_scan_at and str(
                scannable.last_scan_at)}


def list_scannables():
    with db_session.session_scope() as sess:
        return [_describe_scannable(r) for r in _scannable_rows(sess)]


def show_scannable(pk):
    with db_session.session_scope() as sess:
        rows = _scannable_rows(sess, _int_id(pk, 'scannable'))
    if not rows:
        raise exception.ScannableNotFound(scannable=pk)
    return _describe_scannable(rows[0])


def remove_scannable(pk):
    """Delete a scannable and everything scoped to or only reported by it."""
    pk = _int_id(pk, 'scannable')
    show_scannable(pk)
    removed = _manager().global_remove_resource(pk)
    return len(removed)


def _int_id(value, what):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise exception.InvalidInput(
            reason='%s id must be a number, got %r' % (what, value))


# -- resources ----------------------------------------------------------------


def _display_attrs(store, plugin_name, class_name, text, labels):
    doc = json.loads(text)
    cls = store.load_class(plugin_name, class_name)
    declared = cls._meta.storage_attributes if cls is not None else {}
    shown = {}
    for name, value in doc.items():
        attribute = declared.get(name)
        if attribute is not None and attribute.hidden:
            continue
        if isinstance(value, dict) and graph_store._REF in value:
            target = value[graph_store._REF]
            shown[name] = labels.get(target, 'resource %s' % target)
        elif attribute is None:
            shown[name] = '********' if 'password' in name else value
        elif attribute.is_reference or value is None:
            shown[name] = value
        else:
            shown[name] = attribute.to_display(
                graph_store.value_from_plain(attribute, value))
    return shown


def _resource_rows(sess, where=None):
    stmt = sa.select(R.id, R.label, R.attrs, R.scope_key, C.plugin_name,
                     C.class_name).join(C, C.id == R.class_id).order_by(R.id)
    if where is not None:
        stmt = stmt.where(where)
    return sess.execute(stmt).all()


def list_resources(plugin_name=None, class_name=None, scannable=None):
    rm = _manager()
    criteria = []
    if plugin_name:
        criteria.append(C.plugin_name == plugin_name)
    if class_name:
        criteria.append(C.class_name == class_name)
    if scannable is not None:
        criteria.append(R.scope_key == _int_id(scannable, 'scannable'))
    with db_session.session_scope() as sess:
        rows = _resource_rows(sess, sa.and_(*criteria) if criteria else None)
        labels = {row.id: row.label for row in rows}
        return [{'id': row.id, 'plugin': row.plugin_name,
                 'class': row.class_name, 'label': row.label,
                 'scope': row.scope_key or None,
                 'attributes': _display_attrs(rm.store, row.plugin_name,
                                              row.class_name, row.attrs,
                                              labels)}
                for row in rows]


def _labelled(sess, pks):
    pks = sorted(pks)
    if not pks:
        return []
    rows = sess.execute(sa.select(R.id, R.label).where(
        R.id.in_(pks)).order_by(R.id)).all()
    return [{'id': r.id, 'label': r.label} for r in rows]


def show_resource(pk):
    pk = _int_id(pk, 'resource')
    rm = _manager()
    parents_t = models.StorageResourceParent
    with db_session.session_scope() as sess:
        rows = _resource_rows(sess, R.id == pk)
        if not rows:
            raise exception.StorageResourceNotFound(resource_class='storage',
                                                    what='id %s' % pk)
        row = rows[0]
        parents = sess.scalars(sa.select(parents_t.parent_id).where(
            parents_t.child_id == pk)).all()
        children = sess.scalars(sa.select(parents_t.child_id).where(
            parents_t.parent_id == pk)).all()
        referenced = [v[graph_store._REF] for v in json.loads(
            row.attrs).values() if isinstance(v, dict)]
        labels = {r['id']: r['label'] for r in _labelled(sess, referenced)}
        record = {
            'id': row.id, 'plugin': row.plugin_name,
            'class': row.class_name, 'label': row.label,
            'scope': row.scope_key or None,
            'attributes': _display_attrs(rm.store, row.plugin_name,
                                         row.class_name, row.attrs, labels),
            'parents': _labelled(sess, parents),
            'children': _labelled(sess, children),
            'alerts': alerts_affecting(sess, [pk]),
        }
        stat_names = sorted(sess.scalars(sa.select(
            models.StorageStatSample.name).where(
                models.StorageStatSample.resource_id == pk).distinct()))
        record['statistics'] = stat_names
    return record


# -- alerts -------------------------------------------------------------------


def _describe_alert(alert, via=None):
    return {'id': alert.id, 'resource_id': alert.resource_id,
            'resource': alert.resource_label,
            'alert_class': alert.alert_class, 'attribute': alert.attribute,
            'severity': plugin_alerts.severity_name(alert.severity),
            'message': alert.message, 'active': bool(alert.active),
            'raised_at': str(alert.raised_at),
            'lowered_at': alert.lowered_at and str(alert.lowered_at),
            'affects': via}


def list_alerts(active_only=False):
    P = models.StorageAlertPropagation
    with db_session.session_scope() as sess:
        stmt = sa.select(A).order_by(A.raised_at, A.id)
        if active_only:
            stmt = stmt.where(A.active)
        alerts = sess.scalars(stmt).all()
        spread = {}
        for alert_id, pk in sess.execute(sa.select(P.alert_id,
                                                   P.resource_id)):
            spread.setdefault(alert_id, []).append(pk)
        return [_describe_alert(a, sorted(spread.get(a.id, [])))
                for a in alerts]


def alerts_affecting(sess, pks):
    """Active alerts raised on, or propagated to, any of ``pks``."""
    P = models.StorageAlertPropagation
    pks = list(pks)
    if not pks:
        return []
    direct = sess.scalars(sa.select(A).where(
        A.active, A.resource_id.in_(pks))).all()
    spread = sess.scalars(sa.select(A).join(P, P.alert_id == A.id).where(
        A.active, P.resource_id.in_(pks))).all()
    seen, found = set(), []
    for alert in list(direct) + list(spread):
        if alert.id not in seen:
            seen.add(alert.id)
            found.append({'id': alert.id, 'resource': alert.resource_label,
                          'resource_id': alert.resource_id,
                          'severity': plugin_alerts.severity_name(
                              alert.severity),
                          'message': alert.message})
    return found


# -- statistics ---------------------------------------------------------------


def statistics(pk, names=None, since=None):
    """(resource record, {name: [(timestamp, value)]}, charts layout)."""
    record = show_resource(pk)
    rm = _manager()
    with db_session.session_scope() as sess:
        series = rm.stats.series(sess, record['id'], names, since)
    cls = rm.store.load_class(record['plugin'], record['class'])
    charts = cls.get_charts() if cls is not None else [
        {'title': n, 'series': [n]} for n in sorted(series)]
    return record, series, charts
