"""Base test case: a private state_path and SQLite database per test."""

import os
import shutil
import tempfile

import fixtures
from oslo_config import cfg
from oslo_config import fixture as config_fixture
import testtools

from storagemgr.backend import process_registry
from storagemgr import common_setup
from storagemgr import coordination
from storagemgr.db import session as db_session
from storagemgr.flows import persistence

CONF = cfg.CONF


class TestCase(testtools.TestCase):
    """Each test gets its own state_path, database and configuration.

    ``self.flags(group=None, **overrides)`` sets options;
    ``self.state_path`` is the test's private directory.
    """

    def setUp(self):
        super().setUp()
        common_setup.register_logging_opts(CONF)
        self.useFixture(fixtures.Timeout(
            int(os.environ.get('OS_TEST_TIMEOUT', 120)), gentle=True))
        self.useFixture(fixtures.NestedTempfile())
        self.state_path = tempfile.mkdtemp(prefix='sm-test-')
        self.addCleanup(shutil.rmtree, self.state_path, True)
        self.conf_fixture = self.useFixture(config_fixture.Config(CONF))
        self.flags(state_path=self.state_path, host='test-host')
        self.flags(connection='sqlite:///%s/test.sqlite' % self.state_path,
                   group='database')
        self.flags(backend_url='file://%s/locks' % self.state_path,
                   group='coordination')
        # A backend registry another test left behind holds its drivers.
        process_registry.use_registry(None)
        self.addCleanup(self._reset_process_state)

    def _reset_process_state(self):
        process_registry.use_registry(None)
        coordination.stop()
        persistence.reset()
        db_session.dispose_all()

    def flags(self, group=None, **overrides):
        for name, value in overrides.items():
            self.conf_fixture.config(group=group, **{name: value})

    def write_config(self, text, name='storagemgr.conf'):
        """Write a config file under state_path and load it into CONF."""
        path = os.path.join(self.state_path, name)
        with open(path, 'w') as f:
            f.write(text.replace('@STATE@', self.state_path))
        self.conf_fixture.set_config_files([path])
        return path
