"""``storagemgr share migration ...``: argument parsing and output against
a mocked service layer, and a few commands against the real one.
"""

import io
import json
from unittest import mock

import ddt

from storagemgr.cli import app
from storagemgr import exception
from storagemgr.tests.unit.cli import fixtures

FLAG_KEYWORDS = {
    '--writable': 'writable',
    '--nondisruptive': 'nondisruptive',
    '--preserve-metadata': 'preserve_metadata',
    '--preserve-snapshots': 'preserve_snapshots',
    '--force-host-assisted-migration': 'force_host_assisted',
}
DEST = 'host1@b2#pool0'


def record(task_state='data_copying_completed', total_progress=100):
    return {'share_id': 'sid-1', 'task_state': task_state,
            'total_progress': total_progress, 'method': 'host',
            'source_host': 'host1@b1#pool0', 'destination_host': DEST,
            'writable': True, 'nondisruptive': False,
            'preserve_metadata': True, 'preserve_snapshots': False,
            'bytes_copied': 2048, 'bytes_total': 2048, 'files_copied': 2,
            'files_total': 2, 'detail': None,
            'created_at': '2024-01-01T00:00:00',
            'updated_at': '2024-01-01T00:00:05'}


def start_kwargs(**overrides):
    """What start is called with when no option is given, and overrides."""
    kwargs = dict(writable=False, nondisruptive=False,
                  preserve_metadata=False, preserve_snapshots=False,
                  force_host_assisted=False, new_share_type=None,
                  wait=False, progress=None)
    kwargs.update(overrides)
    return kwargs


class TerminalIO(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self):
        return True


def feed_progress(*percents, error=None):
    """A start() that reports these percentages, then returns (or raises)."""
    def start(share, host, progress=None, **kwargs):
        for percent in percents:
            progress(record('data_copying_in_progress', percent))
        if error:
            raise error
        return record()
    return start


