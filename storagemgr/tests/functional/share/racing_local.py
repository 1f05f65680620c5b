"""A local share driver that holds every operation until a test says go.

Loaded by dotted path from a test's configuration. With
``racing_release_file`` set, each driver call that changes a share, a
snapshot or the access rules waits, after its caller's claim, until that
file exists (at most ``slow_local_delay`` seconds). While it waits, the
file ``held_marker(release_file, pid)`` exists, so a test can start N CLI
processes, wait until each has either exited (refused) or is held in the
driver (won its claim), and only then let the winners finish: the claims
overlap however slowly the processes start, with no timing guess.
"""

import os
import time

from oslo_config import cfg

from storagemgr.tests.functional.share import slow_local

racing_opts = [
    cfg.StrOpt('racing_release_file', default='',
               help='Driver calls wait until this file exists.'),
]

POLL = 0.05


def held_marker(release_file, pid):
    """The file that says process ``pid`` waits for ``release_file``."""
    return '%s.held.%d' % (release_file, pid)


class RacingLocalShareDriver(slow_local.SlowLocalShareDriver):

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.configuration.append_config_values(racing_opts)

    @staticmethod
    def get_driver_options():
        return (slow_local.SlowLocalShareDriver.get_driver_options() +
                racing_opts)

    def _stall(self):
        release = self.configuration.safe_get('racing_release_file')
        if not release:
            return super()._stall()
        limit = self.configuration.safe_get('slow_local_delay') or 0
        deadline = time.monotonic() + limit
        marker = held_marker(release, os.getpid())
        with open(marker, 'w'):
            pass
        try:
            while not os.path.exists(release) and \
                    time.monotonic() < deadline:
                time.sleep(POLL)
        finally:
            os.unlink(marker)

    def extend_share(self, share, new_size, share_server=None):
        self._stall()
        return super().extend_share(share, new_size, share_server)

    def shrink_share(self, share, new_size, share_server=None):
        self._stall()
        return super().shrink_share(share, new_size, share_server)

    def create_snapshot(self, context, snapshot, share_server=None):
        self._stall()
        return super().create_snapshot(context, snapshot, share_server)

    def delete_snapshot(self, context, snapshot, share_server=None):
        self._stall()
        return super().delete_snapshot(context, snapshot, share_server)

    def revert_to_snapshot(self, context, snapshot, share_access_rules,
                           snapshot_access_rules, share_server=None):
        self._stall()
        return super().revert_to_snapshot(
            context, snapshot, share_access_rules, snapshot_access_rules,
            share_server)

    def update_access(self, context, share, access_rules, add_rules,
                      delete_rules, share_server=None):
        self._stall()
        return super().update_access(context, share, access_rules,
                                     add_rules, delete_rules, share_server)
