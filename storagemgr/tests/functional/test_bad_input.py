"""Hostile and mistaken input to the installed CLI changes nothing.

Every row of the table runs one ``storagemgr`` command against a state
directory holding one of everything (a share with a file, a snapshot and
an access rule; a volume and its snapshot; a consistency group with a
member and a group snapshot; a simulator scannable), and asserts:

* the command exits non-zero with exactly one line, ``ERROR: ...``, that
  names the culprit (the field or the value), and no traceback;
* nothing changed: the output of every ``list`` command (shares, share
  snapshots, the share's access rules, volumes, volume snapshots, groups,
  group snapshots, scannables, messages), every row of every database
  table, and the files under the state directory (contents too under the
  backends' roots) are what they were before the command.

Nothing here changes the state, so the fixture is built once per class
(per test process) and shared: each row compares with the state the row
before it left.
"""

import hashlib
import os
import shutil
import sqlite3
import tempfile

import ddt
import testtools
from testtools import matchers

from storagemgr.tests.functional import base
from storagemgr.tests.functional import cli_batch

CONFIG = """[DEFAULT]
state_path = @STATE@
enabled_backends = b1,v1

[b1]
share_driver = local

[v1]
volume_driver = local
"""

LONG = 'n' * 5000
HUGE = '99999999999999999999'

