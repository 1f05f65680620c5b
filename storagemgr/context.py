"""Request context handed to drivers and flows."""

from oslo_context import context


class RequestContext(context.RequestContext):
    """storagemgr's request context (an oslo.context one)."""


def get_admin_context():
    return RequestContext(is_admin=True, overwrite=False)
