"""Volume creates racing for the last GiB of a pool, in real processes.

The scheduler reads the pool's allocation before the claim; the claim
reserves the size with one conditional UPDATE. So of N processes that all
saw room for themselves, exactly as many win as the pool holds, and the
others are refused in one line with nothing left ``creating``.
"""

import subprocess

from storagemgr.tests.functional import base

# 10 GiB without over-subscription: two 4 GiB volumes fit, a third not.
CONFIG = ('[DEFAULT]\nstate_path = @STATE@\nenabled_backends = b1\n'
          '[b1]\nvolume_driver = fake\nfake_total_capacity_gb = 10\n'
          'max_over_subscription_ratio = 1\n')


class TestCapacityRace(base.FunctionalTestCase):

    N = 6

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)

    def race(self, commands):
        processes = [subprocess.Popen(
            [base.console_script('storagemgr'), '--config-file', self.conf]
            + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, cwd=self.state_path) for args in commands]
        return [(p, p.communicate(timeout=300)) for p in processes]

    def test_only_what_fits_is_created(self):
        results = self.race([('volume', 'create', '--size', '4', 'v%d' % i)
                             for i in range(self.N)])
        won = [p for p, _ in results if p.returncode == 0]
        lost = [err for p, (_out, err) in results if p.returncode != 0]
        self.assertEqual(2, len(won), [e[-300:] for e in lost])
        for err in lost:
            self.assertNotIn('Traceback', err)
            lines = err.strip().splitlines()
            self.assertEqual(1, len(lines), err)
            self.assertIn('b1', lines[0])
        volumes = self.cli_json('volume', 'list', '--long')
        self.assertEqual(['available', 'available'],
                         [v['status'] for v in volumes])
        # The pool's count is exactly what is on it: one more GiB fits,
        # three do not.
        self.assertRefused(self.cli('volume', 'create', '--size', '3', 'x'),
                           'b1')
        self.assertEqual(0, self.cli('volume', 'create', '--size', '2',
                                     'y').rc)
