"""``manila.share.configuration``: a backend's options, by section.

``Configuration(opts, config_group=None)`` is storagemgr's
``BackendConfiguration`` (the object every share driver is handed): the
options are registered in ``config_group`` on the global ``cfg.CONF``, so
a driver can read another backend's section, as Manila's dummy driver
does for migration. A value the section does not set falls back to
``[backend_defaults]``, then to the option's default. Without a
``config_group`` the options live in ``[DEFAULT]``, as in Manila.
"""

from oslo_config import cfg

from storagemgr.conf import backend as _backend


class Configuration(_backend.BackendConfiguration):
    """Options of one section; attribute access and ``safe_get``."""

    def __init__(self, share_opts, config_group=None, conf=None):
        if config_group:
            super().__init__(config_group, conf=conf, opts=share_opts)
            return
        # [DEFAULT]: no backend options, no [backend_defaults] fallback.
        self.config_group = None
        self.conf = conf if conf is not None else cfg.CONF
        self._registered = set()
        self.append_config_values(share_opts)

    def append_config_values(self, opts):
        """Register ``opts`` in the section (``[DEFAULT]`` without one)."""
        if self.config_group:
            return super().append_config_values(opts)
        for opt in opts:
            self._register(opt, None)
            self._registered.add(opt.dest)

    def _backend_value(self, name):
        if self.config_group:
            return super()._backend_value(name)
        return getattr(self.conf, name)

    def __getattr__(self, name):
        if self.__dict__.get('config_group') or name.startswith('_') or \
                name in ('conf', 'config_group'):
            return super().__getattr__(name)
        return self._backend_value(name)
