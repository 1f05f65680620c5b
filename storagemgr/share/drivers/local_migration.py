"""Driver-assisted migration of the local share driver (a mixin).

A share moves between two local backends whose roots are on one
filesystem by renaming its directory, and each preserved snapshot's, into
the destination backend's root under the destination ids. Across
filesystems the driver says "not compatible" and the data service copies
the share instead (host-assisted migration).

Phase 1 (``migration_start``) checks everything the move needs (the
destination is a local backend on the same filesystem, the source
directories exist, the destination names are free and plain) and records
the migration in the source backend's state file, in the share's record.
It copies nothing and changes no file: the source stays usable and
writable, and ``migration_continue`` reports the phase done at once.

Phase 2 (``migration_complete``) does the move. Why a rename at the end
rather than a clone in phase 1: a clone would miss every write made
between the two phases and need a second, catching-up copy; a rename
carries every byte written until that moment, costs the same whatever the
share's size, and needs no space. The steps: mark the migration
``completing`` (with copies of the source records), rename the
directories, record the share and snapshots in the destination's state
file, forget the source's records, rewrite both backends' exports. When a
step fails, the earlier ones are undone in reverse order, so the share is
back on its source, usable, and the error names the share and the cause.

After a crash in the middle of phase 2 the migration can be completed
again (moves already made are recognised and kept) or cancelled (they are
moved back). Access rules are not carried over: the manager applies them
to the destination after the completion, through the destination
backend's ``update_access``.
"""

import os

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr import coordination
from storagemgr import exception
from storagemgr.i18n import _
from storagemgr import paths
from storagemgr.share.drivers import local_state as state

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

MIGRATION = 'migration'  # the key of a share record holding its migration
# Keys of a migrated share's record on its destination backend.
MIGRATED_FROM = 'migrated_from'
SNAPSHOT_UPDATES = 'migration_snapshot_updates'
STARTED = 'started'
COMPLETING = 'completing'

_CAPABILITIES = ('compatible', 'writable', 'preserve_metadata',
                 'nondisruptive', 'preserve_snapshots')


class LocalMigrationFailed(exception.ShareBackendException):
    msg_fmt = _('Migration of share %(share_id)s failed: %(reason)s')


def _snapshot_map(snapshot_mappings):
    """``{source snapshot id: destination snapshot id}``."""
    return {source_id: destination['id'] for source_id, destination in
            (snapshot_mappings or {}).items()}


def _moved(source, target):
    """Whether a move from ``source`` to ``target`` is in place."""
    return not os.path.lexists(source) and os.path.isdir(target)


def _rename(source, target):
    """Move a directory; refuse to put it over anything."""
    if os.path.lexists(target):
        raise FileExistsError(target)
    os.rename(source, target)


