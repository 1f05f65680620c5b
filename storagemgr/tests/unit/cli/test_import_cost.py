"""What the CLI imports: its start-up cost, checked by module, not by clock.

Listing or describing the commands (``storagemgr --help``, ``<cmd>
--help``) and reading shares must not import the flow machinery
(taskflow, with eventlet, networkx and alembic behind it): that cost
about 2 s of every command. Each check runs in a fresh interpreter, so
the imports of other tests in this process cannot hide or fake one.
"""

import json
import os
import subprocess
import sys

from storagemgr.tests import base

FLOW_MACHINERY = ('taskflow', 'eventlet', 'networkx', 'alembic', 'tooz')

# Runs in the child: stages of a CLI run, and what each left imported.
_PROBE = r'''
import io
import json
import sys

WATCHED = %(watched)r
found = {}


def note(stage):
    found[stage] = sorted(m for m in WATCHED if m in sys.modules)


from storagemgr.cli import app

note('app')
application = app.StorageManagerApp()
names = []
for name, entry_point in sorted(application.command_manager):
    entry_point.load()
    names.append(name)
note('classes')
application.options = application.parser.parse_args([])
listing = io.StringIO()
app.print_command_list(application, listing)
note('listing')
for name, entry_point in sorted(application.command_manager):
    command = entry_point.load()(application, None, cmd_name=name)
    command.get_parser('storagemgr ' + name)
note('parsers')
from storagemgr.share import api  # noqa
from storagemgr.plugins import health  # noqa
from storagemgr.backend import process_registry  # noqa
from importlib import metadata
for entry_point in metadata.entry_points(group='storagemgr.share.drivers'):
    entry_point.load()
note('share_read')
from storagemgr.message import api  # noqa
from storagemgr.share_group import api  # noqa
from storagemgr.share_migration import api  # noqa
from storagemgr.volume import api  # noqa
note('service_reads')
from storagemgr.scheduler.filters import driver  # noqa
note('scheduler_filters')
print(json.dumps({'found': found, 'names': names,
                  'listing': listing.getvalue()}))
'''


# Runs in the child: one CLI command, then what it left imported.
_COMMAND_PROBE = r'''
import json
import sys

from storagemgr.cli import app

code = app.main(%(argv)r)
with open(%(report)r, 'w') as f:
    json.dump({'code': code, 'found': sorted(
        m for m in %(watched)r if m in sys.modules)}, f)
'''


def run_command(argv, watched, report):
    """Run a CLI command in a new interpreter; what it imported."""
    process = subprocess.run(
        [sys.executable, '-c', _COMMAND_PROBE % {
            'argv': list(argv), 'watched': tuple(watched),
            'report': report}],
        capture_output=True, text=True, timeout=300)
    if process.returncode:
        raise AssertionError('command probe failed (%d): %s' % (
            process.returncode, process.stderr[-2000:]))
    with open(report) as f:
        return json.load(f)


def probe(watched):
    """Run the probe in a new interpreter; its JSON report."""
    process = subprocess.run(
        [sys.executable, '-c', _PROBE % {'watched': tuple(watched)}],
        capture_output=True, text=True, timeout=300)
    if process.returncode:
        raise AssertionError('probe failed (%d): %s' % (
            process.returncode, process.stderr[-2000:]))
    return json.loads(process.stdout)


class ImportCostTestCase(base.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = probe(FLOW_MACHINERY + ('sqlalchemy.orm',
                                             'storagemgr.db.models',
                                             'oslo_utils.strutils',
                                             'storagemgr.scheduler.evaluator',
                                             'pyparsing', 'json'))

    def test_probe_sees_imports(self):
        # A module every stage imports is reported: the probe can fail.
        for stage, found in self.report['found'].items():
            self.assertIn('json', found, stage)

    def test_every_command_was_loaded(self):
        names = self.report['names']
        self.assertIn('share list', names)
        self.assertIn('share create', names)
        self.assertIn('volume list', names)
        self.assertGreater(len(names), 50)
        for name in ('share list', 'volume attach', 'db sync'):
            self.assertIn('  %s' % name, self.report['listing'])

    def _assert_none(self, stage, modules):
        found = set(self.report['found'][stage])
        self.assertEqual(set(), found & set(modules),
                         'imported at stage %s' % stage)

    def test_app_and_command_classes(self):
        for stage in ('app', 'classes'):
            self._assert_none(stage, FLOW_MACHINERY)

    def test_help_listing_imports_no_database_layer(self):
        # --help imports every command module; none may need the ORM.
        self._assert_none('listing', FLOW_MACHINERY + (
            'sqlalchemy.orm', 'storagemgr.db.models'))

    def test_command_parsers(self):
        # <cmd> --help builds the command's parser; message list's choices
        # come from a module without the database layer.
        self._assert_none('parsers', FLOW_MACHINERY + (
            'sqlalchemy.orm', 'storagemgr.db.models'))

    def test_share_read_path(self):
        # share list/show: the share API, the backend registry, the
        # share drivers; flows are imported only when one runs.
        self._assert_none('share_read', FLOW_MACHINERY)

    def test_share_read_path_skips_strutils(self):
        # oslo_utils.strutils (through processutils too) is imported where
        # a spec is parsed or a command runs, not by loading the drivers.
        self._assert_none('share_read', ('oslo_utils.strutils',))

    def test_other_service_reads(self):
        # The volume, share group, share migration and message APIs
        # import their flows when they run one.
        self._assert_none('service_reads', FLOW_MACHINERY)

    def test_scheduler_filters_leave_the_evaluator(self):
        # The driver filter imports the function evaluator (pyparsing,
        # strutils) only for a pool that reports a function.
        self._assert_none('scheduler_filters', (
            'storagemgr.scheduler.evaluator', 'pyparsing',
            'oslo_utils.strutils'))


class CommandImportCostTestCase(base.TestCase):
    """A real command in a fresh interpreter, on a private state path."""

    def _share_list(self):
        conf = os.path.join(self.state_path, 'storagemgr.conf')
        with open(conf, 'w') as f:
            f.write('[DEFAULT]\nstate_path = %s\n' % self.state_path)
        report = run_command(
            ['--config-file', conf, 'share', 'list'],
            ('alembic', 'taskflow', 'sqlalchemy.orm'),
            os.path.join(self.state_path, 'report.json'))
        self.assertEqual(0, report['code'])
        return set(report['found'])

    def test_share_list_on_a_current_database_skips_alembic(self):
        # The first command creates the schema with alembic (so the probe
        # can see it); the next finds the schema current without it.
        self.assertIn('alembic', self._share_list())
        found = self._share_list()
        self.assertNotIn('alembic', found)
        self.assertNotIn('taskflow', found)
        self.assertIn('sqlalchemy.orm', found)
