"""Scanning scannable resources: one scanner per scannable.

A scanner owns one plugin instance for its scannable: ``initial_scan``
first, then ``update_scan`` every ``update_period`` seconds (read from
the plugin after each scan, so ``self.update_period = N`` in
``initial_scan`` takes effect). When a scan raises, the instance is torn
down (teardown is guaranteed once ``initial_scan`` was entered), the
scannable gets an offline alert, and a new instance retries after an
exponential back-off; the first successful scan lowers the alert.

Scanners run in the thread that calls ``ScanDaemon.run_due`` (the
manager's periodic task), one after the other, so a plugin is never
scanned and torn down concurrently.
"""

import time

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from storagemgr.db.models import plugin as models
from storagemgr.db import session as db_session
from storagemgr.plugins import opts

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

_GROUP = opts.GROUP


def backoff(failures):
    group = CONF[_GROUP]
    return min(group.scan_max_retry_interval,
               group.scan_retry_interval * (2 ** max(0, failures - 1)))


class Scanner(object):
    """The plugin instance of one scannable and when it is due."""

    def __init__(self, resource_manager, scannable_id, plugin_name):
        self.rm = resource_manager
        self.scannable_id = scannable_id
        self.plugin_name = plugin_name
        self.plugin = None
        self.next_run = None
        self.failures = 0
        self.last_error = None

    def due(self, now):
        return self.next_run is None or now >= self.next_run

    def run(self, now):
        """One scan (initial if there is no live instance); never raises."""
        try:
            with self.rm.batch():
                if self.plugin is None:
                    cls = self.rm.plugin_manager.get_plugin_class(
                        self.plugin_name)
                    self.plugin = cls(self.rm, self.scannable_id)
                    self.plugin.do_initial_scan()
                else:
                    self.plugin.do_periodic_update()
            period = self.plugin.update_period
        except Exception as e:
            self._failed(now, e)
            return False
        was_failing = self.failures or self.last_error
        self.failures = 0
        self.last_error = None
        self.next_run = now + period
        if was_failing or self.rm.alerts.is_active(
                self.scannable_id, 'offline'):
            self.rm.set_online(self.scannable_id)
        self._record('online', None)
        return True

    def _failed(self, now, error):
        self.failures += 1
        self.last_error = '%s: %s' % (type(error).__name__, error)
        LOG.warning('Scan of scannable %(id)s (%(plugin)s) failed, attempt '
                    '%(n)d: %(error)s', {'id': self.scannable_id,
                                         'plugin': self.plugin_name,
                                         'n': self.failures,
                                         'error': self.last_error})
        self.stop()
        self.next_run = now + backoff(self.failures)
        try:
            self.rm.set_offline(self.scannable_id, self.last_error)
            self._record('offline', self.last_error)
        except Exception:
            LOG.exception('Cannot record that scannable %s is offline',
                          self.scannable_id)

    def _record(self, state, error):
        with db_session.session_scope() as sess:
            sess.execute(sa.update(models.StorageScannable).where(
                models.StorageScannable.id == self.scannable_id).values(
                    state=state, last_error=error, failures=self.failures,
                    last_scan_at=timeutils.utcnow()))

    def stop(self):
        """Tear the plugin instance down (a new one rescans from scratch)."""
        plugin, self.plugin = self.plugin, None
        if plugin is None:
            return
        try:
            plugin.do_teardown()
        except Exception:
            LOG.exception('Teardown of the %s plugin for scannable %s '
                          'failed', self.plugin_name, self.scannable_id)


class ScanDaemon(object):
    """Every scannable's scanner, kept in step with the database."""

    def __init__(self, resource_manager, clock=time.monotonic):
        self.rm = resource_manager
        self.scanners = {}
        self._clock = clock

    def sync(self):
        """Start scanners for new scannables, stop those removed."""
        with db_session.session_scope() as sess:
            rows = {row.id: row.plugin_name for row in sess.execute(
                sa.select(models.StorageScannable.id,
                          models.StorageScannable.plugin_name).where(
                    models.StorageScannable.kind == 'scannable'))}
        removed = [sid for sid in self.scanners if sid not in rows]
        for sid in removed:
            self.scanners.pop(sid).stop()
        if removed:
            # Another process deleted part of the graph.
            self.rm.reload()
        for sid, plugin_name in rows.items():
            if sid not in self.scanners:
                self.scanners[sid] = Scanner(self.rm, sid, plugin_name)

    def run_due(self):
        """Scan every due scannable; return how many scans ran."""
        ran = 0
        for sid in sorted(self.scanners):
            scanner = self.scanners.get(sid)
            now = self._clock()
            if scanner is not None and scanner.due(now):
                scanner.run(now)
                ran += 1
        return ran

    def stop(self):
        for scanner in self.scanners.values():
            scanner.stop()
