"""A local volume driver that stops mid-operation, for kill tests.

Loaded by dotted path from a test's configuration; ``slow_local_delay``
seconds are spent after create_volume made its file and before
delete_volume removes it, which is where a SIGKILL hurts most; and inside
the group methods (update, delete, each member of a group snapshot), so
concurrent requests arrive while one holds its claim.
"""

import time

from oslo_config import cfg

from storagemgr.volume.drivers import local

slow_opts = [
    cfg.FloatOpt('slow_local_delay', default=0.0,
                 help='Seconds to stall inside create and delete.'),
]


class SlowLocalVolumeDriver(local.LocalVolumeDriver):

    @staticmethod
    def get_driver_options():
        return local.LocalVolumeDriver.get_driver_options() + slow_opts

    def _stall(self):
        time.sleep(self.configuration.safe_get('slow_local_delay') or 0)

    def create_volume(self, volume):
        update = super().create_volume(volume)
        self._stall()
        return update

    def delete_volume(self, volume):
        self._stall()
        return super().delete_volume(volume)

    def update_consistencygroup(self, context, group, add_volumes=None,
                                remove_volumes=None):
        self._stall()
        return super().update_consistencygroup(
            context, group, add_volumes=add_volumes,
            remove_volumes=remove_volumes)

    def delete_consistencygroup(self, context, group, volumes):
        self._stall()
        return super().delete_consistencygroup(context, group, volumes)

    def create_snapshot(self, snapshot):
        update = super().create_snapshot(snapshot)
        self._stall()
        return update
