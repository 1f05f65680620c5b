"""storagemgr configuration.

Each area declares its options in its own module here; ``register_opts``
puts them all on a ConfigOpts object, and ``opts.list_opts`` feeds the
sample generator from the same lists.
"""

from oslo_config import cfg

from storagemgr.conf import backend
from storagemgr.conf import coordination
from storagemgr.conf import data
from storagemgr.conf import database
from storagemgr.conf import default
from storagemgr.conf import message

CONF = cfg.CONF


def register_opts(conf):
    default.register_opts(conf)
    database.register_opts(conf)
    backend.register_opts(conf)
    coordination.register_opts(conf)
    data.register_opts(conf)
    message.register_opts(conf)


register_opts(CONF)
