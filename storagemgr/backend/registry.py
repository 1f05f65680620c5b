"""The backends of this process: their drivers, setup and state.

A backend is set up the way the reference managers do it: construct the
driver with its configuration, call ``do_setup``, then
``check_for_setup_error``, retrying ``driver_setup_retries`` times with
exponential back-off. A backend whose setup still fails goes to ``error``
with that error and a next attempt time: the first use of the backend, or
the manager's periodic stats task, after that time tries once more, and
each failure doubles the wait (``driver_setup_backoff_initial`` up to
``driver_setup_backoff_max``). A backend whose configuration section is
wrong is in ``error`` from the start and is never tried. Either way the
other backends keep working.
"""

import datetime
import threading
import time

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import importutils

from storagemgr.backend import config_check
from storagemgr.backend import state_store
from storagemgr import context as sm_context
from storagemgr import exception

LOG = logging.getLogger(__name__)

STATE_UP = 'up'
STATE_DOWN = 'down'
STATE_ERROR = 'error'


def format_time(value):
    """Seconds since the epoch (or a naive UTC datetime) as ISO 8601 UTC."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    return value.strftime('%Y-%m-%dT%H:%M:%SZ')


class Backend(object):
    """One configured backend and, once set up, its driver.

    ``clock`` returns seconds since the epoch; tests give their own.
    """

    def __init__(self, spec, clock=time.time):
        self.spec = spec
        self.name = spec.name
        self.kind = spec.kind
        self.configuration = spec.configuration
        self.driver = None
        self.state = STATE_DOWN
        self.error = None
        # When the backend is in error after a failed setup: when setup
        # may be tried again, and how many rounds have failed in a row.
        self.next_attempt_at = None
        self.failed_rounds = 0
        self.stats = {}
        # When the driver last reported stats (seconds since the epoch).
        self.stats_updated_at = None
        self._clock = clock
        self._lock = threading.Lock()
        if spec.error is not None:
            self.state = STATE_ERROR
            self.error = 'configuration error: %s' % spec.error

    @property
    def config_error(self):
        """The ConfigurationError of this backend's section, or None."""
        return self.spec.error

    @property
    def driver_name(self):
        return self.spec.driver_name

    @property
    def host(self):
        try:
            return self.configuration.backend_host or cfg.CONF.host
        except (cfg.Error, ValueError):
            return cfg.CONF.host

    def setup(self, context=None, sleep=time.sleep):
        """Set the driver up; True when the backend is up.

        The first call tries with quick retries (``sleep`` between them).
        After that, a backend in error is tried once more only when its
        next attempt time has passed; until then this returns False at
        once. A backend with a configuration error is never tried.
        """
        with self._lock:
            if self.state == STATE_UP:
                return True
            if self.config_error is not None:
                return False
            if self.state == STATE_ERROR:
                if self._clock() < self.next_attempt_at:
                    return False
                retries = 0  # one attempt per round; callers are waiting
            else:
                retries = self.configuration.driver_setup_retries or 0
            context = context or sm_context.get_admin_context()
            interval = self.configuration.driver_setup_retry_interval or 0
            for attempt in range(retries + 1):
                try:
                    self._setup_once(context)
                except Exception as e:  # any driver exception, any class
                    self.error = '%s: %s' % (type(e).__name__, e)
                    LOG.warning('Setup of backend %(name)s failed (attempt '
                                '%(n)d of %(total)d): %(error)s',
                                {'name': self.name, 'n': attempt + 1,
                                 'total': retries + 1, 'error': self.error})
                    if attempt < retries:
                        sleep(interval * (2 ** attempt))
                    continue
                if self.state == STATE_ERROR:
                    LOG.info('Backend %s recovered.', self.name)
                self.state, self.error = STATE_UP, None
                self.next_attempt_at, self.failed_rounds = None, 0
                return True
            self._schedule_next_attempt()
            self.driver = None
            return False

    def _schedule_next_attempt(self):
        self.failed_rounds += 1
        initial = self.configuration.driver_setup_backoff_initial or 0
        longest = self.configuration.driver_setup_backoff_max
        delay = initial * (2 ** min(self.failed_rounds - 1, 32))
        if longest is not None:
            delay = min(delay, longest)
        self.state = STATE_ERROR
        self.next_attempt_at = self._clock() + delay
        LOG.warning('Backend %(name)s is in error; next setup attempt in '
                    '%(delay)s s.', {'name': self.name, 'delay': delay})

    def _unavailable_reason(self):
        if self.next_attempt_at is None:
            return self.error
        return '%s (next setup attempt at %s)' % (
            self.error, format_time(self.next_attempt_at))

    def _setup_once(self, context):
        driver = importutils.import_class(self.kind.builder)(self)
        driver.do_setup(context)
        driver.check_for_setup_error()
        self.driver = driver

    def require(self, context=None):
        """The driver, set up; or BackendUnavailable naming the error."""
        if not self.setup(context):
            raise exception.BackendUnavailable(
                backend=self.name, reason=self._unavailable_reason())
        return self.driver

    def refresh_stats(self):
        """Ask the driver for fresh stats and record them."""
        if self.state != STATE_UP:
            return self.stats
        try:
            self.stats = dict(getattr(self.driver, self.kind.stats_method)(
                refresh=True) or {})
            self.stats_updated_at = self._clock()
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
            'last_error': self.error,
            'next_attempt_at': format_time(self.next_attempt_at),
            'capabilities': stats,
            'pools': pools,
        }

    def record(self):
        state_store.save(self)


class BackendRegistry(object):
    """All backends of the configuration, set up on first use."""

    def __init__(self, conf=None, clock=time.time):
        self.conf = conf if conf is not None else cfg.CONF
        self._backends = {
            name: Backend(spec, clock=clock) for name, spec in
            config_check.collect_backends(self.conf).items()}
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
        if kind is not None and backend.config_error is not None and (
                backend.kind.driver_option is None):
            # Its section chose no kind; say what is wrong with it.
            raise exception.BackendUnavailable(
                backend=name, reason=backend.error)
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
