"""Alerts on storage resources: raised, lowered, propagated, remembered.

An alert is raised on one resource (a condition of its class became true,
or its scannable cannot be reached) and *propagates* to every resource
that resource affects: its descendants through parent edges. Lowering an
alert keeps its row, with ``lowered_at``, as history. The book caches
which alerts are active, so repeated reports of the same state write
nothing.
"""

import logging

import sqlalchemy as sa

from storagemgr.db import api as db_api
from storagemgr.db.models import base
from storagemgr.db.models import plugin as models

A = models.StorageAlert
P = models.StorageAlertPropagation

OFFLINE_ALERT_CLASS = 'offline'
OFFLINE_SEVERITY = logging.WARNING

SEVERITY_NAMES = {logging.ERROR: 'ERROR', logging.WARNING: 'WARNING',
                  logging.INFO: 'INFO', logging.CRITICAL: 'CRITICAL'}


def severity_name(level):
    return SEVERITY_NAMES.get(level, str(level))


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


class AlertBook(object):

    def __init__(self, manager):
        self._rm = manager
        self._active = {}

    def populate(self, sess):
        for row in sess.execute(sa.select(A.id, A.resource_id,
                                          A.alert_class).where(A.active)):
            self._active[(row.resource_id, row.alert_class)] = row.id

    def is_active(self, pk, alert_class):
        return (pk, alert_class) in self._active

    def raise_alert(self, sess, pk, alert_class, attribute, severity,
                    message):
        """Raise unless already active; propagate to the descendants."""
        if (pk, alert_class) in self._active:
            return None
        label = sess.scalar(sa.select(models.StorageResource.label).where(
            models.StorageResource.id == pk))
        alert = db_api.create(A, {
            'resource_id': pk, 'resource_label': label,
            'alert_class': alert_class, 'attribute': attribute,
            'severity': int(severity), 'message': message, 'active': True},
            session=sess)
        self._active[(pk, alert_class)] = alert.id
        self._propagate(sess, alert.id, self._rm.graph.descendants(pk))
        return alert.id

    def lower_alert(self, sess, pk, alert_class):
        alert_id = self._active.pop((pk, alert_class), None)
        if alert_id is None:
            return False
        self._lower(sess, alert_id)
        return True

    def _lower(self, sess, alert_id):
        db_api.conditional_update(
            A, alert_id, {'active': False, 'lowered_at': base.utcnow()},
            expected={'active': True}, session=sess)
        sess.execute(sa.delete(P).where(P.alert_id == alert_id))

    def _propagate(self, sess, alert_id, pks):
        if not pks:
            return
        existing = set(sess.scalars(sa.select(P.resource_id).where(
            P.alert_id == alert_id)))
        rows = [{'alert_id': alert_id, 'resource_id': pk}
                for pk in pks if pk not in existing]
        if rows:
            sess.execute(sa.insert(P), rows)

    def extend_to(self, sess, children):
        """New edges: spread active alerts of the new ancestors."""
        if not self._active:
            return
        by_resource = {}
        for (pk, _cls), alert_id in self._active.items():
            by_resource.setdefault(pk, []).append(alert_id)
        graph = self._rm.graph
        for child in set(children):
            affected = None
            for ancestor in graph.ancestors(child):
                for alert_id in by_resource.get(ancestor, ()):
                    if affected is None:
                        affected = graph.descendants(child) | {child}
                    self._propagate(sess, alert_id, affected)

    def forget_resources(self, sess, pks):
        """Deleted resources: lower their alerts, drop propagations."""
        pks = set(pks)
        for key in [k for k in self._active if k[0] in pks]:
            self._lower(sess, self._active.pop(key))
        for chunk in _chunks(pks):
            sess.execute(sa.delete(P).where(P.resource_id.in_(chunk)))
