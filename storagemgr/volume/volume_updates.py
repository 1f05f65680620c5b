"""How the manager applies what a volume driver returns for one volume.

``create_volume``, ``create_volume_from_snapshot``, ``create_cloned_volume``
and ``create_snapshot`` return a model update or None; only the keys in
``constants.VOLUME_UPDATE_KEYS`` / ``SNAPSHOT_UPDATE_KEYS`` may be set, and
a ``status`` in it is ignored (success makes the record ``available``;
failure is an exception).
"""

from storagemgr import driver_returns
from storagemgr.volume import constants as c


def check_volume_update(driver, method, returned):
    checker = driver_returns.ReturnChecker(driver, method)
    update = checker.dict_or_none(returned)
    checker.only_keys(update, c.VOLUME_UPDATE_KEYS)
    return _plain(checker, update)


def check_snapshot_update(driver, method, returned):
    checker = driver_returns.ReturnChecker(driver, method)
    update = checker.dict_or_none(returned)
    checker.only_keys(update, c.SNAPSHOT_UPDATE_KEYS)
    return _plain(checker, update)


def _plain(checker, update):
    update.pop('status', None)
    if update.get('provider_location') is not None:
        checker.of_type(update['provider_location'], str,
                        'provider_location')
    if 'size' in update:
        checker.non_negative_int(update['size'], 'size')
    return update