@ddt.ddt
class MockedApiTestCase(fixtures.CLITestCase):
    """The commands against a mocked ``share_migration.api.API``."""

    enabled_backends = 'b1'
    sections = '[b1]\nshare_driver = local\n'

    def setUp(self):
        super().setUp()
        patcher = mock.patch('storagemgr.share_migration.api.API')
        self.api_class = patcher.start()
        self.addCleanup(patcher.stop)
        self.api = self.api_class.return_value
        for method in ('start', 'complete', 'cancel', 'show'):
            getattr(self.api, method).return_value = record()

    def start(self, *options):
        return self.json('share', 'migration', 'start', 'share1', DEST,
                         *options)

    def test_start_without_options_turns_every_flag_off(self):
        self.assertEqual(record(), self.start())
        self.api.start.assert_called_once_with('share1', DEST,
                                               **start_kwargs())
        kwargs = self.api_class.call_args.kwargs
        self.assertIsNotNone(kwargs['registry'])
        self.assertIsNotNone(kwargs['context'])

    @ddt.data(*sorted(FLAG_KEYWORDS))
    def test_a_bare_flag_turns_on_only_itself(self, option):
        self.start(option)
        self.api.start.assert_called_once_with(
            'share1', DEST, **start_kwargs(**{FLAG_KEYWORDS[option]: True}))

    def test_every_flag_and_a_new_share_type(self):
        self.start(*(sorted(FLAG_KEYWORDS) + ['--new-share-type', 't2']))
        self.api.start.assert_called_once_with(
            'share1', DEST, **start_kwargs(
                new_share_type='t2',
                **{keyword: True for keyword in FLAG_KEYWORDS.values()}))

    @ddt.data(('True', True), ('False', False), ('true', True),
              ('FALSE', False), ('yes', True), ('No', False), ('1', True),
              ('0', False))
    @ddt.unpack
    def test_the_openstack_client_form_with_a_value(self, value, expected):
        for option, keyword in sorted(FLAG_KEYWORDS.items()):
            self.api.start.reset_mock()
            self.start(option, value)
            self.api.start.assert_called_once_with(
                'share1', DEST, **start_kwargs(**{keyword: expected}))

    def test_option_equals_value(self):
        self.start('--writable=False', '--preserve-metadata=True')
        self.api.start.assert_called_once_with(
            'share1', DEST, **start_kwargs(preserve_metadata=True))

    @ddt.data('maybe', 'Truee', '2', '', 'share2')
    def test_a_bad_value_is_refused_naming_option_and_value(self, value):
        self.refused('share', 'migration', 'start', 'share1', DEST,
                     '--preserve-snapshots', value,
                     expect="--preserve-snapshots takes no value or one of "
                            "True/False, yes/no, 1/0, not %r" % value)
        self.api.start.assert_not_called()

    def test_a_refusal_of_the_api_is_one_line(self):
        self.api.start.side_effect = exception.NoValidHost(
            reason='unknown destination nohost@b9#p')
        self.refused('share', 'migration', 'start', 'share1', 'nohost@b9#p',
                     expect='unknown destination nohost@b9#p')

    def test_wait_on_a_pipe_prints_one_line_per_ten_percent_step(self):
        self.api.start.side_effect = feed_progress(0, 3, 12, 19, 47, 100)
        rc, out, err = self.cli('share', 'migration', 'start', 'share1',
                                DEST, '--wait', '-f', 'json')
        self.assertEqual(0, rc, err)
        self.assertEqual(
            ['share share1: %d%% data_copying_in_progress' % p
             for p in (0, 12, 47, 100)], err.splitlines())
        kwargs = self.api.start.call_args.kwargs
        self.assertTrue(kwargs['wait'])
        self.assertTrue(callable(kwargs['progress']))

    def cli_on_terminal(self, *args):
        out, err = io.StringIO(), TerminalIO()
        with mock.patch('sys.stdout', out), mock.patch('sys.stderr', err):
            rc = app.main(['--config-file', self.conf_path] + list(args))
        return rc, out.getvalue(), err.getvalue()

    def test_wait_on_a_terminal_draws_a_bar_in_place(self):
        self.api.start.side_effect = feed_progress(0, 50, 100)
        rc, out, err = self.cli_on_terminal(
            'share', 'migration', 'start', 'share1', DEST, '--wait')
        self.assertEqual(0, rc, err)
        self.assertEqual(
            '\r[%s]   0%% data_copying_in_progress'
            '\r[%s]  50%% data_copying_in_progress'
            '\r[%s] 100%% data_copying_in_progress\n' % (
                '-' * 30, '#' * 15 + '-' * 15, '#' * 30), err)
        self.assertIn('data_copying_completed', out)

    def test_an_error_while_waiting_starts_on_its_own_line(self):
        self.api.start.side_effect = feed_progress(
            40, error=exception.InvalidInput(reason='copy failed'))
        rc, out, err = self.cli_on_terminal(
            'share', 'migration', 'start', 'share1', DEST, '--wait')
        self.assertNotEqual(0, rc)
        bar, error = err.split('\n', 1)
        self.assertIn(' 40% ', bar)
        self.assertEqual('ERROR: Invalid input received: copy failed\n',
                         error)

    def test_without_wait_no_progress_is_drawn(self):
        rc, out, err = self.cli_on_terminal(
            'share', 'migration', 'start', 'share1', DEST)
        self.assertEqual((0, ''), (rc, err))

    @ddt.data('complete', 'cancel', 'show')
    def test_one_share_commands_show_the_record(self, verb):
        self.assertEqual(record(),
                         self.json('share', 'migration', verb, 'share1'))
        getattr(self.api, verb).assert_called_once_with('share1')
        table = self.ok('share', 'migration', verb, 'share1')
        for column in ('task_state', 'total_progress', 'destination_host',
                       'bytes_copied'):
            self.assertIn(column, table)

    def test_show_a_share_never_migrated(self):
        self.api.show.return_value = dict(
            {key: None for key in record()}, share_id='sid-1',
            total_progress=0)
        shown = self.json('share', 'migration', 'show', 'share1')
        self.assertEqual((None, 0), (shown['task_state'],
                                     shown['total_progress']))

    @ddt.data('complete', 'cancel', 'show')
    def test_one_share_commands_refuse_on_one_line(self, verb):
        getattr(self.api, verb).side_effect = exception.NotFound(
            'share nosuch not found')
        self.refused('share', 'migration', verb, 'nosuch',
                     expect='share nosuch not found')


class RealApiTestCase(fixtures.CLITestCase):
    """The commands against the real service layer: two local backends."""

    enabled_backends = 'b1,b2'
    sections = ('[b1]\nshare_driver = local\nlocal_share_root = @STATE@/r1\n'
                '[b2]\nshare_driver = local\nlocal_share_root = @STATE@/r2\n')

    def setUp(self):
        super().setUp()
        self.share = self.json('share', 'create', 'NFS', '1', '--backend',
                               'b1', '--name', 's1')

    def test_show_a_share_never_migrated(self):
        shown = self.json('share', 'migration', 'show', 's1')
        self.assertEqual((self.share['id'], None, 0),
                         (shown['share_id'], shown['task_state'],
                          shown['total_progress']))

    def test_an_unknown_destination_is_refused_on_one_line(self):
        self.refused('share', 'migration', 'start', 's1', 'nohost@b9#p',
                     '--writable', expect="'b9'")
        shown = self.json('share', 'migration', 'show', 's1')
        self.assertIsNone(shown['task_state'])

    def test_host_assisted_with_wait_reports_progress_then_completes(self):
        pool = [p['name'] for p in self.json('share', 'pool', 'list')
                if '@b2' in p['name']][0]
        rc, out, err = self.cli(
            'share', 'migration', 'start', 's1', pool, '--writable',
            '--force-host-assisted-migration', '--wait', '-f', 'json')
        self.assertEqual(0, rc, err)
        self.assertEqual('share s1: 100% data_copying_completed',
                         err.splitlines()[-1])
        self.assertEqual(('data_copying_completed', 'host', True, pool),
                         tuple(json.loads(out)[k] for k in (
                             'task_state', 'method', 'writable',
                             'destination_host')))
        done = self.json('share', 'migration', 'complete', 's1')
        self.assertEqual('migration_success', done['task_state'])
