"""volume_0003: volumes of the previous release get their pool, no type.

Their backend reported one pool named after itself, so each volume lands
on ``<host>@<backend>#<backend>``; the scheduler then counts them there.
"""

import datetime

import sqlalchemy as sa
import testscenarios

from storagemgr.db import migration
from storagemgr.db import session as db_session
from storagemgr.scheduler import capacity
from storagemgr.tests import base
from storagemgr.tests import db_backends

load_tests = testscenarios.load_tests_apply_scenarios

_WHEN = datetime.datetime(2026, 11, 20, 12, 0, 0)


class VolumeHostMigrationTestCase(db_backends.DatabaseScenarios,
                                  base.TestCase):

    scenarios = db_backends.scenarios()

    def test_upgrade_places_volumes_on_their_backend_pool(self):
        engine = db_session.get_engine(migrate=False)
        migration.upgrade(engine, 'volume_0002')
        with engine.begin() as conn:
            for n, backend, size in ((1, 'v1', 3), (2, 'v1', 4), (3, 'v2', 5)):
                conn.execute(sa.text(
                    'INSERT INTO volumes (id, name, size, backend, status, '
                    'created_at) VALUES (:id, :name, :size, :backend, '
                    "'available', :when)"), {
                        'id': 'vol-%d' % n, 'name': 'v%d' % n, 'size': size,
                        'backend': backend, 'when': _WHEN})
        migration.upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                'SELECT id, host, volume_type_id, size FROM volumes '
                'ORDER BY id')).all()
        self.assertEqual([
            ('vol-1', 'test-host@v1#v1', None, 3),
            ('vol-2', 'test-host@v1#v1', None, 4),
            ('vol-3', 'test-host@v2#v2', None, 5)], [tuple(r) for r in rows])
        self.assertEqual(
            {'test-host@v1#v1': 7, 'test-host@v2#v2': 5},
            capacity.allocated('volume', ['test-host@v1#v1',
                                          'test-host@v2#v2']))
