"""CapabilitiesFilter: the type's extra specs against pool capabilities."""

from storagemgr.scheduler import extra_specs_ops
from storagemgr.scheduler import filters

# Extra specs that are not capabilities (other filters read them).
IGNORED_SPECS = frozenset([
    'availability_zones', 'capabilities:availability_zones',
])
CAPABILITIES_SCOPE = 'capabilities'


def compile_specs(extra_specs):
    """``((key, path, requirement, matcher, whole_list), ...)`` to check.

    Unscoped keys and ``capabilities:`` keys are capabilities; other
    scopes (``provisioning:type``, vendor scopes) are ignored. A key may
    name a nested capability: ``capabilities:share_group_stats:x``.
    """
    checks = []
    for key, req in sorted((extra_specs or {}).items()):
        if key in IGNORED_SPECS:
            continue
        path = key.split(':')
        if len(path) > 1:
            if path[0] != CAPABILITIES_SCOPE:
                continue
            path = path[1:]
        checks.append((key, tuple(path), req,
                       extra_specs_ops.compile_requirement(req),
                       extra_specs_ops.wants_whole_list(req)))
    return tuple(checks)


def unmet(capabilities, checks):
    """None when ``capabilities`` meet every check, else the first miss."""
    for key, path, req, matcher, whole_list in checks:
        value = capabilities
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return '%s: not reported' % key
        if isinstance(value, list) and not whole_list:
            ok = any(matcher(v) for v in value)
        else:
            ok = matcher(value)
        if not ok:
            return '%s: %s does not match %s' % (key, value, req)
    return None


class CapabilitiesFilter(filters.BaseFilter):
    """Keeps pools whose capabilities meet the type's extra specs.

    ``snapshot_support=True``, ``share_backend_name=b1``,
    ``volume_backend_name=b1``, ``thin_provisioning=<is> True``,
    ``capabilities:replication_type=readable`` and the operators of
    :mod:`~storagemgr.scheduler.extra_specs_ops`. A list-valued
    capability (thin_provisioning = [True, False]) matches when one of
    its items does.
    """

    def applies(self, request):
        return bool(request.capability_checks)

    def reject(self, pool, request):
        # The same type is asked for again and again; its verdict on a
        # pool's capabilities does not change.
        key = ('capabilities', request.capability_key)
        try:
            return pool.memo[key]
        except KeyError:
            reason = pool.memo[key] = unmet(pool.capabilities,
                                            request.capability_checks)
            return reason
