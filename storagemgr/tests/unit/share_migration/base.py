"""Two fake share backends, ``f1`` and ``f2``, and the migration API."""

import sqlalchemy as sa

from storagemgr.backend import process_registry
from storagemgr.db import api as db_api
from storagemgr.db.models import pool_usage as pool_models
from storagemgr.db.models import share as models
from storagemgr.db import session as db_session
from storagemgr.message import api as message_api
from storagemgr.share import api as share_api
from storagemgr.share_migration import api as migration_api
from storagemgr.share_migration import records
from storagemgr.tests import base

SOURCE = 'f1'
DESTINATION = 'f2'
SOURCE_POOL = 'test-host@f1#f1'
DESTINATION_POOL = 'test-host@f2#f2'


class MigrationTestCase(base.TestCase):
    """``self.api`` (shares) and ``self.migrations`` on f1 and f2.

    ``extra_config`` goes into both backends' sections.
    """

    extra_config = ''

    def setUp(self):
        super().setUp()
        sections = ''.join(
            '[%s]\nshare_driver = fake\n%s\n' % (name, self.extra_config)
            for name in (SOURCE, DESTINATION))
        self.write_config(
            '[DEFAULT]\nenabled_backends = %s,%s\n'
            '[backend_defaults]\ndriver_setup_retries = 0\n%s' % (
                SOURCE, DESTINATION, sections))
        self.api = share_api.API()
        self.migrations = migration_api.API()

    # -- set-up -----------------------------------------------------------

    def driver(self, backend=SOURCE):
        return process_registry.driver_for(backend, 'share')

    def make_share(self, name='s1', size=1):
        return self.api.create('NFS', size, name=name, backend=SOURCE)

    def allow(self, share_id, access_to='10.0.0.1', level='rw'):
        return self.api.allow_access(share_id, 'ip', access_to, level)

    def start(self, share_id, host=DESTINATION_POOL, **kwargs):
        return self.migrations.start(share_id, host, **kwargs)

    # -- reading ----------------------------------------------------------

    def instances(self, share_id):
        """{instance id: row} of every instance of the share."""
        return {row.id: row for row in db_api.query(
            models.ShareInstance, share_id=share_id)}

    def active(self, share_id):
        active = [row for row in self.instances(share_id).values()
                  if row.active]
        self.assertEqual(1, len(active))
        return active[0]

    def migration(self, share_id):
        return records.require(share_id)

    def task_state(self, share_id):
        return records.task_state(share_id)

    def snapshot_instances(self, instance_id):
        return list(db_api.query(models.ShareSnapshotInstance,
                                 share_instance_id=instance_id))

    def rule_states(self, instance_id):
        return list(db_api.query(models.ShareInstanceAccessRule,
                                 share_instance_id=instance_id))

    def allocated(self, host):
        usage = pool_models.PoolUsage
        with db_session.session_scope() as session:
            return session.scalar(sa.select(
                usage.allocated_capacity_gb).where(usage.host == host))

    def messages(self, share_id):
        return [m['detail'] for m in message_api.list(
            message_api.SHARE, share_id)]

    # -- checks -----------------------------------------------------------

    def assertOnSource(self, share_id, source_instance_id, task_state):
        """Back on its source: one instance, available, active."""
        self.assertEqual(task_state, self.task_state(share_id))
        rows = self.instances(share_id)
        self.assertEqual([source_instance_id], list(rows))
        self.assertEqual('available', rows[source_instance_id].status)
        self.assertTrue(rows[source_instance_id].active)
        self.assertEqual(SOURCE_POOL, rows[source_instance_id].host)
