"""Bad input through ``storagemgr volume`` / ``consistency group``.

Run in process, as storagemgr/tests/unit/cli does: every refusal is one
``ERROR:`` line, no traceback, and nothing changes.
"""

import json

import ddt

from storagemgr.tests.unit.cli import fixtures

HUGE = '99999999999999999999'


@ddt.ddt
class TestVolumeCLIBadInput(fixtures.CLITestCase):

    enabled_backends = 'b1'
    sections = '[b1]\nvolume_driver = fake\n'

    def json(self, *args):
        rc, out, err = self.cli(*(args + ('-f', 'json')))
        self.assertEqual(0, rc, err)
        return json.loads(out)

    def state(self):
        return [self.json(*noun, 'list') for noun in (
            ('volume',), ('volume', 'snapshot'), ('consistency', 'group'),
            ('consistency', 'group', 'snapshot'))]

    def refused(self, *args, expect=None):
        before = self.state()
        rc, out, err = self.cli(*args)
        self.assertOneLineError(rc, out, err, expect)
        self.assertEqual(before, self.state())
        return err

    def test_huge_size_names_the_value(self):
        err = self.refused('volume', 'create', '--size', HUGE, 'v',
                           expect=HUGE)
        self.assertNotIn('DBError', err)
        self.json('volume', 'create', '--size', '1', 'v')
        self.refused('volume', 'set', '--size', HUGE, 'v', expect=HUGE)

    @ddt.data(('volume', 'create', '--size', '1'),
              ('consistency', 'group', 'create'))
    def test_long_name_refused(self, command):
        self.refused(*(command + ('n' * 5000,)), expect='255')

    def test_long_snapshot_names_refused(self):
        self.json('consistency', 'group', 'create', 'g')
        self.json('volume', 'create', '--size', '1',
                  '--consistency-group', 'g', 'v')
        self.refused('volume', 'snapshot', 'create', '--volume', 'v',
                     's' * 5000, expect='255')
        self.refused('consistency', 'group', 'snapshot', 'create',
                     '--consistency-group', 'g', 's' * 5000, expect='255')

    def test_second_group_refusal_names_volume_and_group(self):
        group = self.json('consistency', 'group', 'create', 'a')
        self.json('consistency', 'group', 'create', 'b')
        volume = self.json('volume', 'create', '--size', '1', 'v')
        self.json('consistency', 'group', 'add', 'volume', 'a', 'v')
        err = self.refused('consistency', 'group', 'add', 'volume', 'b',
                           'v', expect=volume['id'])
        self.assertIn(group['id'], err)
