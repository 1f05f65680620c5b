"""``cinder.context``: request contexts, as storagemgr makes them."""

from storagemgr.context import get_admin_context  # noqa: F401
from storagemgr.context import RequestContext  # noqa: F401
