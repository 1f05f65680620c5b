"""Share drivers shipped with storagemgr: ``local`` and ``fake``."""
