"""The share service layer: what the CLI and Python callers use.

Each method checks the request, then runs the operation's flow with a
*claim*: the conditional updates (and inserts) of its state transition,
made in the same commit that saves the flow (so two callers never both
win it, a refused transition changes nothing, and a claimed resource
always has a saved flow that finishes or reverts it, even if this process
dies right after). Flows run in this process (the embedded default); a
manager finishes or reverts those whose process died. Methods return
plain dicts (see ``storagemgr.share.records``).
"""

import re

from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_utils import uuidutils
import sqlalchemy as sa

from storagemgr.backend import process_registry
from storagemgr.db import api as db_api
from storagemgr.db.models import share_group as group_models
from storagemgr import exception
from storagemgr import hosts
from storagemgr import input_checks
from storagemgr.scheduler.filters import capabilities
from storagemgr.scheduler import placement
from storagemgr.share import access_rules
from storagemgr.share import constants
from storagemgr.share import driver_views
from storagemgr.share import model_updates
from storagemgr.share import records
from storagemgr.share import service
from storagemgr.share_group import records as group_records
from storagemgr.types import api as types_api
from storagemgr.types import extra_specs


CONF = cfg.CONF

Share = records.Share
Instance = records.Instance
Snapshot = records.Snapshot
SnapshotInstance = records.SnapshotInstance
Rule = records.Rule
RuleState = records.RuleState
ShareGroup = group_models.ShareGroup
GroupSnapshotMember = group_models.ShareGroupSnapshotMember


def _positive_size(size, what='size'):
    return input_checks.size_gb(size, what, text=True)


def _protocol(share_proto):
    proto = str(share_proto or '').upper()
    if proto not in constants.SHARE_PROTOCOLS:
        raise exception.InvalidInput(
            reason='share protocol %r is not one of %s' % (
                share_proto, ', '.join(constants.SHARE_PROTOCOLS)))
    return proto


def _display_name(name):
    return input_checks.display_name(name)


def _location(location, what):
    """Refuse a location to adopt that is not one line or climbs with "..".

    Checked before any record is made: a driver would refuse such a path
    only after the claim, leaving a ``manage_error`` record behind.
    """
    if not isinstance(location, str) or not location.strip() or \
            any(ord(c) < 32 for c in location):
        raise exception.InvalidInput(
            reason='%s must be a non-empty single line' % what)
    if '..' in re.split(r'[/\\:]', location):
        raise exception.InvalidInput(
            reason='%s %s must not have ".." components' % (
                what, location))


def _free_space(pool):
    """A pool's free GiB for ranking; 'unknown' or 'infinite' ranks first."""
    try:
        return float(pool.free_capacity_gb)
    except (TypeError, ValueError):
        return float('inf')


