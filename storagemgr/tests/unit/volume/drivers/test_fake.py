"""The fake volume driver's delays and failure injection."""

from storagemgr.tests import base
from storagemgr.tests.unit.volume import fakes


class InjectedByPath(Exception):
    """Raised through the fake_failures option by its dotted path."""


class TestFakeVolumeDriver(base.TestCase):

    def test_failures_option_raises_named_classes(self):
        api, driver = fakes.make_api(self, extra=(
            'fake_failures = create_volume:builtins.RuntimeError,'
            'delete_volume:%s.InjectedByPath\n' % __name__))
        self.assertRaises(RuntimeError, driver.create_volume,
                          {'id': 'v', 'size': 1})
        self.assertRaises(InjectedByPath, driver.delete_volume, {'id': 'v'})

    def test_groups_fall_back_unless_native(self):
        api, driver = fakes.make_api(self)
        self.assertRaises(NotImplementedError,
                          driver.create_consistencygroup, None, {'id': 'g'})

    def test_fault_shapes(self):
        api, driver = fakes.make_api(self)
        members = [{'id': 'a'}, {'id': 'b'}]
        driver.set_fault('create_cgsnapshot', member_statuses={1: 'error'},
                         model_status='error')
        self.assertEqual(
            ({'status': 'error'},
             [{'id': 'a'}, {'id': 'b', 'status': 'error'}]),
            driver.create_cgsnapshot(None, {}, members))
        driver.set_fault('create_cgsnapshot', omit_list=True)
        self.assertEqual((None, None),
                         driver.create_cgsnapshot(None, {}, members))
        driver.set_fault('create_cgsnapshot', malformed='no_id', times=1)
        self.assertEqual((None, [{}, {'id': 'b'}]),
                         driver.create_cgsnapshot(None, {}, members))
        self.assertRaises(NotImplementedError, driver.create_cgsnapshot,
                          None, {}, members)
