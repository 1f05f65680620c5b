"""``manila.i18n``: the translation marker drivers wrap messages in."""

from storagemgr.i18n import _  # noqa: F401
