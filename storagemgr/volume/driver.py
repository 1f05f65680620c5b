"""The volume driver interfaces: what storagemgr asks of a block backend.

A driver gets its backend's configuration as ``configuration`` (a
``storagemgr.conf.backend.BackendConfiguration``) and declares its own
options with ``get_driver_options()``. The manager calls ``do_setup`` and
``check_for_setup_error`` before anything else.

Drivers see plain dicts, never database rows (``storagemgr.volume.
driver_views`` builds them): a volume has ``id``, ``name``, ``size``
(GiB), ``provider_location``, ``consistencygroup_id``, ``snapshot_id`` and
``source_volid``; a snapshot has ``id``, ``name``, ``volume_id``,
``volume_size``, ``size``, ``cgsnapshot_id`` and ``provider_location``; a
group has ``id``, ``name`` and ``status``.

Attaching a volume follows Cinder's order of calls: ``create_export``
(make the volume reachable from outside the backend), then
``initialize_connection`` (let one host in and say how it connects), and
the host's os-brick connector uses what that returned. Detaching undoes
them in reverse: ``terminate_connection`` then ``remove_export``. The
*connector* those methods get is the dict os-brick's
``get_connector_properties`` builds for the host (``host``, ``ip``,
``platform``, ``os_type``, ``multipath`` and, where the host has them,
``initiator``, ``wwpns``, ``nqn``...).

A *model update* is a dict of fields the manager writes back on success,
or None for "nothing to change". The keys each operation uses are listed
in ``storagemgr.volume.constants`` (``*_UPDATE_KEYS``); known provider
keys (``provider_id``, ``provider_auth``, ``metadata``...) are stored on
the row as well, and any other key is ignored with a warning. Only a
malformed status or a value of the wrong type fails the operation.
"""

import abc

from oslo_config import cfg

from storagemgr.i18n import _

volume_driver_opts = [
    cfg.IntOpt('group_member_workers', default=128, min=1,
               help=_('How many member volumes or snapshots one generic '
                      'consistency group operation (used when a driver '
                      'has no native method) handles at the same time, out '
                      'of [DEFAULT] member_worker_pool_size.')),
    cfg.BoolOpt('use_multipath_for_image_xfer', default=False,
                help=_('Whether volumes of this backend are attached to '
                       'this host over every path the backend offers '
                       '(os-brick multipath), when the connection type '
                       'has several.')),
    cfg.BoolOpt('enforce_multipath_for_image_xfer', default=False,
                help=_('With use_multipath_for_image_xfer, refuse to '
                       'attach when the multipath daemon is not running '
                       'instead of falling back to one path.')),
]


def _execute(*cmd, **kwargs):
    """``oslo_concurrency.processutils.execute``, imported on first use.

    processutils imports oslo_utils.strutils (about 80 ms), which a CLI
    command that only loads this module never needs.
    """
    from oslo_concurrency import processutils

    return processutils.execute(*cmd, **kwargs)


