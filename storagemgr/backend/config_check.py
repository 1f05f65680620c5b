"""Turns ``enabled_backends`` and the backend sections into backend specs.

This is where configuration mistakes are caught, before any driver runs:
a listed backend without a section, a section without a driver or with
two, an unknown driver alias, an unsafe backend name, and values that do
not parse. Each becomes a ConfigurationError whose message names the
culprit; the CLI prints it on one line. The registry uses
``collect_backends``, where a mistake inside one backend's section puts
only that backend in error and the others run.
"""

import collections
import re

from oslo_config import cfg

from storagemgr.backend import kinds
from storagemgr.conf import backend as backend_conf
from storagemgr.conf import default as default_conf
from storagemgr import exception
from storagemgr import loading

BackendSpec = collections.namedtuple(
    'BackendSpec', ['name', 'kind', 'driver_name', 'driver_cls',
                    'configuration', 'error'], defaults=(None,))
BackendSpec.__doc__ = """A checked backend section.

``error`` is None, or the ConfigurationError that keeps this one backend
from running (see ``collect_backends``); ``driver_cls`` is then None and
``kind`` is the kind its section chose, or ``kinds.UNKNOWN``.
"""

_NAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$')
_RESERVED_SECTIONS = frozenset(['DEFAULT', 'database', 'coordination',
                                backend_conf.SHARED_CONF_GROUP])


def embedded_backends():
    """The backends run when ``enabled_backends`` is not set at all."""
    return collections.OrderedDict([
        (default_conf.EMBEDDED_SHARE_BACKEND, kinds.SHARE),
        (default_conf.EMBEDDED_VOLUME_BACKEND, kinds.VOLUME),
    ])


def _opt_error(conf, group, opt, error):
    # oslo.config's message embeds location objects; keep the useful tail.
    detail = str(error)
    if 'is not valid:' in detail:
        detail = detail.split('is not valid:', 1)[1].strip()
    return exception.InvalidConfigValue(
        option=opt.dest, section=group or 'DEFAULT',
        reason='%s (expected %s)' % (detail, _describe_type(opt)))


def _describe_type(opt):
    type_ = getattr(opt, 'type', None)
    text = type(type_).__name__.lower() if type_ is not None else 'a value'
    bounds = []
    for attr in ('min', 'max'):
        value = getattr(type_, attr, None)
        if value is not None:
            bounds.append('%s %s' % (attr, value))
    choices = getattr(type_, 'choices', None)
    if choices:
        bounds.append('one of %s' % ', '.join(str(c) for c in choices))
    return text + (' (%s)' % ', '.join(bounds) if bounds else '')


def check_group_values(conf, group, opts):
    """Parse every option of ``group`` now, so bad values fail early."""
    for opt in opts:
        try:
            if group is None:
                getattr(conf, opt.dest)
            else:
                getattr(conf[group], opt.dest)
        except (cfg.ConfigFileValueError, ValueError) as e:
            raise _opt_error(conf, group, opt, e)
        except cfg.NoSuchOptError:
            continue


def check_global_values(conf):
    from storagemgr.conf import coordination
    from storagemgr.conf import database
    check_group_values(conf, None, default_conf.core_opts)
    for group, opts in database.list_opts() + coordination.list_opts():
        check_group_values(conf, group, opts)
    check_group_values(conf, backend_conf.SHARED_CONF_GROUP,
                       backend_conf.backend_opts)


def _enabled(conf):
    names = conf.enabled_backends
    if names is None:
        return embedded_backends(), True
    ordered = collections.OrderedDict()
    for name in names:
        name = name.strip()
        if name:
            ordered[name] = None
    return ordered, False


def _section_names(conf):
    try:
        return set(conf.list_all_sections())
    except cfg.Error:
        return set()


