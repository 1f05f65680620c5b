"""Local drivers whose create fails half-way, for the crash harness.

Loaded by dotted path from the harness's configuration. ``create_share``
and ``create_volume`` do their real work first (a directory, a sparse
file) and then raise, so the flow reverts with something left on the
backend: the crash harness kills the process at every point of that
revert and checks what the resumer makes of it.
"""

from storagemgr import exception
from storagemgr.share.drivers import local as local_share
from storagemgr.volume.drivers import local as local_volume


class FaultyLocalShareDriver(local_share.LocalShareDriver):

    def create_share(self, context, share, share_server=None):
        super().create_share(context, share, share_server)
        raise exception.ShareBackendException(
            msg='injected fault after create_share made the directory')


class FaultyLocalVolumeDriver(local_volume.LocalVolumeDriver):

    def create_volume(self, volume):
        super().create_volume(volume)
        raise exception.VolumeDriverException(
            msg='injected fault after create_volume made the file')
