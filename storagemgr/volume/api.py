"""The volume service layer: what the CLI (and any other caller) uses.

Every request is checked here, then moved into its transitional status by
a conditional update (one UPDATE ... WHERE status IN ... statement, so two
callers can never both win) made by the *claim* of its flow: the claim
runs in the transaction that saves the flow, so a claimed resource always
has a flow that finishes or reverts it, even if this process dies right
after. A refused request changes nothing. Resource arguments are ids or
names; a name that matches several resources is refused.
"""

from oslo_utils import uuidutils
import sqlalchemy as sa

from storagemgr.backend import process_registry
from storagemgr.db import api as db_api
from storagemgr.db import bulk
from storagemgr.db.models import volume as models
from storagemgr.db.models import volume_attachment as attachment_models
from storagemgr import exception
from storagemgr import hosts
from storagemgr import input_checks
from storagemgr.message import api as message_api
from storagemgr.scheduler import placement
from storagemgr.types import api as types_api
from storagemgr.volume import constants as c
from storagemgr.volume import group_updates

_NOT_FOUND = {
    models.Volume: (exception.VolumeNotFound, 'volume', 'Volume'),
    models.VolumeSnapshot: (exception.VolumeSnapshotNotFound, 'snapshot',
                            'Volume snapshot'),
    models.ConsistencyGroup: (exception.ConsistencyGroupNotFound, 'group',
                              'Consistency group'),
    models.CGSnapshot: (exception.CGSnapshotNotFound, 'cgsnapshot',
                        'Consistency group snapshot'),
}


def record(row):
    """A row as the plain dict callers print (timestamps as ISO text)."""
    values = row.to_dict()
    for key in ('created_at', 'updated_at'):
        if values.get(key) is not None:
            values[key] = values[key].isoformat()
    values['failure_reason'] = message_api.failure_detail(row)
    return values


def _volume_records(rows):
    """Volumes' records, with their type's name as ``volume_type``."""
    names = types_api.volume_types.names_of(
        {r.volume_type_id for r in rows})
    records = []
    for row in rows:
        values = record(row)
        values['volume_type'] = names.get(row.volume_type_id)
        records.append(values)
    return records


def _find(model, ref):
    """The row whose id, or else whose name, is ``ref``."""
    not_found, key, label = _NOT_FOUND[model]
    if not ref:
        raise not_found(**{key: repr(ref)})
    row = db_api.get_by(model, id=ref)
    if row is not None:
        return row
    rows = db_api.query(model, name=ref)
    if len(rows) > 1:
        raise exception.AmbiguousName(resource=label, name=ref,
                                      count=len(rows))
    if not rows:
        raise not_found(**{key: ref})
    return rows[0]


def _refuse_state(label, row, action, expected):
    raise exception.InvalidState(resource=label, id=row.id,
                                 status=row.status, action=action,
                                 expected=' or '.join(expected))


def _run(factory, action, resource_id, claim=None, **store):
    """Claim and run a flow; a driver failure becomes our exception.

    ``claim(session)`` raises ``_Changed`` when a row it needs moved on;
    that passes through, for the caller to explain.
    """
    from storagemgr.flows import engine as flow_engine

    try:
        return flow_engine.run_flow(factory, store=store,
                                    resource={'action': action,
                                              'id': resource_id},
                                    claim=claim)
    except (exception.StorageManagerException, _Changed):
        raise
    except Exception as e:
        raise exception.VolumeDriverException(
            msg='%s %s failed: %s: %s' % (action, resource_id,
                                          type(e).__name__, e)) from e


def _run_group_flow(factory, action, resource_id, claim=None, **store):
    engine = _run(factory, action, resource_id, claim=claim, **store)
    group_updates.raise_if_failed(engine.storage.fetch('outcome'), action,
                                  resource_id)


def _check_size(size, what='size'):
    return input_checks.size_gb(size, what)


def _no_rows(model, *conditions):
    return ~sa.exists().where(*conditions)


class _Changed(Exception):
    """A claim matched no row: roll the whole transaction back."""

    def __init__(self, row=None):
        super().__init__()
        self.row = row


def _hold(session, model, row, statuses, criteria=(), values=None,
          **expected):
    """Hold ``row`` in ``statuses`` for the caller's transaction.

    A conditional UPDATE that matches only while the row is still in one
    of ``statuses`` (and ``expected``, ``criteria``), writing ``values``
    (by default only ``updated_at``). It takes the row's write lock, so a
    concurrent claim of it either happened first (and this raises
    ``_Changed``) or waits for this transaction to end.
    """
    if not db_api.conditional_update(
            model, row.id, values or {},
            expected=dict(expected, status=list(statuses)),
            criteria=criteria, session=session):
        raise _Changed(row)


def _member_criteria(volumes, group):
    """What each member of a group snapshot's claim must still be.

    In ``group``, snapshottable, and at the size recorded; the sizes are
    grouped so the statement has one parameter per volume and per size.
    """
    volume = models.Volume
    by_size = {}
    for row in volumes:
        by_size.setdefault(row.size, []).append(row.id)
    return sa.and_(
        volume.consistencygroup_id == group.id,
        volume.status.in_(list(_SNAPSHOTTABLE_IN_GROUP)),
        sa.or_(*(sa.and_(volume.size.is_(None) if size is None
                         else volume.size == size, volume.id.in_(ids))
                 for size, ids in sorted(by_size.items(),
                                         key=lambda item: str(item[0])))))


