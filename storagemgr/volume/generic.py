"""Consistency groups for drivers without native group methods.

When a ``ConsistencyGroupDriver`` method raises NotImplementedError the
manager does the work member by member with the plain volume methods, as
the reference manager does, and gets back the same shape of return a
native driver gives, so ``group_updates`` applies both the same way.

Members are independent, so they are handled in parallel by the shared
member pool (``storagemgr.fanout``; a backend's ``group_member_workers``
caps one operation): a group snapshot of 100 volumes takes a few member
latencies, not a hundred.
"""

import inspect

from oslo_log import log as logging

from storagemgr import fanout
from storagemgr.volume import constants as c

LOG = logging.getLogger(__name__)


# (driver, func, members) -> [(member, result, error)], members in order.
run_per_member = fanout.run_for_driver


def _entry(member, update, status):
    entry = dict(update or {})
    entry.pop('id', None)
    entry['id'] = member['id']
    entry.setdefault('status', status)
    return entry


def create_group(driver, context, group):
    return {'status': c.GROUP_AVAILABLE}


def create_group_from_src(driver, context, group, volumes, cgsnapshot=None,
                          snapshots=None, source_cg=None, source_vols=None):
    """Each volume from its snapshot or source volume (same order)."""
    from_snapshots = snapshots is not None
    sources = {volume['id']: source for volume, source in
               zip(volumes, snapshots if from_snapshots else source_vols)}

    def _create(volume):
        if from_snapshots:
            return driver.create_volume_from_snapshot(
                volume, sources[volume['id']])
        return driver.create_cloned_volume(volume, sources[volume['id']])

    model_update = {'status': c.GROUP_AVAILABLE}
    entries = []
    for member, update, error in run_per_member(driver, _create, volumes):
        if error is not None:
            model_update['status'] = c.GROUP_ERROR
            entries.append({'id': member['id'], 'status': c.VOLUME_ERROR})
        else:
            entries.append(_entry(member, update, c.VOLUME_AVAILABLE))
    return model_update, entries


def delete_group(driver, context, group, volumes):
    model_update = {'status': group['status']}
    entries = []
    for member, _r, error in run_per_member(driver, driver.delete_volume,
                                            volumes):
        if error is not None:
            model_update['status'] = c.GROUP_ERROR
            entries.append({'id': member['id'], 'status': c.VOLUME_ERROR})
        else:
            entries.append({'id': member['id'], 'status': 'deleted'})
    return model_update, entries


def update_group(driver, context, group, add_volumes=None,
                 remove_volumes=None):
    """Membership lives in the database only."""
    return None, None, None


def create_group_snapshot(driver, context, cgsnapshot, snapshots):
    """Every member in parallel; one failure undoes the members taken.

    A group snapshot with a missing member is not consistent with
    anything, so the members already taken are deleted again and every
    member is reported ``error`` (the reference leaves the taken ones
    ``available``).
    """
    results = run_per_member(driver, driver.create_snapshot, snapshots)
    failed = [member for member, _r, error in results if error is not None]
    if not failed:
        return ({'status': c.GROUP_AVAILABLE},
                [_entry(member, update, c.SNAPSHOT_AVAILABLE)
                 for member, update, _e in results])
    taken = [member for member, _r, error in results if error is None]
    for member, _r, error in run_per_member(driver, driver.delete_snapshot,
                                            taken):
        if error is not None:
            LOG.error('Could not clean up snapshot %(id)s of a failed '
                      'group snapshot: %(error)s',
                      {'id': member['id'], 'error': error})
    return ({'status': c.GROUP_ERROR},
            [{'id': member['id'], 'status': c.SNAPSHOT_ERROR}
             for member, _r, _e in results])


def delete_group_snapshot(driver, context, cgsnapshot, snapshots):
    model_update = {'status': cgsnapshot['status']}
    entries = []
    for member, _r, error in run_per_member(driver, driver.delete_snapshot,
                                            snapshots):
        if error is not None:
            model_update['status'] = c.GROUP_ERROR
            entries.append({'id': member['id'], 'status': c.SNAPSHOT_ERROR})
        else:
            entries.append({'id': member['id'], 'status': 'deleted'})
    return model_update, entries


_FALLBACKS = {
    'create_consistencygroup': create_group,
    'create_consistencygroup_from_src': create_group_from_src,
    'delete_consistencygroup': delete_group,
    'update_consistencygroup': update_group,
    'create_cgsnapshot': create_group_snapshot,
    'delete_cgsnapshot': delete_group_snapshot,
}


# Where Cinder passes arguments by keyword (update_consistencygroup gets
# add_volumes= and remove_volumes=), the names it uses; everything else is
# positional, in the order Cinder's volume manager passes it.
_CINDER_KEYWORDS = {
    'update_consistencygroup': ('add_volumes', 'remove_volumes'),
}


def _accepts(func, names):
    """Whether ``func`` takes every one of ``names`` by keyword."""
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    if any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
        return True
    return all(name in parameters and parameters[name].kind in (
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.KEYWORD_ONLY) for name in names)


def _call_native(native, method, context, args):
    """Call as Cinder does, so parameter names never matter.

    Arguments are positional; the trailing ones Cinder passes by keyword
    go by keyword only when the method has parameters of those names (a
    method whose names differ gets them positionally, in the same order).
    """
    names = _CINDER_KEYWORDS.get(method, ())
    if names and _accepts(native, names):
        head = args[:len(args) - len(names)]
        tail = dict(zip(names, args[len(args) - len(names):]))
        return native(context, *head, **tail)
    return native(context, *args)


def call_group_method(driver, method, context, *args):
    """The driver's native group method, or the generic one.

    ``args`` are what Cinder's volume manager passes after the context,
    in its order: ``(group,)``, ``(group, volumes, cgsnapshot, snapshots,
    source_cg, source_vols)``, ``(group, volumes)``, ``(group,
    add_volumes, remove_volumes)``, ``(cgsnapshot, snapshots)``.

    :returns: ``(driver_label, returned, error)``: the label names who did
        the work (for error messages), ``error`` is the exception raised,
        of any class, or None.
    """
    native = getattr(driver, method, None)
    label = '%s.%s' % (type(driver).__module__, type(driver).__name__)
    try:
        if native is not None:
            try:
                return label, _call_native(native, method, context,
                                           args), None
            except NotImplementedError:
                pass
        label = '%s (generic)' % label
        return label, _FALLBACKS[method](driver, context, *args), None
    except Exception as e:  # any driver exception, any class
        return label, None, e
