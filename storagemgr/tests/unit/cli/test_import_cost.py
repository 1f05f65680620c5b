"""What the CLI imports: its start-up cost, checked by module, not by clock.

Listing or describing the commands (``storagemgr --help``, ``<cmd>
--help``) and reading shares must not import the flow machinery
(taskflow, with eventlet, networkx and alembic behind it): that cost
about 2 s of every command. Each check runs in a fresh interpreter, so
the imports of other tests in this process cannot hide or fake one.
"""

import json
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
print(json.dumps({'found': found, 'names': names,
                  'listing': listing.getvalue()}))
'''


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
                                             'json'))

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
        # <cmd> --help builds the command's parser.
        self._assert_none('parsers', FLOW_MACHINERY)

    def test_share_read_path(self):
        # share list/show: the share API, the backend registry, the
        # share drivers; flows are imported only when one runs.
        self._assert_none('share_read', FLOW_MACHINERY)
