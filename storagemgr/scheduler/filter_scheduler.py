"""The filter scheduler: filter the pools, weigh the rest, pick the best.

``FilterScheduler(kind).select(pools, request_spec)`` returns the best
:class:`~storagemgr.scheduler.pool_state.PoolState` for a request or
raises NoValidHost saying which filter removed which pools. It reads no
database and changes nothing but what the caller asks (``consume``).

The request_spec is a dict:

``size``
    int, GiB (required; 0 for a request that allocates nothing).
``resource_type``
    the share type or volume type, ``{'name': ..., 'extra_specs': {..}}``
    (None or no extra specs: anything goes).
``availability_zone``
    the zone asked for, or None.
``snapshot_host``
    when creating from a snapshot: the host string of the snapshot's
    share instance or volume.
``snapshot_replication_domain``
    optional: the replication domain of that pool. When absent it is
    read from the pool ``snapshot_host`` names, if it is among the pools.
``replication``
    for a new replica: ``{'active_replica_host': ..., 'replica_hosts':
    [...], 'replication_domain': <the active replica's pool's domain>}``;
    None otherwise.
``share_proto``
    for shares, the protocol (readable by filter/goodness functions).
``resource_properties``
    optional dict of more request values for the functions (``share.x``
    or ``volume.x``).

Filter and goodness functions see ``share.size`` (or ``volume.size``),
``share.share_proto``, ``share.availability_zone``, the
``resource_properties``, ``extra.<spec>``, ``stats.<figure>`` and
``capabilities.<key>``.
"""

from oslo_config import cfg
from oslo_log import log as logging
from stevedore import extension
from stevedore import named

from storagemgr import exception
from storagemgr import hosts
from storagemgr.scheduler import filters as base_filters
from storagemgr.scheduler.filters import capabilities
from storagemgr.scheduler import opts
from storagemgr.scheduler import pool_state
from storagemgr.scheduler import weighers as base_weighers

LOG = logging.getLogger(__name__)

FILTER_NAMESPACE = 'storagemgr.scheduler.filters'
WEIGHER_NAMESPACE = 'storagemgr.scheduler.weighers'
# Pools named per filter in a NoValidHost message before "and N more".
REPORT_POOLS_PER_FILTER = 3


def _invalid(reason):
    raise exception.InvalidInput(reason='request_spec: %s' % reason)


class Request(object):
    """A request_spec read once, in the form the filters use."""

    def __init__(self, kind, spec, pools=()):
        if not isinstance(spec, dict):
            _invalid('a dict, not %r' % (spec,))
        size = spec.get('size')
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            _invalid('size must be a whole number of GiB, not %r' % (size,))
        resource_type = spec.get('resource_type') or {}
        if not isinstance(resource_type, dict):
            _invalid('resource_type must be a dict, not %r'
                     % (resource_type,))
        extra_specs = resource_type.get('extra_specs') or {}
        if not isinstance(extra_specs, dict):
            _invalid('extra_specs must be a dict, not %r' % (extra_specs,))
        self.kind = kind
        self.size = size
        self.resource_type = resource_type
        self.extra_specs = extra_specs
        self.thin = pool_state.thin_requested(extra_specs)
        self.availability_zone = spec.get('availability_zone') or None
        zones = extra_specs.get('availability_zones',
                                extra_specs.get(
                                    'capabilities:availability_zones'))
        self.type_zones = [z.strip() for z in str(zones).split(',')
                           if z.strip()] if zones else []
        self.capability_checks = capabilities.compile_specs(extra_specs)
        self.capability_key = tuple((key, str(req)) for key, _path, req, _m,
                                    _w in self.capability_checks)
        self.replication_type = extra_specs.get('replication_type')
        self.replication = spec.get('replication') or None
        self.snapshot_host = spec.get('snapshot_host') or None
        self.snapshot_replication_domain = spec.get(
            'snapshot_replication_domain')
        if self.snapshot_host is not None:
            hosts.parse(self.snapshot_host)
            if self.snapshot_replication_domain is None:
                self.snapshot_replication_domain = next(
                    (p.replication_domain for p in pools
                     if p.host == self.snapshot_host), None)
        resource = dict(spec.get('resource_properties') or {})
        resource.update(size=size,
                        availability_zone=self.availability_zone)
        if spec.get('share_proto') is not None:
            resource['share_proto'] = spec['share_proto']
        self.variables = {'extra': extra_specs, kind: resource}


def _one_line(text):
    return ' '.join(str(text).split())


