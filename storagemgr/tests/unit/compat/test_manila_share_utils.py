"""manila.share.utils: host strings as Manila reads them."""

import ddt

from storagemgr.compat.manila.share import utils
from storagemgr import exception
from storagemgr.tests import base

_FULL = 'HostA@BackendB#PoolC'


@ddt.ddt
class ExtractHostTestCase(base.TestCase):

    @ddt.data(
        (_FULL, 'host', False, 'HostA'),
        (_FULL, 'backend', False, 'HostA@BackendB'),
        (_FULL, 'backend_name', False, 'BackendB'),
        (_FULL, 'pool', False, 'PoolC'),
        (_FULL, 'pool', True, 'PoolC'),
        ('HostX@BackendY', 'host', False, 'HostX'),
        ('HostX@BackendY', 'backend', False, 'HostX@BackendY'),
        ('HostX@BackendY', 'backend_name', False, 'BackendY'),
        ('HostX@BackendY', 'pool', False, None),
        ('HostX@BackendY', 'pool', True, '_pool0'),
        ('HostX', 'host', False, 'HostX'),
        ('HostX', 'backend', False, 'HostX'),
        ('HostX', 'pool', False, None),
        ('HostX#PoolZ', 'host', False, 'HostX'),
        ('HostX#PoolZ', 'backend', False, 'HostX'),
        ('HostX#PoolZ', 'pool', False, 'PoolZ'),
        # Two '#': no pool can be told, as in Manila.
        ('H@B#P#Q', 'pool', False, None),
        ('H@B#P#Q', 'pool', True, '_pool0'),
        ('H@B#P#Q', 'backend', False, 'H@B'),
        # Only True itself asks for the default pool name.
        ('H@B', 'pool', 'yes', None),
        ('', 'host', False, ''),
    )
    @ddt.unpack
    def test_row(self, host, level, use_default, expected):
        self.assertEqual(expected, utils.extract_host(
            host, level=level, use_default_pool_name=use_default))

    def test_default_level_is_backend(self):
        self.assertEqual('HostA@BackendB', utils.extract_host(_FULL))

    @ddt.data(('HostX', 'backend_name', "names no backend"),
              (_FULL, 'rack', "unknown level 'rack'"),
              (None, 'host', 'host None is not a string'))
    @ddt.unpack
    def test_bad_input_names_the_culprit(self, host, level, words):
        error = self.assertRaises(exception.InvalidInput,
                                  utils.extract_host, host, level)
        self.assertIn(words, str(error))
        self.assertNotIn('\n', str(error))


@ddt.ddt
class HostHelpersTestCase(base.TestCase):

    @ddt.data(('H@B', 'P', 'H@B#P'), ('H@B', None, 'H@B'),
              ('H@B', '', 'H@B'), (None, 'P', None), ('', 'P', ''))
    @ddt.unpack
    def test_append_host(self, host, pool, expected):
        self.assertEqual(expected, utils.append_host(host, pool))

    def test_get_active_replica_is_the_first_active(self):
        replicas = [{'id': 'r1', 'replica_state': 'in_sync'},
                    {'id': 'r2', 'replica_state': 'active'},
                    {'id': 'r3', 'replica_state': 'active'}]
        self.assertEqual('r2', utils.get_active_replica(replicas)['id'])

    def test_get_active_replica_none(self):
        self.assertIsNone(utils.get_active_replica(
            [{'id': 'r1', 'replica_state': 'out_of_sync'}]))
        self.assertIsNone(utils.get_active_replica([]))
