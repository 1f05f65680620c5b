"""The local share driver with crash points inside share replication.

Loaded by dotted path from ``test_share_replication_crash``'s
configuration. Besides the engine's points (the claim, the saved flow,
each task's states), these kill an operation half-way through a driver
call:

* ``sync:one file written``: the incremental tree sync
  (``storagemgr.data.sync``: a replica's
  first copy, a resync, a promotion's last sync) wrote the first file it
  had to write and has more to do;
* ``driver:replica created`` / ``driver:replica deleted`` /
  ``driver:promoted``: the replica's data and its backend's state file
  are done, the database does not know yet;
* ``driver:replicated snapshot created`` / ``... deleted`` /
  ``driver:reverted``: the same for the replicated snapshot calls.

One point per driver call, not one per helper: the harness kills every
operation at every point, and CI runs the whole family.

Each ``update_replica_state`` that returns is also logged (``SYNC_LOG``
in the state directory: the replica and whether a ``manager`` process
made the call), so a check can tell a resync that ran from the
manager's periodic poll, which makes the same call.

Every point is a no-op unless the crash hooks' environment asks for it
(``storagemgr.flows.engine.checkpoint``).
"""

import functools
import os
import sys

from oslo_config import cfg

from storagemgr.data import sync
from storagemgr.flows import engine
from storagemgr.share.drivers import local


SYNC_LOG = 'replica-state-updates'


def log_update(replica_id):
    caller = 'manager' if 'manager' in sys.argv[1:] else 'cli'
    with open(os.path.join(cfg.CONF.state_path, SYNC_LOG), 'a') as f:
        f.write('%s %s\n' % (caller, replica_id))


def read_updates(state_path):
    """``[(caller, replica id)]`` of the calls logged under state_path."""
    path = os.path.join(state_path, SYNC_LOG)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [tuple(line.split()) for line in f if line.strip()]


def trace_sync():
    """Checkpoint once a process, after the first file a sync wrote."""
    tree_sync = sync.TreeSync
    original = tree_sync._sync_file
    if getattr(original, 'replication_traced', False):
        return
    passed = []

    @functools.wraps(original)
    def wrapper(self, rel, st, started_ns):
        before = self.result.files_copied + self.result.files_updated
        original(self, rel, st, started_ns)
        wrote = self.result.files_copied + self.result.files_updated
        if wrote > before and not passed:
            passed.append(rel)
            engine.checkpoint('sync:one file written')

    wrapper.replication_traced = True
    tree_sync._sync_file = wrapper


class TracedLocalShareDriver(local.LocalShareDriver):

    def do_setup(self, context):
        super().do_setup(context)
        trace_sync()

    def create_replica(self, *args, **kwargs):
        answer = super().create_replica(*args, **kwargs)
        engine.checkpoint('driver:replica created')
        return answer

    def delete_replica(self, *args, **kwargs):
        super().delete_replica(*args, **kwargs)
        engine.checkpoint('driver:replica deleted')

    def update_replica_state(self, context, replica_list, replica, *args,
                             **kwargs):
        answer = super().update_replica_state(context, replica_list,
                                              replica, *args, **kwargs)
        log_update(replica['id'])
        return answer

    def promote_replica(self, *args, **kwargs):
        answer = super().promote_replica(*args, **kwargs)
        engine.checkpoint('driver:promoted')
        return answer

    def create_replicated_snapshot(self, *args, **kwargs):
        answer = super().create_replicated_snapshot(*args, **kwargs)
        engine.checkpoint('driver:replicated snapshot created')
        return answer

    def delete_replicated_snapshot(self, *args, **kwargs):
        answer = super().delete_replicated_snapshot(*args, **kwargs)
        engine.checkpoint('driver:replicated snapshot deleted')
        return answer

    def revert_to_replicated_snapshot(self, *args, **kwargs):
        answer = super().revert_to_replicated_snapshot(*args, **kwargs)
        engine.checkpoint('driver:reverted')
        return answer
