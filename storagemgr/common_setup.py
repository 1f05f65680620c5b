"""Configuration and logging set-up shared by every entry point."""

import logging as std_logging
import os
import sys

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr import conf as sm_conf  # noqa: F401 - registers options
from storagemgr import exception
from storagemgr import paths
from storagemgr import version

CONF = cfg.CONF
_LOG_REGISTERED = False


def register_logging_opts(conf=CONF):
    global _LOG_REGISTERED
    if not _LOG_REGISTERED:
        logging.register_options(conf)
        # Schema upgrades on first use are routine; alembic's INFO lines
        # would only be noise on a user's terminal.
        logging.set_defaults(default_log_levels=(
            logging.get_default_log_levels() + ['alembic=WARN']))
        _LOG_REGISTERED = True


def parse_config(argv, conf=CONF, config_files=None, config_dirs=None):
    """Load configuration files and the command line into ``conf``.

    :raises ConfigurationError: on an unreadable or unparsable file.
    """
    register_logging_opts(conf)
    args = list(argv or [])
    for path in config_files or []:
        args += ['--config-file', path]
    for path in config_dirs or []:
        args += ['--config-dir', path]
    try:
        conf(args, project='storagemgr',
             version=version.version_info.version_string(),
             default_config_files=None if config_files else
             cfg.find_config_files(project='storagemgr'))
    except cfg.ConfigFilesNotFoundError as e:
        raise exception.ConfigurationError(
            reason='configuration file not found or unreadable: %s' %
            ', '.join(e.config_files))
    except cfg.ConfigFileParseError as e:
        raise exception.ConfigurationError(
            reason='cannot parse configuration file %s: %s' % (
                e.config_file, e.msg))
    except cfg.Error as e:
        raise exception.ConfigurationError(reason=str(e))


def setup_logging(conf=CONF, debug=False, log_file=None, quiet=False):
    """Set up oslo.log; CLI runs log warnings and above to stderr only.

    Passwords and other options marked secret never reach the log: oslo.log
    masks them when the configuration is logged.
    """
    if debug:
        conf.set_override('debug', True)
    if log_file:
        conf.set_override('log_file', log_file)
    if not conf.log_file:
        # Never to stdout: scripts parse what the CLI prints there.
        conf.set_override('use_stderr', True)
    logging.setup(conf, 'storagemgr')
    if quiet and not conf.debug:
        std_logging.getLogger().setLevel(std_logging.WARNING)
    if conf.debug:
        conf.log_opt_values(logging.getLogger(__name__), std_logging.DEBUG)


def prepare_state_path(conf=CONF):
    """Create state_path, mode 0700, before anything writes there."""
    try:
        paths.ensure_private_dir(conf.state_path)
        os.chmod(conf.state_path, 0o700)
    except OSError as e:
        raise exception.ConfigurationError(
            reason='state_path %s is not usable: %s' % (
                conf.state_path, e.strerror))


def fail(message, code=1):
    """Print a user-facing error on one line and exit."""
    sys.stderr.write('ERROR: %s\n' % str(message).replace('\n', ' '))
    sys.exit(code)
