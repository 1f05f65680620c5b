"""Driver loading: aliases, dotted paths, and errors that list choices."""

from unittest import mock

import ddt

from storagemgr import exception
from storagemgr import loading
from storagemgr.tests import base


@ddt.ddt
class LoadingTestCase(base.TestCase):

    def test_available_lists_declared_aliases(self):
        self.assertIn('local', loading.available(loading.SHARE))
        self.assertIn('fake', loading.available(loading.VOLUME))
        self.assertIn('linux', loading.available(loading.STORAGE_PLUGIN))

    def test_dotted_path(self):
        cls = loading.load(
            loading.SHARE,
            'storagemgr.tests.unit.fake_drivers.RecordingShareDriver')
        self.assertEqual('RecordingShareDriver', cls.__name__)

    @ddt.data('', 'nosuchdriver', 'no.such.Class',
              'storagemgr.tests.unit.fake_drivers.NoSuchClass')
    def test_unknown_names_list_the_aliases(self, name):
        err = self.assertRaises(exception.DriverNotFound, loading.load,
                                loading.SHARE, name, where=' in [b1]')
        self.assertIn("'%s'" % name, str(err))
        self.assertIn('local', str(err))
        self.assertIn('[b1]', str(err))

    def test_alias_that_fails_to_import_says_so(self):
        with mock.patch.object(loading.driver_manager, 'DriverManager',
                               side_effect=ImportError('boom')):
            err = self.assertRaises(exception.DriverNotFound, loading.load,
                                    loading.SHARE, 'local')
        self.assertIn('failed to load: boom', str(err))

    def test_load_all_reports_broken_extensions(self):
        errors = []
        ext = mock.Mock()
        ext.name = 'broken'

        def _fake_manager(namespace, invoke_on_load,
                          on_load_failure_callback):
            on_load_failure_callback(None, ext, ImportError('gone'))
            return []

        with mock.patch.object(loading.extension, 'ExtensionManager',
                               side_effect=_fake_manager):
            loaded = loading.load_all(
                loading.SHARE, on_error=lambda n, e: errors.append(n))
        self.assertEqual({}, loaded)
        self.assertEqual(['broken'], errors)
