"""Loading, running and resuming persisted taskflow flows.

Every operation runs through ``run_flow``. The flow is built by a
module-level factory function, whose name taskflow records with the flow,
so a flow left unfinished by a dead process can be rebuilt and resumed by
``resume_unfinished_flows``. The store must be JSON-serialisable: pass ids
and plain values, never database rows or driver objects.

While a flow runs, its owner holds a lock named after the flow's logbook.
The lock dies with the process, so "unfinished and unlocked" means "its
owner is gone", and exactly one resumer can take it over.
"""

import os
import time

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils
from taskflow import engines
from taskflow import exceptions as tf_exc
from taskflow.persistence import models as tf_models
from taskflow import states

from storagemgr import coordination
from storagemgr.flows import persistence

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

FINISHED_STATES = frozenset([states.SUCCESS, states.REVERTED,
                             states.FAILURE])

# Logbooks this process is running now. A lock held by this process does
# not stop this process from taking it again, so the resumer must also
# skip its own flows.
_RUNNING_HERE = set()


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


def run_flow(flow_factory, store=None, factory_args=(), factory_kwargs=None,
             resource=None, engine_conf=None):
    """Build a flow with ``flow_factory``, persist it, run it, forget it.

    :param flow_factory: a module-level function returning the flow.
    :param store: initial values for the tasks' ``requires``.
    :param resource: free-form dict saved with the flow (for operators
        looking at unfinished flows), for example ``{'share': id}``.
    :returns: the engine, whose storage holds the tasks' results.
    :raises: whatever the failing task raised, after the flow reverted.
    """
    backend = persistence.get_backend()
    name = getattr(flow_factory, '__name__', 'flow')
    book = _new_book(name, resource or {})
    lock = coordination.get_lock(_lock_name(book.uuid))
    with lock:
        _RUNNING_HERE.add(book.uuid)
        engine = engines.load_from_factory(
            flow_factory, factory_args=factory_args,
            factory_kwargs=factory_kwargs, store=store or {},
            book=book, backend=backend, engine=engine_conf or 'serial')
        try:
            engine.run()
        finally:
            # Finished either way (success, or reverted with the error
            # raised to the caller): nothing left to resume.
            _RUNNING_HERE.discard(book.uuid)
            if engine.storage.get_flow_state() in FINISHED_STATES:
                _forget(backend, book.uuid)
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

    :param min_age: skip flows younger than this many seconds; a flow
        whose owner is between saving it and taking its lock looks
        unowned for an instant.
    :returns: ``[(flow_name, final_state, error or None)]``.
    """
    backend = persistence.get_backend()
    results = []
    for book, flow_detail in find_unfinished_flows():
        if book.uuid in _RUNNING_HERE or (min_age and _age(book) < min_age):
            continue
        lock = coordination.get_lock(_lock_name(book.uuid))
        if not lock.acquire(blocking=False):
            continue  # its owner is alive and still running it
        try:
            results.append(_resume(backend, book, flow_detail))
        finally:
            lock.release()
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
        return (flow_detail.name, 'GONE', None)
    if flow_detail.state in FINISHED_STATES:
        _forget(backend, book.uuid)
        return (flow_detail.name, flow_detail.state, None)
    LOG.warning('Resuming flow %(flow)s (%(resource)s) left unfinished by '
                'process %(pid)s on %(host)s.',
                {'flow': flow_detail.name,
                 'resource': (book.meta or {}).get('resource'),
                 'pid': (book.meta or {}).get('pid'),
                 'host': (book.meta or {}).get('host')})
    error = None
    started = time.monotonic()
    try:
        engine = engines.load_from_detail(flow_detail, backend=backend,
                                          engine='serial')
        engine.run()
    except Exception as e:
        error = e
        LOG.warning('Resumed flow %(flow)s failed and was reverted: '
                    '%(error)s', {'flow': flow_detail.name, 'error': e})
    state = backend.get_connection().get_flow_details(flow_detail.uuid).state
    if state in FINISHED_STATES:
        _forget(backend, book.uuid)
    LOG.info('Flow %(flow)s resumed to %(state)s in %(secs).2fs.',
             {'flow': flow_detail.name, 'state': state,
              'secs': time.monotonic() - started})
    return (flow_detail.name, state, error)
