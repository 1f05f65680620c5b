"""Migrations build the schema the models describe, on every database."""

from alembic import autogenerate
from alembic import migration as alembic_migration
import testscenarios

from storagemgr.db import migration
from storagemgr.db import models
from storagemgr.db import session as db_session
from storagemgr.tests import base
from storagemgr.tests import db_backends

load_tests = testscenarios.load_tests_apply_scenarios

# taskflow's tables are created by our migration but described by taskflow.
_NOT_MODELLED = frozenset(['logbooks', 'flowdetails', 'atomdetails',
                           'alembic_version'])


def _include(obj, name, type_, reflected, compare_to):
    if type_ == 'table':
        return name not in _NOT_MODELLED
    table = getattr(obj, 'table', None)
    return table is None or table.name not in _NOT_MODELLED


class MigrationsTestCase(db_backends.DatabaseScenarios, base.TestCase):

    scenarios = db_backends.scenarios()

    def test_upgrade_reaches_every_head(self):
        engine = db_session.get_engine(migrate=False)
        migration.upgrade(engine)
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(engine))
        # A second run is a no-op.
        migration.upgrade(engine)

    def test_models_match_migrations(self):
        engine = db_session.get_engine(migrate=False)
        migration.upgrade(engine)
        with engine.connect() as conn:
            context = alembic_migration.MigrationContext.configure(
                conn, opts={'include_object': _include,
                            'compare_type': False})
            diff = autogenerate.compare_metadata(context,
                                                 models.Base.metadata)
        self.assertEqual([], diff)

    def test_first_use_migrates_automatically(self):
        engine = db_session.get_engine()
        self.assertEqual(migration.script_heads(),
                         migration.current_heads(engine))
