"""The backends of this process: their drivers, setup and state.

A backend is set up the way the reference managers do it: construct the
driver with its configuration, call ``do_setup``, then
``check_for_setup_error``, retrying with exponential back-off. A backend
whose setup keeps failing stays listed with its error; the others keep
working.
"""

import threading
import time

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr.backend import config_check
from storagemgr.backend import state_store
from storagemgr import context as sm_context
from storagemgr import exception

LOG = logging.getLogger(__name__)

STATE_UP = 'up'
STATE_DOWN = 'down'
STATE_ERROR = 'error'


class Backend(object):
    """One configured backend and, once set up, its driver."""

    def __init__(self, spec):
        self.spec = spec
        self.name = spec.name
        self.kind = spec.kind
        self.configuration = spec.configuration
        self.driver = None
        self.state = STATE_DOWN
        self.error = None
        self.stats = {}
        self._lock = threading.Lock()

    @property
    def driver_name(self):
        return self.spec.driver_name

    @property
    def host(self):
        return self.configuration.backend_host or cfg.CONF.host

    def setup(self, context=None, sleep=time.sleep):
        """Set the driver up once; later calls return at once."""
        with self._lock:
            if self.state != STATE_DOWN:
                return self.state == STATE_UP
            context = context or sm_context.get_admin_context()
            retries = self.configuration.driver_setup_retries or 0
            interval = self.configuration.driver_setup_retry_interval or 0
            for attempt in range(retries + 1):
                try:
                    self._setup_once(context)
                    self.state, self.error = STATE_UP, None
                    return True
                except Exception as e:  # any driver exception, any class
                    self.error = '%s: %s' % (type(e).__name__, e)
                    LOG.warning('Setup of backend %(name)s failed (attempt '
                                '%(n)d of %(total)d): %(error)s',
                                {'name': self.name, 'n': attempt + 1,
                                 'total': retries + 1, 'error': self.error})
                    if attempt < retries:
                        sleep(interval * (2 ** attempt))
            self.state = STATE_ERROR
            self.driver = None
            return False

    def _setup_once(self, context):
        driver = self.spec.driver_cls(configuration=self.configuration)
        driver.do_setup(context)
        driver.check_for_setup_error()
        self.driver = driver

    def require(self, context=None):
        """The driver, set up; or BackendUnavailable naming the error."""
        if not self.setup(context):
            raise exception.BackendUnavailable(backend=self.name,
                                               reason=self.error)
        return self.driver

    def refresh_stats(self):
        """Ask the driver for fresh stats and record them."""
        if self.state != STATE_UP:
            return self.stats
        try:
            self.stats = dict(getattr(self.driver, self.kind.stats_method)(
                refresh=True) or {})
        except Exception as e:
            LOG.warning('Backend %(name)s failed to report stats: %(e)s',
                        {'name': self.name, 'e': e})
        return self.stats

    def describe(self):
        """What ``backend list`` and ``backend show`` print."""
        stats = dict(self.stats or {})
        pools = stats.pop('pools', None) or []
        return {
            'name': self.name,
            'kind': self.kind.name,
            'driver': self.driver_name,
            'state': self.state if self.state != STATE_ERROR else
            'error: %s' % self.error,
            'capabilities': stats,
            'pools': pools,
        }

    def record(self):
        state_store.save(self)


class BackendRegistry(object):
    """All backends of the configuration, set up on first use."""

    def __init__(self, conf=None):
        self.conf = conf if conf is not None else cfg.CONF
        self._backends = {name: Backend(spec) for name, spec in
                          config_check.check_backends(self.conf).items()}
        self._order = list(self._backends)

    def __iter__(self):
        return iter(self._backends[name] for name in self._order)

    def names(self, kind=None):
        return [b.name for b in self if kind is None or b.kind.name == kind]

    def lookup(self, name, kind=None):
        """The backend called ``name``, without setting it up."""
        backend = self._backends.get(name)
        if backend is None:
            raise exception.BackendNotFound(
                backend=name, available=', '.join(self._order) or 'none')
        if kind is not None and backend.kind.name != kind:
            raise exception.BackendKindMismatch(
                backend=name, actual=backend.kind.name, expected=kind)
        return backend

    def get(self, name, kind=None, context=None):
        """The backend called ``name``, set up, or BackendUnavailable."""
        backend = self.lookup(name, kind)
        backend.require(context)
        return backend

    def default_backend(self, kind):
        """The only backend of ``kind``, when there is exactly one."""
        names = self.names(kind)
        if len(names) == 1:
            return names[0]
        raise exception.InvalidInput(
            reason='choose a %s backend with --backend (enabled: %s)' % (
                kind, ', '.join(names) or 'none'))

    def setup_all(self, context=None):
        for backend in self:
            backend.setup(context)
            backend.refresh_stats()
            backend.record()
