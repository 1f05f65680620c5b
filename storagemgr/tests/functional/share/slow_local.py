"""A local share driver that stalls mid-operation, for kill tests.

Loaded by dotted path from a test's configuration: ``slow_local_delay``
seconds are spent after create_share made the share's directory and
before delete_share removes it, where a SIGKILL leaves the most behind.
"""

import time

from oslo_config import cfg

from storagemgr.share.drivers import local

slow_opts = [
    cfg.FloatOpt('slow_local_delay', default=0.0,
                 help='Seconds to stall inside create and delete.'),
]


class SlowLocalShareDriver(local.LocalShareDriver):

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.configuration.append_config_values(slow_opts)

    @staticmethod
    def get_driver_options():
        return local.LocalShareDriver.get_driver_options() + slow_opts

    def _stall(self):
        time.sleep(self.configuration.safe_get('slow_local_delay') or 0)

    def create_share(self, context, share, share_server=None):
        locations = super().create_share(context, share, share_server)
        self._stall()
        return locations

    def delete_share(self, context, share, share_server=None):
        self._stall()
        return super().delete_share(context, share, share_server)
