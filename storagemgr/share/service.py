"""What the share families' service layers have in common.

Shares, share migrations and share replicas each have an ``API`` that
takes the backends and a context the same way and runs its operations as
persisted flows the same way; this base holds that once.
"""

from storagemgr.backend import process_registry
from storagemgr import context as sm_context
from storagemgr import exception


class ServiceAPI(object):
    """Backends, context, and the flow runner of a share service layer."""

    def __init__(self, registry=None, context=None):
        if registry is not None:
            process_registry.use_registry(registry)
        self.context = context or sm_context.get_admin_context()

    @property
    def registry(self):
        return process_registry.get_registry()

    def _run(self, factory, store, resource, operation, passthrough=(),
             claim=None):
        """Claim and run a flow; wrap foreign exceptions in a clear one.

        ``passthrough``: more exception classes raised as they are.
        """
        # Imported here: reading commands need no flow machinery.
        from storagemgr.flows import engine as flow_engine

        try:
            return flow_engine.run_flow(factory, store=store,
                                        resource=resource, claim=claim)
        except (exception.StorageManagerException,) + tuple(passthrough):
            raise
        except Exception as e:
            raise exception.ShareBackendException(
                msg='%s failed: %s: %s' % (operation, type(e).__name__, e)
            ) from e
