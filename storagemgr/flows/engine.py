"""Loading, running and resuming persisted taskflow flows.

Every operation runs through ``run_flow``. The flow is built by a
module-level factory function, whose name taskflow records with the flow,
so a flow left unfinished by a dead process can be rebuilt and resumed by
``resume_unfinished_flows``. The store must be JSON-serialisable: pass ids
and plain values, never database rows or driver objects.

The operation's state transition (its *claim*) and the saved flow are one
commit: a process that dies before it leaves neither, one that dies after
it leaves a flow that finishes or reverts the claimed resource. There is
no window in which a resource is claimed and nothing will ever move it on.

While a flow runs, its owner holds a lock named after the flow's logbook,
taken before the flow is saved. The lock dies with the process, so
"unfinished and unlocked" means "its owner is gone", and exactly one
resumer can take it over.

A flow is finished when it succeeded or reverted. A flow whose revert
itself failed (it could not record the outcome, say) is kept, with the
failed reverts armed to run again, so a resumer retries them.
"""

import os
import signal
import time

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils
from taskflow import atom as tf_atom
from taskflow import engines
from taskflow import exceptions as tf_exc
from taskflow.persistence import models as tf_models
from taskflow import states

from storagemgr import coordination
from storagemgr.db import session as db_session
from storagemgr.flows import persistence

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

FINISHED_STATES = frozenset([states.SUCCESS, states.REVERTED])

# Logbooks this process is running now. A lock held by this process does
# not stop this process from taking it again, so the resumer must also
# skip its own flows.
_RUNNING_HERE = set()

# Crash-test hooks (functional tests only): the process kills itself with
# SIGKILL when it reaches the named point, and appends every point it
# passes to the trace file, so a harness can enumerate the points of a
# flow with one traced run and then crash at each in turn.
CRASH_AT_ENV = 'STORAGEMGR_TEST_CRASH_AT'
TRACE_ENV = 'STORAGEMGR_TEST_TRACE_FILE'


def checkpoint(point):
    """Mark a crash-test point; a no-op unless a test asked for one."""
    trace = os.environ.get(TRACE_ENV)
    if trace:
        with open(trace, 'a') as f:
            f.write(point + '\n')
    if os.environ.get(CRASH_AT_ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)


def _watch_atoms(engine):
    if not (os.environ.get(CRASH_AT_ENV) or os.environ.get(TRACE_ENV)):
        return

    def on_atom_state(state, details):
        # Task names are "module.Class[;addons]"; points use the class.
        name = details.get('task_name') or details.get('retry_name') or ''
        checkpoint('%s:%s' % (state, name.split(';')[0].rsplit('.', 1)[-1]))

    engine.atom_notifier.register('*', on_atom_state)


def _lock_name(book_uuid):
    return 'flow-' + book_uuid


def _new_book(name, resource):
    book = tf_models.LogBook(name)
    book.meta = {
        'host': CONF.host,
        'pid': os.getpid(),
        'resource': resource,
        'started_at': timeutils.utcnow().isoformat(),
    }
    return book


def _forget(backend, book_uuid):
    try:
        backend.get_connection().destroy_logbook(book_uuid)
    except tf_exc.NotFound:
        pass


def _claim_and_save(backend, book, flow_factory, store, claim, load_args):
    """Make the claim and save the new flow in one transaction."""
    store = dict(store or {})
    with backend.unit_of_work() as connection:
        checkpoint('claiming')
        if claim is not None:
            with db_session.session_on(connection) as session:
                store.update(claim(session) or {})
        checkpoint('claimed')
        engine = engines.load_from_factory(
            flow_factory, store=store, book=book, backend=backend,
            **load_args)
    checkpoint('saved')
    return engine


def _settle(backend, engine, book_uuid):
    """Forget a finished flow or leave it resumable; True if forgotten."""
    try:
        state = engine.storage.get_flow_state()
        if state in FINISHED_STATES:
            _forget(backend, book_uuid)
            return True
        if state == states.FAILURE:
            _rearm_failed_reverts(engine)
    except Exception:
        # The error that brought us here matters more; a resumer will
        # find the flow in whatever state the database holds.
        LOG.exception('Could not settle flow %s', book_uuid)
    return False


def _rearm_failed_reverts(engine):
    # REVERT_FAILURE is final to taskflow; put those atoms back to
    # REVERTING, which a resuming engine runs again.
    storage = engine.storage
    for node in engine.compilation.execution_graph.nodes:
        if not isinstance(node, tf_atom.Atom):
            continue  # the graph also holds the flows themselves
        name = node.name
        if storage.get_atom_state(name) == states.REVERT_FAILURE:
            storage.set_atom_state(name, states.REVERTING)
            LOG.warning('Revert of %s failed; the flow is kept so that it '
                        'is retried.', name)