# Placeholders filled from the fixture: {share}, {share_snapshot}, {rule},
# {volume}, {volume_snapshot}, {cg}, {cgsnapshot}, {scannable}, {root}
# (the share backend's root directory) and {state} (the state directory).
CASES = [
    # -- share sizes, protocols, names, options --
    ['share_size_huge', ('share', 'create', 'NFS', HUGE), ('size', HUGE)],
    ['share_size_negative', ('share', 'create', 'NFS', '-1'),
     ('size', '-1')],
    ['share_size_fraction', ('share', 'create', 'NFS', '1.5'),
     ('size', '1.5')],
    ['share_size_zero', ('share', 'create', 'NFS', '0'), ('size',)],
    ['share_proto_unknown', ('share', 'create', 'XYZ', '1'), ('XYZ',)],
    ['share_name_5000', ('share', 'create', 'NFS', '1', '--name', LONG),
     ('name',)],
    ['share_name_newline', ('share', 'create', 'NFS', '1', '--name',
                            'a\nb'), ('name',)],
    ['share_name_escape', ('share', 'create', 'NFS', '1', '--name',
                           '\x1b[31mred'), ('name',)],
    ['share_name_bidi_override', ('share', 'create', 'NFS', '1',
                                  '--name', 'abc\u202egpj.exe'), ('name',)],
    ['share_property_no_value', ('share', 'create', 'NFS', '1',
                                 '--property', 'novalue'),
     ('--property', 'novalue')],
    ['share_backend_unknown', ('share', 'create', 'NFS', '1', '--backend',
                               'nope'), ('nope',)],
    ['share_backend_of_volumes', ('share', 'create', 'NFS', '1',
                                  '--backend', 'v1'), ('v1',)],
    ['share_from_missing_snapshot', ('share', 'create', 'NFS', '1',
                                     '--snapshot-id', 'ghost'), ('ghost',)],
    ['share_snapshot_name_5000', ('share', 'snapshot', 'create', '{share}',
                                  '--name', LONG), ('name',)],
    ['share_snapshot_name_control', ('share', 'snapshot', 'create',
                                     '{share}', '--name', 'a\rb'),
     ('name',)],
    # -- access rules --
    ['access_ip_shell_injection', ('share', 'access', 'create', '{share}',
                                   'ip', '10.0.0.1; rm -rf /'),
     ('10.0.0.1; rm -rf /',)],
    ['access_ip_prefix_33', ('share', 'access', 'create', '{share}', 'ip',
                             '10.0.0.0/33'), ('10.0.0.0/33',)],
    ['access_ip_newline', ('share', 'access', 'create', '{share}', 'ip',
                           '10.0.0.1\n10.0.0.2'), ('10.0.0.1',)],
    ['access_ip_exports_options', ('share', 'access', 'create', '{share}',
                                   'ip', '10.0.0.1 *(rw,no_root_squash)'),
     ('no_root_squash',)],
    ['access_user_space', ('share', 'access', 'create', '{share}', 'user',
                           'a b'), ("'a b'",)],
    ['access_user_substitution', ('share', 'access', 'create', '{share}',
                                  'user', 'x$(id)'), ('x$(id)',)],
    ['access_type_unknown', ('share', 'access', 'create', '{share}', 'xyz',
                             '10.0.0.1'), ('xyz',)],
    ['access_level_unknown', ('share', 'access', 'create', '{share}', 'ip',
                              '10.0.0.1', '--access-level', 'rwx'),
     ('rwx',)],
    ['access_duplicate', ('share', 'access', 'create', '{share}', 'ip',
                          '10.0.0.9'), ('10.0.0.9', 'exists')],
    ['access_deny_missing', ('share', 'access', 'delete', '{share}',
                             'ghost-rule'), ('ghost-rule',)],
    ['access_on_missing_share', ('share', 'access', 'create', 'ghost', 'ip',
                                 '10.0.0.1'), ('ghost',)],
    # -- adopt: export path injections --
    ['adopt_relative_dotdot', ('share', 'adopt', 'b1', 'NFS', '../../etc'),
     ('../../etc',)],
    ['adopt_dotdot_under_root', ('share', 'adopt', 'b1', 'NFS',
                                 'host:{root}/../../../etc'),
     ('../../../etc',)],
    ['adopt_newline', ('share', 'adopt', 'b1', 'NFS',
                       'host:{root}/x\n/etc'), ('export path',)],
    ['adopt_unknown_backend', ('share', 'adopt', 'nope', 'NFS',
                               'host:{root}/x'), ('nope',)],
    ['snapshot_adopt_dotdot', ('share', 'snapshot', 'adopt', '{share}',
                               '{root}/.snapshots/../../../etc'),
     ('../../../etc',)],
    # -- resize, revert, delete --
    ['share_resize_huge', ('share', 'resize', '{share}', HUGE),
     ('new size', HUGE)],
    ['share_resize_word', ('share', 'resize', '{share}', 'big'), ('big',)],
    ['share_resize_same', ('share', 'resize', '{share}', '1'),
     ('{share}', '1 GiB')],
    ['share_resize_missing', ('share', 'resize', 'ghost', '2'), ('ghost',)],
    ['share_revert_missing', ('share', 'revert', 'ghost'), ('ghost',)],
    ['share_delete_with_snapshot', ('share', 'delete', '{share}'),
     ('{share}', 'snapshot')],
    ['share_delete_missing', ('share', 'delete', 'ghost'), ('ghost',)],
    ['share_delete_empty_id', ('share', 'delete', ''), ('share',)],
    ['share_show_empty_id', ('share', 'show', ''), ('share',)],
    ['share_snapshot_delete_missing', ('share', 'snapshot', 'delete',
                                       'ghost'), ('ghost',)],
    # -- volumes and snapshots --
    ['volume_size_huge', ('volume', 'create', '--size', HUGE, 'v'),
     ('size', HUGE)],
    ['volume_size_zero', ('volume', 'create', '--size', '0', 'v'),
     ('size',)],
    ['volume_name_5000', ('volume', 'create', '--size', '1', LONG),
     ('name',)],
    ['volume_name_newline', ('volume', 'create', '--size', '1', 'a\nb'),
     ('name',)],
    ['volume_backend_unknown', ('volume', 'create', '--size', '1',
                                '--backend', 'nope', 'v'), ('nope',)],
    ['volume_grow_huge', ('volume', 'set', '--size', HUGE, '{volume}'),
     ('size', HUGE)],
    ['volume_delete_missing', ('volume', 'delete', 'ghost'), ('ghost',)],
    ['volume_show_empty_id', ('volume', 'show', ''), ('Volume', "''")],
    ['volume_snapshot_name_5000', ('volume', 'snapshot', 'create',
                                   '--volume', '{volume}', LONG),
     ('name',)],
    ['volume_snapshot_name_control', ('volume', 'snapshot', 'create',
                                      '--volume', '{volume}', 'a\x07b'),
     ('name',)],
    ['volume_snapshot_of_missing', ('volume', 'snapshot', 'create',
                                    '--volume', 'ghost', 's'), ('ghost',)],
    # -- consistency groups --
    ['group_name_5000', ('consistency', 'group', 'create', LONG),
     ('name',)],
    ['group_name_tab', ('consistency', 'group', 'create', 'a\tb'),
     ('name',)],
    ['group_snapshot_name_5000', ('consistency', 'group', 'snapshot',
                                  'create', '--consistency-group', '{cg}',
                                  LONG), ('name',)],
    ['group_snapshot_of_missing', ('consistency', 'group', 'snapshot',
                                   'create', '--consistency-group', 'ghost',
                                   's'), ('ghost',)],
    ['group_add_missing_volume', ('consistency', 'group', 'add', 'volume',
                                  '{cg}', 'ghost'), ('ghost',)],
    ['group_delete_missing', ('consistency', 'group', 'delete', 'ghost'),
     ('ghost',)],
    # -- storage scannables --
    ['scannable_state_file_relative', (
        'storage', 'scannable', 'add', '--plugin', 'simulator', '--class',
        'Couplet', 'state_file=../../etc/passwd'),
     ('state_file', '../../etc/passwd')],
    ['scannable_state_file_dotdot', (
        'storage', 'scannable', 'add', '--plugin', 'simulator', '--class',
        'Couplet', 'state_file={state}/../../etc/passwd'),
     ('state_file',)],
    ['scannable_plugin_unknown', (
        'storage', 'scannable', 'add', '--plugin', 'nosuch', '--class',
        'Couplet', 'state_file={state}/other.json'), ('nosuch',)],
    ['scannable_remove_missing', ('storage', 'scannable', 'remove',
                                  '999999'), ('999999',)],
]

