"""Database rows to the objects volume drivers see (the one place that does).

Drivers never get rows: a row is bound to a session and carries columns no
driver should rely on. They get ``DriverView``\\ s (a dict that also answers
attribute access) shaped like the objects Cinder hands its drivers, so a
driver written for Cinder reads ``volume.name``, ``volume['host']``,
``snapshot.volume.size`` or ``volume.consistencygroup.id`` unchanged.

The keys, per kind:

* volume: ``id``, ``name`` (``volume_name_template % id``),
  ``display_name`` (the name the user gave), ``size``, ``status``,
  ``host`` (``host@backend#pool``; the pool is the backend's name),
  ``backend``, ``volume_type_id``, ``consistencygroup_id``,
  ``consistencygroup`` (the group's view, or None), ``snapshot_id``,
  ``source_volid``, every provider key (``provider_location``,
  ``provider_auth``, ``provider_id``, ...), ``metadata``,
  ``admin_metadata`` and the list spellings ``volume_metadata`` and
  ``volume_admin_metadata``;
* snapshot: ``id``, ``name`` (``snapshot_name_template % id``),
  ``display_name``, ``status``, ``volume_id``, ``volume`` (the volume's
  view), ``volume_name``, ``volume_size``, ``size``, ``cgsnapshot_id``,
  ``cgsnapshot`` (the group snapshot's view, or None), the provider keys
  and ``metadata``;
* consistency group: ``id``, ``name`` (as given; Cinder names groups by
  their display name), ``status``, ``host``, ``backend``,
  ``volume_type_id``, ``cgsnapshot_id``, ``source_cgid``, the provider
  keys;
* group snapshot: ``id``, ``name``, ``status``, ``consistencygroup_id``,
  ``consistencygroup`` (the group's view), the provider keys.

Each kind is a subclass of ``DriverView`` so that a compat layer can tell
them apart (``isinstance(view, cinder.objects.Volume)``).
"""

from oslo_config import cfg

from storagemgr.backend import process_registry
from storagemgr.db import api as db_api
from storagemgr.db.models import volume as models
from storagemgr import driver_view
from storagemgr.i18n import _

view_opts = [
    cfg.StrOpt('volume_name_template', default='volume-%s',
               help=_('Template of the name volume drivers see for a '
                      'volume (its "name" key), filled with the volume '
                      'id, as Cinder names volumes on their backend.')),
    cfg.StrOpt('snapshot_name_template', default='snapshot-%s',
               help=_('Template of the name volume drivers see for a '
                      'snapshot, filled with the snapshot id.')),
]

CONF = cfg.CONF
CONF.register_opts(view_opts)

# Passed for ``group``/``volume`` to mean "look it up by id".
_LOOK_UP = object()


# A volume's attach status as Cinder names it, from the volume's status
# (attaching to this host is the only attachment storagemgr makes).
_ATTACH_STATUS = {'attaching': 'attaching', 'in-use': 'attached',
                  'detaching': 'detaching'}


def list_opts():
    return [('DEFAULT', view_opts)]


class VolumeView(driver_view.DriverView):
    """A volume, as a volume driver sees it."""

    __slots__ = ()


class SnapshotView(driver_view.DriverView):
    """A volume snapshot, as a volume driver sees it."""

    __slots__ = ()


class GroupView(driver_view.DriverView):
    """A consistency group, as a volume driver sees it."""

    __slots__ = ()


class CGSnapshotView(driver_view.DriverView):
    """A consistency group snapshot, as a volume driver sees it."""

    __slots__ = ()


def _name(template, resource_id):
    try:
        return template % resource_id
    except (TypeError, ValueError):
        # A template without exactly one %s: say which option is wrong
        # rather than fail deep in a driver.
        raise ValueError('name template %r must contain one %%s' % template)


def host_of(backend_name):
    """``host@backend#pool`` of a backend (the pool is the backend)."""
    try:
        host = process_registry.get_registry().lookup(backend_name).host
    except Exception:  # an unknown or broken backend still has a host
        host = CONF.host
    return '%s@%s#%s' % (host, backend_name, backend_name)


def _provider(row):
    values = {key: getattr(row, attribute, None) for key, attribute in
              models.PROVIDER_ATTRIBUTES.items()}
    values['metadata'] = dict(values['metadata'] or {})
    return values


def _get(model, row_id):
    if not row_id:
        return None
    return db_api.get_by(model, id=row_id)


def volume_view(row, group=_LOOK_UP, **override):
    """The view of volume ``row``.

    :param group: the row of its consistency group, or None for none;
        looked up from ``consistencygroup_id`` when not given.
    :param override: keys whose value the driver must see instead of the
        row's (a volume being added to a group is not yet a member).
    """
    values = _volume_values(row)
    values.update(override)
    if group is _LOOK_UP:
        group = _get(models.ConsistencyGroup, values['consistencygroup_id'])
    return _volume_view(values, group_view(group) if group is not None
                        else None)