def _hold_members(session, volumes, group):
    """Hold every member of a group snapshot, in one statement.

    The same hold as ``_hold`` for each volume, as one UPDATE: when it
    matches fewer rows than there are volumes, ``_Changed`` names the
    first volume that no longer matches (the caller rolls it all back).
    """
    if not volumes:
        return
    criteria = _member_criteria(volumes, group)
    if bulk.update_where(session, models.Volume, {}, criteria) == \
            len(volumes):
        return
    still = set(session.scalars(sa.select(models.Volume.id).where(
        criteria)))
    raise _Changed(next((v for v in volumes if v.id not in still),
                        volumes[0]))


def _insert_member_snapshots(session, volumes, name, cgsnapshot_id):
    """The snapshot row of each member volume, in one INSERT."""
    bulk.insert(session, models.VolumeSnapshot, [
        {'id': uuidutils.generate_uuid(), 'name': name,
         'volume_id': volume.id, 'size': volume.size,
         'cgsnapshot_id': cgsnapshot_id, 'status': c.SNAPSHOT_CREATING}
        for volume in volumes])


def _check_can_join(volume, group):
    if volume.consistencygroup_id:
        raise exception.InvalidVolume(
            reason='volume %s already belongs to consistency group %s '
                   '(or is being added to it)' % (
                       volume.id, volume.consistencygroup_id))
    if volume.status not in c.VALID_ADD_VOLUME_STATUSES:
        _refuse_state('Volume', volume, 'adding it to a group',
                      c.VALID_ADD_VOLUME_STATUSES)
    if volume.backend != group.backend:
        raise exception.InvalidVolume(
            reason='volume %s is on backend %s, consistency group %s on %s'
                   % (volume.id, volume.backend, group.id, group.backend))


def _check_can_leave(volume, group):
    if volume.consistencygroup_id != group.id:
        raise exception.InvalidVolume(
            reason='volume %s is not in consistency group %s' % (
                volume.id, group.id))
    if volume.status not in c.VALID_REMOVE_VOLUME_STATUSES:
        _refuse_state('Volume', volume, 'removing it from a group',
                      c.VALID_REMOVE_VOLUME_STATUSES)


class _GroupDeletePlan(object):
    """What deleting one group involves, as read before claiming it."""

    def __init__(self, group, cgsnapshots, volumes, snapshots):
        self.group = group
        self.cgsnapshots = cgsnapshots
        self.volumes = volumes
        self.snapshots = snapshots

    def refuse_if_busy(self):
        """Refuse, naming the culprit, what the claim would refuse."""
        busy = ['group snapshot %s is %s' % (r.id, r.status)
                for r in self.cgsnapshots
                if r.status not in c.GROUP_DELETABLE_STATUSES]
        busy += ['volume %s is %s' % (r.id, r.status) for r in self.volumes
                 if r.status not in c.DELETABLE_STATUSES]
        busy += ['snapshot %s is %s' % (r.id, r.status)
                 for r in self.snapshots
                 if r.status not in c.DELETABLE_STATUSES]
        cgsnapshot_ids = {r.id for r in self.cgsnapshots}
        busy += ['snapshot %s of volume %s belongs to group snapshot %s of '
                 'another group' % (r.id, r.volume_id, r.cgsnapshot_id)
                 for r in self.snapshots
                 if r.cgsnapshot_id and r.cgsnapshot_id not in cgsnapshot_ids]
        busy += ['consistency group %s is being created from it' % r.id
                 for r in db_api.query(
                     models.ConsistencyGroup, status=c.GROUP_CREATING)
                 if r.source_cgid == self.group.id or
                 r.cgsnapshot_id in cgsnapshot_ids]
        snapshot_ids = {r.id for r in self.snapshots}
        volume_ids = {r.id for r in self.volumes}
        busy += ['volume %s is being created from it' % r.id
                 for r in db_api.query(models.Volume,
                                       status=c.VOLUME_CREATING)
                 if r.snapshot_id in snapshot_ids or
                 r.source_volid in volume_ids]
        if busy:
            raise exception.InvalidConsistencyGroup(
                reason='consistency group %s not deleted, nothing was '
                       'changed: %s' % (self.group.id, '; '.join(busy)))

    def guards(self, force):
        """Every condition the group's claim checks, as WHERE clauses."""
        group_id = self.group.id
        cgs, vol, snap = models.CGSnapshot, models.Volume, \
            models.VolumeSnapshot
        grp = models.ConsistencyGroup
        cgsnapshot_ids = [r.id for r in self.cgsnapshots]
        volume_ids = [r.id for r in self.volumes]
        snapshot_ids = [r.id for r in self.snapshots]
        if not force:
            return [_no_rows(cgs, cgs.consistencygroup_id == group_id),
                    _no_rows(vol, vol.consistencygroup_id == group_id),
                    _no_rows(grp, grp.source_cgid == group_id,
                             grp.status == c.GROUP_CREATING)]
        return [
            # Nothing joined since it was read ...
            _no_rows(cgs, cgs.consistencygroup_id == group_id,
                     cgs.id.notin_(cgsnapshot_ids)),
            _no_rows(vol, vol.consistencygroup_id == group_id,
                     vol.id.notin_(volume_ids)),
            _no_rows(snap, sa.or_(snap.volume_id.in_(volume_ids),
                                  snap.cgsnapshot_id.in_(cgsnapshot_ids)),
                     snap.id.notin_(snapshot_ids)),
            # ... nothing in it is busy ...
            _no_rows(cgs, cgs.consistencygroup_id == group_id,
                     cgs.status.notin_(list(c.GROUP_DELETABLE_STATUSES))),
            _no_rows(vol, vol.consistencygroup_id == group_id,
                     vol.status.notin_(list(c.DELETABLE_STATUSES))),
            _no_rows(snap, snap.id.in_(snapshot_ids),
                     snap.status.notin_(list(c.DELETABLE_STATUSES))),
            # ... and nothing is being made from it.
            _no_rows(grp, grp.status == c.GROUP_CREATING,
                     sa.or_(grp.source_cgid == group_id,
                            grp.cgsnapshot_id.in_(cgsnapshot_ids))),
            _no_rows(vol, vol.status == c.VOLUME_CREATING,
                     sa.or_(vol.snapshot_id.in_(snapshot_ids),
                            vol.source_volid.in_(volume_ids))),
        ]

    def claim_dependants(self, session):
        """Move every dependant to deleting from the status it was read in.

        Runs in the group claim's transaction; a row that changed since it
        was read raises ``_Changed``, which rolls the group claim back too.
        """
        claims = [(models.CGSnapshot, r, {'consistencygroup_id':
                                          self.group.id})
                  for r in self.cgsnapshots]
        claims += [(models.VolumeSnapshot, r, {}) for r in self.snapshots]
        claims += [(models.Volume, r, {'consistencygroup_id': self.group.id})
                   for r in self.volumes]
        for model, row, expected in claims:
            if not db_api.conditional_update(
                    model, row.id, {'status': 'deleting'},
                    expected=dict(expected, status=row.status),
                    session=session):
                raise _Changed()


