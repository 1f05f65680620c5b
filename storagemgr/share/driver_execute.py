"""Running backend commands from share drivers, with retries.

Commands are always argument lists run without a shell, so nothing a user
typed can be read as shell syntax.
"""

import time

from oslo_log import log as logging

from storagemgr import exception

LOG = logging.getLogger(__name__)


def execute(*cmd, **kwargs):
    """Run ``cmd`` (an argument list, no shell); return (stdout, stderr).

    :raises ProcessExecutionError: the command failed or could not start.
    """
    # Imported on use: processutils imports oslo_utils.strutils, about
    # 80 ms, and most CLI commands load a driver without running anything.
    from oslo_concurrency import processutils

    kwargs.pop('shell', None)
    try:
        return processutils.execute(*cmd, **kwargs)
    except processutils.ProcessExecutionError as e:
        raise exception.ProcessExecutionError(
            stdout=e.stdout, stderr=e.stderr, exit_code=e.exit_code,
            cmd=e.cmd, description=e.description)
    except OSError as e:
        raise exception.ProcessExecutionError(
            cmd=' '.join(map(str, cmd)), exit_code=None,
            description='Could not run the command: %s' % e)


class ExecuteMixin(object):
    """Gives a driver ``_execute`` and a retrying ``_try_execute``.

    A driver that mixes this in gets it set up by ``ShareDriver.__init__``;
    an ``execute`` keyword argument replaces the runner (tests pass a fake).
    """

    def init_execute_mixin(self, *args, **kwargs):
        self.set_execute(kwargs.pop('execute', execute))
        self._retry_sleep = kwargs.pop('retry_sleep', time.sleep)

    def set_execute(self, execute):
        self._execute = execute

    def _try_execute(self, *command, **kwargs):
        """Run a command, retrying up to ``num_shell_tries`` times in all.

        Commands against a busy backend fail transiently; each retry waits
        longer (1, 4, 9... seconds). The last failure is raised.
        """
        configured = None
        if getattr(self, 'configuration', None) is not None:
            configured = self.configuration.safe_get('num_shell_tries')
        max_tries = max(1, configured or 1)
        sleep = getattr(self, '_retry_sleep', time.sleep)
        tries = 0
        while True:
            try:
                self._execute(*command, **kwargs)
                return True
            except exception.ProcessExecutionError:
                tries += 1
                if tries >= max_tries:
                    raise
                LOG.exception('Command failed (try %s of %s); retrying.',
                              tries, max_tries)
                sleep(tries ** 2)
