"""The ``storagemgr`` command (cliff).

Commands are ``storagemgr <noun> [<noun>] <verb>``, as in the OpenStack
client, registered under the ``storagemgr.cli`` entry points. Each command
calls the service layer; none talks to drivers or the database itself.
"""

from importlib import metadata
import inspect
import sys
import traceback

from autopage import argparse as autopage_argparse
from cliff import app
from cliff import commandmanager
from cliff import help as cliff_help
from oslo_config import cfg

from storagemgr.cli import base
from storagemgr import common_setup
from storagemgr import context as sm_context
from storagemgr import exception
from storagemgr import version

CONF = cfg.CONF
DISTRIBUTION = 'storagemgr'


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


def print_command_list(application, out, debug=False):
    """One line per command: its name and the first line of its help.

    What cliff's help action prints, but a command's distribution comes
    from its entry point: cliff maps every installed module to its
    distribution for that (``packages_distributions``, about 0.2 s, most
    of what ``--help`` took once the commands were cheap to import).
    """
    for name, entry_point in sorted(application.command_manager):
        try:
            factory = entry_point.load()
        except Exception:
            out.write('Could not load %r\n' % (entry_point,))
            if debug:
                traceback.print_exc(file=out)
            continue
        kwargs = {}
        if 'cmd_name' in inspect.getfullargspec(factory.__init__).args:
            kwargs['cmd_name'] = name
        try:
            cmd = factory(application, None, **kwargs)
        except Exception as e:
            out.write('Could not instantiate %r: %s\n' % (entry_point, e))
            if debug:
                traceback.print_exc(file=out)
            continue
        if cmd.deprecated:
            continue
        summary = cmd.get_description().split('\n')[0].rstrip('.')
        plugin = _distribution(entry_point, factory)
        plugin = ' (%s)' % plugin if plugin != DISTRIBUTION else ''
        out.write('  %-13s  %s%s\n' % (name, summary, plugin))


def _distribution(entry_point, factory):
    """Who provides a command.

    storagemgr for its own modules (reading a distribution's name parses
    its metadata file: 0.1 s for all the commands); else its entry
    point's distribution or, for a command added in code (cliff's
    ``complete``), its module's top package.
    """
    package = factory.__module__.partition('.')[0]
    if package == DISTRIBUTION:
        return DISTRIBUTION
    dist = getattr(entry_point, 'dist', None)
    if dist is not None and dist.name:
        return dist.name.lower()
    return package


def print_help(application):
    """``storagemgr --help``: the options, then the commands."""
    pager = autopage_argparse.help_pager(application.stdout)
    autopage_argparse.use_color_for_parser(application.parser,
                                           pager.to_terminal())
    with pager as out:
        application.parser.print_help(out)
        out.write('\nCommands:\n')
        print_command_list(application, out,
                           debug=application.options.debug)
    raise cliff_help.HelpExit()


class HelpCommand(base.OwnEpilog, cliff_help.HelpCommand):
    """print detailed help for another command"""

    def take_action(self, parsed_args):
        if not parsed_args.cmd:
            print_help(self.app)
        return super().take_action(parsed_args)


class StorageManagerApp(app.App):

    def __init__(self):
        super().__init__(
            description='Manage storage backends: shares, volumes and '
                        'consistency groups, and storage monitoring.',
            version=version.version_info.version_string(),
            command_manager=LazyCommandManager('storagemgr.cli'),
            deferred_help=True)
        # cliff's own help command looks up distributions (see
        # print_command_list).
        self.command_manager.add_command('help', HelpCommand)
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

    def print_help_if_requested(self):
        if self.deferred_help and self.options.deferred_help:
            print_help(self)

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
        """Backends of the configuration; validates it on first use.

        The registry brings the database layer with it: imported here, so
        that ``--help`` and commands needing no backend go without.
        """
        if self._registry is None:
            from storagemgr.backend import process_registry
            from storagemgr.backend import registry as backend_registry

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
