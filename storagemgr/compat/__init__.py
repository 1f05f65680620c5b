"""Module names that drivers written for Manila and Cinder import.

A driver written for Manila imports ``manila.share.driver``,
``manila.exception`` and friends. When the real project is not installed,
``install()`` puts a finder on ``sys.meta_path`` that serves those names
from the packages under ``storagemgr.compat`` (``manila.share.driver`` is
``storagemgr.compat.manila.share.driver``, the very same module object),
mapped onto storagemgr's own classes. Names this layer does not serve
(a driver's own package, or ``manila.tests...`` files extracted from a
release) are still found on ``sys.path``: each served top-level package
also searches the directories of that name on ``sys.path``.

When the real project is installed, nothing is served for it: its own
modules win. storagemgr's own code never imports from this package; only
the driver loader installs the finder.
"""

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import threading

SERVED = ('manila', 'cinder')

_lock = threading.Lock()
_finder = None


def _really_installed(top):
    """Whether ``top`` is a real, regular package on ``sys.path``."""
    for entry in sys.path:
        init = os.path.join(entry or os.getcwd(), top, '__init__.py')
        if os.path.isfile(init):
            return True
    return False


_OWN_DIR = os.path.dirname(os.path.abspath(__file__))


def _is_ours(spec):
    """Whether ``spec`` is one of storagemgr's compat modules."""
    locations = list(spec.submodule_search_locations or []) + [
        spec.origin or '']
    return any(os.path.abspath(location).startswith(_OWN_DIR + os.sep)
               for location in locations if location)


class _ServedLoader(importlib.abc.Loader):
    """Binds a served name to storagemgr's module of the same role."""

    def __init__(self, fullname, target):
        self.fullname = fullname
        self.target = target

    def create_module(self, spec):
        module = importlib.import_module(self.target)
        if spec.name.count('.') == 0 and hasattr(module, '__path__'):
            # Let the top-level package find what it does not serve (a
            # driver shipped inside a directory of that name) on sys.path.
            for entry in sys.path:
                extra = os.path.join(entry or os.getcwd(), spec.name)
                if os.path.isdir(extra) and extra not in module.__path__:
                    module.__path__.append(extra)
        return module

    def exec_module(self, module):
        # Already executed under its storagemgr name; only the alias in
        # sys.modules is new (the import system records it).
        pass


class CompatFinder(importlib.abc.MetaPathFinder):
    """Serves ``manila.*`` and ``cinder.*`` from ``storagemgr.compat``."""

    def __init__(self, served):
        self.served = tuple(served)

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition('.')[0]
        if top not in self.served:
            return None
        target_name = '%s.%s' % (__name__, fullname)
        try:
            found = importlib.util.find_spec(target_name)
        except ImportError:
            found = None
        if found is None or not _is_ours(found):
            # Not served (perhaps a file of the project's own tree found
            # through the extended package path): the path finders load
            # it under its own name.
            return None
        is_package = found.submodule_search_locations is not None
        spec = importlib.machinery.ModuleSpec(
            fullname, _ServedLoader(fullname, target_name),
            is_package=is_package)
        if is_package:
            spec.submodule_search_locations = list(
                found.submodule_search_locations)
        return spec


def install():
    """Serve the compat names whose real project is not installed.

    Idempotent; returns the names served.
    """
    global _finder
    with _lock:
        if _finder is None:
            served = [top for top in SERVED if not _really_installed(top)]
            _finder = CompatFinder(served)
            sys.meta_path.insert(0, _finder)
        return _finder.served
