"""``cinder.interface``: the driver registration decorators.

Cinder records decorated classes to list its drivers; storagemgr loads a
driver from its dotted path, so the decorators return the class as is.
"""


def volumedriver(cls):
    """Mark ``cls`` as a volume driver (nothing to record here)."""
    return cls


def backupdriver(cls):
    """Mark ``cls`` as a backup driver (nothing to record here)."""
    return cls


def fczmdriver(cls):
    """Mark ``cls`` as a zone manager driver (nothing to record here)."""
    return cls
