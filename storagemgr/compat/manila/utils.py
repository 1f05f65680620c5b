"""``manila.utils``: the helpers Manila drivers use most.

Served: ``execute``, ``synchronized``, ``retry``,
``require_driver_initialized``, ``check_params_exist``,
``is_valid_ip_address``, ``cidr_to_network``, ``cidr_to_netmask``,
``cidr_to_prefixlen``. Everything else of Manila's module (``SSHPool``,
``translate_string_size_to_float``, ``tempdir``, the API helpers...) is
not served; a driver that uses it fails to import with AttributeError
when it reaches for it.
"""

import functools
import ipaddress
import os
import random
import time

from oslo_concurrency import lockutils
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import netutils

from storagemgr.compat.manila import exception
from storagemgr.i18n import _
from storagemgr.share import driver_execute

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

_LOCK_PREFIX = 'manila-'


def execute(*cmd, **kwargs):
    """Run a command (argument list, no shell): (stdout, stderr).

    storagemgr's runner: ``run_as_root`` needs a ``root_helper`` (or
    storagemgr running as root); there is no rootwrap configuration.

    :raises ProcessExecutionError: the command failed or could not run.
    """
    return driver_execute.execute(*cmd, **kwargs)


def _lock_path():
    return os.path.join(CONF.state_path, 'locks')


def synchronized(name, external=False, lock_path=None):
    """Decorator: one caller at a time per ``name``.

    With ``external=True`` the lock is a file under ``<state_path>/locks``
    (or ``lock_path``), so every storagemgr process honours it; CLI runs
    are separate processes, so drivers that share backend state across
    calls want it.
    """
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            path = lock_path or (_lock_path() if external else None)
            if path:
                os.makedirs(path, mode=0o700, exist_ok=True)
            with lockutils.lock(name, lock_file_prefix=_LOCK_PREFIX,
                                external=external, lock_path=path):
                return func(*args, **kwargs)
        return wrapper
    return decorator


def retry(exception, interval=1, retries=10, backoff_rate=2,
          wait_random=False, backoff_sleep_max=None):
    """Decorator: call again while the call raises ``exception``.

    :param retries: attempts in all; 0 retries forever.
    :param interval: seconds; after attempt n the wait is
        ``interval * backoff_rate ** n`` (a random value between
        ``interval`` and that with ``wait_random``), at most
        ``backoff_sleep_max`` when given.
    :raises ValueError: ``retries`` is negative.
    """
    if retries < 0:
        raise ValueError(_('retry: retries must be 0 or more, not %s.')
                         % retries)

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            attempt = 0
            while True:
                attempt += 1
                try:
                    return func(*args, **kwargs)
                except exception:
                    if retries and attempt >= retries:
                        raise
                    wait = max(0, interval * backoff_rate ** attempt)
                    if wait_random and wait > interval:
                        wait = random.uniform(interval, wait)
                    if backoff_sleep_max:
                        wait = min(backoff_sleep_max, wait)
                    LOG.debug('%(func)s failed (attempt %(n)d); again in '
                              '%(wait)s s.', {'func': func.__name__,
                                              'n': attempt, 'wait': wait})
                    time.sleep(wait)
        return wrapper
    return decorator


def require_driver_initialized(func):
    """Decorator for methods of an object with a ``driver`` attribute.

    :raises DriverNotInitialized: ``self.driver.initialized`` is false.
    """
    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        if not self.driver.initialized:
            raise exception.DriverNotInitialized(
                driver=type(self.driver).__name__)
        return func(self, *args, **kwargs)
    return wrapper


def check_params_exist(keys, params):
    """Refuse ``params`` lacking any of ``keys``.

    :raises InvalidInput: naming the missing keys.
    """
    missing = sorted(set(keys) - set(params))
    if missing:
        raise exception.InvalidInput(reason=_(
            'missing mandatory parameters: %s') % ', '.join(missing))


def is_valid_ip_address(ip_address, ip_version):
    """Whether ``ip_address`` is an address of ``ip_version`` (4, 6 or both).

    :raises ManilaException: a version other than 4 and 6.
    """
    versions = ip_version if isinstance(ip_version, list) else [ip_version]
    versions = {int(v) for v in versions}
    if not versions <= {4, 6}:
        raise exception.ManilaException(
            _('Unknown IP version %s; use 4 or 6.') % ip_version)
    return bool((4 in versions and netutils.is_valid_ipv4(ip_address)) or
                (6 in versions and netutils.is_valid_ipv6(ip_address)))


def cidr_to_network(cidr):
    """The network ``cidr`` names (host bits allowed).

    :raises InvalidInput: ``cidr`` is not an IPv4 or IPv6 network.
    """
    try:
        return ipaddress.ip_network(str(cidr), strict=False)
    except ValueError:
        raise exception.InvalidInput(reason=_('invalid CIDR %s') % cidr)


def cidr_to_netmask(cidr):
    """The netmask of ``cidr``, as text ('255.255.255.0')."""
    return str(cidr_to_network(cidr).netmask)


def cidr_to_prefixlen(cidr):
    """The prefix length of ``cidr`` (24 for '10.0.0.0/24')."""
    return cidr_to_network(cidr).prefixlen
