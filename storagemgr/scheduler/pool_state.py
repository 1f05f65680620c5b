"""One pool as the scheduler sees it: capabilities and capacity.

The capacity rules live here, once: the capacity filter, the capacity
weigher and the caller's atomic claim all read :meth:`PoolState.room_gb`
and :meth:`PoolState.limit_gb`, so a pool the scheduler chooses is a pool
the claim accepts.

Thin or thick: a request is placed thin when the pool reports thin
provisioning (``thin_provisioning``, or ``thin_provisioning_support`` for
volume drivers; a list such as ``[True, False]`` counts as thin) and the
type does not ask for thick (see :func:`thin_requested`). Thin pools may
promise ``total * max_over_subscription_ratio``; thick pools ``total``
less the reserved percentage, and never more than their free space.
"""

import math

from storagemgr.backend import registry
from storagemgr import exception
from storagemgr import hosts
from storagemgr.scheduler import extra_specs_ops

UNKNOWN = 'unknown'
INFINITE = 'infinite'
KINDS = ('share', 'volume')
# The drivers' own default (driver_options.max_over_subscription_ratio).
DEFAULT_MAX_OVER_SUBSCRIPTION_RATIO = 20.0

_FUNCTION_KEYS = ('filter_function', 'goodness_function')


def _capacity(value):
    """A reported capacity: a float, 'unknown'/'infinite', or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in (UNKNOWN, INFINITE):
            return text
        try:
            return float(text)
        except ValueError:
            return None
    return None


def _number(value, default):
    if isinstance(value, bool) or value is None:
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def thin_capable(reported):
    """Whether a reported thin_provisioning value allows thin placement."""
    values = reported if isinstance(reported, (list, tuple)) else [reported]
    return any(v is True or (isinstance(v, str) and
                             v.strip().lower() == 'true') for v in values)


def thin_requested(extra_specs):
    """What a type asks for: True (thin), False (thick) or None (no say).

    ``provisioning:type`` (thin/thick, the volume services' spec) wins;
    otherwise ``thin_provisioning`` or ``capabilities:thin_provisioning``
    ('True', '<is> True', 'False', ...).
    """
    specs = extra_specs or {}
    ptype = specs.get('provisioning:type')
    if ptype is not None:
        return str(ptype).strip().lower() != 'thick'
    spec = specs.get('thin_provisioning')
    if spec is None:
        spec = specs.get('capabilities:thin_provisioning')
    if spec is None:
        return None
    return extra_specs_ops.match(True, spec)


class PoolState(object):
    """A pool's capabilities and capacity, updated in memory on consume."""

    def __init__(self, host, kind, capabilities, allocated_capacity_gb=0,
                 updated_at=None, availability_zone=None):
        """Build the state of the pool ``host`` (``host@backend#pool``).

        :param kind: 'share' or 'volume'.
        :param capabilities: the backend-level stats merged with this
            pool's dict (pool keys win), 'pools' removed. Kept, not
            copied, and not to be changed afterwards (results computed
            from them are cached in ``memo``).
        :param allocated_capacity_gb: what storagemgr's database accounts
            as allocated on this pool. Authoritative: the driver's own
            allocated/provisioned figure is used only when this is None.
        """
        parsed = hosts.parse(host)
        if parsed.host is None or parsed.pool is None:
            raise exception.InvalidInput(
                reason='a pool is named host@backend#pool, not %r' % host)
        if kind not in KINDS:
            raise exception.InvalidInput(
                reason='pool kind must be share or volume, not %r' % kind)
        caps = capabilities if capabilities is not None else {}
        self.host = host
        self.backend = parsed.backend
        self.pool_name = parsed.pool
        self.kind = kind
        self.capabilities = caps
        self.updated_at = updated_at
        self.availability_zone = (availability_zone or
                                  caps.get('availability_zone'))
        self.total_capacity_gb = _capacity(caps.get('total_capacity_gb'))
        self.free_capacity_gb = _capacity(caps.get('free_capacity_gb'))
        if allocated_capacity_gb is None:
            allocated_capacity_gb = _number(
                caps.get('provisioned_capacity_gb',
                         caps.get('allocated_capacity_gb')), 0)
        self.allocated_capacity_gb = allocated_capacity_gb
        self.reserved_percentage = _number(
            caps.get('reserved_percentage'), 0.0)
        self.max_over_subscription_ratio = _number(
            caps.get('max_over_subscription_ratio'),
            DEFAULT_MAX_OVER_SUBSCRIPTION_RATIO)
        self.thin_provisioning = caps.get(
            'thin_provisioning', caps.get('thin_provisioning_support', False))
        self._thin_capable = thin_capable(self.thin_provisioning)
        self._stats = None
        self._room = {}
        # Results that depend on the capabilities alone (which extra specs
        # they meet), kept for the pool's life: a PoolState is rebuilt
        # when fresh stats come, never updated in place.
        self.memo = {}

    @property
    def replication_domain(self):
        return self.capabilities.get('replication_domain')

    def is_thin(self, thin=None):
        """Whether a request (thin: True/False/None = no say) goes thin."""
        return self._thin_capable and thin is not False

    def limit_gb(self, thin=None):
        """The most storagemgr may allocate on this pool in all.

        Thin: total * max_over_subscription_ratio; thick: total less the
        reserved percentage of it; None when the total is not a number.
        ``thin`` is what the request asks for (None: the pool's own).
        """
        total = self.total_capacity_gb
        if not isinstance(total, float):
            return None
        if self.is_thin(thin):
            return total * self.max_over_subscription_ratio
        return total - math.floor(total * self.reserved_percentage / 100.0)

    def room_gb(self, thin=None):
        """``(GiB a request may still take, problem)``.

        ``(None, None)``: no limit can be computed ('unknown'/'infinite'
        capacity), anything fits. ``(None, reason)``: the pool cannot take
        anything, for ``reason``.
        """
        # The filter and the weigher both ask, for every request; the
        # answer changes only on consume.
        thin = self.is_thin(thin)
        room = self._room.get(thin)
        if room is None:
            room = self._room[thin] = self._compute_room(thin)
        return room

    def _compute_room(self, thin):
        total, free = self.total_capacity_gb, self.free_capacity_gb
        reserved = self.reserved_percentage
        if total is None or free is None:
            return None, 'reports no usable capacity'
        if not isinstance(total, float):
            if not isinstance(free, float):
                # 'infinite' or 'unknown' free space: assumed able, as the
                # reference filters do, whatever the reserve.
                return None, None
            if reserved:
                return None, ('cannot reserve %g%% of an %s total capacity'
                              % (reserved, total))
            return math.floor(free), None
        if total <= 0:
            return None, 'total capacity is %g GiB' % total
        if thin and self.max_over_subscription_ratio < 1:
            return None, ('invalid max_over_subscription_ratio %g (must '
                          'be 1 or more)' % self.max_over_subscription_ratio)
        room = self.limit_gb(thin) - self.allocated_capacity_gb
        if isinstance(free, float):
            usable = math.floor(free - total * reserved / 100.0)
            room = min(room, usable * self.max_over_subscription_ratio
                       if thin else usable)
        return room, None

    def consume(self, size_gb, thin=None):
        """Account ``size_gb`` placed here, until fresh stats come.

        Allocated grows; free shrinks only for thick placement (a thin
        share takes physical space as it is written).
        """
        self.allocated_capacity_gb += size_gb
        if not self.is_thin(thin) and isinstance(self.free_capacity_gb,
                                                 float):
            self.free_capacity_gb -= size_gb
        self._stats = None
        self._room = {}

    def _figures(self):
        return {
            'total_capacity_gb': self.total_capacity_gb,
            'free_capacity_gb': self.free_capacity_gb,
            'allocated_capacity_gb': self.allocated_capacity_gb,
            'provisioned_capacity_gb': self.allocated_capacity_gb,
            'reserved_percentage': self.reserved_percentage,
            'max_over_subscription_ratio': self.max_over_subscription_ratio,
            'thin_provisioning': self.thin_provisioning,
        }

    def stats(self):
        """The ``stats`` variables of filter and goodness functions.

        The capabilities with this pool's current figures; built once per
        change, since every function of every request reads it.
        """
        if self._stats is None:
            stats = {k: v for k, v in self.capabilities.items()
                     if k not in _FUNCTION_KEYS}
            stats.update(self._figures())
            stats.update(host=self.host, backend=self.backend,
                         pool_name=self.pool_name,
                         availability_zone=self.availability_zone,
                         updated=self.updated_at)
            self._stats = stats
        return self._stats

    def describe(self):
        """A plain dict for pool listings (``manila pool-list`` style)."""
        parsed = hosts.parse(self.host)
        capabilities = dict(self.capabilities)
        capabilities.update(self._figures())
        if self.availability_zone is not None:
            capabilities['availability_zone'] = self.availability_zone
        if self.updated_at is not None:
            # Shown as text: listings print JSON and YAML too.
            capabilities['updated_at'] = registry.format_time(
                self.updated_at)
        return {
            'name': self.host,
            'host': parsed.host,
            'backend': parsed.backend,
            'pool': parsed.pool,
            'capabilities': capabilities,
            'allocated_capacity_gb': self.allocated_capacity_gb,
        }

    def __repr__(self):
        return ('<PoolState %s total=%s free=%s allocated=%s>'
                % (self.host, self.total_capacity_gb, self.free_capacity_gb,
                   self.allocated_capacity_gb))
