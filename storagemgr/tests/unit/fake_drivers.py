"""Minimal drivers for the foundation's tests (not the bundled fakes).

They record the calls the backend machinery makes and can be told to
fail, so the tests see exactly what setup, retries and stats do.
"""

from oslo_config import cfg

CALLS = []


class RecordingShareDriver(object):
    """Records setup calls; fails ``fail_setup_times`` times first."""

    fail_setup_times = 0
    failure = RuntimeError

    def __init__(self, configuration=None):
        self.configuration = configuration
        CALLS.append(('init', configuration.config_group))

    @staticmethod
    def get_driver_options():
        return [cfg.IntOpt('recording_pool_count', default=1, min=1,
                           help='Pools to report.')]

    def do_setup(self, context):
        CALLS.append(('do_setup', self.configuration.config_group))
        cls = type(self)
        if cls.fail_setup_times > 0:
            cls.fail_setup_times -= 1
            raise cls.failure('setup failed on purpose')

    def check_for_setup_error(self):
        CALLS.append(('check_for_setup_error',
                      self.configuration.config_group))

    def get_share_stats(self, refresh=False):
        count = self.configuration.recording_pool_count
        return {'share_backend_name': self.configuration.config_group,
                'driver_version': '1.0',
                'pools': [{'pool_name': 'pool%d' % i,
                           'total_capacity_gb': 10}
                          for i in range(count)]}


class RecordingVolumeDriver(RecordingShareDriver):

    def get_volume_stats(self, refresh=False):
        return {'volume_backend_name': self.configuration.config_group,
                'pools': []}


class BrokenShareDriver(RecordingShareDriver):
    """Always fails setup, with a class that is not storagemgr's."""

    def do_setup(self, context):
        raise KeyError('no such array')