def run_flow(flow_factory, store=None, factory_args=(), factory_kwargs=None,
             resource=None, engine_conf=None, claim=None):
    """Claim, build and persist a flow in one commit, run it, forget it.

    :param flow_factory: a module-level function returning the flow.
    :param store: initial values for the tasks' ``requires``.
    :param resource: free-form dict saved with the flow (for operators
        looking at unfinished flows), for example ``{'share': id}``.
    :param claim: ``claim(session)``, run in the transaction that saves
        the flow: it makes the operation's state transition (conditional
        updates, inserts) and may return values to add to the store. If it
        raises, nothing is saved, nothing runs, and the error propagates.
    :returns: the engine, whose storage holds the tasks' results.
    :raises: whatever the failing task raised, after the flow reverted.
    """
    backend = persistence.get_backend()
    name = getattr(flow_factory, '__name__', 'flow')
    book = _new_book(name, resource or {})
    lock_name = _lock_name(book.uuid)
    forgotten = False
    with coordination.get_lock(lock_name):
        _RUNNING_HERE.add(book.uuid)
        try:
            try:
                engine = _claim_and_save(
                    backend, book, flow_factory, store, claim,
                    {'factory_args': factory_args,
                     'factory_kwargs': factory_kwargs,
                     'engine': engine_conf or 'serial'})
            except BaseException:
                forgotten = True  # refused or rolled back: no flow exists
                raise
            _watch_atoms(engine)
            try:
                engine.run()
            finally:
                forgotten = _settle(backend, engine, book.uuid)
        finally:
            _RUNNING_HERE.discard(book.uuid)
            if forgotten:
                coordination.remove_lock(lock_name)
    return engine


def find_unfinished_flows():
    """Logbooks whose flow never reached a final state.

    Returns ``[(book, flow_detail)]``; includes flows whose owner is still
    running (``resume_unfinished_flows`` tells them apart by their lock).
    """
    backend = persistence.get_backend()
    found = []
    for book in backend.get_connection().get_logbooks():
        for flow_detail in book:
            if flow_detail.state not in FINISHED_STATES:
                found.append((book, flow_detail))
    return found


def resume_unfinished_flows(min_age=0.0):
    """Resume every unfinished flow whose owner has died.

    :param min_age: skip flows younger than this many seconds.
    :returns: ``[(flow_name, final_state, error or None)]``.
    """
    backend = persistence.get_backend()
    results = []
    for book, flow_detail in find_unfinished_flows():
        if book.uuid in _RUNNING_HERE or (min_age and _age(book) < min_age):
            continue
        lock_name = _lock_name(book.uuid)
        lock = coordination.get_lock(lock_name)
        if not lock.acquire(blocking=False):
            continue  # its owner is alive and still running it
        forgotten = False
        try:
            result, forgotten = _resume(backend, book, flow_detail)
            results.append(result)
        finally:
            lock.release()
            if forgotten:
                coordination.remove_lock(lock_name)
    return results


def _age(book):
    started = (book.meta or {}).get('started_at')
    if not started:
        return float('inf')
    try:
        return timeutils.delta_seconds(
            timeutils.parse_isotime(started).replace(tzinfo=None),
            timeutils.utcnow())
    except ValueError:
        return float('inf')


def _resume(backend, book, flow_detail):
    # Reload: the owner may have finished and forgotten it meanwhile.
    try:
        flow_detail = backend.get_connection().get_flow_details(
            flow_detail.uuid)
    except tf_exc.NotFound:
        return (flow_detail.name, 'GONE', None), True
    if flow_detail.state in FINISHED_STATES:
        _forget(backend, book.uuid)
        return (flow_detail.name, flow_detail.state, None), True
    LOG.warning('Resuming flow %(flow)s (%(resource)s) left unfinished by '
                'process %(pid)s on %(host)s.',
                {'flow': flow_detail.name,
                 'resource': (book.meta or {}).get('resource'),
                 'pid': (book.meta or {}).get('pid'),
                 'host': (book.meta or {}).get('host')})
    error = None
    started = time.monotonic()
    engine = engines.load_from_detail(flow_detail, backend=backend,
                                      engine='serial')
    _watch_atoms(engine)
    _RUNNING_HERE.add(book.uuid)
    try:
        engine.run()
    except Exception as e:
        error = e
        LOG.warning('Resumed flow %(flow)s failed: %(error)s',
                    {'flow': flow_detail.name, 'error': e})
    finally:
        _RUNNING_HERE.discard(book.uuid)
        forgotten = _settle(backend, engine, book.uuid)
    state = engine.storage.get_flow_state()
    LOG.info('Flow %(flow)s resumed to %(state)s in %(secs).2fs.',
             {'flow': flow_detail.name, 'state': state,
              'secs': time.monotonic() - started})
    return (flow_detail.name, state, error), forgotten