class VolumeDriver(object, metaclass=abc.ABCMeta):
    """Block volumes and their snapshots on one backend."""

    def __init__(self, execute=None, *args, **kwargs):
        """Take what the manager hands every driver it builds.

        The keywords are the ones Cinder's volume manager passes, so a
        driver written for it can be built the same way:

        :param execute: how the driver runs commands (default
            ``oslo_concurrency.processutils.execute``).
        :param configuration: the backend's configuration; the driver's
            options are added to it.
        :param host: ``host@backend`` of the service running the driver.
        :param db: the manager's database API, for drivers that keep data
            of their own.
        :param cluster_name: the cluster the service belongs to, or None.
        :param active_backend_id: the replication target the backend has
            failed over to, or None.
        :param is_vol_db_empty: whether the database had no volumes when
            the service started.

        Other keywords are accepted and ignored.
        """
        configuration = kwargs.get('configuration')
        self.configuration = configuration
        self.host = kwargs.get('host')
        self.db = kwargs.get('db')
        self.cluster_name = kwargs.get('cluster_name')
        self.active_backend_id = kwargs.get('active_backend_id')
        self.is_vol_db_empty = kwargs.get('is_vol_db_empty')
        self._execute = execute if execute is not None else _execute
        if configuration is not None:
            configuration.append_config_values(self.get_driver_options())

    @staticmethod
    def get_driver_options():
        """The driver's ``oslo_config`` options (registered per backend).

        Subclasses add theirs to the base list:
        ``VolumeDriver.get_driver_options() + [...]``.
        """
        return list(volume_driver_opts)

    def do_setup(self, context):
        """Prepare the backend (connect, create directories...)."""

    def check_for_setup_error(self):
        """Raise if the backend cannot be used; called after do_setup."""

    @abc.abstractmethod
    def create_volume(self, volume):
        """Create ``volume`` (``size`` GiB).

        :returns: a model update (for example ``{'provider_location':
            ...}``) or None. Must be safe to call again for a volume that a
            crashed run already created.
        """

    @abc.abstractmethod
    def delete_volume(self, volume):
        """Delete ``volume``; a volume already gone is not an error.

        :returns: None.
        """

    @abc.abstractmethod
    def create_snapshot(self, snapshot):
        """Take ``snapshot`` of volume ``snapshot['volume_id']``.

        :returns: a model update or None.
        """

    @abc.abstractmethod
    def delete_snapshot(self, snapshot):
        """Delete ``snapshot``; a snapshot already gone is not an error.

        :returns: None.
        """

    @abc.abstractmethod
    def create_volume_from_snapshot(self, volume, snapshot):
        """Create ``volume`` holding ``snapshot``'s data.

        ``volume['size']`` may exceed the snapshot's size; the new volume
        is that size.

        :returns: a model update or None.
        """

    @abc.abstractmethod
    def create_cloned_volume(self, volume, src_vref):
        """Create ``volume`` as a copy of volume ``src_vref``.

        :returns: a model update or None.
        """

    @abc.abstractmethod
    def extend_volume(self, volume, new_size):
        """Grow ``volume`` to ``new_size`` GiB, keeping its data.

        :returns: None.
        """

    @abc.abstractmethod
    def get_volume_stats(self, refresh=False):
        """Capacity and capabilities of the backend.

        :param refresh: ask the backend instead of returning cached values.
        :returns: a dict with at least ``volume_backend_name``,
            ``total_capacity_gb``, ``free_capacity_gb`` and
            ``consistencygroup_support``.
        """

    def manage_existing(self, volume, existing_ref):
        """Take over a volume the backend already has.

        :param existing_ref: a driver-specific dict naming it.
        :returns: a model update or None.
        """
        raise NotImplementedError()

    def manage_existing_get_size(self, volume, existing_ref):
        """Size in GiB (rounded up) of the volume ``existing_ref`` names."""
        raise NotImplementedError()

    def unmanage(self, volume):
        """Stop managing ``volume`` without touching its data."""
        raise NotImplementedError()

    # Exports and connections -------------------------------------------

    def create_export(self, context, volume, connector):
        """Make ``volume`` reachable for the host ``connector`` describes.

        Called first when a volume is attached, before
        ``initialize_connection``. A backend whose volumes are always
        reachable has nothing to do (the default).

        :returns: a model update for the volume (provider keys such as
            ``provider_location`` or ``provider_auth``) or None.
        """
        return None

    def ensure_export(self, context, volume):
        """Make sure the export of an attached ``volume`` still exists.

        Called for volumes recorded as attached when the backend is set
        up again, so an export lost with a restart comes back. Nothing to
        do by default.

        :returns: a model update or None.
        """
        return None

    def remove_export(self, context, volume):
        """Undo ``create_export``; an export already gone is not an error.

        Called last when a volume is detached, and when an attach fails
        after its export was made.
        """
        return None

    def initialize_connection(self, volume, connector):
        """Let the host ``connector`` describes in, and say how it connects.

        :returns: the connection info, ``{'driver_volume_type': <os-brick
            protocol, such as 'iscsi' or 'local'>, 'data': {...}}``; the
            data is what that protocol's os-brick connector takes
            (``device_path`` for ``local``, target portal and IQN for
            ``iscsi``...). It is stored, so it must be JSON-serialisable.
        :raises NotImplementedError: the backend cannot attach volumes to
            a host (the default).
        """
        raise NotImplementedError()

    def terminate_connection(self, volume, connector, **kwargs):
        """Undo ``initialize_connection`` for the host ``connector`` names.

        :param kwargs: ``force=True`` when the caller goes on whatever
            happens (the attach being rolled back, say). A connection
            already gone is not an error.
        """
        return None


class ConsistencyGroupDriver(object):
    """Consistency groups done by the backend itself.

    Every method here raises NotImplementedError; the manager then falls
    back to the generic per-volume behaviour (``storagemgr.volume.generic``).
    A driver overrides the methods its backend does natively. How the
    manager applies what they return is written down, rule by rule, in
    ``storagemgr.volume.group_updates`` and in the admin guide's
    consistency group rules.

    Update lists contain dicts the driver builds itself, each with the
    ``id`` of a volume or snapshot it was given (never the given dicts
    themselves), plus the fields to change, for example ``{'id': ...,
    'status': 'error'}``.
    """

    def create_consistencygroup(self, context, group):
        """Create ``group``.

        :returns: model_update for the group, or None. A ``status`` of
            ``error`` fails the operation; otherwise the group becomes
            ``available``.
        """
        raise NotImplementedError()

    def create_consistencygroup_from_src(self, context, group, volumes,
                                         cgsnapshot=None, snapshots=None,
                                         source_cg=None, source_vols=None):
        """Create ``group`` and its ``volumes`` from a source.

        The source is either ``cgsnapshot`` with its ``snapshots`` or
        ``source_cg`` with its ``source_vols``; the source list is in the
        same order as ``volumes`` (``volumes[i]`` is made from
        ``snapshots[i]`` or ``source_vols[i]``).

        :returns: ``(model_update, volumes_model_update)``; either may be
            None. On success every volume becomes ``available``.
        """
        raise NotImplementedError()

    def delete_consistencygroup(self, context, group, volumes):
        """Delete ``group`` and all its ``volumes``.

        :returns: ``(model_update, volumes_model_update)``. An entry whose
            status is ``error`` or ``error_deleting`` fails the whole
            group; entries with ``deleted`` are gone from the backend. None
            for both means every volume was deleted.
        """
        raise NotImplementedError()

    def update_consistencygroup(self, context, group, add_volumes=None,
                                remove_volumes=None):
        """Add ``add_volumes`` to and remove ``remove_volumes`` from it.

        :returns: ``(model_update, add_volumes_update,
            remove_volumes_update)``; None for a list leaves those volumes
            in their status, None for model_update makes the group
            ``available``.
        """
        raise NotImplementedError()

    def create_cgsnapshot(self, context, cgsnapshot, snapshots):
        """Snapshot every member of the group, consistently.

        ``snapshots`` has one entry per member volume (its ``volume_id``).

        :returns: ``(model_update, snapshots_model_update)``. An entry with
            status ``error`` fails the group snapshot. None for both means
            every snapshot was taken.
        """
        raise NotImplementedError()

    def delete_cgsnapshot(self, context, cgsnapshot, snapshots):
        """Delete a group snapshot and its member ``snapshots``.

        :returns: ``(model_update, snapshots_model_update)``, with the same
            rules as ``delete_consistencygroup``.
        """
        raise NotImplementedError()
