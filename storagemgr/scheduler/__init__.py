"""Placing shares and volumes on pools by capabilities.

A :class:`~storagemgr.scheduler.filter_scheduler.FilterScheduler` takes the
pools the backends report (:class:`~storagemgr.scheduler.pool_state.
PoolState`) and a request, removes the pools the configured filters reject
(each with a one-line reason), weighs the rest and picks the best. It keeps
no state and reads no database: whoever calls it gathers the pools.
"""
