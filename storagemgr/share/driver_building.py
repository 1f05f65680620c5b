"""How a share backend's driver is constructed.

The backend registry calls ``build(backend)`` when it sets a backend up;
keeping construction here lets it follow the reference manager's
conventions for this family without the registry knowing them.

The reference share manager builds its driver with two keyword arguments,
the backend's configuration and the driver private storage, and so does
this module, so a driver written for it runs unmodified. A driver whose
constructor takes ``configuration`` alone (storagemgr's first contract)
is still built, without private storage.
"""

import inspect

from storagemgr.share import private_storage


def _accepts(callable_, name):
    """Whether ``callable_`` takes the keyword argument ``name``."""
    try:
        parameters = inspect.signature(callable_).parameters.values()
    except (TypeError, ValueError):
        return True  # no signature to read: assume the reference shape
    for parameter in parameters:
        if parameter.kind == inspect.Parameter.VAR_KEYWORD:
            return True
        if parameter.name == name and parameter.kind in (
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                inspect.Parameter.KEYWORD_ONLY):
            return True
    return False


def build(backend):
    """A new, not yet set up, driver for ``backend``."""
    driver_cls = backend.spec.driver_cls
    kwargs = {'configuration': backend.configuration}
    if _accepts(driver_cls, 'private_storage'):
        kwargs['private_storage'] = private_storage.DriverPrivateData(
            backend_name=backend.name)
    return driver_cls(**kwargs)
