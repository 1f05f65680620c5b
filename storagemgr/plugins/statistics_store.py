"""Statistics of storage resources as bounded time series.

Samples arrive from plugin sessions as ``{name: [{'timestamp', 'value'}]}``
(a histogram's value is a list of bin counts). Retention is bounded two
ways: samples older than ``stats_retention`` seconds are pruned when
samples are written (at most once a minute), and a series is trimmed back
to its newest ``stats_max_samples`` points as it grows.
"""

import json
import time

from oslo_config import cfg
import sqlalchemy as sa

from storagemgr.db.models import plugin as models
from storagemgr.plugins import opts

CONF = cfg.CONF
S = models.StorageStatSample

_GROUP = opts.GROUP


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


class StatisticsStore(object):

    #: Seconds between two age-based prunes (they scan the whole table).
    AGE_PRUNE_INTERVAL = 60

    def __init__(self, clock=time.time):
        self._clock = clock
        self._last_age_prune = None
        self._unpruned = {}
        self._pending = []
        self._touched = set()

    def add_samples(self, sess, pk, stats, defer=False):
        """Store samples now, or with ``defer`` at the next ``flush``."""
        rows = []
        for name, samples in stats.items():
            for sample in samples:
                rows.append({'resource_id': pk, 'name': name,
                             'timestamp': float(sample['timestamp']),
                             'value': json.dumps(sample['value'])})
        if not rows:
            return 0
        self._pending.extend(rows)
        self._touched.update((pk, name) for name in stats)
        if not defer:
            self.flush(sess)
        return len(rows)

    def flush(self, sess):
        """Write deferred samples in one statement, then prune."""
        rows, self._pending = self._pending, []
        touched, self._touched = self._touched, set()
        if rows:
            sess.connection().execute(S.__table__.insert(), rows)
        for pk, name in touched:
            self._prune(sess, pk, [name])

    def _prune(self, sess, pk, names):
        group = CONF[_GROUP]
        now = self._clock()
        if (self._last_age_prune is None or
                now - self._last_age_prune >= self.AGE_PRUNE_INTERVAL):
            self._last_age_prune = now
            sess.execute(sa.delete(S).where(
                S.timestamp < now - group.stats_retention))
        for name in names:
            # Count-based pruning costs a query per series: run it once
            # every stats_max_samples writes, so a series holds at most
            # twice its bound between two trims.
            written = self._unpruned.get((pk, name), 0)
            if written < group.stats_max_samples:
                self._unpruned[(pk, name)] = written + 1
                continue
            self._unpruned[(pk, name)] = 0
            keep = sa.select(S.id).where(
                S.resource_id == pk, S.name == name).order_by(
                    S.timestamp.desc(), S.id.desc()).limit(
                        group.stats_max_samples)
            sess.execute(sa.delete(S).where(
                S.resource_id == pk, S.name == name, S.id.not_in(keep)))

    def series(self, sess, pk, names=None, since=None):
        """{name: [(timestamp, value), ...]} oldest first."""
        stmt = sa.select(S.name, S.timestamp, S.value).where(
            S.resource_id == pk)
        if names:
            stmt = stmt.where(S.name.in_(list(names)))
        if since is not None:
            stmt = stmt.where(S.timestamp >= since)
        result = {}
        for row in sess.execute(stmt.order_by(S.timestamp, S.id)):
            result.setdefault(row.name, []).append(
                (row.timestamp, json.loads(row.value)))
        return result

    def forget_resources(self, sess, pks):
        for chunk in _chunks(pks):
            sess.execute(sa.delete(S).where(S.resource_id.in_(chunk)))