class LocalMigrationMixin(object):
    """Migration methods over the local driver's paths and state store."""

    # -- host-assisted: how the data service reaches a share -------------

    def connection_get_info(self, context, share, share_server=None):
        """The Manila form, plus ``local_path``: the share's directory.

        The data service copies from and to ``local_path`` directly,
        without mounting anything.
        """
        path = os.path.abspath(self._share_path(share['id']))
        real_root = os.path.realpath(self.root)
        if os.path.commonpath([real_root, os.path.realpath(path)]) != (
                real_root):
            raise exception.InvalidInput(reason=_(
                'share %(id)s: %(path)s is outside %(root)s') % {
                    'id': share['id'], 'path': path, 'root': self.root})
        if not os.path.isdir(path):
            raise exception.ShareResourceNotFound(share_id=share['id'])
        if not share.get('export_locations'):
            share = dict(share, export_locations=self._export_locations(
                path))
        info = super().connection_get_info(context, share, share_server)
        info['local_path'] = path
        return info

    # -- driver-assisted ---------------------------------------------------

    def migration_check_compatibility(
            self, context, source_share, destination_share,
            share_server=None, destination_share_server=None):
        """Compatible with a local backend on this backend's filesystem."""
        try:
            destination = self._migration_destination(
                context, source_share, destination_share)
            path = self._share_path(source_share['id'])
            if os.path.isdir(path):
                self._check_same_device(source_share, destination, path)
        except exception.StorageManagerException as e:
            LOG.info('Share %(id)s cannot move to %(host)s by the local '
                     'driver: %(e)s', {'id': source_share['id'], 'e': e,
                                       'host': destination_share.get('host')})
            return dict.fromkeys(_CAPABILITIES, False)
        capabilities = dict.fromkeys(_CAPABILITIES, True)
        capabilities['nondisruptive'] = False  # the export path changes
        return capabilities

    def migration_start(
            self, context, source_share, destination_share,
            source_snapshots, snapshot_mappings, share_server=None,
            destination_share_server=None):
        """Check the move can be made and record it; nothing changes."""
        share_id = source_share['id']
        with self._migration_lock(share_id):
            record = self._migration_record(share_id)
            if record and record.get('phase') == COMPLETING:
                raise LocalMigrationFailed(share_id=share_id, reason=_(
                    'a completion of its migration to share %s was '
                    'interrupted; complete or cancel that migration '
                    'first') % record['destination_share_id'])
            destination = self._migration_destination(
                context, source_share, destination_share)
            migration = {
                'phase': STARTED,
                'destination_backend': destination.backend_name,
                'destination_share_id': destination_share['id'],
                'snapshots': _snapshot_map(snapshot_mappings),
            }
            for label, source, target in self._moves(
                    share_id, migration, destination):
                if not os.path.isdir(source) or os.path.islink(source):
                    raise LocalMigrationFailed(share_id=share_id, reason=_(
                        '%(what)s: %(path)s is not a directory') % {
                            'what': label, 'path': source})
                if os.path.lexists(target):
                    raise LocalMigrationFailed(share_id=share_id, reason=_(
                        '%(what)s: %(path)s already exists') % {
                            'what': label, 'path': target})
                self._check_same_device(source_share, destination, source)
            self._check_destination_unrecorded(share_id, migration,
                                               destination)
            self.store.update(state.SHARES, share_id, **{MIGRATION: migration})
        LOG.info('Share %(id)s will move to backend %(backend)s as share '
                 '%(new)s when the migration completes.',
                 {'id': share_id, 'backend': destination.backend_name,
                  'new': destination_share['id']})

    def migration_continue(
            self, context, source_share, destination_share, source_snapshots,
            snapshot_mappings, share_server=None,
            destination_share_server=None):
        """True: phase 1 ends with ``migration_start``."""
        self._started_migration(source_share, destination_share)
        if not os.path.isdir(self._share_path(source_share['id'])):
            raise LocalMigrationFailed(share_id=source_share['id'], reason=_(
                'its directory is gone'))
        return True

    def migration_get_progress(
            self, context, source_share, destination_share, source_snapshots,
            snapshot_mappings, share_server=None,
            destination_share_server=None):
        """100 once started: phase 1 has nothing to copy."""
        try:
            self._started_migration(source_share, destination_share)
        except LocalMigrationFailed:
            return {'total_progress': 0}
        return {'total_progress': 100}

    def migration_complete(
            self, context, source_share, destination_share, source_snapshots,
            snapshot_mappings, share_server=None,
            destination_share_server=None):
        """Rename the share (and snapshots) into the destination backend.

        :returns: ``{'export_locations': [...], 'snapshot_updates':
            {destination snapshot id: {'provider_location': path}}}``.
        :raises LocalMigrationFailed: with everything undone.
        """
        share_id = source_share['id']
        with self._migration_lock(share_id):
            if not self._migration_record(share_id):
                done = self._completed_answer(context, source_share,
                                              destination_share)
                if done is not None:
                    return done
            migration = self._started_migration(source_share,
                                                destination_share)
            if migration['snapshots'] != _snapshot_map(snapshot_mappings):
                raise LocalMigrationFailed(share_id=share_id, reason=_(
                    'the snapshots given are not the ones the migration '
                    'started with'))
            destination = self._recorded_destination(
                context, source_share, destination_share, migration)
            resumed = migration.get('phase') == COMPLETING
            if not resumed:
                try:
                    migration = self._mark_completing(share_id, migration)
                except (OSError, ValueError) as e:
                    raise LocalMigrationFailed(share_id=share_id, reason=_(
                        'its state record could not be written: %s') % e)
            moved = []  # (source, target) of each move now in place
            try:
                return self._complete(share_id, destination_share,
                                      migration, destination, resumed, moved)
            except Exception as e:
                LOG.exception('Completing the migration of share %s '
                              'failed; moving it back.', share_id)
                reason = '%s: %s' % (type(e).__name__, e)
                undo_error = self._undo(share_id, migration, destination,
                                        moved)
                if undo_error:
                    reason += _('; moving it back failed too (%s), the '
                                'migration is left to complete or cancel '
                                'again') % undo_error
                raise LocalMigrationFailed(share_id=share_id, reason=reason)

    def migration_cancel(
            self, context, source_share, destination_share, source_snapshots,
            snapshot_mappings, share_server=None,
            destination_share_server=None):
        """Forget the migration; undo a completion a crash interrupted."""
        share_id = source_share['id']
        with self._migration_lock(share_id):
            migration = self._migration_record(share_id)
            if not migration:
                if self._completed_answer(context, source_share,
                                          destination_share) is not None:
                    raise LocalMigrationFailed(share_id=share_id, reason=_(
                        'it was already moved to share %s; there is no '
                        'migration left to cancel') % destination_share['id'])
                LOG.info('Share %s has no migration to cancel.', share_id)
                return
            if migration.get('phase') == COMPLETING:
                destination = self._recorded_destination(
                    context, source_share, destination_share, migration)
                error = self._undo(share_id, migration, destination)
                if error:
                    raise LocalMigrationFailed(share_id=share_id, reason=_(
                        'cancelling could not move it back: %s') % error)
            self._forget_migration(share_id)
        LOG.info('Migration of share %s cancelled.', share_id)

    # -- helpers ---------------------------------------------------------

    def _migration_lock(self, share_id):
        try:
            paths.safe_join(self.root, share_id)
        except exception.InvalidInput as e:
            raise LocalMigrationFailed(share_id=share_id, reason=str(e))
        return coordination.get_lock('local-share-migration-%s' % share_id)

    def _completed_answer(self, context, source_share, destination_share):
        """What a completion that already happened returned, or None.

        A process killed after ``migration_complete`` moved the share but
        before its caller recorded the answer calls it again: the source
        record is gone, and the destination's record says where it came
        from. The same answer is given again (and the exports files are
        written again, in case the kill came before that).
        """
        try:
            destination = self._migration_destination(
                context, source_share, destination_share)
        except LocalMigrationFailed:
            return None
        record = destination.store.get(state.SHARES,
                                       destination_share['id']) or {}
        if record.get(MIGRATED_FROM) != source_share['id']:
            return None
        self._render_and_apply()
        if destination is not self:
            destination._render_and_apply()
        return {'export_locations': destination._export_locations(
                    record['path']),
                'snapshot_updates': dict(record.get(SNAPSHOT_UPDATES) or {})}

    def _migration_record(self, share_id):
        return (self.store.get(state.SHARES, share_id) or {}).get(MIGRATION)

    def _started_migration(self, source_share, destination_share):
        """The recorded migration of the share to ``destination_share``."""
        share_id = source_share['id']
        migration = self._migration_record(share_id)
        if not migration:
            raise LocalMigrationFailed(share_id=share_id, reason=_(
                'no migration of it was started on backend %s') %
                self.backend_name)
        if migration['destination_share_id'] != destination_share['id']:
            raise LocalMigrationFailed(share_id=share_id, reason=_(
                'its migration was started to share %(started)s, not '
                '%(given)s') % {'started': migration['destination_share_id'],
                                'given': destination_share['id']})
        return migration

    def _migration_destination(self, context, source_share,
                               destination_share):
        """The destination backend's local driver, on our filesystem.

        :raises LocalMigrationFailed: the destination is not a set-up
            local backend of this host, or its directories are on another
            filesystem than this backend's.
        """
        share_id = source_share['id']
        destination = self._local_peer(
            context, destination_share.get('host'),
            lambda reason: LocalMigrationFailed(share_id=share_id,
                                                reason=reason))
        for path in (destination.root, destination._snapshot_root,
                     self._snapshot_root):
            self._check_same_device(source_share, destination, path)
        return destination

    def _recorded_destination(self, context, source_share,
                              destination_share, migration):
        """The destination driver, the backend the migration started to."""
        destination = self._migration_destination(context, source_share,
                                                  destination_share)
        if destination.backend_name != migration['destination_backend']:
            raise LocalMigrationFailed(share_id=source_share['id'], reason=_(
                'its migration was started to backend %(started)s, not '
                '%(given)s') % {'started': migration['destination_backend'],
                                'given': destination.backend_name})
        return destination

    def _check_same_device(self, source_share, destination, path):
        """``path`` is on the filesystem of this backend's root."""
        try:
            same = os.stat(path).st_dev == os.stat(self.root).st_dev
        except OSError as e:
            raise LocalMigrationFailed(share_id=source_share['id'],
                                       reason=str(e))
        if not same:
            raise LocalMigrationFailed(share_id=source_share['id'], reason=_(
                '%(path)s (backend %(backend)s) is not on the filesystem '
                'of %(root)s; only a host-assisted migration can copy it '
                'there') % {'path': path, 'backend': destination.backend_name,
                            'root': self.root})

    def _moves(self, share_id, migration, destination):
        """``[(what, source path, destination path)]``, the share first."""
        try:
            moves = [(_('share %s') % share_id, self._share_path(share_id),
                      paths.safe_join(destination.root,
                                      migration['destination_share_id']))]
            for source_id, target_id in sorted(
                    migration['snapshots'].items()):
                record = self.store.get(state.SNAPSHOTS, source_id) or {}
                if record.get('share_id') not in (None, share_id):
                    raise exception.InvalidInput(reason=_(
                        'snapshot %(snap)s is of share %(other)s') % {
                            'snap': source_id, 'other': record['share_id']})
                moves.append((_('snapshot %s') % source_id,
                              self._snapshot_path(source_id),
                              paths.safe_join(destination._snapshot_root,
                                              target_id)))
        except exception.InvalidInput as e:
            raise LocalMigrationFailed(share_id=share_id, reason=str(e))
        return moves

    def _check_destination_unrecorded(self, share_id, migration,
                                      destination):
        """No record on the destination under the ids the move takes."""
        taken = [(state.SHARES, migration['destination_share_id'])] + [
            (state.SNAPSHOTS, target_id)
            for target_id in migration['snapshots'].values()]
        for kind, record_id in taken:
            if destination.store.get(kind, record_id) is not None:
                raise LocalMigrationFailed(share_id=share_id, reason=_(
                    'backend %(backend)s already has a record of %(id)s') % {
                        'backend': destination.backend_name,
                        'id': record_id})

    def _mark_completing(self, share_id, migration):
        """Persist the phase, with copies of the records the move drops."""
        record = dict(self.store.get(state.SHARES, share_id))
        record.pop(MIGRATION, None)
        migration = dict(
            migration, phase=COMPLETING, source_record=record,
            source_snapshot_records={
                source_id: self.store.get(state.SNAPSHOTS, source_id)
                for source_id in migration['snapshots']})
        self.store.update(state.SHARES, share_id, **{MIGRATION: migration})
        return migration

    def _complete(self, share_id, destination_share, migration,
                  destination, resumed, moved):
        """Move and re-record; ``moved`` collects the moves in place.

        :param resumed: an earlier run was interrupted: a move it made
            (source gone, destination there) is kept, not made again.
        """
        moves = self._moves(share_id, migration, destination)
        for _label, source, target in moves:
            if not (resumed and _moved(source, target)):
                _rename(source, target)
            moved.append((source, target))
        new_id = migration['destination_share_id']
        share_path = moves[0][2]
        record = migration['source_record']
        updates = {}
        # _moves lists the snapshots sorted by source id, after the share.
        targets = [target_id for _source_id, target_id in
                   sorted(migration['snapshots'].items())]
        for target_id, (_label, _source, target) in zip(targets, moves[1:]):
            destination.store.update(state.SNAPSHOTS, target_id, path=target,
                                     share_id=new_id)
            updates[target_id] = {'provider_location': target}
        # The share's record says where it came from and what the answer
        # was, so that a call repeated after a kill gives it again.
        destination.store.update(
            state.SHARES, new_id, path=share_path,
            proto=(destination_share.get('share_proto') or
                   record.get('proto')).upper(),
            size=destination_share.get('size') or record.get('size'),
            access=[], **{MIGRATED_FROM: share_id,
                          SNAPSHOT_UPDATES: updates})
        # The share's record goes last: it holds the migration, so until
        # it is gone an interrupted run can be completed or cancelled.
        for source_id in migration['snapshots']:
            self.store.delete(state.SNAPSHOTS, source_id)
        self.store.delete(state.SHARES, share_id)
        self._render_and_apply()
        if destination is not self:
            destination._render_and_apply()
        LOG.info('Share %(id)s moved to backend %(backend)s as share '
                 '%(new)s.', {'id': share_id, 'new': new_id,
                              'backend': destination.backend_name})
        return {'export_locations': destination._export_locations(
                    share_path),
                'snapshot_updates': updates}

    def _undo(self, share_id, migration, destination, moved=None):
        """Put the share back on its source; the first error, or None.

        :param moved: ``[(source, target)]`` of the moves to take back;
            None: every move found made (an interrupted run's).
        Every step is tried even when an earlier one fails, so as much as
        possible is back in place; when a directory could not be moved
        back, the migration stays ``completing``.
        """
        errors = []

        def attempt(step, *args):
            try:
                step(*args)
            except Exception as e:
                LOG.error('Undoing the migration of share %(id)s: '
                          '%(e)s', {'id': share_id, 'e': e})
                errors.append('%s: %s' % (type(e).__name__, e))

        if moved is None:
            try:
                moves = self._moves(share_id, migration, destination)
            except LocalMigrationFailed as e:
                return str(e)
            moved = [(source, target) for _label, source, target in moves
                     if _moved(source, target)]
        for source, target in reversed(moved):
            attempt(_rename, target, source)
        moved_back = not errors
        attempt(destination.store.delete, state.SHARES,
                migration['destination_share_id'])
        for target_id in migration['snapshots'].values():
            attempt(destination.store.delete, state.SNAPSHOTS, target_id)
        for source_id, record in sorted(
                migration['source_snapshot_records'].items()):
            if record is not None:
                attempt(self.store.put, state.SNAPSHOTS, source_id, record)
        if moved_back:
            kept = {key: value for key, value in migration.items()
                    if key not in ('source_record',
                                   'source_snapshot_records')}
            kept['phase'] = STARTED
        else:
            # Still half moved: a later complete or cancel finishes it.
            kept = migration
        attempt(self.store.put, state.SHARES, share_id, dict(
            migration['source_record'], **{MIGRATION: kept}))
        attempt(self._render_and_apply)  # the source's exports again
        if destination is not self:
            try:
                destination._render_and_apply()
            except Exception as e:
                # Only a stale line of a directory no longer there.
                LOG.warning('Backend %(backend)s could not rewrite its '
                            'exports after the migration of share %(id)s '
                            'was undone: %(e)s',
                            {'backend': destination.backend_name,
                             'id': share_id, 'e': e})
        return errors[0] if errors else None

    def _forget_migration(self, share_id):
        with self.store.locked():
            record = self.store.get(state.SHARES, share_id)
            if record and record.pop(MIGRATION, None) is not None:
                self.store.put(state.SHARES, share_id, record)