LISTS = [
    ('share', 'list'),
    ('share', 'snapshot', 'list'),
    ('share', 'access', 'list', '{share}'),
    ('volume', 'list'),
    ('volume', 'snapshot', 'list'),
    ('consistency', 'group', 'list'),
    ('consistency', 'group', 'snapshot', 'list'),
    ('storage', 'scannable', 'list'),
    ('message', 'list'),
]

# Files whose bytes change without a state change (SQLite's own).
DATABASE_FILES = ('storagemgr.sqlite', 'storagemgr.sqlite-wal',
                  'storagemgr.sqlite-shm')
# Directories whose files are compared by mode, size and modification
# time, and byte for byte when small (volume files are GiBs, sparse).
BACKEND_ROOTS = ('shares', 'volumes', 'exports')
HASHED_SIZE = 1 << 20


def changes(before, after, where=''):
    """What differs between two dumps, as readable lines."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in sorted(set(before) | set(after), key=str):
            if key not in after:
                found.append('%s/%s: gone (was %r)' % (where, key,
                                                       before[key]))
            elif key not in before:
                found.append('%s/%s: new: %r' % (where, key, after[key]))
            else:
                found += changes(before[key], after[key],
                                 '%s/%s' % (where, key))
        return found
    if isinstance(before, list) and isinstance(after, list):
        found = ['%s: gone: %r' % (where, item) for item in before
                 if item not in after]
        found += ['%s: new: %r' % (where, item) for item in after
                  if item not in before]
        if not found and before != after:
            found.append('%s: reordered' % where)
        return found
    if before != after:
        return ['%s: %r -> %r' % (where, before, after)]
    return []


@ddt.ddt
class TestBadInput(base.FunctionalTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.state_dir = tempfile.mkdtemp(prefix='sm-bad-input-')
        try:
            cls._build_fixture()
        except Exception:
            cls._clean_up_class()
            raise

    @classmethod
    def _build_fixture(cls):
        cls.config_file = os.path.join(cls.state_dir, 'storagemgr.conf')
        with open(cls.config_file, 'w') as f:
            f.write(CONFIG.replace('@STATE@', cls.state_dir))
        cls.server = None
        array = os.path.join(cls.state_dir, 'array.json')
        commands = [
            ('share', 'create', 'NFS', '1', '--name', 'sh'),
            ('share', 'snapshot', 'create', 'sh', '--name', 'ss'),
            ('share', 'access', 'create', 'sh', 'ip', '10.0.0.9'),
            ('volume', 'create', '--size', '1', 'vol'),
            ('volume', 'snapshot', 'create', '--volume', 'vol', 'vs'),
            ('consistency', 'group', 'create', 'cg'),
            ('volume', 'create', '--size', '1', '--consistency-group', 'cg',
             'm1'),
            ('consistency', 'group', 'snapshot', 'create',
             '--consistency-group', 'cg', 'cgs'),
            ('storage', 'scannable', 'add', '--plugin', 'simulator',
             '--class', 'Couplet', 'state_file=%s' % array),
        ]
        results = cli_batch.run_in_subprocess(
            cls.config_file, [c + ('-f', 'json') for c in commands],
            cwd=cls.state_dir)
        for command, result in zip(commands, results):
            if result.rc:
                raise RuntimeError('fixture: %s failed: %s' % (
                    ' '.join(command), result.err))
        if len(results) != len(commands):
            raise RuntimeError('fixture: not every command ran')
        made = [r.json() for r in results]
        cls.ids = {
            'share': made[0]['id'], 'share_snapshot': made[1]['id'],
            'rule': made[2]['id'], 'volume': made[3]['id'],
            'volume_snapshot': made[4]['id'], 'cg': made[5]['id'],
            'cgsnapshot': made[7]['id'], 'scannable': str(made[8]['id']),
            'root': os.path.join(cls.state_dir, 'shares', 'b1'),
            'state': cls.state_dir,
        }
        share_dir = made[0]['export_locations'][0]['path'].split(':', 1)[1]
        with open(os.path.join(share_dir, 'data'), 'wb') as f:
            f.write(b'precious bytes\n')
        cls.server = cli_batch.BatchServer(cwd=cls.state_dir)
        cls.last_state = None

    @classmethod
    def _clean_up_class(cls):
        if getattr(cls, 'server', None) is not None:
            cls.server.close()
        shutil.rmtree(cls.state_dir, True)

    @classmethod
    def tearDownClass(cls):
        cls._clean_up_class()
        super().tearDownClass()

    def setUp(self):
        # Not FunctionalTestCase.setUp: the state directory is the class's.
        testtools.TestCase.setUp(self)
        self.state_path = self.state_dir
        self.conf = self.config_file
        if type(self).last_state is None:
            type(self).last_state = self.dump()

    def fill(self, text):
        return text.format(**self.ids)

    # -- the state ---------------------------------------------------------

    def dump(self):
        return {'cli': self._cli_lists(), 'db': self._db_rows(),
                'files': self._files()}

    def _cli_lists(self):
        commands = [tuple(self.fill(a) for a in c) + ('-f', 'json')
                    for c in LISTS]
        results = self.server.run(self.conf, commands, stop_on_error=False)
        dumped = {}
        for command, result in zip(LISTS, results):
            self.assertEqual(0, result.rc, (command, result.err))
            dumped[' '.join(command)] = result.json()
        return dumped

    def _db_rows(self):
        path = os.path.join(self.state_dir, 'storagemgr.sqlite')
        connection = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
        try:
            tables = [row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "ORDER BY name")]
            return {table: sorted(repr(row) for row in connection.execute(
                'SELECT * FROM "%s"' % table)) for table in tables}
        finally:
            connection.close()

    def _files(self):
        found = {}
        for directory, _dirs, files in os.walk(self.state_dir):
            for name in files:
                full = os.path.join(directory, name)
                relative = os.path.relpath(full, self.state_dir)
                if relative in DATABASE_FILES:
                    continue
                found[relative] = None
                if relative.split(os.sep)[0] in BACKEND_ROOTS:
                    found[relative] = self._fingerprint(full)
        return found

    @staticmethod
    def _fingerprint(path):
        info = os.stat(path)
        digest = None
        if info.st_size <= HASHED_SIZE:
            with open(path, 'rb') as f:
                digest = hashlib.sha256(f.read()).hexdigest()
        return (info.st_mode, info.st_size, info.st_mtime_ns, digest)

    # -- the table ---------------------------------------------------------

    @ddt.named_data(*CASES)
    def test_refused_without_change(self, args, culprits):
        args = [self.fill(a) for a in args]
        culprits = [self.fill(c) for c in culprits]
        before = type(self).last_state
        result = self.cli(*args)
        after = self.dump()
        type(self).last_state = after
        self.expectThat(changes(before, after), matchers.Equals([]),
                        'the state changed')
        self.assertRefused(result, *culprits)
        self.assertEqual('', result.out)
        lines = result.err.splitlines()
        self.assertEqual(1, len(lines), result.err)
        self.assertTrue(lines[0].startswith('ERROR: '), result.err)
