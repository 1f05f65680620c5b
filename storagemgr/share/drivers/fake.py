"""The fake share driver: the whole contract, in memory.

For tests and demonstrations. Shares, snapshots, rules, groups, replicas
and migrations live in dicts of the driver instance and vanish with the
process. Every method can be slowed down or made to fail, by configuration
(``fake_delays``, ``fake_raise``, ``fake_return``) or from a test with
``set_fault()``; see ``storagemgr.share.drivers.fake_faults``.

``shares[id]['content']`` is a dict a test may fill: snapshots copy it,
clones and reverts restore it, which is enough to check data flows.
"""

import copy
import datetime
import time

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr import exception
from storagemgr.i18n import _
from storagemgr.share import driver
from storagemgr.share.drivers import fake_faults
from storagemgr.share.drivers.fake_faults import faultable
from storagemgr.share.drivers import fake_moves

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

VERSION = '1.0'


def _typed(pairs):
    """String values of a DictOpt as the booleans and numbers they spell."""
    typed = {}
    for key, text in pairs.items():
        lowered = str(text).strip().lower()
        if lowered in ('true', 'false'):
            typed[key] = lowered == 'true'
            continue
        try:
            typed[key] = float(text) if '.' in text else int(text)
        except ValueError:
            typed[key] = text
    return typed


fake_opts = [
    cfg.DictOpt('fake_delays', default={},
                help=_('Seconds each fake driver method waits before '
                       'working, as method:seconds pairs, for example '
                       'create_share:0.05,delete_share:0.2.')),
    cfg.FloatOpt('fake_default_delay', default=0.0, min=0.0,
                 help=_('Seconds every fake driver method without its own '
                        'delay waits.')),
    cfg.DictOpt('fake_raise', default={},
                help=_('Exception each fake driver method raises instead '
                       'of working, as method:dotted.ExceptionClass pairs, '
                       'for example create_share:builtins.RuntimeError.')),
    cfg.DictOpt('fake_return', default={},
                help=_('Wrong value each fake driver method returns, as '
                       'method:kind pairs; kinds: %s.') %
                ', '.join(fake_faults.RETURN_KINDS)),
    cfg.BoolOpt('fake_async_create_from_snapshot', default=False,
                help=_('Make create_share_from_snapshot return status '
                       'creating_from_snapshot; get_share_status reports '
                       'available after fake_async_polls polls.')),
    cfg.IntOpt('fake_async_polls', default=2, min=1,
               help=_('How many get_share_status polls an asynchronous '
                      'create from snapshot takes.')),
    cfg.FloatOpt('fake_total_capacity_gb', default=1000.0, min=0.0,
                 help=_('Capacity the fake backend reports.')),
    cfg.DictOpt('fake_capabilities', default={},
                help=_('Capabilities the fake backend reports on top of its '
                       'own, as key:value pairs (true/false become '
                       'booleans, numbers numbers), for example '
                       'snapshot_support:false,thin_provisioning:false. '
                       'For trying the scheduler.')),
    cfg.IntOpt('fake_migration_steps', default=2, min=1,
               help=_('How many migration_continue calls a fake migration '
                      'takes to finish its first phase.')),
]


