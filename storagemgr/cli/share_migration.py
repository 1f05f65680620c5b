"""``storagemgr share migration ...``: start, complete, cancel and show a
share's migration (as ``openstack share migration ...`` does).

The options of ``start`` are bare flags, off unless given; the OpenStack
client's form, which always takes a value (``--writable True``), is
accepted too.
"""

from storagemgr.cli import base
from storagemgr.cli import share as share_cli
from storagemgr import exception

# (option, API keyword, help) of start's yes/no options.
FLAGS = (
    ('--writable', 'writable',
     'Keep the share writable during phase 1 (phase 2 makes it read-only '
     'while the last changes are applied).'),
    ('--nondisruptive', 'nondisruptive',
     'Require clients to stay connected throughout (driver-assisted '
     'only).'),
    ('--preserve-metadata', 'preserve_metadata',
     'Keep file metadata: mode, ownership, timestamps and xattrs.'),
    ('--preserve-snapshots', 'preserve_snapshots',
     'Move the share\'s snapshots with it (driver-assisted only).'),
    ('--force-host-assisted-migration', 'force_host_assisted',
     'Copy the data through this host even when the driver could '
     'migrate the share itself.'),
)
TRUE_WORDS = ('true', 'yes', '1')
FALSE_WORDS = ('false', 'no', '0')
BAR_WIDTH = 30


def get_api(app):
    """The share migration service layer (imported when a command runs)."""
    from storagemgr.share_migration import api as migration_api

    return migration_api.API(registry=app.registry, context=app.context)


def parse_flag(value, option):
    """A flag's value: True when given bare, else a strict yes/no word."""
    if value is None or value is True:
        return bool(value)
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise exception.InvalidInput(
        reason='%s takes no value or one of True/False, yes/no, 1/0, '
               'not %r' % (option, value))


def show_record(record):
    return base.show_columns(record)


class ProgressReporter(object):
    """Renders ``progress(record)`` calls on a stream.

    On a terminal, one bar redrawn in place; elsewhere (a log, a pipe),
    one line each time the progress reaches a new 10% step, so the output
    stays short and readable.
    """

    def __init__(self, stream, share_ref):
        self.stream = stream
        self.share_ref = share_ref
        self.tty = stream.isatty()
        self.last_step = -1
        self.drawn = False

    def __call__(self, record):
        state = record.get('task_state')
        if not state:
            # Read before the start's claim committed: nothing to show.
            return
        percent = max(0, min(100, int(record.get('total_progress') or 0)))
        if self.tty:
            filled = BAR_WIDTH * percent // 100
            self.stream.write('\r[%s%s] %3d%% %s' % (
                '#' * filled, '-' * (BAR_WIDTH - filled), percent, state))
            self.drawn = True
        elif percent // 10 > self.last_step:
            self.last_step = percent // 10
            self.stream.write('share %s: %d%% %s\n' % (
                self.share_ref, percent, state))
        self.stream.flush()

    def close(self):
        """End the bar's line, so what follows starts on its own."""
        if self.drawn:
            self.stream.write('\n')
            self.stream.flush()
            self.drawn = False


class ShareMigrationCommand(base.ShowOne):
    """A command on one share's migration that shows its record."""

    def get_parser(self, prog_name):
        return share_cli.add_ref(super().get_parser(prog_name), 'share',
                                 'share')

    def call(self, api, parsed_args):
        raise NotImplementedError()

    def take_action(self, parsed_args):
        return show_record(self.call(get_api(self.app), parsed_args))


class StartShareMigration(ShareMigrationCommand):
    """Start migrating a share to another pool (phase 1)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('destination_host',
                            metavar='<host@backend#pool>',
                            help='Destination pool (see share pool list).')
        for option, dest, text in FLAGS:
            parser.add_argument(option, dest=dest, nargs='?', const=True,
                                metavar='<True|False>', help=text)
        parser.add_argument('--new-share-type', metavar='<share-type>',
                            help='Share type (name or id) the share has '
                                 'on the destination.')
        parser.add_argument('--wait', action='store_true',
                            help='Wait for phase 1 to end, with a '
                                 'progress bar on stderr.')
        return parser

    def call(self, api, parsed_args):
        flags = {dest: parse_flag(getattr(parsed_args, dest), option)
                 for option, dest, _text in FLAGS}
        reporter = None
        if parsed_args.wait:
            reporter = ProgressReporter(self.app.stderr, parsed_args.share)
        try:
            return api.start(parsed_args.share, parsed_args.destination_host,
                             new_share_type=parsed_args.new_share_type,
                             wait=parsed_args.wait, progress=reporter,
                             **flags)
        finally:
            if reporter:
                reporter.close()


class CompleteShareMigration(ShareMigrationCommand):
    """Complete a share's migration (phase 2): cut over to the destination."""

    def call(self, api, parsed_args):
        return api.complete(parsed_args.share)


class CancelShareMigration(ShareMigrationCommand):
    """Cancel a share's migration; the share stays where it was."""

    def call(self, api, parsed_args):
        return api.cancel(parsed_args.share)


class ShowShareMigration(ShareMigrationCommand):
    """Show a share's migration: task state, progress, method, hosts..."""

    def call(self, api, parsed_args):
        return api.show(parsed_args.share)
