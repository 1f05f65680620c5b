"""The local share driver with crash points inside share migration.

Loaded by dotted path from ``test_share_migration_crash``'s
configuration. The harness kills at the engine's points (the claim, the
saved flow, each task's states); these points (``driver:...`` and
``copy:...``) also kill a migration half-way through a driver call or a
copy:

* ``driver:share created`` / ``driver:share removed``: a host-assisted
  destination made (or a share removed) on the backend, not yet recorded;
* ``driver:migration recorded``: ``migration_start`` wrote its record in
  the source backend's state file, the task state does not say so yet;
* ``driver:renamed``: ``migration_complete`` (or its undo) moved a
  directory, the state files do not say so yet;
* ``driver:migration completed`` / ``driver:migration cancelled``: the
  driver call returned, the flow has not recorded it;
* ``copy:file done, not journaled`` / ``copy:file journaled``: the data
  copy service finished a file (copied, verified), before and after its
  journal line (the first file of a copy: the rest are still to come).

Every point is a no-op unless the crash hooks' environment asks for it
(``storagemgr.flows.engine.checkpoint``).
"""

import functools

from storagemgr.data import journal
from storagemgr.flows import engine
from storagemgr.share.drivers import local
from storagemgr.share.drivers import local_migration


def _traced(module, name, before=None, after=None):
    """Wrap ``module.name`` (once a process) with checkpoints around it."""
    original = getattr(module, name)
    if getattr(original, 'migration_traced', False):
        return

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        if before:
            engine.checkpoint(before)
        result = original(*args, **kwargs)
        if after:
            engine.checkpoint(after)
        return result

    wrapper.migration_traced = True
    setattr(module, name, wrapper)


def trace_copies_and_renames():
    # The driver module calls _rename by its global name, and the copy
    # calls Journal.append as a method: both see the wrappers.
    _traced(local_migration, '_rename', after='driver:renamed')
    _traced(journal.Journal, 'append',
            before='copy:file done, not journaled',
            after='copy:file journaled')


class TracedLocalShareDriver(local.LocalShareDriver):

    def do_setup(self, context):
        super().do_setup(context)
        trace_copies_and_renames()

    def create_share(self, context, share, share_server=None):
        locations = super().create_share(context, share, share_server)
        engine.checkpoint('driver:share created')
        return locations

    def delete_share(self, context, share, share_server=None):
        super().delete_share(context, share, share_server)
        engine.checkpoint('driver:share removed')

    def migration_start(self, *args, **kwargs):
        super().migration_start(*args, **kwargs)
        engine.checkpoint('driver:migration recorded')

    def migration_complete(self, *args, **kwargs):
        answer = super().migration_complete(*args, **kwargs)
        engine.checkpoint('driver:migration completed')
        return answer

    def migration_cancel(self, *args, **kwargs):
        super().migration_cancel(*args, **kwargs)
        engine.checkpoint('driver:migration cancelled')
