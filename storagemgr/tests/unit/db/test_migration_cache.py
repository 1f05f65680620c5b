"""ensure_current skips alembic only when the schema is known current.

The heads of the migration scripts are saved under state_path, keyed on
the script files; a database whose ``alembic_version`` holds exactly those
heads is left alone without reading the scripts. Everything else (a new
script, a database behind or without the version table, a lost or
damaged cache) takes the full, locked check.
"""

import contextlib
import json
import os
import shutil
import tempfile
from unittest import mock

import sqlalchemy as sa

from storagemgr.db import migration
from storagemgr.db import session as db_session
from storagemgr.tests import base

# A migration a newer release could bring: one more table on the
# foundation branch.
_NEW_SCRIPT = '''"""A table the code before this script did not know.

Revision ID: cache_test_0001
Revises: %(down)s
"""

from alembic import op
import sqlalchemy as sa

revision = 'cache_test_0001'
down_revision = %(down)r
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cache_test_things',
                    sa.Column('id', sa.Integer, primary_key=True))
'''


class MigrationCacheTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        # A private copy of the scripts, so a test can add one.
        scripts = tempfile.mkdtemp(prefix='sm-migrations-')
        self.addCleanup(shutil.rmtree, scripts, True)
        self.scripts = os.path.join(scripts, 'migrations')
        shutil.copytree(migration._SCRIPT_LOCATION, self.scripts,
                        ignore=shutil.ignore_patterns('__pycache__'))
        self.versions = os.path.join(self.scripts, 'versions')
        for name, value in (('_SCRIPT_LOCATION', self.scripts),
                            ('_VERSIONS', self.versions),
                            ('_script_heads', None)):
            patcher = mock.patch.object(migration, name, value)
            patcher.start()
            self.addCleanup(patcher.stop)
        self.cache = os.path.join(self.state_path, 'migration_heads.json')
        self.engine = db_session.get_engine(migrate=False)

    def _tables(self):
        return set(sa.inspect(self.engine).get_table_names())

    def _spy(self, name):
        spy = mock.Mock(wraps=getattr(migration, name))
        patcher = mock.patch.object(migration, name, spy)
        patcher.start()
        self.addCleanup(patcher.stop)
        return spy

    def _current_with_cache(self):
        migration.ensure_current(self.engine)
        self.assertTrue(os.path.exists(self.cache))

    def test_first_use_migrates_and_saves_the_heads(self):
        migration.ensure_current(self.engine)
        heads = migration.script_heads()
        self.assertEqual(heads, migration.current_heads(self.engine))
        with open(self.cache) as f:
            saved = json.load(f)
        self.assertEqual(sorted(heads), saved['heads'])
        self.assertEqual(migration.scripts_key(), saved['key'])

    def test_current_schema_and_cache_read_no_scripts(self):
        self._current_with_cache()
        read = self._spy('_read_script_heads')
        upgrade = self._spy('upgrade')
        migration.ensure_current(self.engine)
        read.assert_not_called()
        upgrade.assert_not_called()

    def test_new_script_is_applied(self):
        self._current_with_cache()
        with open(os.path.join(self.versions,
                               'cache_test_0001_things.py'), 'w') as f:
            f.write(_NEW_SCRIPT % {'down': 'foundation_0002'})
        migration.ensure_current(self.engine)
        self.assertIn('cache_test_things', self._tables())
        self.assertIn('cache_test_0001',
                      migration.current_heads(self.engine))
        self.assertNotIn('foundation_0002',
                         migration.current_heads(self.engine))
        with open(self.cache) as f:
            self.assertIn('cache_test_0001', json.load(f)['heads'])

    def test_key_follows_the_script_files(self):
        key = migration.scripts_key()
        self.assertEqual(key, migration.scripts_key())
        name = os.path.join(self.versions, 'message_0001_messages.py')
        st = os.stat(name)
        os.utime(name, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
        touched = migration.scripts_key()
        self.assertNotEqual(key, touched)
        with open(os.path.join(self.versions, 'zz_extra.py'), 'w') as f:
            f.write('')
        added = migration.scripts_key()
        self.assertNotIn(added, (key, touched))
        os.unlink(os.path.join(self.versions, 'zz_extra.py'))
        self.assertNotEqual(added, migration.scripts_key())
        # Not a script: ignored.
        with open(os.path.join(self.versions, 'README'), 'w') as f:
            f.write('notes')
        self.assertEqual(touched, migration.scripts_key())

    def test_database_without_version_table_is_migrated(self):
        # The cache is valid, but this database is new.
        self._current_with_cache()
        db_session.dispose_all()
        self.flags(connection='sqlite:///%s/other.sqlite' % self.state_path,
                   group='database')
        self.engine = db_session.get_engine(migrate=False)
        self.assertNotIn('alembic_version', self._tables())
        migration.ensure_current(self.engine)
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(self.engine))
        self.assertIn('shares', self._tables())

    def test_database_behind_is_migrated(self):
        migration.save_script_heads(migration.scripts_key(),
                                    migration.script_heads())
        migration.upgrade(self.engine, 'share_0001')
        migration.ensure_current(self.engine)
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(self.engine))

    def test_damaged_cache_takes_the_full_check(self):
        self._current_with_cache()
        for text in ('not json', '[]', '{"key": "%s"}' % (
                migration.scripts_key()), json.dumps(
                {'key': migration.scripts_key(), 'heads': [1]}),
                json.dumps({'key': migration.scripts_key(), 'heads': []})):
            with open(self.cache, 'w') as f:
                f.write(text)
            read = self._spy('_read_script_heads')
            migration.ensure_current(self.engine)
            read.assert_called_once_with()
            self.assertEqual(migration.script_heads(),
                             migration.cached_script_heads(
                                 migration.scripts_key()))

    def test_heads_saved_for_other_scripts_are_ignored(self):
        migration.save_script_heads('other', ['foundation_0002'])
        self.assertIsNone(migration.cached_script_heads('mine'))
        self.assertEqual(frozenset(['foundation_0002']),
                         migration.cached_script_heads('other'))

    def test_unwritable_state_path_still_migrates(self):
        with mock.patch.object(tempfile, 'mkstemp',
                               side_effect=PermissionError('read-only')):
            migration.ensure_current(self.engine)
        self.assertFalse(os.path.exists(self.cache))
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(self.engine))

    def test_failed_write_leaves_no_temporary_file(self):
        with mock.patch.object(os, 'replace',
                               side_effect=OSError('disk full')):
            migration.save_script_heads('key', ['foundation_0002'])
        self.assertEqual([], [name for name in os.listdir(self.state_path)
                              if 'migration_heads' in name])

    def test_upgrade_runs_under_the_lock_and_checks_again(self):
        # Another process upgrades while this one waits for the lock:
        # once it has the lock, this one finds nothing to do.
        real_upgrade = migration.upgrade
        taken = []

        @contextlib.contextmanager
        def lock(name, external, lock_path):
            taken.append((name, external))
            real_upgrade(self.engine)
            yield

        upgrade = self._spy('upgrade')
        with mock.patch('oslo_concurrency.lockutils.lock', lock):
            migration.ensure_current(self.engine)
        self.assertEqual([('db-migrate', True)], taken)
        upgrade.assert_not_called()
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(self.engine))

    def test_behind_database_upgrades_inside_the_lock(self):
        held = []

        @contextlib.contextmanager
        def lock(name, external, lock_path):
            held.append(True)
            yield
            held.pop()

        def upgrade(engine, revision='heads'):
            self.assertEqual([True], held)
            real_upgrade(engine, revision)

        real_upgrade = migration.upgrade
        with mock.patch('oslo_concurrency.lockutils.lock', lock), \
                mock.patch.object(migration, 'upgrade',
                                  side_effect=upgrade) as spy:
            migration.ensure_current(self.engine)
        spy.assert_called_once_with(self.engine)
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(self.engine))
