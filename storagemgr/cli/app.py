"""The ``storagemgr`` command (cliff).

Commands are ``storagemgr <noun> [<noun>] <verb>``, as in the OpenStack
client, registered under the ``storagemgr.cli`` entry points. Each command
calls the service layer; none talks to drivers or the database itself.
"""

from importlib import metadata
import sys

from cliff import app
from cliff import commandmanager
from oslo_config import cfg

from storagemgr.backend import process_registry
from storagemgr.backend import registry as backend_registry
from storagemgr import common_setup
from storagemgr import context as sm_context
from storagemgr import exception
from storagemgr import version

CONF = cfg.CONF


class LazyCommandManager(commandmanager.CommandManager):
    """Finds the commands by their entry points; imports only the one run.

    cliff's manager imports every command module to list them, and with
    them every service layer: about 2.4 of the 3 s a command took. Cliff
    itself loads the entry point of the command it runs.
    """

    def load_commands(self, namespace):
        self.group_list.append(namespace)
        for entry_point in metadata.entry_points(group=namespace):
            name = (entry_point.name.replace('_', ' ')
                    if self.convert_underscores else entry_point.name)
            self.commands[name] = entry_point


class StorageManagerApp(app.App):

    def __init__(self):
        super().__init__(
            description='Manage storage backends: shares, volumes and '
                        'consistency groups, and storage monitoring.',
            version=version.version_info.version_string(),
            command_manager=LazyCommandManager('storagemgr.cli'),
            deferred_help=True)
        self._registry = None
        self.context = sm_context.get_admin_context()
        self._configured = False

    def build_option_parser(self, description, version, argparse_kwargs=None):
        parser = super().build_option_parser(description, version,
                                             argparse_kwargs)
        parser.add_argument('--config-file', action='append', default=[],
                            metavar='PATH',
                            help='Configuration file to use (repeatable). '
                                 'Default: the first storagemgr.conf found '
                                 'in ~/.storagemgr, ~, /etc/storagemgr and '
                                 '/etc; with none, the embedded default.')
        parser.add_argument('--config-dir', action='append', default=[],
                            metavar='DIR',
                            help='Directory of *.conf files to read after '
                                 'the configuration files.')
        return parser

    def configure_logging(self):
        # oslo.log replaces cliff's logging set-up (see initialize_app).
        pass

    def initialize_app(self, argv):
        if self._configured:
            return
        common_setup.parse_config(
            [], config_files=self.options.config_file,
            config_dirs=self.options.config_dir)
        common_setup.setup_logging(
            debug=self.options.debug, log_file=self.options.log_file,
            quiet=self.options.verbose_level <= 1)
        common_setup.prepare_state_path()
        self._configured = True

    @property
    def registry(self):
        """Backends of the configuration; validates it on first use."""
        if self._registry is None:
            self._registry = backend_registry.BackendRegistry(CONF)
            process_registry.use_registry(self._registry)
        return self._registry


class _ErrorReporter(object):
    """Stands in for cliff's logger: user errors as one plain line.

    cliff reports a failing command through ``LOG.error(exc)`` (and
    ``LOG.exception`` with --debug). A storagemgr error's message already
    names the culprit, so it is printed as is; anything else gets its
    class name too, because it is probably a bug.
    """

    def __init__(self, logger):
        self._logger = logger

    def error(self, err, *args, **kwargs):
        if isinstance(err, exception.StorageManagerException):
            text = str(err)
        elif isinstance(err, BaseException):
            text = '%s: %s' % (type(err).__name__, err)
        else:
            text = str(err) % args if args else str(err)
        sys.stderr.write('ERROR: %s\n' % text.replace('\n', ' ').strip())

    def __getattr__(self, name):
        return getattr(self._logger, name)


def main(argv=None):
    if argv is None:
        argv = sys.argv[1:]
    application = StorageManagerApp()
    application.LOG = _ErrorReporter(application.LOG)
    return application.run(argv)


if __name__ == '__main__':
    sys.exit(main())
