"""Extend and shrink a share.

Extend: any driver failure leaves the share in ``extending_error``.
Shrink: ShareShrinkingPossibleDataLoss (the share holds more than the new
size) and NotImplementedError leave the share ``available`` and
untouched, the caller told why; any other failure leaves it in
``shrinking_error``. On success the share has its new size and is
``available``.
"""

from taskflow.patterns import linear_flow

from storagemgr import exception
from storagemgr.share import constants
from storagemgr.share.flows import base
from storagemgr.share import model_updates
from storagemgr.share import records

# Failures after which the share is unchanged and usable.
SHRINK_REFUSALS = (exception.ShareShrinkingPossibleDataLoss,
                   NotImplementedError)


class ExtendShareOnBackend(base.ShareTask):

    def execute(self, share_id, backend, new_size):
        share = records.share_view(share_id)
        self.driver(backend).extend_share(share, new_size,
                                          share_server=None)

    def revert(self, share_id, new_size, **kwargs):
        if base.error_out_share(share_id, constants.STATUS_EXTENDING_ERROR,
                                [constants.STATUS_EXTENDING],
                                action='extend',
                                failures=kwargs.get('flow_failures')):
            # The share keeps its size: its pool gets the growth back.
            model_updates.release_extend(share_id, new_size)


class ShrinkShareOnBackend(base.ShareTask):

    def execute(self, share_id, backend, new_size):
        share = records.share_view(share_id)
        self.driver(backend).shrink_share(share, new_size,
                                          share_server=None)

    def revert(self, share_id, result, **kwargs):
        if base.failed_with(result, *SHRINK_REFUSALS):
            status = constants.STATUS_AVAILABLE
        else:
            status = constants.STATUS_SHRINKING_ERROR
        base.error_out_share(share_id, status, [constants.STATUS_SHRINKING],
                             action='shrink',
                             failures=kwargs.get('flow_failures'))


class RecordExtended(base.ShareTask):

    def execute(self, share_id, new_size):
        model_updates.apply_share_resized(share_id, new_size,
                                          constants.STATUS_EXTENDING)


class RecordShrunk(base.ShareTask):

    def execute(self, share_id, new_size):
        model_updates.apply_share_resized(share_id, new_size,
                                          constants.STATUS_SHRINKING)


def extend_share_flow():
    flow = linear_flow.Flow('extend_share')
    flow.add(ExtendShareOnBackend(), RecordExtended())
    return flow


def shrink_share_flow():
    flow = linear_flow.Flow('shrink_share')
    flow.add(ShrinkShareOnBackend(), RecordShrunk())
    return flow
