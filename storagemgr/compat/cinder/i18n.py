"""``cinder.i18n``: the translation markers Cinder drivers import.

Messages are marked with storagemgr's translator; the log-level markers
(``_LE``, ``_LI``, ``_LW``, ``_LC``) of Cinder's era are the same function.
"""

from storagemgr.i18n import _  # noqa: F401 (re-exported)

_LC = _LE = _LI = _LW = _
