"""The share driver contract: what a share backend implements.

``ShareDriver`` is the base of every share driver. Its methods state what
the share manager hands over and what it expects back; the ones a backend
cannot do raise NotImplementedError, and a few have generic behaviour
built on the others (share groups, capability defaults, stats).

A driver is built the way the reference share manager builds one,
``driver_cls(configuration=<BackendConfiguration>,
private_storage=<DriverPrivateData>)``, then set up with
``do_setup(context)`` and ``check_for_setup_error()``. Subclasses pass the
share-server modes they support to ``__init__``, and may pass
``config_opts`` (lists of options to register) as keyword argument.

The dicts drivers receive (share, snapshot, access rule) are described in
``doc/source/contributor`` and in the docstrings below. Storagemgr has no
network service: a driver running with ``driver_handles_share_servers``
True gets no network API and must manage its own networking.
"""

from oslo_log import log as logging

from storagemgr import exception
from storagemgr.i18n import _
from storagemgr.share import driver_execute
from storagemgr.share import driver_groups
from storagemgr.share import driver_options
from storagemgr.share import driver_replication

LOG = logging.getLogger(__name__)

# Re-exported so drivers find the whole contract in this module.
ExecuteMixin = driver_execute.ExecuteMixin


def _as_modes(driver_handles_share_servers):
    """The modes a driver supports, as a tuple of booleans."""
    value = driver_handles_share_servers
    if isinstance(value, bool):
        return (value,)
    if not isinstance(value, (tuple, list, set)) or not value or any(
            not isinstance(v, bool) for v in value):
        raise exception.ManilaException(
            _("A driver must declare driver_handles_share_servers as a "
              "boolean or a collection of booleans, not %r.") % (value,))
    return tuple(sorted(set(value)))


