"""A disk failure on a simulated array reaches its pool, LUNs and backend.

Drives the installed CLI only: add a simulator scannable, scan, inject a
disk failure, scan, read alerts (and the share backend configured on the
failed disk's pool), clear the fault, scan, and see everything lowered.
"""

import os

from storagemgr.tests.functional import base

_CONFIG = """[DEFAULT]
state_path = @STATE@
enabled_backends = shares

[shares]
share_driver = fake
storage_resource = %s
"""


class TestSimulatorAlerts(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.write_config('[DEFAULT]\nstate_path = @STATE@\n'
                          'enabled_backends =\n')
        self.array = os.path.join(self.state_path, 'array.json')
        added = self.cli_json('storage', 'scannable', 'add', '--plugin',
                              'simulator', '--class', 'Couplet',
                              'state_file=%s' % self.array)
        self.scannable = str(added['id'])
        self._scan()

    def _scan(self):
        result = self.cli('manager', 'run', '--once')
        self.assertEqual(0, result.rc, result.err)

    def _resources(self, class_name):
        return {r['label']: r for r in self.cli_json(
            'storage', 'resource', 'list', '--plugin', 'simulator',
            '--class', class_name)}

    def _disk_alerts(self):
        return [a for a in self.cli_json('storage', 'alert', 'list',
                                         '--active')
                if a['alert_class'] != 'offline']

    def test_disk_failure_propagates_and_clears(self):
        pools = self._resources('Pool')
        disks = self._resources('Disk')
        luns = self._resources('Lun')
        self.assertTrue(pools and disks and luns)
        pool_label = sorted(pools)[0]
        pool = pools[pool_label]
        shown = self.cli_json('storage', 'resource', 'show',
                              str(pool['id']))
        member_ids = {p['id'] for p in shown['parents']}
        disk = next(d for d in disks.values() if d['id'] in member_ids)
        pool_luns = {c['id'] for c in shown['children']}
        self.assertTrue(pool_luns)
        self.assertEqual([], self._disk_alerts())

        self.write_config(_CONFIG % pool_label)
        result = self.cli('storage', 'simulator', 'fault', self.scannable,
                          'fail-disk', disk['attributes']['serial'])
        self.assertEqual(0, result.rc, result.err)
        self._scan()

        raised = self._disk_alerts()
        on_disk = [a for a in raised if a['resource_id'] == disk['id']]
        self.assertEqual(1, len(on_disk), raised)
        affected = set(on_disk[0]['affects'])
        self.assertIn(pool['id'], affected)
        self.assertTrue(pool_luns <= affected, (pool_luns, affected))
        pool_view = self.cli_json('storage', 'resource', 'show',
                                  str(pool['id']))
        self.assertIn(on_disk[0]['id'],
                      {a['id'] for a in pool_view['alerts']})
        backend = self.cli_json('backend', 'show', 'shares')
        self.assertEqual(pool_label, backend['storage_resource'])
        self.assertIn(on_disk[0]['id'],
                      {a.get('id') for a in backend['alerts']})
        # A share on that backend reports the same health.
        share = self.cli_json('share', 'create', 'NFS', '1', '--backend',
                              'shares')
        shown_share = self.cli_json('share', 'show', share['id'])
        self.assertIn(on_disk[0]['id'],
                      {a.get('id') for a in shown_share['alerts']})

        result = self.cli('storage', 'simulator', 'clear', self.scannable)
        self.assertEqual(0, result.rc, result.err)
        self._scan()
        self.assertEqual([], self._disk_alerts())
        history = [a for a in self.cli_json('storage', 'alert', 'list')
                   if a['id'] == on_disk[0]['id']]
        self.assertEqual(1, len(history))
        self.assertFalse(history[0]['active'])
        self.assertTrue(history[0]['lowered_at'])
        self.assertEqual([], self.cli_json('backend', 'show',
                                           'shares')['alerts'])

    def test_removed_scannable_takes_its_resources(self):
        self.assertTrue(self._resources('Disk'))
        result = self.cli('storage', 'scannable', 'remove', self.scannable)
        self.assertEqual(0, result.rc, result.err)
        self.assertEqual({}, self._resources('Disk'))
        self.assertEqual([], self.cli_json('storage', 'scannable', 'list'))

    def test_bad_input_is_refused_without_traceback(self):
        self.assertRefused(self.cli('storage', 'scannable', 'add',
                                    '--plugin', 'simulator', '--class',
                                    'Disk', 'serial=x'), 'Disk')
        self.assertRefused(self.cli('storage', 'scannable', 'add',
                                    '--plugin', 'simulator', '--class',
                                    'Couplet', 'bogus=1'), 'bogus')
        self.assertRefused(self.cli('storage', 'resource', 'show', 'x'),
                           "'x'")
        self.assertRefused(self.cli('storage', 'stat', 'show', '1',
                                    '--chart', '/tmp/x.txt'), '.png')
