"""The optional parts of the share driver contract: migration, replication.

Every method here is a stub a driver overrides when its backend can do the
job; the manager treats NotImplementedError as "not supported". The
docstrings give the contract: what is handed over and what must come back.
"""


class ReplicationAndMigrationMixin(object):
    """Driver-assisted migration and share replication entry points."""

    # -- driver-assisted migration, in two phases --------------------------

    def migration_check_compatibility(
            self, context, source_share, destination_share,
            share_server=None, destination_share_server=None):
        """Can this driver move ``source_share`` to the destination?

        :returns: ``{'compatible', 'writable', 'preserve_metadata',
            'nondisruptive', 'preserve_snapshots'}``, all booleans; the
            default says no to everything.
        """
        return {
            'compatible': False,
            'writable': False,
            'preserve_metadata': False,
            'nondisruptive': False,
            'preserve_snapshots': False,
        }

    def migration_start(
            self, context, source_share, destination_share,
            source_snapshots, snapshot_mappings, share_server=None,
            destination_share_server=None):
        """Start moving the share and return; progress is polled.

        :param snapshot_mappings: source snapshot id -> destination
            snapshot dict.
        """
        raise NotImplementedError()

    def migration_continue(
            self, context, source_share, destination_share, source_snapshots,
            snapshot_mappings, share_server=None,
            destination_share_server=None):
        """Advance the first phase; True once it is done."""
        raise NotImplementedError()

    def migration_complete(
            self, context, source_share, destination_share, source_snapshots,
            snapshot_mappings, share_server=None,
            destination_share_server=None):
        """Finish the move (the disruptive part) and remove the source.

        :returns: None, or ``{'export_locations': [...],
            'snapshot_updates': {dest_snapshot_id: {'provider_location',
            'export_locations'}}}``.
        """
        raise NotImplementedError()

    def migration_cancel(
            self, context, source_share, destination_share, source_snapshots,
            snapshot_mappings, share_server=None,
            destination_share_server=None):
        """Abandon a migration under way."""
        raise NotImplementedError()

    def migration_get_progress(
            self, context, source_share, destination_share, source_snapshots,
            snapshot_mappings, share_server=None,
            destination_share_server=None):
        """``{'total_progress': <percent>}`` of a migration under way."""
        raise NotImplementedError()

    # -- replicas ---------------------------------------------------------

    def create_replica(self, context, replica_list, new_replica,
                       access_rules, replica_snapshots, share_server=None):
        """Create ``new_replica`` on this backend from the active one.

        :param replica_list: every replica of the share, the new one too;
            the active one has ``replica_state`` 'active'.
        :param replica_snapshots: ``[{'active_replica_snapshot': {...},
            'share_replica_snapshot': {...}}]`` for available snapshots.
        :returns: None or ``{'export_locations', 'replica_state'
            ('active'|'in_sync'|'out_of_sync'|'error'),
            'access_rules_status'}``.
        """
        raise NotImplementedError()

    def delete_replica(self, context, replica_list, replica_snapshots,
                       replica, share_server=None):
        """Delete ``replica`` and its snapshot instances; returns None."""
        raise NotImplementedError()

    def promote_replica(self, context, replica_list, replica, access_rules,
                        share_server=None):
        """Make ``replica`` the active one.

        :returns: None, or the replica list with updated
            ``export_locations``, ``replica_state`` and
            ``access_rules_status``.
        """
        raise NotImplementedError()

    def update_replica_state(self, context, replica_list, replica,
                             access_rules, replica_snapshots,
                             share_server=None):
        """Check (and repair) a non-active replica.

        :returns: 'in_sync', 'out_of_sync', 'error', or None to keep it.
        """
        raise NotImplementedError()

    def create_replicated_snapshot(self, context, replica_list,
                                   replica_snapshots, share_server=None):
        """Snapshot the active replica and carry it to the others.

        :returns: a list of snapshot instance updates (``id``, ``status``,
            ``provider_location``...).
        """
        raise NotImplementedError()

    def revert_to_replicated_snapshot(self, context, active_replica,
                                      replica_list, active_replica_snapshot,
                                      replica_snapshots, share_access_rules,
                                      snapshot_access_rules,
                                      share_server=None):
        """Revert the active replica, in place, to a snapshot."""
        raise NotImplementedError()

    def delete_replicated_snapshot(self, context, replica_list,
                                   replica_snapshots, share_server=None):
        """Delete a snapshot on every replica.

        :returns: a list of snapshot instance updates; status 'deleted'
            confirms the removal of that instance.
        """
        raise NotImplementedError()

    def update_replicated_snapshot(self, context, replica_list,
                                   share_replica, replica_snapshots,
                                   replica_snapshot, share_server=None):
        """Poll a snapshot instance on a non-active replica.

        :returns: a dict of updates for ``replica_snapshot``.
        :raises SnapshotResourceNotFound: it is gone (while 'deleting').
        """
        raise NotImplementedError()