def _read_group_for_delete(group):
    cgsnapshots = db_api.query(models.CGSnapshot,
                               consistencygroup_id=group.id,
                               order_by=models.CGSnapshot.id)
    volumes = db_api.query(models.Volume, consistencygroup_id=group.id,
                           order_by=models.Volume.id)
    snapshots = {}
    if volumes:
        for row in db_api.query(models.VolumeSnapshot,
                                volume_id=[v.id for v in volumes]):
            snapshots[row.id] = row
    if cgsnapshots:
        for row in db_api.query(models.VolumeSnapshot,
                                cgsnapshot_id=[r.id for r in cgsnapshots]):
            snapshots[row.id] = row
    return _GroupDeletePlan(group, cgsnapshots, volumes,
                            [snapshots[k] for k in sorted(snapshots)])


def _create_group_rows(session, group_id, name, backend_name, cgsnapshot,
                       source, members, volumes, pools):
    """The new group and its volumes, with the sources held available.

    ``source`` is the group snapshot (``cgsnapshot`` true) or the source
    group; a source group must still have exactly ``members``. Each new
    volume goes on the pool of the volume it is made from (``volumes``
    by id), of the same type, and is counted there within the limit of
    that pool (``pools`` by host; one not reporting is counted only).
    """
    if cgsnapshot:
        _hold(session, models.CGSnapshot, source, ['available'])
    else:
        _hold(session, models.ConsistencyGroup, source, ['available'],
              criteria=[_no_rows(
                  models.Volume,
                  models.Volume.consistencygroup_id == source.id,
                  models.Volume.id.notin_([m.id for m in members]))])
    member_model = models.VolumeSnapshot if cgsnapshot else models.Volume
    for member in members:
        _hold(session, member_model, member, ['available'])
    db_api.create(models.ConsistencyGroup, {
        'id': group_id, 'name': name, 'backend': backend_name,
        'status': c.GROUP_CREATING,
        'cgsnapshot_id': source.id if cgsnapshot else None,
        'source_cgid': None if cgsnapshot else source.id},
        session=session)
    specs = {}
    for member in members:
        origin = volumes[member.volume_id if cgsnapshot else member.id]
        values = {'status': c.VOLUME_CREATING, 'size': member.size,
                  'backend': backend_name, 'consistencygroup_id': group_id,
                  'host': origin.host, 'name': origin.name,
                  'volume_type_id': origin.volume_type_id}
        if cgsnapshot:
            values['snapshot_id'] = member.id
        else:
            values['source_volid'] = member.id
        if origin.volume_type_id not in specs:
            specs[origin.volume_type_id] = types_api.volume_types.specs_of(
                origin.volume_type_id)
        placement.reserve_on(session, origin.host, member.size,
                             pools.get(origin.host),
                             specs[origin.volume_type_id])
        db_api.create(models.Volume, values, session=session)


def _refuse_changed(volume, action):
    """Why a claim on an available volume of a known size was refused."""
    current = _find(models.Volume, volume.id)
    if current.status != c.VOLUME_AVAILABLE:
        _refuse_state('Volume', current, action, ['available'])
    raise exception.ConditionNotMet(
        resource='Volume', id=volume.id, status=current.status,
        action=action, conditions='its size to be still %d GiB (it is %d '
        'GiB now)' % (volume.size, current.size))


def _current_status(row):
    current = db_api.get_by(type(row), id=row.id)
    return current.status if current is not None else 'gone'


# Members a group snapshot may include: as the reference allows, a volume
# attached to a host is snapshotted with its group (crash-consistent).
_SNAPSHOTTABLE_IN_GROUP = (c.VOLUME_AVAILABLE, c.IN_USE)