class API(service.ServiceAPI):
    """Shares, share snapshots and access rules of every share backend."""

    # -- helpers ------------------------------------------------------------

    def _backend_name(self, backend):
        """The backend section of ``backend`` (a name or host string)."""
        if backend is None:
            return self.registry.default_backend('share')
        return self.registry.lookup(hosts.backend_of(backend),
                                    kind='share').name

    def _pool_named(self, backend, target):
        """The pool of ``target`` that ``backend`` names, or its roomiest."""
        pool_name = hosts.pool_of(backend) if backend else None
        pools, dropped = placement.candidates(
            'share', hosts.join(target.host, target.name, pool_name)
            if pool_name else target.name, self.registry)
        if not pools:
            raise exception.InvalidInput(reason='; '.join(
                dropped.values()) or 'backend %s reports no pools' %
                target.name)
        return max(pools, key=_free_space)

    @staticmethod
    def _insert_share(session, share_values, instance_values):
        """Insert a share and its active instance; return the view."""
        share = db_api.create(Share, share_values, session=session)
        instance = db_api.create(
            Instance, dict(instance_values, share_id=share.id, active=True),
            session=session)
        return driver_views.share_view(share, instance)

    # -- shares -------------------------------------------------------------

    def create(self, share_proto, size, name=None, snapshot_id=None,
               backend=None, metadata=None, share_type=None,
               availability_zone=None, share_group=None):
        """Create a share (from a snapshot with ``snapshot_id``).

        The scheduler places it on a pool that suits its share type
        (``share_type``, else ``default_share_type``, else the implicit
        type without extra specs). ``backend`` (a name or a host string)
        restricts the candidates to that backend, or pool.
        ``share_group``: the group (id or name) the share joins; it goes
        where the group is, and must be of one of the group's types.
        """
        from storagemgr.share.flows import create as create_flows

        share_values = {
            'id': uuidutils.generate_uuid(),
            'share_proto': _protocol(share_proto),
            'size': _positive_size(size),
            'display_name': _display_name(name),
            'share_metadata': dict(metadata or {}),
        }
        request = {'share_proto': share_values['share_proto']}
        snapshot = None
        if snapshot_id is not None:
            snapshot = records.find_snapshot(snapshot_id)
            parent = records.get_share(snapshot.share_id)
            parent_instance = records.active_instance(parent.id)
            if backend is not None and hosts.backend_of(
                    backend) != parent_instance.backend:
                raise exception.InvalidInput(
                    reason='snapshot %s is on backend %s, not %s' % (
                        snapshot.id, parent_instance.backend, backend))
            minimum = snapshot.size or parent.size
            if share_values['size'] < minimum:
                raise exception.InvalidInput(
                    reason='size %d GiB is less than the snapshot\'s %d GiB'
                    % (share_values['size'], minimum))
            share_values['snapshot_id'] = snapshot.id
            # Of the parent's type unless told otherwise, and where the
            # snapshot is (the filters still check the pool can take it).
            share_type = share_type or parent.share_type_id
            request['snapshot_host'] = parent_instance.host
            backend = parent_instance.host
        group = None
        if share_group is not None:
            group, share_type, backend = self._group_of_new_share(
                share_group, share_type, backend, snapshot)
            share_values['share_group_id'] = group.id
        kind = types_api.share_types.resolve(share_type)
        share_values['share_type_id'] = kind['id']

        def claim_on(pool):
            instance_values = {
                'id': uuidutils.generate_uuid(),
                'status': constants.STATUS_CREATING,
                'backend': pool.backend, 'host': pool.host,
                'share_type_id': kind['id'],
                'availability_zone': pool.availability_zone}
            if kind['extra_specs'].get(extra_specs.REPLICATION_TYPE):
                # Its first replica (the reference's rule).
                instance_values['replica_state'] = 'active'
            process_registry.get_backend(pool.backend, 'share',
                                         self.context)

            def claim(session):
                types_api.share_types.hold(session, kind['id'])
                if group is not None:
                    # Held available until this commits: a group snapshot
                    # or delete claimed meanwhile sees this share, or the
                    # group's new status refuses this claim.
                    records.transition(
                        ShareGroup, group.id, [constants.STATUS_AVAILABLE],
                        {}, 'add a share to it', 'Share group',
                        session=session)
                if snapshot is not None:
                    records.transition_snapshot(
                        snapshot.id, [constants.STATUS_AVAILABLE], {},
                        'creating a share from it', session=session)
                placement.reserve_on(session, pool.host,
                                     share_values['size'], pool,
                                     kind['extra_specs'])
                return {'share': self._insert_share(session, share_values,
                                                    instance_values)}

            share_id = share_values['id']
            self._run(create_flows.create_share_flow,
                      {'share_id': share_id,
                       'backend': pool.backend,
                       'snapshot_id': share_values.get('snapshot_id')},
                      {'share': share_id}, 'create of share %s' % share_id,
                      claim=claim)
            return self.get(share_id)

        return placement.place(
            'share', placement.request_spec(
                share_values['size'], kind, availability_zone, **request),
            claim_on, backend=backend)

    @staticmethod
    def _group_of_new_share(share_group, share_type, backend, snapshot):
        """``(group row, share type, where to place)`` for a new member.

        The type must be one of the group's (none named: the group's only
        type); the share goes on the group's backend (or pool).
        """
        group = group_records.find_group(share_group)
        allowed_ids = group_records.share_type_ids(group.id)
        if share_type is None:
            if len(allowed_ids) != 1:
                raise exception.InvalidInput(
                    reason='share group %s allows share types %s; name '
                           'one with --share-type' % (
                               group.id, ', '.join(sorted(
                                   types_api.share_types.names_of(
                                       allowed_ids).values()))))
            share_type = allowed_ids[0]
        elif types_api.share_types.get(share_type)['id'] not in allowed_ids:
            raise exception.InvalidInput(
                reason='share type %s is not one of share group %s\'s '
                       'types' % (share_type, group.id))
        if snapshot is not None:
            raise exception.InvalidInput(
                reason='a share made from a snapshot cannot join a share '
                       'group; make a group from a group snapshot instead')
        if backend is not None and \
                hosts.backend_of(backend) != group.backend:
            raise exception.InvalidInput(
                reason='share group %s is on %s, not %s' % (
                    group.id, group.host, backend))
        return group, share_type, group.host

    def get(self, share_ref):
        return records.share_record(
            *records.find_share_and_instance(share_ref))

    def list(self, backend=None):
        pairs = records.list_shares(backend=backend)
        names = types_api.share_types.names_of(
            {share.share_type_id for share, _ in pairs})
        return [records.share_record(share, instance, names)
                for share, instance in pairs]

    def delete(self, share_ref, share_group=None):
        """Delete a share that has no snapshots.

        ``share_group``: the group the share must be in (refused if not).
        """
        from storagemgr.share.flows import delete as delete_flows

        share, instance = records.find_share_and_instance(share_ref)
        if share_group is not None and group_records.find_group(
                share_group).id != share.share_group_id:
            raise exception.InvalidInput(
                reason='share %s is not in share group %s' % (
                    share.id, share_group))

        def claim(session):
            self._claim_removal(share.id, constants.SHARE_DELETABLE_STATUSES,
                                constants.STATUS_DELETING, 'delete', session,
                                share.share_group_id)
            return {'share': records.share_view(share.id, session=session)}

        self._run(delete_flows.delete_share_flow,
                  {'share_id': share.id, 'backend': instance.backend},
                  {'share': share.id}, 'delete of share %s' % share.id,
                  claim=claim)

    def _claim_removal(self, share_id, expected, status, action, session,
                       share_group_id=None):
        """Move a share towards removal: no snapshots, no rule in flight.

        Snapshots include the share's members of group snapshots. For a
        share in a group the group's row is locked first: a group
        snapshot being claimed (it holds that row) commits its members
        before this claim's checks run, so they see them.

        :raises InvalidShare: it has snapshots (nothing changed).
        :raises InvalidState: it is in another status (nothing changed).
        """
        if share_group_id is not None:
            session.execute(sa.select(ShareGroup.id).where(
                ShareGroup.id == share_group_id).with_for_update())
        try:
            records.transition_share(
                share_id, expected, {'status': status}, action,
                criteria=[records.no_snapshots_criterion(),
                          records.no_group_snapshot_members_criterion(),
                          records.no_rules_in_transition_criterion(),
                          records.no_secondary_replicas_criterion()],
                conditions='no snapshots, no secondary replica and no '
                           'access rule being applied or denied',
                session=session)
        except exception.InvalidState:
            # Locking reads: a plain one would see this transaction's
            # snapshot (MySQL), not the snapshots committed meanwhile.
            # (Rows, not count(*): PostgreSQL locks no aggregate.)
            count, members = (len(session.scalars(sa.select(model.id).where(
                model.share_id == share_id).with_for_update(
                    read=True)).all())
                for model in (Snapshot, GroupSnapshotMember))
            if count or members:
                raise exception.InvalidShare(
                    reason='share %s has %d snapshot(s) and is in %d share '
                           'group snapshot(s); %s it after deleting them' % (
                               share_id, count, members, action))
            replicas = records.secondary_replica_ids(share_id, session)
            if replicas:
                raise exception.InvalidShare(
                    reason='share %s has %d secondary replica(s) (%s); %s '
                           'it after deleting them' % (
                               share_id, len(replicas),
                               ', '.join(replicas), action))
            raise

    def resize(self, share_ref, new_size):
        """Extend or shrink a share to ``new_size`` GiB."""
        share = records.find_share(share_ref)
        new_size = _positive_size(new_size, 'new size')
        if new_size == share.size:
            raise exception.InvalidInput(
                reason='share %s is already %d GiB' % (share.id, new_size))
        if new_size > share.size:
            return self.extend(share.id, new_size)
        return self.shrink(share.id, new_size)

    def extend(self, share_ref, new_size):
        from storagemgr.share.flows import resize as resize_flows

        return self._resize(share_ref, new_size, constants.STATUS_EXTENDING,
                            resize_flows.extend_share_flow, 'extend')

    def shrink(self, share_ref, new_size):
        from storagemgr.share.flows import resize as resize_flows

        try:
            return self._resize(share_ref, new_size,
                                constants.STATUS_SHRINKING,
                                resize_flows.shrink_share_flow, 'shrink',
                                resize_flows.SHRINK_REFUSALS)
        except resize_flows.SHRINK_REFUSALS as e:
            raise exception.InvalidShare(
                reason='share %s was not shrunk and is still available: %s'
                % (share_ref, str(e) or 'the backend cannot shrink shares'))

    def _resize(self, share_ref, new_size, status, factory, action,
                passthrough=()):
        share, instance = records.find_share_and_instance(share_ref)
        new_size = _positive_size(new_size, 'new size')
        bigger = new_size > share.size
        if bigger != (action == 'extend') or new_size == share.size:
            raise exception.InvalidInput(
                reason='cannot %s share %s from %d to %d GiB' % (
                    action, share.id, share.size, new_size))

        pool = (placement.pool_at('share', instance.host, self.registry)
                if bigger else None)
        specs = types_api.share_types.specs_of(share.share_type_id)

        def claim(session):
            records.transition_share(
                share.id, [constants.STATUS_AVAILABLE], {'status': status},
                action, session=session,
                criteria=[sa.exists().where(Share.id == Instance.share_id,
                                            Share.size == share.size)],
                conditions='its size to be still %d GiB' % share.size)
            if bigger:
                # Given back if the extend fails (see the resize flow).
                placement.reserve_on(session, instance.host,
                                     new_size - share.size, pool, specs)

        self._run(factory, {'share_id': share.id,
                            'backend': instance.backend,
                            'new_size': new_size},
                  {'share': share.id}, '%s of share %s' % (action, share.id),
                  passthrough, claim=claim)
        return self.get(share.id)

    def revert(self, snapshot_ref):
        """Revert a share, in place, to its latest snapshot."""
        from storagemgr.share.flows import revert as revert_flows

        snapshot = records.find_snapshot(snapshot_ref)
        share = records.get_share(snapshot.share_id)
        instance = records.active_instance(share.id)
        newer = [s for s, _ in records.list_snapshots(share_id=share.id)
                 if s.created_at > snapshot.created_at]
        if newer:
            raise exception.InvalidShareSnapshot(
                reason='snapshot %s is not the latest of share %s; only '
                       'the latest can be reverted to' % (snapshot.id,
                                                          share.id))

        def claim(session):
            # A snapshot taken between the check above and this claim
            # would make the revert lose its data: the claim refuses it.
            # After the claim none can appear (the share is not available).
            records.transition_share(
                share.id, [constants.STATUS_AVAILABLE],
                {'status': constants.STATUS_REVERTING}, 'revert',
                session=session,
                criteria=[~sa.exists().where(
                    Snapshot.share_id == share.id,
                    Snapshot.created_at > snapshot.created_at)],
                conditions='snapshot %s to be its latest' % snapshot.id)
            records.transition_snapshot(
                snapshot.id, [constants.STATUS_AVAILABLE],
                {'status': constants.STATUS_RESTORING}, 'revert',
                session=session)

        self._run(revert_flows.revert_share_flow,
                  {'share_id': share.id, 'snapshot_id': snapshot.id,
                   'backend': instance.backend},
                  {'share': share.id, 'snapshot': snapshot.id},
                  'revert of share %s' % share.id, claim=claim)
        return self.get(share.id)

    def manage(self, backend, share_proto, export_path, name=None,
               driver_options=None, share_type=None):
        """Adopt a share the backend already has (``share adopt``).

        The share is of ``share_type`` (or the default type), whose extra
        specs the pool's capabilities must meet.
        """
        from storagemgr.share.flows import manage as manage_flows

        _location(export_path, 'export path')
        target = process_registry.get_backend(
            self._backend_name(backend), 'share', self.context)
        pool = self._pool_named(backend, target)
        kind = types_api.share_types.resolve(share_type)
        unmet = capabilities.unmet(
            pool.capabilities, capabilities.compile_specs(
                kind['extra_specs']))
        if unmet:
            raise exception.InvalidInput(
                reason='pool %s does not suit share type %s: %s' % (
                    pool.host, kind['name'], unmet))
        share_values = {
            'id': uuidutils.generate_uuid(),
            'share_proto': _protocol(share_proto), 'size': 0,
            'display_name': _display_name(name),
            'share_type_id': kind['id'],
        }
        instance_values = {
            'id': uuidutils.generate_uuid(),
            'backend': target.name, 'host': pool.host,
            'share_type_id': kind['id'],
            'availability_zone': pool.availability_zone,
            'status': constants.STATUS_MANAGING,
            'export_locations': [{'path': export_path,
                                  'is_admin_only': False, 'metadata': {}}],
        }
        share_id = share_values['id']

        def claim(session):
            types_api.share_types.hold(session, kind['id'])
            self._insert_share(session, share_values, instance_values)

        self._run(manage_flows.manage_share_flow,
                  {'share_id': share_id, 'backend': target.name,
                   'driver_options': dict(driver_options or {})},
                  {'share': share_id}, 'adopt of share %s' % share_id,
                  claim=claim)
        return self.get(share_id)

    def unmanage(self, share_ref):
        """Forget a share, leaving its data on the backend."""
        from storagemgr.share.flows import manage as manage_flows

        share, instance = records.find_share_and_instance(share_ref)
        self._run(manage_flows.unmanage_share_flow,
                  {'share_id': share.id, 'backend': instance.backend},
                  {'share': share.id}, 'abandon of share %s' % share.id,
                  claim=lambda session: self._claim_removal(
                      share.id, constants.SHARE_UNMANAGEABLE_STATUSES,
                      constants.STATUS_UNMANAGING, 'abandon', session,
                      share.share_group_id))

    # -- snapshots ----------------------------------------------------------

    def _new_snapshot(self, share_ref, name, status, action, extra=None):
        """The share's instance, a new snapshot id, and its claim.

        The claim inserts the snapshot and its instance.
        """
        share, instance = records.find_share_and_instance(share_ref)
        snapshot_values = {'id': uuidutils.generate_uuid(),
                           'share_id': share.id, 'size': share.size,
                           'display_name': _display_name(name)}
        instance_values = dict(extra or {}, id=uuidutils.generate_uuid(),
                               snapshot_id=snapshot_values['id'],
                               share_instance_id=instance.id, status=status)

        def claim(session):
            records.transition_share(share.id, [constants.STATUS_AVAILABLE],
                                     {}, action, session=session)
            db_api.create(Snapshot, snapshot_values, session=session)
            db_api.create(SnapshotInstance, instance_values, session=session)
            if status == constants.STATUS_CREATING:
                # One instance per secondary replica: the snapshot is
                # taken on all of them (an adopted one is the active's).
                records.add_secondary_snapshot_instances(
                    session, share.id, snapshot_values['id'], status)

        return instance, snapshot_values['id'], claim

    def create_snapshot(self, share_ref, name=None):
        from storagemgr.share.flows import snapshot as snapshot_flows

        instance, snapshot_id, claim = self._new_snapshot(
            share_ref, name, constants.STATUS_CREATING, 'snapshot')
        self._run(snapshot_flows.create_snapshot_flow,
                  {'snapshot_id': snapshot_id, 'backend': instance.backend},
                  {'share': instance.share_id, 'snapshot': snapshot_id},
                  'snapshot of share %s' % instance.share_id, claim=claim)
        return self.get_snapshot(snapshot_id)

    def get_snapshot(self, snapshot_ref):
        snapshot = records.find_snapshot(snapshot_ref)
        return records.snapshot_record(
            snapshot, records.snapshot_instance(snapshot.id))

    def list_snapshots(self, share_ref=None):
        share_id = None
        if share_ref is not None:
            share_id = records.find_share(share_ref).id
        return [records.snapshot_record(snapshot, instance)
                for snapshot, instance in records.list_snapshots(
                    share_id=share_id)]

    def delete_snapshot(self, snapshot_ref):
        from storagemgr.share.flows import snapshot as snapshot_flows

        self._remove_snapshot(snapshot_ref,
                              snapshot_flows.delete_snapshot_flow,
                              constants.SNAPSHOT_DELETABLE_STATUSES,
                              constants.STATUS_DELETING, 'delete')

    def _remove_snapshot(self, snapshot_ref, factory, expected, status,
                         action):
        """Delete or abandon a snapshot: claim it, then run ``factory``."""
        snapshot = records.find_snapshot(snapshot_ref)
        instance = records.active_instance(snapshot.share_id)
        self._run(factory,
                  {'snapshot_id': snapshot.id, 'backend': instance.backend},
                  {'snapshot': snapshot.id},
                  '%s of share snapshot %s' % (action, snapshot.id),
                  claim=lambda session: records.transition_snapshot(
                      snapshot.id, expected, {'status': status}, action,
                      session=session, with_secondaries=True) and None)

    def manage_snapshot(self, share_ref, provider_location, name=None,
                        driver_options=None):
        """Adopt a snapshot the backend already has."""
        from storagemgr.share.flows import manage as manage_flows

        _location(provider_location, 'provider location')
        instance, snapshot_id, claim = self._new_snapshot(
            share_ref, name, constants.STATUS_MANAGING, 'adopt a snapshot',
            extra={'provider_location': provider_location})
        self._run(manage_flows.manage_snapshot_flow,
                  {'snapshot_id': snapshot_id, 'backend': instance.backend,
                   'driver_options': dict(driver_options or {})},
                  {'snapshot': snapshot_id},
                  'adopt of share snapshot %s' % snapshot_id, claim=claim)
        return self.get_snapshot(snapshot_id)

    def unmanage_snapshot(self, snapshot_ref):
        from storagemgr.share.flows import manage as manage_flows

        self._remove_snapshot(snapshot_ref,
                              manage_flows.unmanage_snapshot_flow,
                              constants.SNAPSHOT_UNMANAGEABLE_STATUSES,
                              constants.STATUS_UNMANAGING, 'abandon')

    # -- access rules -------------------------------------------------------

    def allow_access(self, share_ref, access_type, access_to,
                     access_level='rw'):
        """Grant access; refused before any driver sees a bad rule."""
        access_type, access_to, access_level = access_rules.validate_rule(
            access_type, access_to, access_level)
        share, instance = records.find_share_and_instance(share_ref)
        existing = [records.rule_record(r)
                    for r in records.list_rules(share.id)]
        if access_rules.find_duplicate(existing, access_type, access_to):
            raise exception.ShareAccessExists(access_type=access_type,
                                              access=access_to)
        rule_id = uuidutils.generate_uuid()

        def claim(session):
            records.transition_share(share.id, [constants.STATUS_AVAILABLE],
                                     {}, 'grant access', session=session)
            try:
                db_api.create(Rule, {
                    'id': rule_id, 'share_id': share.id,
                    'access_type': access_type, 'access_to': access_to,
                    'access_level': access_level}, session=session)
            except db_exc.DBDuplicateEntry:
                raise exception.ShareAccessExists(access_type=access_type,
                                                  access=access_to)
            db_api.create(RuleState, {
                'share_instance_id': instance.id, 'access_id': rule_id,
                'state': constants.ACCESS_STATE_QUEUED_TO_APPLY},
                session=session)

        self._run_access(share, instance, [rule_id], [], claim)
        record = self._rule(share.id, rule_id)
        if record['state'] == constants.ACCESS_STATE_ERROR:
            raise exception.ShareBackendException(
                msg='backend %s refused access rule %s (%s %s); the rule '
                    'is in error, delete it' % (instance.backend, rule_id,
                                                access_type, access_to))
        return record

    @staticmethod
    def _rule(share_id, rule_id):
        for rule in records.list_rules(share_id):
            if rule.id == rule_id:
                return records.rule_record(rule)
        raise exception.NotFound('Share %s has no access rule %r.' % (
            share_id, rule_id))

    def _run_access(self, share, instance, apply_ids, deny_ids, claim):
        from storagemgr.share.flows import access as access_flows

        self._run(access_flows.update_access_flow,
                  {'share_id': share.id, 'backend': instance.backend,
                   'apply_ids': apply_ids, 'deny_ids': deny_ids},
                  {'share': share.id}, 'access update of share %s' %
                  share.id, claim=claim)

    def list_access(self, share_ref):
        share = records.find_share(share_ref)
        return [records.rule_record(r) for r in records.list_rules(share.id)]

    def deny_access(self, share_ref, rule_id):
        share, instance = records.find_share_and_instance(share_ref)
        rule = db_api.get_by(Rule, id=rule_id, share_id=share.id)
        state = rule and db_api.get_by(
            RuleState, share_instance_id=instance.id, access_id=rule.id)
        if state is None:
            raise exception.NotFound('Share %s has no access rule %r.' % (
                share.id, rule_id))

        def claim(session):
            # The share's status is part of the same UPDATE: a share that
            # turned transitional since it was read refuses the claim.
            share_settled = sa.exists().where(
                Instance.id == RuleState.share_instance_id,
                Instance.status.notin_(sorted(
                    constants.TRANSITIONAL_STATUSES)))
            if db_api.conditional_update(
                    RuleState, state.id,
                    {'state': constants.ACCESS_STATE_QUEUED_TO_DENY},
                    expected={'state': [constants.ACCESS_STATE_ACTIVE,
                                        constants.ACCESS_STATE_ERROR]},
                    criteria=[share_settled], session=session):
                return
            current = records.active_instance(share.id, session=session)
            if current.status in constants.TRANSITIONAL_STATUSES:
                raise exception.ResourceBusy(resource='Share', id=share.id,
                                             status=current.status,
                                             action='revoking access')
            raise exception.ResourceBusy(
                resource='Access rule', id=rule.id,
                status=db_api.get(RuleState, state.id, session=session).state,
                action='revoking it')

        self._run_access(share, instance, [], [rule.id], claim)

    # -- backends -----------------------------------------------------------

    def get_stats(self, backend=None):
        """Fresh capabilities and capacity of a share backend."""
        name = self._backend_name(backend)
        driver = process_registry.driver_for(name, 'share', self.context)
        return model_updates.check_stats(
            driver, driver.get_share_stats(refresh=True))

    def get_pools(self, backend=None):
        return list(self.get_stats(backend).get('pools') or [])
