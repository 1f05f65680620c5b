"""The local share driver: shares are directories on this machine.

A reference driver that does real work:

* each share is a directory ``<local_share_root>/<share id>``, exported as
  ``<host>:<path>``; the user's display name never reaches a path;
* a snapshot is a point-in-time copy under ``<root>/.snapshots`` (reflinked
  where the filesystem can), from which shares are cloned and reverted;
* access rules are rendered into an NFS ``exports`` file and a Samba
  ``smb.conf`` fragment under ``$state_path/exports/<backend>/``, then an
  optional command applies them (``exportfs -ra``, say);
* a share's size is its quota, recorded in a JSON state file next to the
  shares; usage is measured from the files themselves;
* share groups are native: a group is a record in the state file, and a
  group snapshot copies its members back to back under the group's lock,
  which every operation here that changes a member's files or existence
  takes too; the copies are not one atomic moment (the driver cannot pause
  writers on the host), so ``consistent_snapshot_support`` is None.
* a share migrates to another local backend on the same filesystem by a
  rename when the migration completes (``local_migration``).

Every step can run again after a crash: creating what exists with the same
id succeeds, deleting what is gone succeeds.
"""

import datetime
import os
import shlex

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr.backend import process_registry
from storagemgr import exception
from storagemgr import hosts
from storagemgr.i18n import _
from storagemgr import paths
from storagemgr.share import driver
from storagemgr.share.drivers import local_exports as exports
from storagemgr.share.drivers import local_files as files
from storagemgr.share.drivers import local_groups as groups
from storagemgr.share.drivers import local_migration as migration
from storagemgr.share.drivers import local_replication as replication
from storagemgr.share.drivers import local_state as state

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

VERSION = '1.0'
SNAPSHOT_DIR = '.snapshots'
STATE_FILE = '.storagemgr-state.json'

local_opts = [
    cfg.StrOpt('local_share_root',
               sample_default='$state_path/shares/<backend name>',
               help=_('Directory holding the local share backend\'s '
                      'shares, one sub-directory per share, and their '
                      'snapshots. Defaults to $state_path/shares/<backend '
                      'name>.')),
    cfg.StrOpt('local_share_exports_dir',
               sample_default='$state_path/exports/<backend name>',
               help=_('Directory where the local share backend writes its '
                      'NFS exports file and Samba smb.conf fragment. '
                      'Defaults to $state_path/exports/<backend name>.')),
    cfg.StrOpt('local_share_apply_command',
               default='',
               help=_('Command run after the exports change, split like a '
                      'shell would split it but never run through one, '
                      'for example "sudo exportfs -ra". The arguments '
                      '{exports_file}, {smb_conf} and {exports_dir} are '
                      'replaced by those paths. Empty: the files are '
                      'written and nothing is run.')),
    cfg.BoolOpt('local_share_use_reflink',
                default=True,
                help=_('Copy snapshots with "cp --reflink=auto" (shared '
                       'extents where the filesystem supports them); when '
                       'False, or when cp fails, copy file by file.')),
]


def _share_proto(share):
    proto = (share.get('share_proto') or exports.NFS).upper()
    if proto not in exports.ACCESS_TYPES:
        raise exception.InvalidShare(reason=_(
            'the local driver exports NFS and CIFS shares, not %s') % proto)
    return proto


