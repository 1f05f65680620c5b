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

A *model update* is a dict of fields the manager writes back on success,
or None for "nothing to change". The keys a driver may set are listed in
``storagemgr.volume.constants`` (``*_UPDATE_KEYS``); anything else is an
invalid return and fails the operation.
"""

import abc

from oslo_config import cfg

from storagemgr.i18n import _

volume_driver_opts = [
    cfg.IntOpt('group_member_workers', default=128, min=1,
               help=_('How many member volumes or snapshots the generic '
                      'consistency group operations (used when a driver '
                      'has no native method) handle at the same time.')),
]


class VolumeDriver(object, metaclass=abc.ABCMeta):
    """Block volumes and their snapshots on one backend."""

    def __init__(self, configuration=None, **kwargs):
        self.configuration = configuration
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