def _check_listing(name, embedded_kind, sections):
    """Mistakes of ``enabled_backends`` itself, not of a backend section."""
    if not _NAME_RE.match(name) or name in _RESERVED_SECTIONS:
        raise exception.ConfigurationError(
            reason="Backend name '%s' in enabled_backends is not allowed: "
                   "use letters, digits, '.', '_' and '-' (at most 64), and "
                   "none of the reserved section names." % name)
    if embedded_kind is None and name not in sections:
        raise exception.BackendSectionMissing(backend=name)


def _spec(conf, name, embedded_kind, sections):
    _check_listing(name, embedded_kind, sections)
    configuration = backend_conf.BackendConfiguration(name, conf=conf)
    if embedded_kind is not None and not configuration.is_set(
            embedded_kind.driver_option):
        conf.set_override(embedded_kind.driver_option,
                          embedded_kind.embedded_driver, group=name)
    check_group_values(conf, name, backend_conf.backend_opts)
    chosen = [k for k in kinds.ALL if configuration.is_set(k.driver_option)]
    if not chosen:
        raise exception.BackendDriverMissing(backend=name)
    if len(chosen) > 1:
        raise exception.BackendDriverAmbiguous(backend=name)
    kind = chosen[0]
    driver_name = getattr(conf[name], kind.driver_option)
    driver_cls = loading.load(kind.loading_kind, driver_name,
                              where=' in section [%s]' % name)
    getter = getattr(driver_cls, 'get_driver_options', None)
    if getter is not None:
        driver_opts = list(getter())
        configuration.append_config_values(driver_opts)
        check_group_values(conf, name, driver_opts)
        check_group_values(conf, backend_conf.SHARED_CONF_GROUP,
                           driver_opts)
    return BackendSpec(name, kind, driver_name, driver_cls, configuration)


def check_backends(conf=None):
    """Validate the configuration; return ``{name: BackendSpec}``.

    :raises ConfigurationError: on the first mistake found, even one that
        concerns a single backend (``collect_backends`` keeps going).
    """
    conf = conf if conf is not None else cfg.CONF
    check_global_values(conf)
    enabled, embedded = _enabled(conf)
    sections = _section_names(conf)
    specs = collections.OrderedDict()
    for name, embedded_kind in enabled.items():
        specs[name] = _spec(conf, name, embedded_kind if embedded else None,
                            sections)
    return specs


def _failed_spec(conf, name, error):
    """What can still be told about a backend whose section is wrong."""
    configuration = backend_conf.BackendConfiguration(name, conf=conf)
    chosen = []
    for kind in kinds.ALL:
        try:
            value = getattr(conf[name], kind.driver_option)
        except (cfg.Error, ValueError):
            value = None
        if value is not None:
            chosen.append((kind, value))
    kind, driver_name = chosen[0] if len(chosen) == 1 else (
        kinds.UNKNOWN, None)
    return BackendSpec(name, kind, driver_name, None, configuration, error)


def collect_backends(conf=None):
    """Like ``check_backends``, but one bad section spoils one backend.

    A mistake inside a backend's section (no driver or two, an unknown
    driver, a value that does not parse) gives that backend a spec with
    ``error`` set, and the other backends are checked as usual. Mistakes
    that are not about one section still raise ConfigurationError: global
    values (``[DEFAULT]``, ``[database]``, ``[coordination]``,
    ``[backend_defaults]``) and ``enabled_backends`` itself (a name that
    is not allowed, or one without a section, which is most often a typo
    in the list).
    """
    conf = conf if conf is not None else cfg.CONF
    check_global_values(conf)
    enabled, embedded = _enabled(conf)
    sections = _section_names(conf)
    specs = collections.OrderedDict()
    for name, embedded_kind in enabled.items():
        embedded_kind = embedded_kind if embedded else None
        _check_listing(name, embedded_kind, sections)
        try:
            specs[name] = _spec(conf, name, embedded_kind, sections)
        except exception.ConfigurationError as e:
            specs[name] = _failed_spec(conf, name, e)
    return specs