def format_report(report, limit=REPORT_POOLS_PER_FILTER):
    """One line: which filter removed which pools, and why.

    ``report`` is what :meth:`FilterScheduler.filter` returns; at most
    ``limit`` pools are named per filter (None: all), then "and N more".
    """
    parts = []
    for name, removed in report:
        if not removed:
            continue
        named_pools = ', '.join('%s (%s)' % (host, _one_line(reason))
                                for host, reason in removed[:limit])
        more = len(removed) - limit if limit is not None else 0
        if more > 0:
            named_pools += ' and %d more' % more
        parts.append('%s removed %s' % (name, named_pools))
    return '; '.join(parts)


def _load(namespace, names, option, base):
    missing, failed = [], []

    def on_missing(names_missing):
        missing.extend(sorted(names_missing))

    def on_failure(manager, entrypoint, error):
        failed.append('%s (%s)' % (entrypoint.name, error))

    manager = named.NamedExtensionManager(
        namespace, names, name_order=True,
        on_missing_entrypoints_callback=on_missing,
        on_load_failure_callback=on_failure)
    if missing or failed:
        raise exception.ConfigurationError(
            reason='[DEFAULT] %s names %s; the known ones are: %s' % (
                option, ', '.join(
                    ['unknown %r' % n for n in missing] +
                    ['%s, which fails to load' % f for f in failed]),
                ', '.join(sorted(_available(namespace)))))
    classes = [ext.plugin for ext in manager]
    for cls in classes:
        if not (isinstance(cls, type) and issubclass(cls, base)):
            raise exception.ConfigurationError(
                reason='[DEFAULT] %s: %r is not a %s' % (
                    option, cls, base.__name__))
    return classes


def _available(namespace):
    return extension.ExtensionManager(namespace).names()


class FilterScheduler(object):
    """Filters and weighs pools of one kind ('share' or 'volume')."""

    def __init__(self, kind, conf=None):
        """Load the filters and weighers named in the configuration.

        :raises ConfigurationError: a name that is not an installed
            filter or weigher (the message names it).
        """
        if kind not in pool_state.KINDS:
            raise exception.InvalidInput(
                reason='scheduler kind must be share or volume, not %r'
                % (kind,))
        self.kind = kind
        self.conf = conf if conf is not None else cfg.CONF
        opts.register_opts(self.conf)
        filter_option = 'scheduler_default_%s_filters' % kind
        weigher_option = 'scheduler_default_%s_weighers' % kind
        self.filters = [cls(self.conf) for cls in _load(
            FILTER_NAMESPACE, self.conf[filter_option] or [],
            filter_option, base_filters.BaseFilter)]
        self.weighers = [cls(self.conf) for cls in _load(
            WEIGHER_NAMESPACE, self.conf[weigher_option] or [],
            weigher_option, base_weighers.BaseWeigher)]

    def request(self, pools, request_spec):
        return Request(self.kind, request_spec, pools)

    def _filter(self, pools, request):
        passing, report = list(pools), []
        for pool_filter in self.filters:
            if not passing:
                break
            passing, removed = pool_filter.filter_all(passing, request)
            report.append((pool_filter.name,
                           [(p.host, reason) for p, reason in removed]))
        if LOG.isEnabledFor(logging.DEBUG):
            LOG.debug('Filters for a %s GiB %s: %s', request.size,
                      self.kind, format_report(report, limit=None) or
                      'no pool removed')
        return passing, report

    def filter(self, pools, request_spec):
        """``(passing PoolStates, report)``.

        ``report`` is ``[(filter name, [(pool host, reason), ...]), ...]``
        in the order the filters ran (filters after the one that removed
        the last pool do not run).
        """
        return self._filter(pools, self.request(pools, request_spec))

    def weigh(self, pools, request):
        """``[(weight, PoolState)]``, best first."""
        return base_weighers.weigh(self.weighers, pools, request)

    def _select(self, pools, request):
        if not pools:
            raise exception.NoValidHost(
                reason='no enabled backend reports pools')
        passing, report = self._filter(pools, request)
        if not passing:
            reason = format_report(report)
            LOG.info('No pool for a %s GiB %s: %s', request.size, self.kind,
                     reason)
            raise exception.NoValidHost(reason=reason)
        if len(passing) == 1 or not self.weighers:
            return passing[0]
        return base_weighers.best(self.weighers, passing, request)

    def select(self, pools, request_spec):
        """The best PoolState for ``request_spec``.

        :raises NoValidHost: no pool passes the filters; the reason says
            which filter removed which pools, in one line.
        """
        return self._select(pools, self.request(pools, request_spec))

    def select_many(self, pools, request_spec, count):
        """Place ``count`` identical requests, consuming between them.

        Returns the chosen PoolStates in order; raises NoValidHost when
        one of them fits nowhere (the earlier ones stay consumed).
        """
        request = self.request(pools, request_spec)
        chosen = []
        for _ in range(count):
            pool = self._select(pools, request)
            pool.consume(request.size, request.thin)
            chosen.append(pool)
        return chosen
