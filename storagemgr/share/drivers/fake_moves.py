"""Replication and two-phase migration of the fake share driver.

Replicas and migrations are records in the driver's dicts; a migration's
first phase takes ``fake_migration_steps`` calls to ``migration_continue``.
Each method goes through the same delays and faults as the rest of the
fake driver. For host-assisted migration a fake share has a real
directory (``connection_get_info``'s ``local_path``), so the data copy
service has files to copy.
"""

import copy
import os
import shutil

from oslo_config import cfg
from oslo_utils import uuidutils

from storagemgr.backend import process_registry
from storagemgr import exception
from storagemgr import hosts
from storagemgr.share.drivers.fake_faults import faultable

ACTIVE = 'active'
IN_SYNC = 'in_sync'


class FakeMovesMixin(object):
    """Needs the fake driver's ``shares``, ``snapshots``, ``replicas``."""

    # -- replication ------------------------------------------------------

    @faultable
    def create_replica(self, context, replica_list, new_replica,
                       access_rules, replica_snapshots, share_server=None):
        self.replicas[new_replica['id']] = {
            'share_id': new_replica.get('share_id'), 'state': IN_SYNC,
            'rules': [r['id'] for r in access_rules]}
        # A replica is a share on this backend too (update_access, stats).
        self.shares.setdefault(new_replica['id'], {
            'size': new_replica.get('size'),
            'proto': new_replica.get('share_proto'), 'used_gb': 0,
            'content': {}, 'rules': {r['id']: dict(r)
                                     for r in access_rules}})
        return {'export_locations': self._locations(new_replica['id']),
                'replica_state': IN_SYNC, 'access_rules_status': 'active'}

    @faultable
    def delete_replica(self, context, replica_list, replica_snapshots,
                       replica, share_server=None):
        self.replicas.pop(replica['id'], None)
        self.shares.pop(replica['id'], None)

    @faultable
    def promote_replica(self, context, replica_list, replica, access_rules,
                        share_server=None):
        updated = []
        for each in replica_list:
            state = ACTIVE if each['id'] == replica['id'] else IN_SYNC
            if each['id'] in self.replicas:
                self.replicas[each['id']]['state'] = state
            updated.append({'id': each['id'], 'replica_state': state,
                            'export_locations': self._locations(each['id']),
                            'access_rules_status': 'active'})
        return updated

    @faultable
    def update_replica_state(self, context, replica_list, replica,
                             access_rules, replica_snapshots,
                             share_server=None):
        record = self.replicas.get(replica['id'])
        return record['state'] if record else 'error'

    @faultable
    def create_replicated_snapshot(self, context, replica_list,
                                   replica_snapshots, share_server=None):
        return [{'id': s['id'], 'status': 'available',
                 'provider_location': 'fake-snapshot-%s' % s['id']}
                for s in replica_snapshots]

    @faultable
    def revert_to_replicated_snapshot(self, context, active_replica,
                                      replica_list, active_replica_snapshot,
                                      replica_snapshots, share_access_rules,
                                      snapshot_access_rules,
                                      share_server=None):
        snapshot = self.snapshots.get(active_replica_snapshot['id'])
        share = self.shares.get(active_replica.get('share_id') or
                                active_replica['id'])
        if snapshot and share:
            share['content'] = copy.deepcopy(snapshot['content'])

    @faultable
    def delete_replicated_snapshot(self, context, replica_list,
                                   replica_snapshots, share_server=None):
        return [{'id': s['id'], 'status': 'deleted'}
                for s in replica_snapshots]

    @faultable
    def update_replicated_snapshot(self, context, replica_list,
                                   share_replica, replica_snapshots,
                                   replica_snapshot, share_server=None):
        if replica_snapshot.get('status') == 'deleting':
            raise exception.SnapshotResourceNotFound(
                name=replica_snapshot['id'])
        return {'id': replica_snapshot['id'], 'status': 'available'}

    # -- migration --------------------------------------------------------

    @faultable
    def migration_check_compatibility(
            self, context, source_share, destination_share,
            share_server=None, destination_share_server=None):
        return {'compatible': True, 'writable': True,
                'preserve_metadata': True, 'nondisruptive': False,
                'preserve_snapshots': True}

    @faultable
    def migration_start(self, context, source_share, destination_share,
                        source_snapshots, snapshot_mappings,
                        share_server=None, destination_share_server=None):
        self._share(source_share['id'])
        self.migrations[source_share['id']] = {
            'destination': destination_share['id'], 'done_steps': 0}

    def _migration(self, source_share):
        try:
            return self.migrations[source_share['id']]
        except KeyError:
            raise exception.InvalidShare(
                reason='no migration of share %s under way' %
                source_share['id'])

    @faultable
    def migration_continue(self, context, source_share, destination_share,
                           source_snapshots, snapshot_mappings,
                           share_server=None, destination_share_server=None):
        migration = self._migration(source_share)
        steps = self._config('fake_migration_steps', 2)
        migration['done_steps'] = min(steps, migration['done_steps'] + 1)
        return migration['done_steps'] >= steps

    @faultable
    def migration_get_progress(self, context, source_share,
                               destination_share, source_snapshots,
                               snapshot_mappings, share_server=None,
                               destination_share_server=None):
        migration = self._migration(source_share)
        steps = self._config('fake_migration_steps', 2)
        return {'total_progress': 100 * migration['done_steps'] // steps}

    def _destination_driver(self, destination_share):
        """The fake driver of the destination's backend (this process's).

        Each backend has its own fake driver; a completed migration hands
        the share's records over to the destination's, as a real backend
        would now serve it there.
        """
        host = destination_share.get('host')
        backend = hosts.backend_of(host) if host else self.backend_name
        if backend == self.backend_name:
            return self
        return process_registry.driver_for(backend, 'share')

    @faultable
    def migration_complete(self, context, source_share, destination_share,
                           source_snapshots, snapshot_mappings,
                           share_server=None, destination_share_server=None):
        target = self._destination_driver(destination_share)
        self.migrations.pop(source_share['id'], None)
        record = self.shares.pop(source_share['id'], None)
        if record is not None:
            target.shares[destination_share['id']] = record
        snapshot_updates = {}
        for source_id, destination in (snapshot_mappings or {}).items():
            snapshot = self.snapshots.pop(source_id, None)
            if snapshot is not None:
                snapshot['share_id'] = destination_share['id']
                target.snapshots[destination['id']] = snapshot
            snapshot_updates[destination['id']] = {
                'provider_location': 'fake-snapshot-%s' % destination['id']}
        return {'export_locations': target._locations(
                    destination_share['id']),
                'snapshot_updates': snapshot_updates}

    @faultable
    def migration_cancel(self, context, source_share, destination_share,
                         source_snapshots, snapshot_mappings,
                         share_server=None, destination_share_server=None):
        self.migrations.pop(source_share['id'], None)

    # -- host-assisted migration support ----------------------------------

    def data_path(self, share_id):
        """Where a fake share keeps real files, for the data copy service.

        Under ``$state_path/fake_data/<backend>/``; made on first use.
        """
        if not uuidutils.is_uuid_like(share_id):
            raise exception.InvalidShare(
                reason='%r is not a share instance id' % (share_id,))
        path = os.path.join(cfg.CONF.state_path, 'fake_data',
                            self.backend_name, share_id)
        os.makedirs(path, exist_ok=True)
        return path

    def forget_data(self, share_id):
        if uuidutils.is_uuid_like(share_id):
            shutil.rmtree(os.path.join(cfg.CONF.state_path, 'fake_data',
                                       self.backend_name, share_id),
                          ignore_errors=True)

    @faultable
    def connection_get_info(self, context, share, share_server=None):
        self._share(share['id'])
        return {'mount': 'mount -t nfs %s %%(path)s' % (
                    self._locations(share['id'])[0]['path']),
                'unmount': 'umount %(path)s',
                'access_mapping': {'ip': ['nfs', 'cifs']},
                'local_path': self.data_path(share['id'])}
