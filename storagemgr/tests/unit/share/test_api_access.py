"""Access rules through the service layer: allow, list, deny."""

from unittest import mock

import ddt

from storagemgr import exception
from storagemgr.share import records
from storagemgr.tests.unit.share import base

# Whatever a driver raises reaches the caller as one of these.
FAILED = exception.StorageManagerException


@ddt.ddt
class AccessTestCase(base.ShareTestCase):

    def setUp(self):
        super().setUp()
        self.share_id = self.make_share(name='s')['id']

    def rule_states(self):
        return {r.access_to: r.state for r in
                records.list_rules(self.share_id)}

    def test_allow_and_deny(self):
        rule = self.api.allow_access('s', 'ip', '10.9.8.0/24', 'ro')
        self.assertEqual(('active', 'ro'), (rule['state'],
                                            rule['access_level']))
        self.assertIn(rule['id'], self.backend_share(self.share_id)['rules'])
        self.assertEqual([rule], self.api.list_access('s'))
        self.api.deny_access('s', rule['id'])
        self.assertEqual([], self.api.list_access('s'))
        self.assertEqual({}, self.backend_share(self.share_id)['rules'])

    def test_update_access_gets_whole_set_and_change(self):
        first = self.api.allow_access('s', 'user', 'alice')
        with mock.patch.object(self.driver, 'update_access',
                               return_value=None) as update:
            second = self.api.allow_access('s', 'user', 'bob')
        _ctx, _share, wanted, add, delete = update.call_args[0]
        self.assertEqual({first['id'], second['id']},
                         {r['id'] for r in wanted})
        self.assertEqual([second['id']], [r['id'] for r in add])
        self.assertEqual([], delete)
        self.assertEqual({'id', 'access_id', 'access_type', 'access_to',
                          'access_level', 'access_key', 'state'},
                         set(add[0]))
        # A Manila driver reads attributes as often as keys.
        self.assertEqual(add[0]['access_to'], add[0].access_to)
        self.assertEqual('active', second['state'])

    @ddt.data(*base.DRIVER_FAILURES)
    def test_update_access_failure_sets_error(self, failure):
        self.fault('update_access', raise_=failure)
        self.assertRaises(FAILED, self.api.allow_access, 's', 'ip',
                          '10.0.0.1')
        self.assertEqual({'10.0.0.1': 'error'}, self.rule_states())
        self.assertEqual('available', self.status_of(self.share_id))

    @ddt.data('malformed', 'unknown_status')
    def test_malformed_return_sets_error(self, kind):
        self.fault('update_access', return_=kind)
        err = self.assertRaises(exception.InvalidDriverReturn,
                                self.api.allow_access, 's', 'ip',
                                '10.0.0.1')
        self.assertIn('update_access', str(err))
        self.assertEqual({'10.0.0.1': 'error'}, self.rule_states())

    def test_driver_reported_error_state(self):
        self.fault('update_access', return_='error_status')
        err = self.assertRaises(exception.ShareBackendException,
                                self.api.allow_access, 's', 'ip',
                                '10.0.0.1')
        self.assertIn('refused', str(err))
        self.assertEqual({'10.0.0.1': 'error'}, self.rule_states())

    def test_fallback_to_allow_and_deny(self):
        self.fault('update_access', raise_=NotImplementedError)
        rule = self.api.allow_access('s', 'user', 'alice')
        self.assertEqual('active', rule['state'])
        self.assertIn('allow_access', self.driver.calls)
        self.api.deny_access('s', rule['id'])
        self.assertIn('deny_access', self.driver.calls)
        self.assertEqual({}, self.rule_states())

    @ddt.data(*base.DRIVER_FAILURES)
    def test_fallback_allow_failure_puts_rule_in_error(self, failure):
        self.fault('update_access', raise_=NotImplementedError)
        self.fault('allow_access', raise_=failure)
        self.assertRaises(exception.ShareBackendException,
                          self.api.allow_access, 's', 'user', 'alice')
        self.assertEqual({'alice': 'error'}, self.rule_states())

    @ddt.data(*base.DRIVER_FAILURES)
    def test_deny_failure_sets_error(self, failure):
        rule = self.api.allow_access('s', 'user', 'alice')
        self.fault('update_access', raise_=failure)
        self.assertRaises(FAILED, self.api.deny_access, 's', rule['id'])
        self.assertEqual({'alice': 'error'}, self.rule_states())
        # A rule in error can still be revoked.
        self.driver.clear_faults()
        self.api.deny_access('s', rule['id'])
        self.assertEqual({}, self.rule_states())

    def test_duplicate_refused(self):
        self.api.allow_access('s', 'ip', '2001:db8::1')
        calls = list(self.driver.calls)
        self.assertRaises(exception.ShareAccessExists,
                          self.api.allow_access, 's', 'ip', '2001:DB8:0::1')
        self.assertEqual(calls, self.driver.calls)

    @ddt.data(('ip', '10.0.0.1 *(rw,no_root_squash)'),
              ('ip', '10.0.0.1\n/ *(rw)'), ('ip', '300.1.1.1'),
              ('user', '-o'), ('cert', 'a,b'), ('nfs', 'x'))
    @ddt.unpack
    def test_invalid_rules_never_reach_driver(self, access_type, access_to):
        self.assertRaises(exception.InvalidShareAccess,
                          self.api.allow_access, 's', access_type,
                          access_to)
        self.assertEqual({}, self.rule_states())
        self.assertNotIn('update_access', self.driver.calls)

    def test_bad_level_refused(self):
        self.assertRaises(exception.InvalidShareAccess,
                          self.api.allow_access, 's', 'ip', '10.0.0.1',
                          'admin')

    def test_share_not_available_refused(self):
        self.force_share_status(self.share_id, 'extending', 'available')
        self.assertRaises(exception.InvalidState, self.api.allow_access,
                          's', 'ip', '10.0.0.1')
        self.assertEqual({}, self.rule_states())

    def test_deny_unknown_rule(self):
        self.assertRaises(exception.NotFound, self.api.deny_access, 's',
                          'no-such-rule')
