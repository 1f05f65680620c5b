"""Two fake share backends in one replication domain, and the APIs."""

from storagemgr.backend import process_registry
from storagemgr.db import api as db_api
from storagemgr.db.models import share as models
from storagemgr.share import api as share_api
from storagemgr.share_replication import api as replication_api
from storagemgr.tests import base
from storagemgr.types import api as types_api

PRIMARY = 'f1'
SECONDARY = 'f2'
THIRD = 'f3'


class ReplicationTestCase(base.TestCase):
    """``self.shares`` and ``self.replicas`` on f1, f2 and f3 (domain d1).

    ``extra_config`` goes into every backend's section; ``share_type``
    is a type with ``replication_type = readable``.
    """

    extra_config = ''
    replication_type = 'readable'

    def setUp(self):
        super().setUp()
        sections = ''.join(
            '[%s]\nshare_driver = fake\nreplication_domain = d1\n%s\n' % (
                name, self.extra_config)
            for name in (PRIMARY, SECONDARY, THIRD))
        self.write_config(
            '[DEFAULT]\nenabled_backends = %s,%s,%s\n'
            '[backend_defaults]\ndriver_setup_retries = 0\n%s' % (
                PRIMARY, SECONDARY, THIRD, sections))
        self.shares = share_api.API()
        self.replicas = replication_api.API()
        types_api.share_types.create(
            'rep', {'driver_handles_share_servers': 'False',
                    'replication_type': self.replication_type})

    def driver(self, backend):
        return process_registry.driver_for(backend, 'share')

    def make_share(self, name='s1'):
        return self.shares.create('NFS', 1, name=name, backend=PRIMARY,
                                  share_type='rep')

    def make_replica(self, share_id, backend=SECONDARY):
        return self.replicas.create(share_id, backend=backend)

    def instances(self, share_id):
        return {row.id: row for row in db_api.query(
            models.ShareInstance, share_id=share_id)}

    def snapshot_instances(self, snapshot_id):
        return {row.share_instance_id: row for row in db_api.query(
            models.ShareSnapshotInstance, snapshot_id=snapshot_id)}
