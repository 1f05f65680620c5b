"""A test case with the share service on one fake share backend."""

from storagemgr.backend import process_registry
from storagemgr.db.models import share as models
from storagemgr import driver_view
from storagemgr.share import api as share_api
from storagemgr.share import constants
from storagemgr.share import records
from storagemgr.tests import base

BACKEND = 'fake1'

# Exceptions of several families: the project's own, a driver-contract
# one, and plain Python ones a careless driver lets escape.
DRIVER_FAILURES = (
    'storagemgr.exception.ShareBackendException',
    'storagemgr.exception.InvalidShare',
    'builtins.RuntimeError',
    'builtins.KeyError',
    'builtins.OSError',
)


class ShareTestCase(base.TestCase):
    """``self.api`` on backend ``fake1`` (the fake driver, no delays)."""

    extra_config = ''

    def setUp(self):
        super().setUp()
        self.write_config(
            '[DEFAULT]\nenabled_backends = %s\n'
            '[backend_defaults]\ndriver_setup_retries = 0\n'
            '[%s]\nshare_driver = fake\n%s' % (BACKEND, BACKEND,
                                               self.extra_config))
        self.api = share_api.API()

    @property
    def driver(self):
        return process_registry.driver_for(BACKEND, 'share')

    def fault(self, method, **kwargs):
        self.driver.set_fault(method, **kwargs)

    def share_row(self, share_id):
        """The share as callers see it, with attribute access."""
        return driver_view.DriverView(records.get_share_record(share_id))

    def backend_share(self, share_id):
        """The fake driver's record of the share (by instance id)."""
        return self.driver.shares[self.instance_id(share_id)]

    def instance_id(self, share_id):
        """The id the driver knows the share by (its active instance)."""
        return records.active_instance(share_id).id

    def status_of(self, share_id):
        return records.active_instance(share_id).status

    def snapshot_status(self, snapshot_id):
        return records.snapshot_instance(snapshot_id).status

    def shares(self):
        """Every share as callers see it (attribute access)."""
        return [driver_view.DriverView(records.share_record(s, i))
                for s, i in records.list_shares()]

    def snapshots(self):
        return [driver_view.DriverView(records.snapshot_record(s, i))
                for s, i in records.list_snapshots()]

    def force_share_status(self, share_id, status, expected='available'):
        """Put a share's active instance in ``status`` (test set-up)."""
        records.transition_share(share_id, [expected], {'status': status},
                                 'test')

    def force_snapshot_status(self, snapshot_id, status,
                              expected='available'):
        records.transition_snapshot(snapshot_id, [expected],
                                    {'status': status}, 'test')

    def make_share(self, size=1, name=None):
        return self.api.create('NFS', size, name=name)

    def make_snapshot(self, share_id, name=None):
        return self.api.create_snapshot(share_id, name=name)

    def assertNoTransitionalRows(self):
        for share, instance in records.list_shares():
            self.assertNotIn(instance.status,
                             constants.TRANSITIONAL_STATUSES,
                             'share %s' % share.id)
        for snapshot, instance in records.list_snapshots():
            self.assertNotIn(instance.status,
                             constants.TRANSITIONAL_STATUSES,
                             'snapshot %s' % snapshot.id)

    def only_share(self):
        shares = records.list_shares()
        self.assertEqual(1, len(shares))
        return self.share_row(shares[0][0].id)

    def count(self, model=models.Share):
        return len(records.list_shares()) if model is models.Share else \
            len(records.list_snapshots())