class LocalShareDriver(driver.ExecuteMixin, groups.LocalShareGroupsMixin,
                       migration.LocalMigrationMixin,
                       replication.LocalReplicationMixin, driver.ShareDriver):
    """Shares as directories under ``local_share_root``."""

    def __init__(self, *args, **kwargs):
        super().__init__(False, *args, **kwargs)
        self.configuration.append_config_values(
            local_opts + replication.replication_opts)
        self.ipv6_implemented = True
        self.root = None
        self.exports_dir = None
        self.store = None

    @staticmethod
    def get_driver_options():
        return (driver.ShareDriver.get_driver_options() + local_opts +
                replication.replication_opts)

    # -- set up -----------------------------------------------------------

    def do_setup(self, context):
        backend = self.backend_name or 'local-share'
        self.root = os.path.abspath(
            self._config('local_share_root') or
            paths.state_path('shares', backend))
        self.exports_dir = os.path.abspath(
            self._config('local_share_exports_dir') or
            paths.state_path('exports', backend))
        for directory in (self.root, self._snapshot_root, self.exports_dir):
            paths.ensure_private_dir(directory)
        os.chmod(self.root, 0o755)
        self.store = state.StateStore(os.path.join(self.root, STATE_FILE))

    def check_for_setup_error(self):
        super().check_for_setup_error()
        exports.check_export_path(self.root)
        for directory in (self.root, self.exports_dir):
            if not os.access(directory, os.W_OK | os.X_OK):
                raise exception.ShareBackendException(msg=_(
                    'directory %s is not writable') % directory)
        self._apply_command()

    def get_configured_ip_versions(self):
        return self._ip_versions_from_config()

    def get_backend_info(self, context):
        return {
            'version': VERSION,
            'root': self.root,
            'exports_dir': self.exports_dir,
            'apply_command': self._config('local_share_apply_command', ''),
        }

    # -- paths and records ----------------------------------------------

    @property
    def _snapshot_root(self):
        return os.path.join(self.root, SNAPSHOT_DIR)

    def _share_path(self, share_id):
        record = self.store.get(state.SHARES, share_id)
        if record and record.get('path'):
            return record['path']
        return paths.safe_join(self.root, share_id)

    def _snapshot_path(self, snapshot_id):
        record = self.store.get(state.SNAPSHOTS, snapshot_id)
        if record and record.get('path'):
            return record['path']
        return paths.safe_join(self._snapshot_root, snapshot_id)

    def _export_locations(self, path):
        host = self._config('backend_host') or CONF.host
        if ':' in host and not host.startswith('['):
            host = '[%s]' % host  # an IPv6 literal
        return [{'path': '%s:%s' % (host, path), 'is_admin_only': False,
                 'metadata': {}}]

    def _existing_share_path(self, share):
        path = self._share_path(share['id'])
        if not os.path.isdir(path):
            raise exception.ShareResourceNotFound(share_id=share['id'])
        return path

    # -- shares -----------------------------------------------------------

    def create_share(self, context, share, share_server=None):
        """Create the share's directory and record its size."""
        proto = _share_proto(share)
        path = paths.safe_join(self.root, share['id'])
        self._check_same_record(share, proto)
        os.makedirs(path, mode=0o755, exist_ok=True)
        self._record_share(share, proto, path)
        return self._export_locations(path)

    def _check_same_record(self, share, proto):
        record = self.store.get(state.SHARES, share['id'])
        if record and (record.get('proto') != proto or
                       record.get('size') != share['size']):
            raise exception.InvalidShare(reason=_(
                'share %(id)s already exists on backend %(backend)s with '
                'other parameters') % {'id': share['id'],
                                       'backend': self.backend_name})

    def _record_share(self, share, proto, path, size=None):
        paths.safe_join(self.root, share['id'])  # ids become file names
        self.store.update(state.SHARES, share['id'], path=path, proto=proto,
                          size=size if size is not None else share['size'],
                          access=self._recorded_rules(share['id']))

    def _recorded_rules(self, share_id):
        record = self.store.get(state.SHARES, share_id) or {}
        return record.get('access', [])

    def create_share_from_snapshot(self, context, share, snapshot,
                                   share_server=None):
        """Clone the snapshot's copy into a new share directory."""
        proto = _share_proto(share)
        path = paths.safe_join(self.root, share['id'])
        source = self._snapshot_path(snapshot['id'])
        if not os.path.isdir(source):
            raise exception.SnapshotResourceNotFound(name=snapshot['id'])
        self._check_same_record(share, proto)
        files.clone_tree(source, path, use_cp=self._use_reflink)
        self._record_share(share, proto, path)
        return self._export_locations(path)

    @property
    def _use_reflink(self):
        return bool(self._config('local_share_use_reflink', True))

    def delete_share(self, context, share, share_server=None):
        """Remove the directory, its rules and its record."""
        with groups.member_lock(share):
            self._remove_share(share['id'])

    def _remove_share(self, share_id):
        path = self._share_path(share_id)
        had_rules = bool(self._recorded_rules(share_id))
        self.store.delete(state.SHARES, share_id)
        if had_rules:
            self._render_and_apply()
        # With what a create killed mid-copy left beside it.
        files.discard_copy(path)

    def ensure_share(self, context, share, share_server=None):
        return self._export_locations(self._existing_share_path(share))

    def ensure_shares(self, context, shares):
        """Report each share's export locations, or error when missing."""
        updates = {}
        for share in shares:
            try:
                locations = self.ensure_share(context, share)
                updates[share['id']] = {'export_locations': locations,
                                        'status': 'available'}
            except exception.StorageManagerException as e:
                LOG.warning('Share %(id)s is not on backend %(backend)s: '
                            '%(e)s', {'id': share['id'], 'e': e,
                                      'backend': self.backend_name})
                updates[share['id']] = {'export_locations': [],
                                        'status': 'error'}
        self._render_and_apply()
        return updates

    def extend_share(self, share, new_size, share_server=None):
        with groups.member_lock(share):
            self._existing_share_path(share)
            self.store.update(state.SHARES, share['id'], size=new_size)

    def shrink_share(self, share, new_size, share_server=None):
        with groups.member_lock(share):
            path = self._existing_share_path(share)
            if files.used_bytes(path) > new_size * files.GiB:
                raise exception.ShareShrinkingPossibleDataLoss(
                    share_id=share['id'])
            self.store.update(state.SHARES, share['id'], size=new_size)

    def update_share_usage_size(self, context, shares):
        now = datetime.datetime.now(datetime.timezone.utc)
        usage = []
        for share in shares:
            path = self._share_path(share['id'])
            if os.path.isdir(path):
                usage.append({'id': share['id'], 'gathered_at': now,
                              'used_size': round(files.used_bytes(path) /
                                                 float(files.GiB), 6)})
        return usage

    def get_pool(self, share):
        return self.backend_name

    # -- snapshots --------------------------------------------------------

    def create_snapshot(self, context, snapshot, share_server=None):
        """Copy the share's tree, as it is now, under the snapshot dir."""
        with groups.member_lock(snapshot['share']):
            return self._copy_to_snapshot(snapshot)

    def _copy_to_snapshot(self, snapshot, replace=False, **record):
        """Copy ``snapshot['share']``'s tree and record the copy.

        :param replace: discard a copy already under the snapshot's name
            (a killed earlier run's) instead of keeping it.
        :param record: more values for the snapshot's record.
        """
        share_id = snapshot['share']['id']  # the share instance
        source = self._share_path(share_id)
        if not os.path.isdir(source):
            raise exception.ShareResourceNotFound(share_id=share_id)
        path = paths.safe_join(self._snapshot_root, snapshot['id'])
        if replace:
            owner = self._snapshot_owner(path, snapshot['id'])
            if owner is not None:
                raise exception.ShareBackendException(msg=_(
                    '%(path)s belongs to snapshot %(owner)s, not to '
                    '%(id)s') % {'path': path, 'owner': owner,
                                 'id': snapshot['id']})
            files.discard_copy(path)
        files.clone_tree(source, path, use_cp=self._use_reflink)
        self.store.update(state.SNAPSHOTS, snapshot['id'], path=path,
                          share_id=share_id, **record)
        return {'provider_location': path}

    def delete_snapshot(self, context, snapshot, share_server=None):
        with self.store.locked():
            path = self._snapshot_path(snapshot['id'])
            owner = self._snapshot_owner(path, snapshot['id'])
            if owner is None:
                files.remove_tree(path)
            else:
                # Two records on one directory (adopted before adopt
                # checked ownership): forget ours, keep the other's data.
                LOG.warning('Snapshot %(id)s shares %(path)s with snapshot '
                            '%(owner)s; its files are kept.',
                            {'id': snapshot['id'], 'path': path,
                             'owner': owner})
            self.store.delete(state.SNAPSHOTS, snapshot['id'])

    def _snapshot_owner(self, path, snapshot_id):
        """Another snapshot record that owns ``path``, or None.

        A record owns the path it recorded or, when it recorded none,
        ``<snapshot root>/<its id>``. Paths are compared resolved.
        """
        wanted = os.path.realpath(path)
        for other_id, record in self.store.list(state.SNAPSHOTS).items():
            if other_id == snapshot_id:
                continue
            owned = record.get('path') or os.path.join(
                self._snapshot_root, other_id)
            if os.path.realpath(owned) == wanted:
                return other_id
        return None

    def revert_to_snapshot(self, context, snapshot, share_access_rules,
                           snapshot_access_rules, share_server=None):
        """Make the share hold exactly the snapshot's files again."""
        share_id = snapshot['share']['id']  # the share instance
        with groups.member_lock(snapshot['share']):
            path = self._share_path(share_id)
            if not os.path.isdir(path):
                raise exception.ShareResourceNotFound(share_id=share_id)
            source = self._snapshot_path(snapshot['id'])
            if not os.path.isdir(source):
                raise exception.SnapshotResourceNotFound(
                    name=snapshot['id'])
            files.replace_contents(path, source, use_cp=self._use_reflink)

    # -- access -----------------------------------------------------------

    def update_access(self, context, share, access_rules, add_rules,
                      delete_rules, share_server=None):
        """Render the whole wanted rule set; bad rules end in error."""
        proto = _share_proto(share)
        self._existing_share_path(share)
        kept, refused = self._renderable_rules(share['id'], proto,
                                               access_rules)
        updates = {rule_id: {'state': 'error', 'access_key': None}
                   for rule_id in refused}
        self.store.update(state.SHARES, share['id'], access=kept)
        self._render_and_apply()
        for rule in kept:
            updates[rule['id']] = {'state': 'active', 'access_key': None}
        return updates

    @staticmethod
    def _renderable_rules(share_id, proto, access_rules):
        """``(rules as the exports record them, ids of refused rules)``."""
        kept, refused = [], []
        for rule in access_rules or []:
            try:
                exports.check_rule(rule, proto)
            except exception.InvalidShareAccess as e:
                LOG.warning('Share %(id)s: %(e)s', {'id': share_id, 'e': e})
                refused.append(rule['id'])
                continue
            kept.append({key: rule.get(key) for key in
                         ('id', 'access_type', 'access_to', 'access_level')})
        return kept, refused

    def _local_peer(self, context, host, fail):
        """The set-up driver of the local backend of this host ``host`` names.

        This one for its own backend. ``fail(reason)`` builds the error
        raised when there is none: an unknown or down backend, another
        driver, a backend of another host.
        """
        try:
            place = hosts.parse(host)
            if place.backend == self.backend_name:
                peer = self
            else:
                peer = process_registry.driver_for(place.backend, 'share',
                                                   context)
        except exception.StorageManagerException as e:
            raise fail(str(e))
        if not isinstance(peer, LocalShareDriver) or peer.root is None:
            raise fail(_('backend %s is not a local share backend') %
                       place.backend)
        peer_host = peer._config('backend_host') or CONF.host
        if place.host is not None and place.host != peer_host:
            raise fail(_('backend %(backend)s is on host %(host)s, not '
                         '%(given)s') % {'backend': place.backend,
                                         'host': peer_host,
                                         'given': place.host})
        return peer

    def allow_access(self, context, share, access, share_server=None):
        rules = [r for r in self._recorded_rules(share['id'])
                 if r['id'] != access['id']] + [access]
        return self.update_access(context, share, rules, [access], [])

    def deny_access(self, context, share, access, share_server=None):
        rules = [r for r in self._recorded_rules(share['id'])
                 if r['id'] != access['id']]
        return self.update_access(context, share, rules, [], [access])

    @property
    def exports_file(self):
        return os.path.join(self.exports_dir, 'exports')

    @property
    def smb_conf(self):
        return os.path.join(self.exports_dir, 'smb.conf')

    def _render_and_apply(self):
        """Rewrite both files from the records, then run the command."""
        backend = self.backend_name
        with self.store.locked():
            entries, sections = [], {}
            for share_id, record in sorted(
                    self.store.list(state.SHARES).items()):
                rules = self._exported_rules(record)
                if rules is None:
                    continue  # a dr replica: not exported until promoted
                entries.append((record['path'],
                                record.get('proto', exports.NFS), rules))
                sections[record['path']] = 'share-%s' % share_id
            paths.write_atomically(self.exports_file,
                                   exports.render_nfs(backend, entries),
                                   0o644)
            paths.write_atomically(self.smb_conf,
                                   exports.render_smb(backend, entries,
                                                      sections), 0o644)
        command = self._apply_command()
        if command:
            self._try_execute(*command)

    def _apply_command(self):
        """The apply command as an argument list; [] when not set."""
        text = self._config('local_share_apply_command', '') or ''
        try:
            argv = shlex.split(text)
        except ValueError as e:
            raise exception.InvalidConfigValue(
                option='local_share_apply_command',
                section=self.backend_name, reason=str(e))
        values = {'exports_file': self.exports_file, 'smb_conf':
                  self.smb_conf, 'exports_dir': self.exports_dir}
        return [values.get(arg[1:-1], arg)
                if arg.startswith('{') and arg.endswith('}') else arg
                for arg in argv]

    # -- manage and unmanage ----------------------------------------------

    def _adoptable_path(self, location, parent, error_cls):
        """A directory given by export location, checked to be ours."""
        if isinstance(location, dict):
            location = location.get('path')
        if not location or not isinstance(location, str):
            raise error_cls(reason=_('no export path given'))
        path = location
        if not location.startswith('/') and ':/' in location:
            path = location[location.index(':/') + 1:]
        name = os.path.basename(os.path.normpath(path))
        try:
            candidate = paths.safe_join(parent, name)
        except exception.InvalidInput as e:
            raise error_cls(reason=str(e))
        if os.path.normpath(path) != candidate:
            raise error_cls(reason=_(
                '%(path)s is not a directory directly under %(parent)s') % {
                    'path': path, 'parent': parent})
        if os.path.islink(candidate) or not os.path.isdir(candidate):
            raise error_cls(reason=_('%s is not a directory') % candidate)
        # No link anywhere between the root and the candidate: the
        # resolved path must be the candidate under the resolved root.
        real_root = os.path.realpath(self.root)
        relative = os.path.relpath(candidate, self.root)
        if (relative.startswith(os.pardir) or os.path.realpath(candidate) !=
                os.path.join(real_root, relative)):
            raise error_cls(reason=_(
                '%(path)s resolves outside %(root)s') % {
                    'path': candidate, 'root': self.root})
        return candidate

    def manage_existing(self, share, driver_options):
        """Adopt a directory directly under the share root."""
        proto = _share_proto(share)
        driver_options = driver_options or {}
        location = (driver_options.get('export_path') or
                    driver_options.get('path') or
                    (share.get('export_locations') or [None])[0])
        path = self._adoptable_path(location, self.root,
                                    exception.ManageInvalidShare)
        size = files.size_gib(files.used_bytes(path))
        with self.store.locked():
            for share_id, record in self.store.list(state.SHARES).items():
                if record.get('path') == path and share_id != share['id']:
                    raise exception.ManageInvalidShare(reason=_(
                        '%(path)s already belongs to share %(id)s') % {
                            'path': path, 'id': share_id})
            self._record_share(share, proto, path, size=size)
        return {'size': size, 'export_locations': self._export_locations(
            path)}

    def unmanage(self, share):
        """Forget the share and its rules; its files stay."""
        had_rules = bool(self._recorded_rules(share['id']))
        self.store.delete(state.SHARES, share['id'])
        if had_rules:
            self._render_and_apply()

    def manage_existing_snapshot(self, snapshot, driver_options):
        """Adopt a directory directly under the snapshot dir."""
        driver_options = driver_options or {}
        location = (driver_options.get('provider_location') or
                    driver_options.get('path') or
                    snapshot.get('provider_location'))
        path = self._adoptable_path(location, self._snapshot_root,
                                    exception.ManageInvalidShareSnapshot)
        share_id = snapshot['share']['id']  # the share instance
        # Check and record under one lock, so two adopts cannot both win.
        with self.store.locked():
            owner = self._snapshot_owner(path, snapshot['id'])
            if owner is not None:
                raise exception.ManageInvalidShareSnapshot(reason=_(
                    '%(path)s already belongs to snapshot %(id)s') % {
                        'path': path, 'id': owner})
            self.store.update(state.SNAPSHOTS, snapshot['id'], path=path,
                              share_id=share_id)
        return {'size': files.size_gib(files.used_bytes(path)),
                'provider_location': path}

    def unmanage_snapshot(self, snapshot):
        self.store.delete(state.SNAPSHOTS, snapshot['id'])

    # -- stats ------------------------------------------------------------

    def _update_share_stats(self, data=None):
        total, free = files.capacity_gib(self.root)
        records = self.store.list(state.SHARES)
        provisioned = sum(r.get('size') or 0 for r in records.values())
        reserved = self._config('reserved_share_percentage', 0)
        ratio = self._config('max_over_subscription_ratio')
        pool = {
            'pool_name': self.backend_name,
            'total_capacity_gb': total,
            'free_capacity_gb': free,
            'allocated_capacity_gb': provisioned,
            'provisioned_capacity_gb': provisioned,
            'reserved_percentage': reserved,
            'max_over_subscription_ratio': ratio,
            'thin_provisioning': True,
            'qos': False,
            'snapshot_support': True,
            'create_share_from_snapshot_support': True,
            'revert_to_snapshot_support': True,
            'mount_snapshot_support': False,
            'replication_type': self._replication_capability(),
        }
        stats = {
            'share_backend_name': (self._config('share_backend_name') or
                                   self.backend_name),
            'vendor_name': 'storagemgr',
            'driver_version': VERSION,
            'storage_protocol': 'NFS_CIFS',
            'total_capacity_gb': total,
            'free_capacity_gb': free,
            'reserved_percentage': reserved,
            'snapshot_support': True,
            'create_share_from_snapshot_support': True,
            'revert_to_snapshot_support': True,
            'replication_type': self._replication_capability(),
            'pools': [pool],
            # The member copies of a group snapshot are back to back
            # under the group's lock, not one atomic moment: the driver
            # cannot pause writers on the host. A driver whose backend
            # takes consistent snapshots reports 'pool' or 'host'.
            'share_group_stats': {'consistent_snapshot_support': None},
        }
        stats.update(data or {})
        super()._update_share_stats(stats)
