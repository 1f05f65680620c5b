"""The served manila.* modules and the storagemgr classes behind them."""

import os
import subprocess
import sys
import textwrap

from oslo_config import cfg

from storagemgr.compat.manila.common import constants
from storagemgr.compat.manila import exception as m_exception
from storagemgr.compat.manila import i18n
from storagemgr.compat.manila.share import driver as m_driver
from storagemgr.compat.manila.share import manager as m_manager
from storagemgr.compat.manila import utils as m_utils
from storagemgr.conf import backend as backend_conf
from storagemgr import exception
from storagemgr import i18n as sm_i18n
from storagemgr.share import constants as sm_constants
from storagemgr.share import driver as sm_driver
from storagemgr.share import driver_execute
from storagemgr.share import driver_options
from storagemgr.tests import base

_SERVED = ('manila', 'manila.exception', 'manila.i18n', 'manila.utils',
           'manila.common', 'manila.common.constants', 'manila.share',
           'manila.share.driver', 'manila.share.configuration',
           'manila.share.manager', 'manila.share.utils')


class ServedNamesTestCase(base.TestCase):

    def test_every_module_is_served_by_import_statement(self):
        # A fresh interpreter: the finder is process-wide.
        code = textwrap.dedent('''
            import importlib
            from storagemgr import compat
            compat.install()
            for name in %r:
                module = importlib.import_module(name)
                target = importlib.import_module(
                    'storagemgr.compat.' + name)
                assert module is target, name
            from manila.share import driver
            from storagemgr.share import driver as sm
            assert issubclass(driver.ShareDriver, sm.ShareDriver)
            print('ok')
            ''' % (_SERVED,))
        proc = subprocess.run([sys.executable, '-c', code],
                              capture_output=True, text=True,
                              env=dict(os.environ, PYTHONPATH=''))
        self.assertEqual((0, 'ok'), (proc.returncode, proc.stdout.strip()),
                         proc.stderr)

    def test_share_driver_is_storagemgrs(self):
        self.assertTrue(issubclass(m_driver.ShareDriver,
                                   sm_driver.ShareDriver))
        # Only the constructor is its own: every contract method is
        # storagemgr's, so capability detection sees no override.
        own = set(vars(m_driver.ShareDriver)) - {
            '__module__', '__doc__', '__init__', '__qualname__'}
        self.assertEqual(set(), own)
        self.assertTrue(issubclass(m_driver.ExecuteMixin,
                                   driver_execute.ExecuteMixin))

    def test_share_opts_extend_storagemgrs(self):
        names = [opt.dest for opt in m_driver.share_opts]
        for opt in driver_options.share_opts:
            self.assertIn(opt, m_driver.share_opts)
        for name in ('network_config_group', 'admin_network_config_group',
                     'migration_ignore_files'):
            self.assertIn(name, names)
        self.assertEqual(['ssh_conn_timeout', 'ssh_min_pool_conn',
                          'ssh_max_pool_conn'],
                         [opt.dest for opt in m_driver.ssh_opts])

    def test_share_manager_opts_are_oslo_options(self):
        by_name = {opt.dest: opt for opt in m_manager.share_manager_opts}
        for opt in by_name.values():
            self.assertIsInstance(opt, cfg.Opt)
        share_driver = [o for o in backend_conf.backend_opts
                        if o.dest == 'share_driver'][0]
        self.assertIs(share_driver, by_name['share_driver'])
        self.assertEqual([], by_name['hook_drivers'].default)
        self.assertEqual(300, by_name['replica_state_update_interval'].default)
        self.assertFalse(by_name['unmanage_remove_access_rules'].default)

    def test_exceptions_are_storagemgrs(self):
        same = ('InvalidInput', 'InvalidParameterValue', 'NotFound',
                'ProcessExecutionError', 'ShareBackendException',
                'NetworkBadConfigurationException', 'InvalidShare',
                'InvalidShareAccess', 'ManageInvalidShare',
                'UnmanageInvalidShare', 'ManageInvalidShareSnapshot',
                'ShareResourceNotFound', 'SnapshotResourceNotFound',
                'ShareShrinkingPossibleDataLoss', 'InvalidShareSnapshot')
        for name in same:
            self.assertIs(getattr(exception, name),
                          getattr(m_exception, name), name)
        self.assertIs(exception.StorageManagerException,
                      m_exception.ManilaException)

    def test_compat_only_exceptions_sit_on_storagemgrs_hierarchy(self):
        cases = [
            ('BadConfigurationException', {'reason': 'no stanza'},
             exception.ConfigurationError, 'Bad configuration: no stanza'),
            ('ShareNotFound', {'share_id': 's1'}, exception.NotFound,
             'Share s1 could not be found.'),
            ('ShareUmountException', {'reason': 'busy'},
             exception.StorageManagerException,
             'Could not unmount the share: busy'),
            ('DriverNotInitialized', {'driver': 'D'},
             exception.StorageManagerException,
             "Share driver 'D' is not initialized."),
            ('StorageCommunicationException', {},
             exception.ShareBackendException,
             'Could not talk to the storage backend.'),
        ]
        for name, kwargs, parent, text in cases:
            error = getattr(m_exception, name)(**kwargs)
            self.assertIsInstance(error, parent, name)
            self.assertEqual(text, str(error), name)

    def test_manila_style_arguments(self):
        self.assertEqual('Share backend error: boom',
                         str(m_exception.ShareBackendException(msg='boom')))
        self.assertEqual('plain', str(m_exception.ManilaException('plain')))
        self.assertEqual(
            'Invalid access rule: nope',
            str(m_exception.InvalidShareAccess(reason='nope')))

    def test_i18n(self):
        self.assertIs(sm_i18n._, i18n._)

    def test_constants_have_manilas_values(self):
        self.assertEqual('active', constants.REPLICA_STATE_ACTIVE)
        self.assertEqual('in_sync', constants.REPLICA_STATE_IN_SYNC)
        self.assertEqual('out_of_sync', constants.REPLICA_STATE_OUT_OF_SYNC)
        self.assertEqual('active', constants.STATUS_ACTIVE)
        self.assertEqual('deleted', constants.ACCESS_STATE_DELETED)
        self.assertEqual('migration_driver_phase1_done',
                         constants.TASK_STATE_MIGRATION_DRIVER_PHASE1_DONE)
        self.assertEqual('data_copying_error',
                         constants.TASK_STATE_DATA_COPYING_ERROR)
        for name in dir(sm_constants):
            if name.startswith(('STATUS_', 'ACCESS_STATE_')):
                self.assertEqual(getattr(sm_constants, name),
                                 getattr(constants, name), name)

    def test_utils_names(self):
        for name in ('execute', 'synchronized', 'retry',
                     'require_driver_initialized', 'check_params_exist',
                     'is_valid_ip_address', 'cidr_to_netmask',
                     'cidr_to_prefixlen'):
            self.assertTrue(callable(getattr(m_utils, name)), name)
        self.assertFalse(hasattr(m_utils, 'SSHPool'))
