"""The manager service: sets up every backend and runs periodic tasks."""

import threading
import time

from oslo_log import log as logging

from storagemgr.backend import process_registry
from storagemgr.backend import registry as backend_registry
from storagemgr import context as sm_context
from storagemgr.flows import engine as flow_engine
from storagemgr.service import periodic

LOG = logging.getLogger(__name__)


class Manager(object):
    """Runs the periodic tasks of every area over the configured backends.

    ``run(once=True)`` runs each task a single time, in order, and returns;
    tests and scripts use it to be deterministic.
    """

    def __init__(self, registry=None, clock=time.monotonic):
        self.registry = registry or backend_registry.BackendRegistry()
        # Flows resumed or run by this process use the same drivers.
        process_registry.use_registry(self.registry)
        self.context = sm_context.get_admin_context()
        self.stop_event = threading.Event()
        self._clock = clock
        self._last_run = {}
        self.failures = {}

    def start(self):
        """Resume what a dead process left, before anything else runs.

        Backends are set up lazily by whatever needs them first; the stats
        task (the first periodic task) sets up the rest.
        """
        for name, state, error in flow_engine.resume_unfinished_flows():
            LOG.info('Resumed flow %(name)s: %(state)s%(error)s',
                     {'name': name, 'state': state,
                      'error': ' (%s)' % error if error else ''})

    def run_due_tasks(self, force=False):
        """Run every task whose spacing has passed; return how many ran."""
        ran = 0
        for task in periodic.all_tasks():
            if self.stop_event.is_set():
                break
            now = self._clock()
            last = self._last_run.get(task.name)
            if not force and last is not None and now - last < task.spacing():
                continue
            self._last_run[task.name] = now
            ran += 1
            try:
                task.func(self)
                self.failures.pop(task.name, None)
            except Exception as e:
                # One failing task must not stop the others or the loop.
                self.failures[task.name] = '%s: %s' % (type(e).__name__, e)
                LOG.exception('Periodic task %s failed', task.name)
        return ran

    def run(self, once=False, tick=1.0):
        self.start()
        if once:
            self.run_due_tasks()
            self.stop()
            return
        while not self.stop_event.is_set():
            self.run_due_tasks()
            self.stop_event.wait(tick)
        self.stop()

    def stop(self):
        self.stop_event.set()
        for hook in _STOP_HOOKS:
            try:
                hook(self)
            except Exception:
                LOG.exception('Stop hook %s failed', hook)


_STOP_HOOKS = []


def on_stop(func):
    """Register ``func(manager)`` to run when the manager stops."""
    _STOP_HOOKS.append(func)
    return func