class FakeShareDriver(fake_moves.FakeMovesMixin, driver.ShareDriver):
    """In-memory share driver with injectable delays and faults."""

    def __init__(self, *args, **kwargs):
        self.sleep = kwargs.pop('sleep', time.sleep)
        super().__init__(False, *args, **kwargs)
        self.configuration.append_config_values(fake_opts)
        self.ipv6_implemented = True
        self.calls = []
        self._faults = {}
        self.shares = {}
        self.snapshots = {}
        self.share_groups = {}
        self.replicas = {}
        self.migrations = {}
        self._polls = {}

    @staticmethod
    def get_driver_options():
        return driver.ShareDriver.get_driver_options() + fake_opts

    # -- faults -----------------------------------------------------------

    def set_fault(self, method, raise_=None, return_=None, delay=None):
        """Make ``method`` raise, return a wrong value, or wait.

        :param raise_: an exception class, instance or dotted path.
        :param return_: one of ``fake_faults.RETURN_KINDS``.
        :param delay: seconds to wait (through ``self.sleep``).
        """
        if not callable(getattr(self, method, None)):
            raise exception.InvalidInput(
                reason=_('the fake driver has no method %s') % method)
        if return_ is not None and return_ not in fake_faults.RETURN_KINDS:
            raise exception.InvalidInput(reason=_(
                'unknown return kind %(kind)s; use one of %(kinds)s') % {
                    'kind': return_,
                    'kinds': ', '.join(fake_faults.RETURN_KINDS)})
        if raise_ is not None:
            fake_faults.resolve_exception(raise_)
        self._faults[method] = {'raise': raise_, 'return': return_,
                                'delay': delay}

    def clear_faults(self):
        self._faults.clear()

    def _fault_for(self, method):
        if method in self._faults:
            return self._faults[method]
        return {'raise': (self._config('fake_raise') or {}).get(method),
                'return': (self._config('fake_return') or {}).get(method)}

    def _delay_for(self, method):
        fault = self._faults.get(method) or {}
        if fault.get('delay') is not None:
            return fault['delay']
        delays = self._config('fake_delays') or {}
        if method in delays:
            return float(delays[method])
        return float(self._config('fake_default_delay', 0.0))

    def check_for_setup_error(self):
        super().check_for_setup_error()
        for method, spec in (self._config('fake_raise') or {}).items():
            try:
                fake_faults.resolve_exception(spec)
            except exception.InvalidInput as e:
                raise exception.InvalidConfigValue(
                    option='fake_raise', section=self.backend_name,
                    reason='%s: %s' % (method, e))
        for option in ('fake_return', 'fake_delays'):
            for method, value in (self._config(option) or {}).items():
                if option == 'fake_return':
                    ok = value in fake_faults.RETURN_KINDS
                else:
                    ok = _is_number(value)
                if not ok:
                    raise exception.InvalidConfigValue(
                        option=option, section=self.backend_name,
                        reason='%s: bad value %r' % (method, value))

    # -- helpers ----------------------------------------------------------

    def _locations(self, share_id):
        host = self._config('backend_host') or CONF.host
        return [{'path': '%s:/fake/%s/%s' % (host, self.backend_name,
                                             share_id),
                 'is_admin_only': False, 'metadata': {}}]

    def _share(self, share_id):
        try:
            return self.shares[share_id]
        except KeyError:
            raise exception.ShareResourceNotFound(share_id=share_id)

    def _snapshot(self, snapshot_id):
        try:
            return self.snapshots[snapshot_id]
        except KeyError:
            raise exception.SnapshotResourceNotFound(name=snapshot_id)

    def set_used_size(self, share_id, used_gb):
        """Pretend ``share_id`` holds ``used_gb`` GiB (for shrink tests)."""
        self._share(share_id)['used_gb'] = used_gb

    # -- shares -----------------------------------------------------------

    @faultable
    def create_share(self, context, share, share_server=None):
        self.shares.setdefault(share['id'], {
            'size': share['size'], 'proto': share.get('share_proto'),
            'used_gb': 0, 'content': {}, 'rules': {}})
        return self._locations(share['id'])

    @faultable
    def create_share_from_snapshot(self, context, share, snapshot,
                                   share_server=None):
        source = self._snapshot(snapshot['id'])
        self.shares.setdefault(share['id'], {
            'size': share['size'], 'proto': share.get('share_proto'),
            'used_gb': source['used_gb'],
            'content': copy.deepcopy(source['content']), 'rules': {}})
        if self._config('fake_async_create_from_snapshot'):
            self._polls[share['id']] = self._config('fake_async_polls', 2)
            return {'status': 'creating_from_snapshot'}
        return self._locations(share['id'])

    @faultable
    def get_share_status(self, share, share_server=None):
        self._share(share['id'])
        remaining = self._polls.get(share['id'], 0) - 1
        if remaining > 0:
            self._polls[share['id']] = remaining
            return {'status': 'creating_from_snapshot', 'progress': '%d%%'
                    % (100 // (remaining + 1))}
        self._polls.pop(share['id'], None)
        return {'status': 'available', 'progress': '100%',
                'export_locations': self._locations(share['id'])}

    @faultable
    def delete_share(self, context, share, share_server=None):
        self.shares.pop(share['id'], None)
        self._polls.pop(share['id'], None)
        self.forget_data(share['id'])

    @faultable
    def ensure_share(self, context, share, share_server=None):
        self._share(share['id'])
        return self._locations(share['id'])

    @faultable
    def ensure_shares(self, context, shares):
        return {s['id']: ({'export_locations': self._locations(s['id']),
                           'status': 'available'} if s['id'] in self.shares
                          else {'export_locations': [], 'status': 'error'})
                for s in shares}

    @faultable
    def extend_share(self, share, new_size, share_server=None):
        self._share(share['id'])['size'] = new_size

    @faultable
    def shrink_share(self, share, new_size, share_server=None):
        record = self._share(share['id'])
        if record['used_gb'] > new_size:
            raise exception.ShareShrinkingPossibleDataLoss(
                share_id=share['id'])
        record['size'] = new_size

    @faultable
    def update_share_usage_size(self, context, shares):
        now = datetime.datetime.now(datetime.timezone.utc)
        return [{'id': s['id'], 'used_size': self.shares[s['id']]['used_gb'],
                 'gathered_at': now} for s in shares if s['id'] in self.shares]

    @faultable
    def get_backend_info(self, context):
        return {'version': VERSION, 'backend': self.backend_name}

    def get_pool(self, share):
        return self.backend_name

    # -- snapshots --------------------------------------------------------

    @faultable
    def create_snapshot(self, context, snapshot, share_server=None):
        share_id = snapshot['share']['id']  # the share instance
        share = self._share(share_id)
        self.snapshots.setdefault(snapshot['id'], {
            'share_id': share_id, 'size': share['size'],
            'used_gb': share['used_gb'],
            'content': copy.deepcopy(share['content'])})
        return {'provider_location': 'fake-snapshot-%s' % snapshot['id'],
                'size': share['size']}

    @faultable
    def delete_snapshot(self, context, snapshot, share_server=None):
        self.snapshots.pop(snapshot['id'], None)

    @faultable
    def revert_to_snapshot(self, context, snapshot, share_access_rules,
                           snapshot_access_rules, share_server=None):
        source = self._snapshot(snapshot['id'])
        share = self._share(source['share_id'])
        share['content'] = copy.deepcopy(source['content'])
        share['used_gb'] = source['used_gb']

    # -- access -----------------------------------------------------------

    @faultable
    def update_access(self, context, share, access_rules, add_rules,
                      delete_rules, share_server=None):
        record = self._share(share['id'])
        record['rules'] = {r['id']: dict(r) for r in access_rules}
        return {r['id']: {'state': 'active', 'access_key': None}
                for r in access_rules}

    @faultable
    def allow_access(self, context, share, access, share_server=None):
        self._share(share['id'])['rules'][access['id']] = dict(access)

    @faultable
    def deny_access(self, context, share, access, share_server=None):
        self._share(share['id'])['rules'].pop(access['id'], None)

    @faultable
    def snapshot_update_access(self, context, snapshot, access_rules,
                               add_rules, delete_rules, share_server=None):
        self._snapshot(snapshot['id'])['rules'] = [r['id'] for r in
                                                   access_rules]

    # -- manage and unmanage ----------------------------------------------

    @faultable
    def manage_existing(self, share, driver_options):
        size = int((driver_options or {}).get('size') or share.get('size')
                   or 1)
        self.shares[share['id']] = {
            'size': size, 'proto': share.get('share_proto'), 'used_gb': 0,
            'content': {}, 'rules': {}}
        return {'size': size, 'export_locations': self._locations(
            share['id'])}

    @faultable
    def unmanage(self, share):
        self.shares.pop(share['id'], None)

    @faultable
    def manage_existing_snapshot(self, snapshot, driver_options):
        share_id = snapshot['share']['id']  # the share instance
        size = int((driver_options or {}).get('size') or
                   snapshot.get('size') or 1)
        self.snapshots[snapshot['id']] = {'share_id': share_id, 'size': size,
                                          'used_gb': 0, 'content': {}}
        return {'size': size,
                'provider_location': 'fake-snapshot-%s' % snapshot['id']}

    @faultable
    def unmanage_snapshot(self, snapshot):
        self.snapshots.pop(snapshot['id'], None)

    # -- share groups (records around the per-share fallbacks) ------------

    @faultable
    def create_share_group(self, context, share_group_dict,
                           share_server=None):
        self.share_groups[share_group_dict['id']] = {'snapshots': []}

    @faultable
    def delete_share_group(self, context, share_group_dict,
                           share_server=None):
        self.share_groups.pop(share_group_dict['id'], None)

    @faultable
    def create_share_group_snapshot(self, context, snap_dict,
                                    share_server=None):
        return super().create_share_group_snapshot(context, snap_dict,
                                                   share_server)

    @faultable
    def delete_share_group_snapshot(self, context, snap_dict,
                                    share_server=None):
        return super().delete_share_group_snapshot(context, snap_dict,
                                                   share_server)

    @faultable
    def create_share_group_from_share_group_snapshot(
            self, context, share_group_dict, share_group_snapshot_dict,
            share_server=None):
        self.share_groups.setdefault(share_group_dict['id'],
                                     {'snapshots': []})
        return super().create_share_group_from_share_group_snapshot(
            context, share_group_dict, share_group_snapshot_dict,
            share_server)

    # -- stats ------------------------------------------------------------

    def _update_share_stats(self, data=None):
        total = float(self._config('fake_total_capacity_gb', 1000.0))
        allocated = sum(s['size'] for s in self.shares.values())
        stats = {
            'vendor_name': 'storagemgr',
            'driver_version': VERSION,
            'storage_protocol': 'NFS_CIFS',
            'total_capacity_gb': total,
            'free_capacity_gb': max(0.0, total - allocated),
            'revert_to_snapshot_support': True,
            'mount_snapshot_support': False,
            'replication_type': 'readable' if self.replication_domain
            else None,
            'share_group_stats': {'consistent_snapshot_support': 'pool'},
            'pools': [{'pool_name': self.backend_name,
                       'total_capacity_gb': total,
                       'free_capacity_gb': max(0.0, total - allocated),
                       'allocated_capacity_gb': allocated,
                       'reserved_percentage': self._config(
                           'reserved_share_percentage', 0)}],
        }
        overrides = _typed(self._config('fake_capabilities', {}) or {})
        stats.update(overrides)
        stats['pools'][0].update(overrides)
        stats.update(data or {})
        super()._update_share_stats(stats)

    def get_configured_ip_versions(self):
        return self._ip_versions_from_config()


def _is_number(value):
    try:
        return float(value) >= 0
    except (TypeError, ValueError):
        return False
