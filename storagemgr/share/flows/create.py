"""Create a share, empty or from a snapshot.

Flow: create it on the backend (the driver's return checked), then record
the result. Any failure of the driver, of any exception class, or a
malformed return puts the share in ``error``; export locations an
exception carries in ``detail_data`` are still recorded.
"""

from oslo_log import log as logging
from taskflow.patterns import linear_flow

from storagemgr.driver_returns import ReturnChecker
from storagemgr.driver_view import DriverView
from storagemgr.share import constants
from storagemgr.share.flows import base
from storagemgr.share import model_updates
from storagemgr.share import records

LOG = logging.getLogger(__name__)


class CreateShareOnBackend(base.ShareTask):
    """Call create_share or create_share_from_snapshot.

    ``share`` is the driver's view of the new share, built by the service
    layer from the row it inserted (it saves a read per create).
    """

    default_provides = 'share_update'

    def execute(self, share, backend, snapshot_id):
        driver = self.driver(backend)
        share = DriverView(share)
        if snapshot_id is None:
            locations = driver.create_share(self.context, share,
                                            share_server=None)
            return {'status': constants.STATUS_AVAILABLE,
                    'export_locations': model_updates.check_create_share(
                        driver, locations),
                    'progress': '100%'}
        update = driver.create_share_from_snapshot(
            self.context, share, records.snapshot_view(snapshot_id),
            share_server=None)
        return model_updates.check_create_share_from_snapshot(driver, update)

    def revert(self, share_id, backend, result, **kwargs):
        extra = {}
        detail = base.failure_detail_data(result)
        raw = detail.get('export_locations') or detail.get('export_location')
        if raw:
            try:
                if isinstance(raw, str):
                    raw = [raw]
                extra['export_locations'] = (
                    model_updates.check_export_locations(
                        ReturnChecker(backend, 'create_share'), raw))
            except Exception as e:
                LOG.warning('Ignoring export locations of a failed create: '
                            '%s', e)
        base.error_out_share(share_id, constants.STATUS_ERROR,
                             [constants.STATUS_CREATING], extra=extra,
                             action='create',
                             failures=kwargs.get('flow_failures'))


class RecordShareCreated(base.ShareTask):
    """Write the status and export locations the driver reported."""

    def execute(self, share_id, share_update):
        model_updates.apply_share_created(share_id, share_update)


def create_share_flow():
    flow = linear_flow.Flow('create_share')
    flow.add(CreateShareOnBackend(), RecordShareCreated())
    return flow