class API(object):
    """Volumes, snapshots, consistency groups and group snapshots."""

    def __init__(self, registry):
        self.registry = registry
        process_registry.use_registry(registry)

    def _backend(self, name):
        """The backend section ``name`` names (a name or a host string)."""
        name = (hosts.backend_of(name) if name else
                self.registry.default_backend('volume'))
        self.registry.get(name, kind='volume')
        return name

    # Volumes ---------------------------------------------------------------

    def get_volume(self, ref):
        return _volume_records([_find(models.Volume, ref)])[0]

    def list_volumes(self):
        return _volume_records(db_api.query(
            models.Volume, order_by=models.Volume.created_at))

    def create_volume(self, name, size=None, backend=None, group=None,
                      snapshot=None, source_volume=None, volume_type=None,
                      availability_zone=None):
        """Create a volume: empty, from a snapshot, or a clone.

        The scheduler places it on a pool that suits its volume type
        (``volume_type``, else the source's, else ``default_volume_type``,
        else the implicit type without extra specs) in
        ``availability_zone``. ``backend`` (a name or a host string)
        restricts the candidates; a volume made from a snapshot or a clone
        stays on its source's pool and one in a group on the group's
        backend. The filters, capacity above all, judge those places too.
        """
        from storagemgr.volume.flows import volume as volume_flows

        values = {'name': input_checks.display_name(name),
                  'status': c.VOLUME_CREATING}
        if size is not None:
            _check_size(size)
        source_row = None
        if snapshot:
            snap = _find(models.VolumeSnapshot, snapshot)
            if snap.status != c.SNAPSHOT_AVAILABLE:
                _refuse_state('Volume snapshot', snap,
                              'creating a volume from it', ['available'])
            source_row = _find(models.Volume, snap.volume_id)
            size = snap.size if size is None else size
            if _check_size(size) < snap.size:
                raise exception.InvalidInput(
                    reason='size %d is smaller than snapshot %s (%d GiB)' %
                    (size, snap.id, snap.size))
            values['snapshot_id'] = snap.id
        elif source_volume:
            source_row = _find(models.Volume, source_volume)
            if source_row.status != c.VOLUME_AVAILABLE:
                _refuse_state('Volume', source_row, 'cloning it',
                              ['available'])
            size = source_row.size if size is None else size
            values['source_volid'] = source_row.id
        source_backend = source_row.backend if source_row else None
        values['size'] = _check_size(size)
        wanted_backend = hosts.backend_of(backend) if backend else None
        group_row = None
        if group:
            group_row = _find(models.ConsistencyGroup, group)
            if group_row.status != c.GROUP_AVAILABLE:
                _refuse_state('Consistency group', group_row,
                              'adding a volume', ['available'])
            if (source_backend or group_row.backend) != group_row.backend or (
                    wanted_backend and wanted_backend != group_row.backend):
                raise exception.InvalidInput(
                    reason='consistency group %s is on backend %s; its '
                           'volumes must be too' % (group_row.id,
                                                    group_row.backend))
            values['consistencygroup_id'] = group_row.id
        if wanted_backend and source_backend and (
                wanted_backend != source_backend):
            raise exception.InvalidInput(
                reason='the source is on backend %s, not %s' % (
                    source_backend, backend))
        # Of the source's type unless told otherwise, as in the reference.
        kind = types_api.volume_types.resolve(
            volume_type or (source_row.volume_type_id if source_row
                            else None))
        values['volume_type_id'] = kind['id']
        # Where the candidates are: the source's own pool, else what the
        # user named, else the group's backend, else every backend.
        where = ((source_row.host or source_row.backend) if source_row
                 else backend or (group_row.backend if group_row else None))
        # The source and the group were read above; hold them in the
        # status they were read in while the row goes in, so a concurrent
        # delete either refuses (it sees a volume being made from them)
        # or wins and this request is refused.
        held = []
        if snapshot:
            held.append(('Volume snapshot', models.VolumeSnapshot, snap))
        elif source_volume:
            held.append(('Volume', models.Volume, source_row))
        if group:
            held.append(('Consistency group', models.ConsistencyGroup,
                         group_row))
        volume_id = values['id'] = uuidutils.generate_uuid()

        def claim_on(pool):
            self._backend(pool.backend)
            row_values = dict(values, host=pool.host, backend=pool.backend)

            def claim(session):
                types_api.volume_types.hold(session, kind['id'])
                for _label, model, row in held:
                    _hold(session, model, row, ['available'])
                placement.reserve_on(session, pool.host, values['size'],
                                     pool, kind['extra_specs'])
                db_api.create(models.Volume, row_values, session=session)

            _run(volume_flows.create_volume_flow, 'create volume',
                 volume_id, claim=claim, volume_id=volume_id)

        try:
            placement.place(
                'volume',
                placement.request_spec(values['size'], kind,
                                       availability_zone),
                claim_on, backend=where, registry=self.registry)
        except _Changed as changed:
            label, model, row = [h for h in held if h[2] is changed.row][0]
            _refuse_state(label, _find(model, row.id),
                          'creating a volume from or in it', ['available'])
        return self.get_volume(volume_id)

    def delete_volume(self, ref):
        from storagemgr.volume.flows import volume as volume_flows

        volume = _find(models.Volume, ref)
        if volume.consistencygroup_id:
            raise exception.InvalidVolume(
                reason='volume %s belongs to consistency group %s; remove '
                       'it from the group or delete the group' % (
                           volume.id, volume.consistencygroup_id))

        def claim(session):
            _hold(session, models.Volume, volume, c.DELETABLE_STATUSES,
                  values={'status': c.VOLUME_DELETING},
                  consistencygroup_id=None,
                  criteria=[_no_rows(models.VolumeSnapshot,
                                     models.VolumeSnapshot.volume_id ==
                                     volume.id),
                            _no_rows(models.Volume,
                                     models.Volume.source_volid == volume.id,
                                     models.Volume.status ==
                                     c.VOLUME_CREATING)])

        try:
            _run(volume_flows.delete_volume_flow, 'delete volume', volume.id,
                 claim=claim, volume_id=volume.id)
        except _Changed:
            if db_api.query(models.VolumeSnapshot, volume_id=volume.id):
                raise exception.InvalidVolume(
                    reason='volume %s has snapshots; delete them first' %
                    volume.id)
            clones = db_api.query(models.Volume, source_volid=volume.id,
                                  status=c.VOLUME_CREATING)
            if clones:
                raise exception.InvalidVolume(
                    reason='volume %s is being cloned to %s; try again '
                           'when that ends' % (volume.id, clones[0].id))
            _refuse_state('Volume', _find(models.Volume, volume.id),
                          'delete', c.DELETABLE_STATUSES)

    def extend_volume(self, ref, new_size):
        from storagemgr.volume.flows import volume as volume_flows

        _check_size(new_size, 'new size')
        volume = _find(models.Volume, ref)
        if new_size <= volume.size:
            raise exception.InvalidInput(
                reason='new size %d GiB of volume %s must be larger than '
                       'its size %d GiB (volumes only grow)' % (
                           new_size, volume.id, volume.size))

        # The growth is reserved on the volume's pool, within the limit
        # of its type there; a failed extend gives it back (see the flow).
        pool = placement.pool_at('volume', volume.host, self.registry)
        specs = types_api.volume_types.specs_of(volume.volume_type_id)

        def claim(session):
            _hold(session, models.Volume, volume, [c.VOLUME_AVAILABLE],
                  values={'status': c.VOLUME_EXTENDING}, size=volume.size)
            placement.reserve_on(session, volume.host,
                                 new_size - volume.size, pool, specs)

        try:
            _run(volume_flows.extend_volume_flow, 'extend volume', volume.id,
                 claim=claim, volume_id=volume.id, new_size=new_size)
        except _Changed:
            _refuse_changed(volume, 'extend')
        except exception.CapacityExceeded as e:
            raise exception.InvalidVolume(
                reason='volume %s cannot grow from %d to %d GiB: pool %s '
                       'has %s of %s GiB allocated' % (
                           volume.id, volume.size, new_size, volume.host,
                           e.kwargs.get('allocated'),
                           e.kwargs.get('limit'))) from None
        return self.get_volume(volume.id)

    # Attachments to this host ----------------------------------------------

    def list_attachments(self, volume_ref):
        """The attachments of a volume (at most one), as dicts."""
        from storagemgr.volume.flows import attach as attach_flows

        volume = _find(models.Volume, volume_ref)
        return [attach_flows.attachment_record(r) for r in db_api.query(
            attachment_models.VolumeAttachment, volume_id=volume.id,
            order_by=attachment_models.VolumeAttachment.created_at)]

    def attach(self, volume_ref):
        """Attach a volume to this host through os-brick; its attachment.

        ``available`` is claimed to ``attaching`` together with a new
        attachment record, on condition that the volume has none (one
        UPDATE and one INSERT in the flow's transaction), so of two
        concurrent attaches one is refused. The flow ends ``in-use``, or
        back to ``available`` with nothing attached and a user message.
        """
        from storagemgr.volume.flows import attach as attach_flows

        volume = _find(models.Volume, volume_ref)
        self._backend(volume.backend)
        if volume.status != c.VOLUME_AVAILABLE:
            _refuse_state('Volume', volume, 'attach', ['available'])
        connector = attach_flows.connector_properties(volume.backend)
        attachment_id = uuidutils.generate_uuid()
        att = attachment_models.VolumeAttachment

        def claim(session):
            _hold(session, models.Volume, volume, [c.VOLUME_AVAILABLE],
                  values={'status': c.ATTACHING},
                  criteria=[_no_rows(att, att.volume_id == volume.id)])
            db_api.create(att, {
                'id': attachment_id, 'volume_id': volume.id,
                'attach_status': c.ATTACH_ATTACHING,
                'attach_mode': c.ATTACH_MODE,
                'attached_host': attach_flows.this_host(),
                'connector': connector}, session=session)

        try:
            _run(attach_flows.attach_volume_flow, 'attach volume', volume.id,
                 claim=claim, volume_id=volume.id,
                 attachment_id=attachment_id, connector=connector)
        except _Changed:
            current = _find(models.Volume, volume.id)
            if current.status != c.VOLUME_AVAILABLE:
                _refuse_state('Volume', current, 'attach', ['available'])
            raise exception.InvalidVolume(
                reason='volume %s is already attached; detach it first' %
                volume.id)
        return attach_flows.attachment_record(
            db_api.get(att, attachment_id))

    def detach(self, volume_ref):
        """Detach an ``in-use`` volume from this host.

        ``in-use`` is claimed to ``detaching`` and its attachment to
        ``detaching`` in one transaction; the flow ends ``available`` with
        the attachment gone, or back to ``in-use`` with a user message.
        """
        from storagemgr.volume.flows import attach as attach_flows

        volume = _find(models.Volume, volume_ref)
        self._backend(volume.backend)
        if volume.status != c.IN_USE:
            _refuse_state('Volume', volume, 'detach', [c.IN_USE])
        att = attachment_models.VolumeAttachment
        rows = db_api.query(att, volume_id=volume.id)
        if not rows:
            # Nothing attached after all (as Cinder: just make it usable).
            if not db_api.conditional_update(
                    models.Volume, volume.id,
                    {'status': c.VOLUME_AVAILABLE},
                    expected={'status': [c.IN_USE]},
                    criteria=[_no_rows(att, att.volume_id == volume.id)]):
                _refuse_state('Volume', _find(models.Volume, volume.id),
                              'detach', [c.IN_USE])
            return
        attachment = rows[0]

        def claim(session):
            _hold(session, models.Volume, volume, [c.IN_USE],
                  values={'status': c.DETACHING})
            if not db_api.conditional_update(
                    att, attachment.id,
                    {'attach_status': c.ATTACH_DETACHING},
                    expected={'volume_id': volume.id, 'attach_status': [
                        c.ATTACH_ATTACHED,
                        c.ATTACH_ERROR_DETACHING]},
                    session=session):
                raise _Changed(attachment)

        try:
            _run(attach_flows.detach_volume_flow, 'detach volume', volume.id,
                 claim=claim, volume_id=volume.id,
                 attachment_id=attachment.id)
        except _Changed:
            current = _find(models.Volume, volume.id)
            if current.status != c.IN_USE:
                _refuse_state('Volume', current, 'detach',
                              [c.IN_USE])
            raise exception.InvalidVolume(
                reason='attachment %s of volume %s changed meanwhile; '
                       'nothing was detached, try again' % (attachment.id,
                                                            volume.id))

    # Volume snapshots ------------------------------------------------------

    def get_snapshot(self, ref):
        return record(_find(models.VolumeSnapshot, ref))

    def list_snapshots(self):
        return [record(r) for r in db_api.query(
            models.VolumeSnapshot, order_by=models.VolumeSnapshot.created_at)]

    def create_snapshot(self, volume_ref, name):
        from storagemgr.volume.flows import snapshot as snapshot_flows

        input_checks.display_name(name)
        volume = _find(models.Volume, volume_ref)
        self._backend(volume.backend)
        if volume.status != c.VOLUME_AVAILABLE:
            _refuse_state('Volume', volume, 'snapshot', ['available'])
        snapshot_id = uuidutils.generate_uuid()

        def claim(session):
            # Still available (not being deleted or extended), and at the
            # size recorded below.
            _hold(session, models.Volume, volume, ['available'],
                  size=volume.size)
            db_api.create(models.VolumeSnapshot, {
                'id': snapshot_id, 'name': name, 'volume_id': volume.id,
                'size': volume.size, 'status': c.SNAPSHOT_CREATING},
                session=session)

        try:
            _run(snapshot_flows.create_snapshot_flow, 'create snapshot',
                 snapshot_id, claim=claim, snapshot_id=snapshot_id)
        except _Changed:
            _refuse_changed(volume, 'snapshot')
        return self.get_snapshot(snapshot_id)

    def delete_snapshot(self, ref):
        snapshot = _find(models.VolumeSnapshot, ref)
        if snapshot.cgsnapshot_id:
            raise exception.InvalidInput(
                reason='snapshot %s is part of consistency group snapshot '
                       '%s; delete that instead' % (snapshot.id,
                                                    snapshot.cgsnapshot_id))
        self._delete_snapshot(snapshot)

    def _delete_snapshot(self, snapshot):
        from storagemgr.volume.flows import snapshot as snapshot_flows

        def claim(session):
            _hold(session, models.VolumeSnapshot, snapshot,
                  c.DELETABLE_STATUSES,
                  values={'status': c.SNAPSHOT_DELETING},
                  criteria=[_no_rows(models.Volume,
                                     models.Volume.snapshot_id ==
                                     snapshot.id,
                                     models.Volume.status ==
                                     c.VOLUME_CREATING)])

        try:
            _run(snapshot_flows.delete_snapshot_flow, 'delete snapshot',
                 snapshot.id, claim=claim, snapshot_id=snapshot.id)
        except _Changed:
            current = _find(models.VolumeSnapshot, snapshot.id)
            if current.status in c.DELETABLE_STATUSES:
                raise exception.ConditionNotMet(
                    resource='Volume snapshot', id=snapshot.id,
                    status=current.status, action='delete',
                    conditions='no volume being created from it')
            _refuse_state('Volume snapshot', current, 'delete',
                          c.DELETABLE_STATUSES)

    # Consistency groups ----------------------------------------------------

    def get_group(self, ref):
        return record(_find(models.ConsistencyGroup, ref))

    def list_groups(self):
        return [record(r) for r in db_api.query(
            models.ConsistencyGroup,
            order_by=models.ConsistencyGroup.created_at)]

    def group_volume_ids(self, group_id):
        return [v.id for v in db_api.query(models.Volume,
                                           consistencygroup_id=group_id,
                                           order_by=models.Volume.id)]

    def create_group(self, name, backend=None):
        from storagemgr.volume.flows import group as group_flows

        input_checks.display_name(name)
        values = {'id': uuidutils.generate_uuid(), 'name': name,
                  'backend': self._backend(backend),
                  'status': c.GROUP_CREATING}
        _run_group_flow(group_flows.create_group_flow,
                        'create consistency group', values['id'],
                        claim=lambda session: db_api.create(
                            models.ConsistencyGroup, values,
                            session=session) and None,
                        group_id=values['id'])
        return self.get_group(values['id'])

    def create_group_from_src(self, name, cgsnapshot=None, source_group=None,
                              backend=None):
        """A new group with one volume per source member, same data."""
        from storagemgr.volume.flows import group as group_flows

        input_checks.display_name(name)
        if bool(cgsnapshot) == bool(source_group):
            raise exception.InvalidInput(
                reason='give exactly one source: a consistency group '
                       'snapshot or a source consistency group')
        if cgsnapshot:
            source = _find(models.CGSnapshot, cgsnapshot)
            if source.status != c.GROUP_AVAILABLE:
                _refuse_state('Consistency group snapshot', source,
                              'creating a group from it', ['available'])
            members = db_api.query(models.VolumeSnapshot,
                                   cgsnapshot_id=source.id,
                                   order_by=models.VolumeSnapshot.id)
            source_group_row = _find(models.ConsistencyGroup,
                                     source.consistencygroup_id)
            label = 'snapshot'
        else:
            source_group_row = source = _find(models.ConsistencyGroup,
                                              source_group)
            if source.status != c.GROUP_AVAILABLE:
                _refuse_state('Consistency group', source,
                              'creating a group from it', ['available'])
            members = db_api.query(models.Volume,
                                   consistencygroup_id=source.id,
                                   order_by=models.Volume.id)
            label = 'volume'
        not_ready = [m.id for m in members if m.status != 'available']
        if not_ready:
            raise exception.InvalidConsistencyGroup(
                reason='source %s %s is not available' % (
                    label, ', '.join(not_ready)))
        if backend and hosts.backend_of(backend) != source_group_row.backend:
            raise exception.InvalidInput(
                reason='the source is on backend %s, not %s' % (
                    source_group_row.backend, backend))
        backend_name = self._backend(source_group_row.backend)
        volumes = {v.id: v for v in db_api.query(
            models.Volume, id=[getattr(m, 'volume_id', m.id)
                               for m in members])}
        pools = placement.pools_at('volume', backend_name, self.registry)
        group_id = uuidutils.generate_uuid()
        try:
            _run_group_flow(
                group_flows.create_group_from_src_flow,
                'create consistency group', group_id,
                claim=lambda session: _create_group_rows(
                    session, group_id, name, backend_name, cgsnapshot,
                    source, members, volumes, pools),
                group_id=group_id)
        except _Changed as changed:
            raise exception.InvalidConsistencyGroup(
                reason='source %s changed meanwhile (now %s); consistency '
                       'group not created' % (
                           changed.row.id,
                           _current_status(changed.row)))
        return self.get_group(group_id)

    def update_group(self, ref, add_volumes=(), remove_volumes=()):
        """Add and remove volumes; a refused change changes nothing.

        The group is claimed (``available`` to ``updating``) and, in the
        same transaction, every volume: one being added by setting its
        ``consistencygroup_id`` where it is still NULL and its status one
        that may join, so no other group, and no delete, can take it while
        the driver works; one being removed where it is still a member in
        a status that may leave. Any claim that matches no row rolls all
        of them back and refuses the request, naming the volume.
        """
        from storagemgr.volume.flows import group as group_flows

        group = _find(models.ConsistencyGroup, ref)
        add = [_find(models.Volume, v) for v in add_volumes or ()]
        remove = [_find(models.Volume, v) for v in remove_volumes or ()]
        if not add and not remove:
            raise exception.InvalidInput(reason='no volume to add or remove')
        both = {v.id for v in add} & {v.id for v in remove}
        if both:
            raise exception.InvalidInput(
                reason='volume %s cannot be both added and removed' %
                ', '.join(sorted(both)))
        for volume in add:
            _check_can_join(volume, group)
        for volume in remove:
            _check_can_leave(volume, group)
        if group.status != c.GROUP_AVAILABLE:
            _refuse_state('Consistency group', group, 'update',
                          ['available'])

        def claim(session):
            _hold(session, models.ConsistencyGroup, group,
                  [c.GROUP_AVAILABLE], values={'status': c.GROUP_UPDATING})
            for volume in add:
                _hold(session, models.Volume, volume,
                      c.VALID_ADD_VOLUME_STATUSES,
                      values={'consistencygroup_id': group.id},
                      consistencygroup_id=None, backend=group.backend)
            for volume in remove:
                _hold(session, models.Volume, volume,
                      c.VALID_REMOVE_VOLUME_STATUSES,
                      consistencygroup_id=group.id)

        try:
            _run_group_flow(group_flows.update_group_flow,
                            'update consistency group', group.id,
                            claim=claim,
                            group_id=group.id,
                            add_ids=sorted({v.id for v in add}),
                            remove_ids=sorted({v.id for v in remove}))
        except _Changed as changed:
            # Rolled back: say why from what the rows are now.
            if changed.row is group:
                _refuse_state('Consistency group',
                              _find(models.ConsistencyGroup, group.id),
                              'update', ['available'])
            volume = _find(models.Volume, changed.row.id)
            if changed.row in add:
                _check_can_join(volume, group)
            else:
                _check_can_leave(volume, group)
            raise exception.InvalidVolume(
                reason='volume %s changed meanwhile; consistency group %s '
                       'not updated' % (volume.id, group.id))
        return self.get_group(group.id)

    def delete_group(self, ref, force=False):
        """Delete a group with its volumes.

        Without ``force`` a group that has volumes or group snapshots is
        refused; with it, its group snapshots and the snapshots of its
        volumes go too. Everything is claimed first, in one transaction:
        the group by one conditional UPDATE whose WHERE holds every guard,
        then each dependant row from the status it was read in. Only then
        is anything deleted, so a refused request has changed nothing.
        """
        from storagemgr.volume.flows import group as group_flows

        group = _find(models.ConsistencyGroup, ref)
        plan = _read_group_for_delete(group)
        if not force and (plan.cgsnapshots or plan.volumes):
            raise exception.InvalidConsistencyGroup(
                reason='consistency group %s has %d group snapshot(s) and '
                       '%d volume(s); delete them first or use --force' % (
                           group.id, len(plan.cgsnapshots),
                           len(plan.volumes)))
        if group.status not in c.GROUP_DELETABLE_STATUSES:
            _refuse_state('Consistency group', group, 'delete',
                          c.GROUP_DELETABLE_STATUSES)
        plan.refuse_if_busy()

        def claim(session):
            if not db_api.conditional_update(
                    models.ConsistencyGroup, group.id,
                    {'status': c.GROUP_DELETING},
                    expected={'status':
                              list(c.GROUP_DELETABLE_STATUSES)},
                    criteria=plan.guards(force), session=session):
                raise _Changed()
            plan.claim_dependants(session)

        try:
            _run_group_flow(group_flows.delete_group_flow,
                            'delete consistency group', group.id,
                            claim=claim,
                            group_id=group.id,
                            cgsnapshot_ids=[r.id for r in plan.cgsnapshots],
                            snapshot_ids=[r.id for r in plan.snapshots
                                          if not r.cgsnapshot_id],
                            volume_statuses={v.id: v.status
                                             for v in plan.volumes})
        except _Changed:
            current = _find(models.ConsistencyGroup, group.id)
            raise exception.InvalidConsistencyGroup(
                reason='consistency group %s (now %s) or its volumes, '
                       'snapshots or group snapshots changed while it was '
                       'being claimed; nothing was deleted, try again' % (
                           group.id, current.status))

    # Consistency group snapshots -------------------------------------------

    def get_cgsnapshot(self, ref):
        return record(_find(models.CGSnapshot, ref))

    def list_cgsnapshots(self):
        return [record(r) for r in db_api.query(
            models.CGSnapshot, order_by=models.CGSnapshot.created_at)]

    def cgsnapshot_snapshot_ids(self, cgsnapshot_id):
        return [s.id for s in db_api.query(models.VolumeSnapshot,
                                           cgsnapshot_id=cgsnapshot_id,
                                           order_by=models.VolumeSnapshot.id)]

    def create_cgsnapshot(self, group_ref, name):
        from storagemgr.volume.flows import group_snapshot as cgsnapshot_flows

        input_checks.display_name(name)
        group = _find(models.ConsistencyGroup, group_ref)
        self._backend(group.backend)
        if group.status != c.GROUP_AVAILABLE:
            _refuse_state('Consistency group', group, 'snapshot',
                          ['available'])
        volumes = db_api.query(models.Volume, consistencygroup_id=group.id)
        not_ready = [v.id for v in volumes
                     if v.status not in _SNAPSHOTTABLE_IN_GROUP]
        if not_ready:
            raise exception.InvalidConsistencyGroup(
                reason='volume(s) %s of consistency group %s are neither '
                       'available nor in use' % (', '.join(not_ready),
                                                 group.id))
        cgsnapshot_id = uuidutils.generate_uuid()

        def claim(session):
            # The group still available with exactly these members,
            # each still available at the size recorded: a group
            # delete or update that claimed first refuses this.
            _hold(session, models.ConsistencyGroup, group,
                  ['available'], criteria=[_no_rows(
                      models.Volume,
                      models.Volume.consistencygroup_id == group.id,
                      models.Volume.id.notin_([v.id for v in volumes]))])
            _hold_members(session, volumes, group)
            db_api.create(models.CGSnapshot, {
                'id': cgsnapshot_id, 'name': name,
                'consistencygroup_id': group.id,
                'status': c.GROUP_CREATING}, session=session)
            _insert_member_snapshots(session, volumes, name, cgsnapshot_id)

        try:
            _run_group_flow(cgsnapshot_flows.create_group_snapshot_flow,
                            'create consistency group snapshot',
                            cgsnapshot_id, claim=claim,
                            cgsnapshot_id=cgsnapshot_id)
        except _Changed as changed:
            if changed.row is group:
                current = _find(models.ConsistencyGroup, group.id)
                if current.status != c.GROUP_AVAILABLE:
                    _refuse_state('Consistency group', current, 'snapshot',
                                  ['available'])
                raise exception.InvalidConsistencyGroup(
                    reason='consistency group %s gained or lost a volume '
                           'meanwhile; not snapshotted' % group.id)
            raise exception.InvalidConsistencyGroup(
                reason='volume %s of consistency group %s changed '
                       'meanwhile (now %s); not snapshotted' % (
                           changed.row.id, group.id,
                           _current_status(changed.row)))
        return self.get_cgsnapshot(cgsnapshot_id)

    def delete_cgsnapshot(self, ref):
        self._delete_cgsnapshot(_find(models.CGSnapshot, ref))

    def _delete_cgsnapshot(self, cgsnapshot):
        from storagemgr.volume.flows import group_snapshot as cgsnapshot_flows

        snap = models.VolumeSnapshot
        member_ids = self.cgsnapshot_snapshot_ids(cgsnapshot.id)

        def claim(session):
            if not db_api.conditional_update(
                    models.CGSnapshot, cgsnapshot.id,
                    {'status': c.GROUP_DELETING},
                    expected={'status':
                              list(c.GROUP_DELETABLE_STATUSES)},
                    criteria=[
                        _no_rows(models.ConsistencyGroup,
                                 models.ConsistencyGroup.cgsnapshot_id
                                 == cgsnapshot.id,
                                 models.ConsistencyGroup.status ==
                                 c.GROUP_CREATING),
                        _no_rows(snap,
                                 snap.cgsnapshot_id == cgsnapshot.id,
                                 snap.status.notin_(
                                     list(c.DELETABLE_STATUSES)))],
                    session=session):
                raise _Changed(cgsnapshot)
            # Every member at once: one that moved on leaves the count
            # short, and the whole transaction is rolled back.
            if member_ids and bulk.update_where(
                    session, snap, {'status': c.SNAPSHOT_DELETING},
                    snap.id.in_(member_ids),
                    snap.status.in_(list(c.DELETABLE_STATUSES))) != \
                    len(member_ids):
                raise _Changed(cgsnapshot)

        try:
            _run_group_flow(cgsnapshot_flows.delete_group_snapshot_flow,
                            'delete consistency group snapshot', cgsnapshot.id,
                            claim=claim,
                            cgsnapshot_id=cgsnapshot.id)
        except _Changed:
            current = _find(models.CGSnapshot, cgsnapshot.id)
            if current.status not in c.GROUP_DELETABLE_STATUSES:
                _refuse_state('Consistency group snapshot', current,
                              'delete', c.GROUP_DELETABLE_STATUSES)
            raise exception.InvalidConsistencyGroup(
                reason='consistency group snapshot %s has a member snapshot '
                       'that is busy, or a group is being created from it; '
                       'not deleted' % cgsnapshot.id)
