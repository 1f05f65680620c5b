"""How a volume backend's driver is constructed.

The backend registry calls ``build(backend)`` when it sets a backend up;
keeping construction here lets it follow the reference manager's
conventions for this family without the registry knowing them.
"""


def build(backend):
    """A new, not yet set up, driver for ``backend``."""
    return backend.spec.driver_cls(configuration=backend.configuration)