class ShareDriver(driver_groups.ShareGroupFallbackMixin,
                  driver_replication.ReplicationAndMigrationMixin):
    """Base class of share drivers; see the module docstring."""

    def __init__(self, driver_handles_share_servers, *args, **kwargs):
        """Set the driver up against its backend configuration.

        :param driver_handles_share_servers: True, False, or a collection
            of both, naming the modes the driver supports. The backend's
            ``driver_handles_share_servers`` option picks the mode; when
            unset, a driver with a single mode runs in it.
        :param configuration: the backend's BackendConfiguration.
        :param private_storage: the backend's DriverPrivateData: a
            key-value store per share or snapshot instance id, for what
            the driver must remember about objects on its backend.
        :param config_opts: further option lists to register (for mixins).
        """
        super().__init__()
        self.configuration = kwargs.get('configuration')
        self.private_storage = kwargs.get('private_storage')
        self.initialized = False
        self._stats = {}
        self.ip_versions = None
        self.ipv6_implemented = False
        self.pools = []
        self.network_api = None
        if self.configuration:
            self.configuration.append_config_values(
                driver_options.share_opts)
        self._verify_share_server_handling(driver_handles_share_servers)
        for opts in kwargs.get('config_opts', []):
            self.configuration.append_config_values(opts)
        if hasattr(self, 'init_execute_mixin'):
            self.init_execute_mixin(*args, **kwargs)

    @staticmethod
    def get_driver_options():
        """The options every share driver reads from its backend section."""
        return driver_options.list_opts()

    # -- configuration --------------------------------------------------

    def _config(self, name, default=None):
        if not self.configuration:
            return default
        value = self.configuration.safe_get(name)
        return default if value is None else value

    @property
    def backend_name(self):
        """The name the driver goes by; the backend's section by default.

        Drivers may set it (many written for the reference set it to
        their ``share_backend_name``); without a configuration and
        without a value set, it is ''.
        """
        # Not set in __init__: a subclass may set it before calling it.
        name = getattr(self, '_backend_name', None)
        if name is not None:
            return name
        return getattr(self.configuration, 'config_group', None) or ''

    @backend_name.setter
    def backend_name(self, value):
        self._backend_name = value

    @property
    def admin_network_api(self):
        return getattr(self, '_admin_network_api', None)

    @property
    def driver_handles_share_servers(self):
        resolved = getattr(self, '_driver_handles_share_servers', None)
        if resolved is not None:
            return resolved
        return self._config('driver_handles_share_servers')

    @property
    def replication_domain(self):
        return self._config('replication_domain')

    def _verify_share_server_handling(self, driver_handles_share_servers):
        """Check the configured share-server mode against the driver's.

        :raises ManilaException: the driver declares its modes wrongly.
        :raises InvalidConfigValue: the configured mode is not a boolean,
            or the driver does not support it, or the driver supports
            both and the configuration does not choose.
        """
        supported = _as_modes(driver_handles_share_servers)
        configured = self._config('driver_handles_share_servers')

        def _bad(reason):
            return exception.InvalidConfigValue(
                option='driver_handles_share_servers',
                section=self.backend_name or 'DEFAULT', reason=reason)

        if configured is None:
            if len(supported) > 1:
                raise _bad(_('the driver supports both modes; set it to '
                             'True or False'))
            configured = supported[0]
        if not isinstance(configured, bool):
            raise _bad(_('%r is not a boolean') % (configured,))
        if configured not in supported:
            raise _bad(_('the driver only supports %s') % ' or '.join(
                str(mode) for mode in supported))
        self._driver_handles_share_servers = configured

    # -- set up and stats -------------------------------------------------

    def do_setup(self, context):
        """Prepare the backend; called once before any other method."""

    def check_for_setup_error(self):
        """Refuse to run on a configuration that cannot work.

        :raises InvalidParameterValue: max_over_subscription_ratio < 1.0.
        """
        ratio = self._config('max_over_subscription_ratio')
        if not ratio or float(ratio) < 1.0:
            raise exception.InvalidParameterValue(err=_(
                "Invalid max_over_subscription_ratio '%s' for backend "
                "%s: it must be 1.0 or more.") % (ratio, self.backend_name))

    def get_share_stats(self, refresh=False):
        """The backend's capabilities and capacity; refreshed on demand."""
        if refresh:
            self._update_share_stats()
        return self._stats

    def _update_share_stats(self, data=None):
        """Build ``self._stats`` from the defaults and ``data``.

        :param data: a dict whose keys override the common ones; its
            ``share_group_stats`` may set ``consistent_snapshot_support``.
        """
        backend_name = (self._config('share_backend_name') or
                        self.backend_name or 'Generic_NFS')
        common = {
            'share_backend_name': backend_name,
            'driver_handles_share_servers':
                self.driver_handles_share_servers,
            'vendor_name': 'Open Source',
            'driver_version': '1.0',
            'storage_protocol': None,
            'total_capacity_gb': 'unknown',
            'free_capacity_gb': 'unknown',
            'reserved_percentage': self._config(
                'reserved_share_percentage', 0),
            'qos': False,
            'pools': self.pools or None,
            'snapshot_support': self.snapshots_are_supported,
            'create_share_from_snapshot_support':
                self.creating_shares_from_snapshots_is_supported,
            'revert_to_snapshot_support': False,
            'mount_snapshot_support': False,
            'replication_domain': self.replication_domain,
            'filter_function': self.get_filter_function(),
            'goodness_function': self.get_goodness_function(),
        }
        if isinstance(data, dict):
            common.update(data)
        group_stats = (data or {}).get('share_group_stats') or {}
        common['share_group_stats'] = {
            'consistent_snapshot_support':
                group_stats.get('consistent_snapshot_support'),
        }
        self.add_ip_version_capability(common)
        self._stats = common

    def get_pool(self, share):
        """The pool ``share`` lives in, or None when not known."""

    def get_share_server_pools(self, share_server):
        """Pools that belong to ``share_server``; none by default."""
        return []

    def get_backend_info(self, context):
        """Driver and backend settings, to tell whether they changed.

        :returns: a dict of driver-specific values (version, paths...).
        """
        raise NotImplementedError()

    # -- capability detection ---------------------------------------------

    def _has_redefined_driver_methods(self, methods):
        """Whether the driver class overrides every one of ``methods``."""
        if not isinstance(methods, (set, list, tuple)):
            methods = (methods,)
        for name in methods:
            method = getattr(type(self), name, None)
            if method is None or method is getattr(ShareDriver, name, None):
                return False
        return True

    @property
    def snapshots_are_supported(self):
        """True when the driver implements create and delete snapshot."""
        if not hasattr(self, '_snapshots_are_supported'):
            self._snapshots_are_supported = (
                self._has_redefined_driver_methods(
                    ('create_snapshot', 'delete_snapshot')))
        return self._snapshots_are_supported

    @property
    def creating_shares_from_snapshots_is_supported(self):
        """True with snapshots and an own create_share_from_snapshot."""
        if not hasattr(self, '_creating_shares_from_snapshots_is_supported'):
            self._creating_shares_from_snapshots_is_supported = (
                self._has_redefined_driver_methods(
                    ('create_share_from_snapshot',)))
        return (self._creating_shares_from_snapshots_is_supported and
                self.snapshots_are_supported)

    # -- IP versions, filter and goodness ---------------------------------

    def get_configured_ip_versions(self):
        """The IP versions shares are exported on: [4], [6] or [4, 6].

        Drivers that set ``ipv6_implemented`` must override this; the
        others export on IPv4 only.
        """
        if not self.ipv6_implemented:
            return [4]
        raise NotImplementedError()

    def _ip_versions_from_config(self):
        """``share_ip_versions`` as sorted ints, for drivers to return."""
        values = self._config('share_ip_versions', ['4'])
        return sorted({int(v) for v in values})

    def add_ip_version_capability(self, data):
        """Set ``ipv4_support`` and ``ipv6_support`` in ``data``.

        With share servers handled by the driver, only versions its
        network API enables too are reported.
        """
        self.ip_versions = set(self.get_configured_ip_versions() or ())
        if not self.ip_versions:
            LOG.error('Backend %s supports neither IPv4 nor IPv6.',
                      data.get('share_backend_name'))
        network_versions = getattr(self.network_api, 'enabled_ip_versions',
                                   None)
        if self.driver_handles_share_servers and network_versions is not None:
            self.ip_versions &= set(network_versions)
            if not self.ip_versions:
                LOG.error('The network plugin enables no IP version that '
                          'backend %s supports.',
                          data.get('share_backend_name'))
        data['ipv4_support'] = 4 in self.ip_versions
        data['ipv6_support'] = 6 in self.ip_versions
        return data

    def get_filter_function(self):
        """The backend's filter expression, or the driver's default."""
        return (self._config('filter_function') or
                self.get_default_filter_function())

    def get_goodness_function(self):
        """The backend's goodness expression, or the driver's default."""
        return (self._config('goodness_function') or
                self.get_default_goodness_function())

    def get_default_filter_function(self):
        """A driver's own filter expression; None lets every share in."""
        return None

    def get_default_goodness_function(self):
        """A driver's own goodness expression; None ranks it lowest."""
        return None

    # -- shares -------------------------------------------------------------

    def create_share(self, context, share, share_server=None):
        """Create ``share``.

        :returns: its export locations: a list of
            ``{'path', 'is_admin_only', 'metadata'}`` dicts (or strings).
        """
        raise NotImplementedError()

    def create_share_from_snapshot(self, context, share, snapshot,
                                   share_server=None):
        """Create ``share`` holding the data of ``snapshot``.

        :returns: a list of export locations (done), or a dict with
            ``status`` ('available' or 'creating_from_snapshot', then polled
            through ``get_share_status``) and ``export_locations``.
        """
        raise NotImplementedError()

    def get_share_status(self, share, share_server=None):
        """Progress of a share created with status creating_from_snapshot.

        :returns: ``{'status': 'available'|'creating_from_snapshot'|
            'error', 'export_locations': [...], 'progress': '50%'}``, the
            last two optional.
        """
        raise NotImplementedError()

    def delete_share(self, context, share, share_server=None):
        """Delete ``share``; a share already gone is not an error."""
        raise NotImplementedError()

    def ensure_share(self, context, share, share_server=None):
        """Make sure ``share`` is exported; None or its export locations."""
        raise NotImplementedError()

    def ensure_shares(self, context, shares):
        """Make sure every share is exported, in one call.

        :returns: None, or ``{share_id: {'export_locations': [...],
            'status': 'available'|'error'}}`` for the shares to update.
        """
        raise NotImplementedError()

    def extend_share(self, share, new_size, share_server=None):
        """Grow ``share`` to ``new_size`` GiB (more than its size)."""
        raise NotImplementedError()

    def shrink_share(self, share, new_size, share_server=None):
        """Shrink ``share`` to ``new_size`` GiB (less than its size).

        :raises ShareShrinkingPossibleDataLoss: the share uses more than
            ``new_size``; the share must be left untouched.
        """
        raise NotImplementedError()

    def update_share_usage_size(self, context, shares):
        """Space used by each share.

        :returns: ``[{'id', 'used_size' (GiB), 'gathered_at'}]``; empty
            when the backend cannot tell.
        """
        LOG.debug('Backend %s does not report share usage.',
                  self.backend_name)
        return []

    def get_periodic_hook_data(self, context, share_instances):
        """Extra data for periodic hooks; the shares unchanged by default."""
        return share_instances

    # -- snapshots ----------------------------------------------------------

    def create_snapshot(self, context, snapshot, share_server=None):
        """Take ``snapshot`` of ``snapshot['share']``.

        :returns: None or a dict of updates (``provider_location``,
            ``size``, ``status``, ``export_locations`` when mountable).
        """
        raise NotImplementedError()

    def delete_snapshot(self, context, snapshot, share_server=None):
        """Delete ``snapshot``; a snapshot already gone is not an error."""
        raise NotImplementedError()

    def revert_to_snapshot(self, context, snapshot, share_access_rules,
                           snapshot_access_rules, share_server=None):
        """Put the share back, in place, to the content of ``snapshot``.

        The snapshot is kept. The manager checks that it is the share's
        latest snapshot and that both are available.
        """
        raise NotImplementedError()

    # -- access -------------------------------------------------------------

    def allow_access(self, context, share, access, share_server=None):
        """Grant one access rule (drivers without update_access)."""
        raise NotImplementedError()

    def deny_access(self, context, share, access, share_server=None):
        """Revoke one access rule (drivers without update_access)."""
        raise NotImplementedError()

    def update_access(self, context, share, access_rules, add_rules,
                      delete_rules, share_server=None):
        """Make the backend's rules for ``share`` match ``access_rules``.

        ``access_rules`` is the whole wanted set; ``add_rules`` and
        ``delete_rules`` are the change, and both empty means "sync to
        ``access_rules``". Adding a rule that exists and deleting one that
        was never applied must succeed. An exception sets every rule in
        transition to error.

        :returns: None, or ``{rule_id: {'state': 'active'|'error',
            'access_key': <credential or None>}}``.
        """
        raise NotImplementedError()

    def snapshot_update_access(self, context, snapshot, access_rules,
                               add_rules, delete_rules, share_server=None):
        """``update_access`` for mountable snapshots."""
        raise NotImplementedError()

    # -- manage and unmanage ----------------------------------------------

    def manage_existing(self, share, driver_options):
        """Adopt a share the backend already has (no share servers).

        :returns: ``{'size': <GiB>, 'export_locations': [...], ...}``;
            ``size`` is required.
        :raises ManageInvalidShare: the share cannot be adopted.
        """
        raise NotImplementedError()

    def manage_existing_with_server(self, share, driver_options,
                                    share_server=None):
        """``manage_existing`` for drivers handling share servers."""
        raise NotImplementedError()

    def unmanage(self, share):
        """Forget ``share`` without touching its data.

        :raises UnmanageInvalidShare: the share cannot be released.
        """

    def unmanage_with_server(self, share, share_server=None):
        """``unmanage`` for drivers handling share servers."""

    def manage_existing_snapshot(self, snapshot, driver_options):
        """Adopt a snapshot the backend already has.

        :returns: ``{'size': <GiB>, ...}`` (``export_locations`` when
            mountable).
        :raises ManageInvalidShareSnapshot: it cannot be adopted.
        """
        raise NotImplementedError()

    def manage_existing_snapshot_with_server(self, snapshot, driver_options,
                                             share_server=None):
        """``manage_existing_snapshot`` with share servers."""
        raise NotImplementedError()

    def unmanage_snapshot(self, snapshot):
        """Forget ``snapshot`` without touching its data."""

    def unmanage_snapshot_with_server(self, snapshot, share_server=None):
        """``unmanage_snapshot`` with share servers."""

    # -- share servers and networks ---------------------------------------

    def get_network_allocations_number(self):
        """Network ports a new share server needs."""
        raise NotImplementedError()

    def get_admin_network_allocations_number(self):
        return 0

    def _require_network_api(self, api, what):
        if api is None:
            raise exception.NetworkBadConfigurationException(
                reason=_('backend %(backend)s has no %(what)s network '
                         'plugin') % {'backend': self.backend_name,
                                      'what': what})
        return api

    def update_network_allocation(self, context, share_server):
        self._require_network_api(
            self.network_api, 'share').update_network_allocation(
                context, share_server)

    def update_admin_network_allocation(self, context, share_server):
        if (self.get_admin_network_allocations_number() and
                self.admin_network_api):
            self.admin_network_api.update_network_allocation(context,
                                                             share_server)

    def allocate_network(self, context, share_server, share_network,
                         count=None, **kwargs):
        if count is None:
            count = self.get_network_allocations_number()
        if count:
            kwargs['count'] = count
            self._require_network_api(
                self.network_api, 'share').allocate_network(
                    context, share_server, share_network, **kwargs)

    def allocate_admin_network(self, context, share_server, count=None,
                               **kwargs):
        if count is None:
            count = self.get_admin_network_allocations_number()
        if count:
            kwargs['count'] = count
            self._require_network_api(
                self.admin_network_api, 'admin').allocate_network(
                    context, share_server, **kwargs)

    def deallocate_network(self, context, share_server_id):
        if self.get_network_allocations_number():
            self._require_network_api(
                self.network_api, 'share').deallocate_network(
                    context, share_server_id)

    def choose_share_server_compatible_with_share(self, context, share_servers,
                                                  share, snapshot=None,
                                                  share_group=None):
        """A server for ``share``: the group's server, or the first one."""
        if share_group:
            for share_server in share_servers:
                if share_group.get('share_server_id') == share_server['id']:
                    return share_server
            return None
        return share_servers[0] if share_servers else None

    def choose_share_server_compatible_with_share_group(
            self, context, share_servers, share_group_ref,
            share_group_snapshot=None):
        return share_servers[0] if share_servers else None

    def setup_server(self, *args, **kwargs):
        if self.driver_handles_share_servers:
            return self._setup_server(*args, **kwargs)
        LOG.debug('Not setting up a share server: backend %s does not '
                  'handle share servers.', self.backend_name)

    def _setup_server(self, network_info, metadata=None):
        raise NotImplementedError()

    def teardown_server(self, *args, **kwargs):
        if self.driver_handles_share_servers:
            return self._teardown_server(*args, **kwargs)
        LOG.debug('Not tearing down a share server: backend %s does not '
                  'handle share servers.', self.backend_name)

    def _teardown_server(self, server_details, security_services=None):
        raise NotImplementedError()

    def get_share_server_network_info(self, context, share_server,
                                      identifier, driver_options):
        """IP addresses a share server being adopted uses."""
        raise NotImplementedError()

    def manage_server(self, context, share_server, identifier,
                      driver_options):
        """Adopt a share server: ``(identifier, backend_details)``."""
        raise NotImplementedError()

    def unmanage_server(self, server_details, security_services=None):
        """Forget a share server without touching it."""
        raise NotImplementedError()

    # -- generic (host-assisted) migration support ------------------------

    def connection_get_info(self, context, share, share_server=None):
        """How a data mover mounts ``share``.

        :returns: ``{'mount': template, 'unmount': template,
            'access_mapping': {access_type: [proto]}}``; the mount
            template keeps ``%(path)s`` and ``%(options)s`` to fill in.
        """
        info = {
            'mount': self._get_mount_command(context, share, share_server),
            'unmount': self._get_unmount_command(context, share,
                                                 share_server),
            'access_mapping': self._get_access_mapping(context, share,
                                                       share_server),
        }
        LOG.debug('Connection info for share %(id)s: %(info)s',
                  {'id': share['id'], 'info': info})
        return info

    def _get_access_mapping(self, context, share, share_server):
        mapping = self._config('protocol_access_mapping') or {}
        proto = share['share_proto'].lower()
        result = {}
        for access_type, protocols in mapping.items():
            if isinstance(protocols, str):
                protocols = protocols.split(';')
            if proto in [p.strip().lower() for p in protocols]:
                result.setdefault(access_type, []).append(proto)
        return result

    def _get_mount_command(self, context, share_instance, share_server=None):
        template = self._config('share_mount_template')
        return template % {
            'proto': share_instance['share_proto'].lower(),
            'export': self._get_mount_export(share_instance, share_server),
            'path': '%(path)s',
            'options': '%(options)s',
        }

    def _get_mount_export(self, share_instance, share_server=None):
        """The admin export path when there is one, else the first."""
        locations = share_instance['export_locations']
        for location in locations:
            if location.get('is_admin_only'):
                return location['path']
        return locations[0]['path']

    def _get_unmount_command(self, context, share_instance,
                             share_server=None):
        return self._config('share_unmount_template')
