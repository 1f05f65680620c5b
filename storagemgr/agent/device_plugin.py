"""The agent side of a storage plugin: DevicePlugin.

A device plugin runs inside ``storagemgr-agent`` on a storage server and
reports what it sees there. Its module in
``storagemgr.agent.device_plugins`` must have the name of the server
plugin that receives the data (``linux.py`` feeds the ``linux`` plugin).

The agent creates one instance per session, calls ``start_session()``
once for a full report, then ``update_session()`` for what changed;
never concurrently and never ``update_session`` first. Both return
JSON-serialisable data (``None`` from ``update_session``: nothing to
send), or a DevicePluginMessage / DevicePluginMessageCollection.
"""

import importlib
import inspect
import pkgutil


class DevicePluginMessage(object):
    """One message body with a priority (lower is sent first)."""

    def __init__(self, message, priority=0):
        self.message = message
        self.priority = priority


class DevicePluginMessageCollection(list):
    """Several messages sent in one go, with a shared priority."""

    def __init__(self, messages, priority=0):
        super().__init__(messages)
        self.priority = priority


class DevicePlugin(object):
    """Base class of agent device plugins; see the module docstring."""

    def __init__(self, session=None):
        self._session = session

    def start_session(self):
        """Full listing of what this plugin reports."""
        raise NotImplementedError()

    def update_session(self):
        """What changed since the last call; None when nothing did."""
        return None

    def teardown(self):
        """Release whatever the plugin holds; the session is over."""


def message_bodies(result):
    """The list of plain bodies in a start/update_session result."""
    if result is None:
        return []
    if isinstance(result, DevicePluginMessageCollection):
        return [m.message if isinstance(m, DevicePluginMessage) else m
                for m in sorted(result, key=lambda m: getattr(
                    m, 'priority', 0))]
    if isinstance(result, DevicePluginMessage):
        return [result.message]
    return [result]


def find_device_plugins(package='storagemgr.agent.device_plugins'):
    """{plugin name: DevicePlugin subclass} from the modules of a package.

    The name is the module's; a module that fails to import is skipped
    (and reported in the second element of the result).
    """
    found, errors = {}, {}
    pkg = importlib.import_module(package)
    for info in pkgutil.iter_modules(pkg.__path__):
        name = info.name
        try:
            module = importlib.import_module('%s.%s' % (package, name))
        except Exception as exc:  # a broken plugin must not stop others
            errors[name] = exc
            continue
        for _n, obj in inspect.getmembers(module, inspect.isclass):
            if (issubclass(obj, DevicePlugin) and obj is not DevicePlugin
                    and obj.__module__ == module.__name__):
                found[name] = obj
    return found, errors
