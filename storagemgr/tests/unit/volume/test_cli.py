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


class TestVolumeSchedulingCLI(fixtures.CLITestCase):
    """Placement by volume type and capacity refusals, as a user sees them.

    ``b1`` holds 10 GiB without over-subscription; ``b2`` is roomy.
    """

    enabled_backends = 'b1,b2'
    sections = ('[b1]\nvolume_driver = fake\nfake_total_capacity_gb = 10\n'
                'max_over_subscription_ratio = 1\n'
                '[b2]\nvolume_driver = fake\n')

    def refused(self, *args, expect=None):
        before = self.json('volume', 'list', '--long')
        rc, out, err = self.cli(*args)
        self.assertOneLineError(rc, out, err, expect)
        self.assertEqual(before, self.json('volume', 'list', '--long'))
        return err

    def backend_of(self, volume):
        host = self.json('volume', 'show', volume)['host']
        return host.split('@', 1)[1].split('#', 1)[0]

    def test_type_places_by_backend_name_every_time(self):
        self.json('volume', 'type', 'create', 'fast',
                  '--property', 'volume_backend_name=b2')
        for i in range(4):
            volume = self.json('volume', 'create', '--size', '1',
                               '--volume-type', 'fast', 'v%d' % i)
            self.assertEqual('fast', volume['volume_type'])
            self.assertEqual('b2', self.backend_of(volume['id']))
        listed = self.json('volume', 'list', '--long')
        self.assertEqual({'fast'}, {v['volume_type'] for v in listed})

    def test_no_valid_host_one_line_nothing_creating(self):
        self.json('volume', 'type', 'create', 'nowhere',
                  '--property', 'volume_backend_name=b9')
        err = self.refused('volume', 'create', '--size', '1',
                           '--volume-type', 'nowhere', 'v',
                           expect='No valid host')
        self.assertIn('b9', err)
        self.assertEqual([], self.json('volume', 'list'))

    def test_capacity_refusals_one_line(self):
        self.json('volume', 'create', '--size', '8', '--backend', 'b1', 'v')
        self.refused('volume', 'create', '--size', '3', '--backend', 'b1',
                     'w', expect='b1')
        self.refused('volume', 'set', '--size', '11', 'v',
                     expect='cannot grow from 8 to 11 GiB')
        self.refused('volume', 'create', '--size', '99999999', 'huge',
                     expect='CapacityFilter')
        self.assertEqual(10, self.json('volume', 'set', '--size', '10',
                                       'v')['size'])

    def test_unknown_type_one_line(self):
        self.refused('volume', 'create', '--size', '1', '--volume-type',
                     'gold', 'v', expect='gold')
