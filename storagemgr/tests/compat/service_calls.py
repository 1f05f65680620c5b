"""Service layer calls on the dummy, several in one configured process.

The compat tests of migration, replication and share groups call
storagemgr's service APIs rather than the CLI: a scenario sends a list of
``('service.method', args, kwargs)`` to a Python process configured
exactly as the CLI configures itself, which runs them in order. Several
calls in one process let a driver's in-memory state live across them, as
it does in Manila's long-lived share manager.

* ``script``: the text of that process, built from the table of services
  a test module calls;
* ``ServiceCalls``: the test case mixin that runs it and reads the
  database;
* ``DummyBackends``: the configuration of several backends on the dummy,
  each with its own method delays (the dummy's way of failing).
"""

import json
import os
import sqlite3
import subprocess
import sys
import textwrap

# argv: the config file, then a JSON list of [call, args, kwargs]. Prints
# a JSON list with an outcome per call: {"result": ...}, or {"error":
# class name, "message": ...} for a call storagemgr refused, which does
# not stop the next ones.
_SCRIPT = '''\
import json
import sys

from storagemgr.backend import process_registry
from storagemgr.backend import registry
from storagemgr import common_setup
from storagemgr import context
from storagemgr import exception
%(imports)s

common_setup.parse_config([], config_files=[sys.argv[1]])
common_setup.prepare_state_path()
backends = registry.BackendRegistry()
process_registry.use_registry(backends)
admin = context.get_admin_context()
%(preamble)s
services = {
%(services)s
}
outcomes = []
for call, args, kwargs in json.loads(sys.argv[2]):
    service, method = call.split('.')
    try:
        outcomes.append({'result': getattr(services[service], method)(
            *args, **kwargs)})
    except exception.StorageManagerException as e:
        outcomes.append({'error': type(e).__name__, 'message': str(e)})
print(json.dumps(outcomes, default=str))
'''

# A backend section of the dummy; ``options`` are lines of the test
# module's own (``replication_domain``...).
SECTION = ('[%(name)s]\nshare_driver = %(driver)s\n'
           'driver_handles_share_servers = False\n'
           'share_backend_name = %(name)s\n'
           '%(options)s'
           'dummy_driver_default_driver_method_delay = 0\n'
           'dummy_driver_driver_methods_delays = %(delays)s\n')


def script(services, imports=(), preamble=''):
    """The program that runs calls on ``services``, one process each run.

    :param services: ``(name, expression)`` pairs, the table a call's
        ``service`` part names; an expression may use ``backends`` (the
        process's backend registry), ``admin`` (an admin context) and
        whatever ``imports`` and ``preamble`` define.
    :param imports: import statements, one a line.
    :param preamble: code run before the table is built (a class it
        instantiates...), as it would be indented at module level.
    """
    return _SCRIPT % {
        'imports': '\n'.join(imports),
        'preamble': textwrap.dedent(preamble),
        'services': ''.join('    %r: %s,\n' % (name, expression)
                            for name, expression in services).rstrip('\n'),
    }


def host(backend):
    """The end of a host string of ``backend``'s only pool."""
    return '@%s#fake_pool_for_%s' % (backend, backend)


class ServiceCalls(object):
    """Runs ``script`` (a class attribute made by ``script()``).

    For a ``compat.base.DriverCLITestCase``: it uses the case's ``conf``,
    ``env`` and ``state_path``.
    """

    script = None

    def run_calls(self, *calls):
        """The outcome of each ``(call, args, kwargs)``, run in one process.

        An outcome is ``{'result': ...}`` or ``{'error': class name,
        'message': ...}``; a refused call does not stop the next ones.
        """
        process = subprocess.run(
            [sys.executable, '-c', self.script, self.conf,
             json.dumps([[call, list(args), kwargs]
                         for call, args, kwargs in calls])],
            capture_output=True, text=True, timeout=180, env=self.env,
            cwd=self.state_path)
        self.assertEqual(0, process.returncode, process.stderr[-3000:])
        return json.loads(process.stdout)

    def results(self, *calls):
        """What each call returned; every one must succeed."""
        outcomes = self.run_calls(*calls)
        for outcome in outcomes:
            self.assertIn('result', outcome, outcomes)
        return [outcome['result'] for outcome in outcomes]

    def api(self, call, *args, **kwargs):
        """What ``call`` ('shares.get'...) returned; it must succeed."""
        return self.results((call, args, kwargs))[0]

    def refused(self, call, *args, **kwargs):
        """``(error class name, message)`` of a call that must fail."""
        [outcome] = self.run_calls((call, args, kwargs))
        self.assertIn('error', outcome, outcome)
        return outcome['error'], outcome['message']

    def rows(self, sql, *params):
        """The rows ``sql`` selects, read from the database as it is."""
        path = os.path.join(self.state_path, 'storagemgr.sqlite')
        with sqlite3.connect('file:%s?mode=ro' % path, uri=True) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute(sql, params)]

    def rule_states(self, share_id):
        """``{instance id: [rule states]}`` of the share's rules."""
        states = {}
        for row in self.rows(
                'SELECT s.share_instance_id, s.state FROM '
                'share_instance_access_rules s JOIN share_access_rules r '
                'ON r.id = s.access_id WHERE r.share_id = ?', share_id):
            states.setdefault(row['share_instance_id'], []).append(
                row['state'])
        return states


class DummyBackends(object):
    """Writes the configuration of several backends on ``driver``.

    A subclass sets ``default`` (the configuration before the backend
    sections: ``[DEFAULT]`` naming them in ``enabled_backends``...) and
    may set ``options``, lines every backend section gets.
    """

    default = None
    options = ''

    def write_backends(self, *delays):
        """A section per ``(backend name, its methods delays)``."""
        self.write_config(self.default + ''.join(
            SECTION % {'name': name, 'driver': self.driver,
                       'options': self.options, 'delays': value}
            for name, value in delays))
