"""Per-backend options and the configuration object handed to drivers.

Every backend named in ``enabled_backends`` has a section of its own. A
value a backend's section does not set falls back to ``[backend_defaults]``
and then to the option's default, as Cinder's backend configuration does.
Drivers add their own options with ``append_config_values``.
"""

from oslo_config import cfg

from storagemgr.i18n import _

SHARED_CONF_GROUP = 'backend_defaults'

backend_opts = [
    cfg.StrOpt('share_driver',
               help=_('Share driver of this backend: an alias from the '
                      'storagemgr.share.drivers entry points (local, fake) '
                      'or the dotted path of a ShareDriver subclass.')),
    cfg.StrOpt('volume_driver',
               help=_('Volume driver of this backend: an alias from the '
                      'storagemgr.volume.drivers entry points (local, fake) '
                      'or the dotted path of a VolumeDriver subclass.')),
    cfg.StrOpt('backend_host',
               help=_('Host name used in this backend\'s export locations. '
                      'Defaults to [DEFAULT] host.')),
    cfg.StrOpt('backend_availability_zone',
               help=_('Availability zone of this backend\'s pools. Defaults '
                      'to [DEFAULT] storage_availability_zone.')),
    cfg.IntOpt('driver_setup_retries',
               default=3, min=0,
               help=_('How many times a failing do_setup or '
                      'check_for_setup_error is retried before the backend '
                      'is reported as failed.')),
    cfg.FloatOpt('driver_setup_retry_interval',
                 default=0.5, min=0,
                 help=_('Seconds before the first setup retry; each retry '
                        'doubles it.')),
    cfg.FloatOpt('driver_setup_backoff_initial',
                 default=30.0, min=0,
                 help=_('Seconds a backend stays in error after its setup '
                        'failed (all driver_setup_retries spent) before '
                        'setup is tried again. The next use of the '
                        'backend or the manager\'s periodic stats task '
                        'makes the attempt once that time has passed. Each '
                        'further failure doubles the wait, up to '
                        'driver_setup_backoff_max. 0 tries again at every '
                        'use.')),
    cfg.FloatOpt('driver_setup_backoff_max',
                 default=600.0, min=0,
                 help=_('Longest wait, in seconds, between two setup '
                        'attempts of a backend in error.')),
    cfg.StrOpt('storage_resource',
               help=_('Storage resource this backend sits on (a resource '
                      'id or label from "storage resource list", e.g. a '
                      'simulator pool). Alerts affecting it are reported '
                      'by "backend show".')),
]


def register_opts(conf):
    conf.register_opts(backend_opts, group=SHARED_CONF_GROUP)


def list_opts():
    return [(SHARED_CONF_GROUP, backend_opts)]


class BackendConfiguration(object):
    """Configuration of one backend, as a driver sees it.

    Attribute access returns the backend section's value, or the
    ``[backend_defaults]`` value when the section does not set one, or the
    option's default.
    """

    def __init__(self, backend_name, conf=None, opts=None):
        self.config_group = backend_name
        self.conf = conf if conf is not None else cfg.CONF
        self._registered = set()
        self.append_config_values(backend_opts)
        if opts:
            self.append_config_values(opts)

    def append_config_values(self, opts):
        """Register driver options in this backend's section.

        Each option is also registered in ``[backend_defaults]`` so one
        value can serve every backend. The backend copy gets a default of
        None, which is how a missing value is told from a set one.
        """
        for opt in opts:
            self._register(opt, SHARED_CONF_GROUP)
            self._register(opt, self.config_group)
            if opt.dest not in self._registered:
                self.conf.set_default(opt.dest, None,
                                      group=self.config_group)
                self._registered.add(opt.dest)

    def _register(self, opt, group):
        try:
            self.conf.register_opt(opt, group=group)
        except cfg.DuplicateOptError:
            # Two drivers may share an option; the first definition wins,
            # as long as both definitions agree (oslo.config checks that).
            pass

    def _backend_value(self, name):
        return getattr(self.conf[self.config_group], name)

    def __getattr__(self, name):
        if name.startswith('_') or name in ('conf', 'config_group'):
            raise AttributeError(name)
        value = self._backend_value(name)
        if value is None:
            try:
                value = getattr(self.conf[SHARED_CONF_GROUP], name)
            except cfg.NoSuchOptError:
                pass
        return value

    def safe_get(self, name):
        """Return the value of ``name``, or None when no such option."""
        try:
            return getattr(self, name)
        except (cfg.NoSuchOptError, AttributeError):
            return None

    def get(self, name, default=None):
        value = self.safe_get(name)
        return default if value is None else value

    def is_set(self, name):
        """Whether the backend's own section gives ``name`` a value."""
        try:
            return self._backend_value(name) is not None
        except cfg.NoSuchOptError:
            return False

    def registered_option_names(self):
        return sorted(self._registered)