def _volume_values(row):
    values = _provider(row)
    values.update({
        'id': row.id,
        'name': _name(CONF.volume_name_template, row.id),
        'display_name': row.name,
        'display_description': None,
        'size': row.size,
        'status': row.status,
        'backend': row.backend,
        'host': host_of(row.backend),
        'volume_type_id': None,
        'volume_type': None,
        'consistencygroup_id': row.consistencygroup_id,
        'snapshot_id': row.snapshot_id,
        'source_volid': row.source_volid,
        'attach_status': _ATTACH_STATUS.get(row.status, 'detached'),
        'multiattach': False,
        'admin_metadata': {},
    })
    return values


def _volume_view(values, group):
    """The view of a volume's ``values``, ``group`` its group's view."""
    values['consistencygroup'] = group
    values['volume_metadata'] = [{'key': k, 'value': v}
                                 for k, v in values['metadata'].items()]
    values['volume_admin_metadata'] = [
        {'key': k, 'value': v} for k, v in values['admin_metadata'].items()]
    return VolumeView(values)


def _copy(value):
    """A deep copy of a view that keeps each nested view's kind."""
    if isinstance(value, driver_view.DriverView):
        # Filled past DriverView.__init__: every value is wrapped already.
        copied = type(value)()
        for key, item in value.items():
            dict.__setitem__(copied, key, _copy(item) if isinstance(
                item, (dict, list)) else item)
        return copied
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


class SharedViews(object):
    """The group and group snapshot views that many member views hold.

    Each is built once from its row, and each member gets a copy of its
    own (a driver changing what one member holds changes no other).

    :param groups: ``{id: row}`` of every group the members need (an id
        missing from it means no group); without it each group is looked
        up by id, once.
    """

    def __init__(self, groups=None):
        self._groups = groups
        self._built = {}

    def _once(self, key, build):
        if key not in self._built:
            self._built[key] = build()
        view = self._built[key]
        return _copy(view) if view is not None else None

    def group(self, group_id):
        """A copy of the view of group ``group_id``, or None."""
        if not group_id:
            return None
        if self._groups is None:
            row = _get(models.ConsistencyGroup, group_id)
        else:
            row = self._groups.get(group_id)
        return self._once(('group', group_id),
                          lambda: group_view(row) if row is not None
                          else None)

    def cgsnapshot(self, row):
        """A copy of the view of group snapshot ``row``."""
        return self._once(('cgsnapshot', row.id), lambda: _cgsnapshot_view(
            row, self.group(row.consistencygroup_id)))


def snapshot_view(row, volume=_LOOK_UP, cgsnapshot=_LOOK_UP, shared=None):
    """The view of snapshot ``row``.

    :param volume: the row of its volume (looked up when not given).
    :param cgsnapshot: the row of its group snapshot, or None (looked up
        from ``cgsnapshot_id`` when not given).
    :param shared: the ``SharedViews`` of a caller viewing many
        snapshots, which builds each group's view once; without it the
        groups are looked up.
    """
    if volume is _LOOK_UP:
        volume = _get(models.Volume, row.volume_id)
    if cgsnapshot is _LOOK_UP:
        cgsnapshot = _get(models.CGSnapshot, row.cgsnapshot_id)
    if shared is None:
        shared = SharedViews()
    values = _provider(row)
    values.update({
        'id': row.id,
        'name': _name(CONF.snapshot_name_template, row.id),
        'display_name': row.name,
        'display_description': None,
        'status': row.status,
        'volume_id': row.volume_id,
        'size': row.size,
        'volume_size': volume.size if volume is not None else row.size,
        'volume': (_volume_view(_volume_values(volume), shared.group(
            volume.consistencygroup_id)) if volume is not None else None),
        'volume_name': (_name(CONF.volume_name_template, row.volume_id)),
        'volume_type_id': None,
        'cgsnapshot_id': row.cgsnapshot_id,
        'cgsnapshot': (shared.cgsnapshot(cgsnapshot)
                       if cgsnapshot is not None else None),
        'group_snapshot_id': None,
        'progress': '100%' if row.status == 'available' else '0%',
    })
    return SnapshotView(values)


def group_view(row):
    """The view of consistency group ``row``."""
    values = _provider(row)
    values.update({
        'id': row.id,
        'name': row.name,
        'description': None,
        'status': row.status,
        'backend': row.backend,
        'host': host_of(row.backend),
        'volume_type_id': None,
        'cgsnapshot_id': row.cgsnapshot_id,
        'source_cgid': row.source_cgid,
    })
    return GroupView(values)


def cgsnapshot_view(row, group=_LOOK_UP):
    """The view of group snapshot ``row`` (with its group's view)."""
    if group is _LOOK_UP:
        group = _get(models.ConsistencyGroup, row.consistencygroup_id)
    return _cgsnapshot_view(row, group_view(group) if group is not None
                            else None)


def _cgsnapshot_view(row, group):
    """The view of group snapshot ``row``, ``group`` its group's view."""
    values = _provider(row)
    values.update({
        'id': row.id,
        'name': row.name,
        'description': None,
        'status': row.status,
        'consistencygroup_id': row.consistencygroup_id,
        'consistencygroup': group,
        'group_id': None,
    })
    return CGSnapshotView(values)
