"""The public storage plugin API, version 1.

A plugin module imports from here (``from storagemgr.plugins.api import
attributes, identifiers, plugin, relations, resources, statistics``),
declares ``version = 1`` and one ``plugin.Plugin`` subclass.
"""

#: The plugin API version this manager supports.
API_VERSION = 1

from storagemgr.plugins.api import alert_conditions  # noqa: E402
from storagemgr.plugins.api import attributes  # noqa: E402
from storagemgr.plugins.api import identifiers  # noqa: E402
from storagemgr.plugins.api import plugin  # noqa: E402
from storagemgr.plugins.api import relations  # noqa: E402
from storagemgr.plugins.api import resources  # noqa: E402
from storagemgr.plugins.api import statistics  # noqa: E402

__all__ = ['API_VERSION', 'alert_conditions', 'attributes', 'identifiers',
           'plugin', 'relations', 'resources', 'statistics']
