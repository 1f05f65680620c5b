"""Errors of the data copy service."""

from storagemgr import exception
from storagemgr.i18n import _


class DataCopyFailed(exception.StorageManagerException):
    msg_fmt = _("Data copy failed: %(reason)s")


class DataCopyCancelled(exception.StorageManagerException):
    msg_fmt = _("Data copy %(job)s was cancelled.")
    code = 409


class UnsafePath(DataCopyFailed):
    """A relative name that would leave its tree ('..', '/', NUL...)."""
    msg_fmt = _("Data copy failed: unsafe path %(path)r: %(reason)s")
