"""Migration task states and the transitions between them.

A share's ``task_state`` says where its migration is; the share's instances
say where the data is (the source ``migrating``, the destination
``migrating_to``). ``TRANSITIONS`` is the state machine: each state a
migration step moves the share to, and the states it may move from. Every
move is one conditional update guarded by that row (see
``storagemgr.share_migration.records.advance``), so two callers never both
take a step and a step never runs from a state it does not expect.
doc/source/admin/share-migration-rules.rst gives the table, one row per
transition; tests/unit/share_migration/test_transitions.py checks each.
"""

STARTING = 'migration_starting'
IN_PROGRESS = 'migration_in_progress'
DRIVER_STARTING = 'migration_driver_starting'
DRIVER_IN_PROGRESS = 'migration_driver_in_progress'
DRIVER_PHASE1_DONE = 'migration_driver_phase1_done'
COPY_STARTING = 'data_copying_starting'
COPY_IN_PROGRESS = 'data_copying_in_progress'
COPY_COMPLETING = 'data_copying_completing'
COPY_COMPLETED = 'data_copying_completed'
COMPLETING = 'migration_completing'
SUCCESS = 'migration_success'
ERROR = 'migration_error'
CANCELLED = 'migration_cancelled'
CANCEL_IN_PROGRESS = 'migration_cancel_in_progress'

ALL_STATES = (
    STARTING, IN_PROGRESS, DRIVER_STARTING, DRIVER_IN_PROGRESS,
    DRIVER_PHASE1_DONE, COPY_STARTING, COPY_IN_PROGRESS, COPY_COMPLETING,
    COPY_COMPLETED, COMPLETING, SUCCESS, ERROR, CANCELLED,
    CANCEL_IN_PROGRESS)

# A share with no migration, or whose last one ended, may start one.
# (None: never migrated.)
FINAL_STATES = (SUCCESS, ERROR, CANCELLED)
STARTABLE_FROM = (None,) + FINAL_STATES

# Phase 1 is over: the user may complete (or cancel).
PHASE1_DONE_STATES = (DRIVER_PHASE1_DONE, COPY_COMPLETED)

# A copy running in some process.
COPYING_STATES = (COPY_STARTING, COPY_IN_PROGRESS)

# A start flow runs in some process: a cancel asks it to stop (its next
# step sees the cancel and it unwinds itself).
RUNNING_STATES = (STARTING, IN_PROGRESS, DRIVER_STARTING) + COPYING_STATES

# Cancel is refused once completion began (the source may be gone).
CANCELLABLE_STATES = (DRIVER_IN_PROGRESS,) + PHASE1_DONE_STATES + \
    RUNNING_STATES

# States in which a migration is under way: the share takes no other
# operation, and a second start is refused.
BUSY_STATES = tuple(s for s in ALL_STATES if s not in FINAL_STATES)

METHOD_DRIVER = 'driver'
METHOD_HOST = 'host'

# to-state -> the from-states it may be reached from.
TRANSITIONS = {
    STARTING: STARTABLE_FROM,
    IN_PROGRESS: (STARTING,),
    DRIVER_STARTING: (STARTING,),
    DRIVER_IN_PROGRESS: (DRIVER_STARTING,),
    DRIVER_PHASE1_DONE: (DRIVER_IN_PROGRESS,),
    COPY_STARTING: (IN_PROGRESS,),
    COPY_IN_PROGRESS: (COPY_STARTING,),
    COPY_COMPLETING: (COPY_IN_PROGRESS,),
    COPY_COMPLETED: (COPY_COMPLETING,),
    COMPLETING: PHASE1_DONE_STATES,
    SUCCESS: (COMPLETING,),
    CANCEL_IN_PROGRESS: CANCELLABLE_STATES,
    CANCELLED: (CANCEL_IN_PROGRESS,),
    ERROR: (STARTING, IN_PROGRESS, DRIVER_STARTING, DRIVER_IN_PROGRESS,
            COPY_STARTING, COPY_IN_PROGRESS, COPY_COMPLETING,
            COMPLETING, CANCEL_IN_PROGRESS),
}

# Phase 1's states in order, per method (records.walk_to follows them).
DRIVER_PHASE1 = (STARTING, DRIVER_STARTING, DRIVER_IN_PROGRESS,
                 DRIVER_PHASE1_DONE)
HOST_PHASE1 = (STARTING, IN_PROGRESS, COPY_STARTING, COPY_IN_PROGRESS,
               COPY_COMPLETING, COPY_COMPLETED)

# The total_progress of a state with nothing to ask (as the reference
# reports it): nothing moved yet, or everything that will.
PROGRESS_ZERO = (STARTING, IN_PROGRESS, DRIVER_STARTING, COPY_STARTING)
PROGRESS_FULL = (DRIVER_PHASE1_DONE, COPY_COMPLETING, COPY_COMPLETED,
                 COMPLETING, SUCCESS, ERROR, CANCELLED, CANCEL_IN_PROGRESS)
