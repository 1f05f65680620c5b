"""Adopt (manage) and abandon (unmanage) shares and share snapshots.

Manage: the driver must report the share's ``size`` (a snapshot's
defaults to its share's); any failure, or a return without it, leaves the
record in ``manage_error`` with size 0. Unmanage: any failure, of any
exception class, leaves the record in ``unmanage_error`` (the reference
only catches InvalidShare and leaves other failures in
``unmanage_starting``; storagemgr never leaves a transitional status).
Unmanaging never touches the data on the backend.
"""

from taskflow.patterns import linear_flow

from storagemgr.share import constants
from storagemgr.share.flows import base
from storagemgr.share.flows import delete as delete_flows
from storagemgr.share.flows import snapshot as snapshot_flows
from storagemgr.share import model_updates
from storagemgr.share import records


class ManageShareOnBackend(base.ShareTask):

    default_provides = 'manage_update'

    def execute(self, share_id, backend, driver_options):
        driver = self.driver(backend)
        update = driver.manage_existing(records.share_view(share_id),
                                        dict(driver_options or {}))
        return model_updates.check_manage_share(driver, update)

    def revert(self, share_id, **kwargs):
        base.error_out_share(share_id, constants.STATUS_MANAGE_ERROR,
                             [constants.STATUS_MANAGING], action='adopt',
                             failures=kwargs.get('flow_failures'))


class RecordShareManaged(base.ShareTask):

    def execute(self, share_id, manage_update):
        model_updates.apply_share_managed(share_id, manage_update)


class UnmanageShareOnBackend(base.ShareTask):

    def execute(self, share_id, backend):
        self.driver(backend).unmanage(records.share_view(share_id))

    def revert(self, share_id, **kwargs):
        base.error_out_share(share_id, constants.STATUS_UNMANAGE_ERROR,
                             [constants.STATUS_UNMANAGING], action='abandon',
                             failures=kwargs.get('flow_failures'))


class ManageSnapshotOnBackend(base.ShareTask):

    default_provides = 'manage_update'

    def execute(self, snapshot_id, backend, driver_options):
        driver = self.driver(backend)
        view = records.snapshot_view(snapshot_id)
        update = driver.manage_existing_snapshot(
            view, dict(driver_options or {}))
        return model_updates.check_manage_snapshot(driver, update,
                                                   view['share_size'])

    def revert(self, snapshot_id, **kwargs):
        base.error_out_snapshot(snapshot_id, constants.STATUS_MANAGE_ERROR,
                                [constants.STATUS_MANAGING], action='adopt',
                                failures=kwargs.get('flow_failures'))


class RecordSnapshotManaged(base.ShareTask):

    def execute(self, snapshot_id, manage_update):
        model_updates.apply_snapshot_managed(snapshot_id, manage_update)


class UnmanageSnapshotOnBackend(base.ShareTask):

    def execute(self, snapshot_id, backend):
        self.driver(backend).unmanage_snapshot(
            records.snapshot_view(snapshot_id))

    def revert(self, snapshot_id, **kwargs):
        base.error_out_snapshot(snapshot_id, constants.STATUS_UNMANAGE_ERROR,
                                [constants.STATUS_UNMANAGING],
                                action='abandon',
                                failures=kwargs.get('flow_failures'))


def manage_share_flow():
    flow = linear_flow.Flow('manage_share')
    flow.add(ManageShareOnBackend(), RecordShareManaged())
    return flow


def unmanage_share_flow():
    flow = linear_flow.Flow('unmanage_share')
    # The driver's private data stays: adopting the share again may need
    # it (the reference's dummy driver keeps the export there).
    flow.add(UnmanageShareOnBackend(),
             delete_flows.ForgetShare(keep_private_data=True))
    return flow


def manage_snapshot_flow():
    flow = linear_flow.Flow('manage_share_snapshot')
    flow.add(ManageSnapshotOnBackend(), RecordSnapshotManaged())
    return flow


def unmanage_snapshot_flow():
    flow = linear_flow.Flow('unmanage_share_snapshot')
    flow.add(UnmanageSnapshotOnBackend(),
             snapshot_flows.ForgetSnapshot(keep_private_data=True))
    return flow
