"""Resource base classes and the built-in resource types.

Plugins subclass ``Resource`` (or ``ScannableResource`` for what an
administrator adds, such as a controller couplet), preferably through the
built-in type that fits the object (``PhysicalDisk``, ``StoragePool``,
``LogicalDrive``...), so that presentation and health rules can treat
resources of different plugins alike.
"""

from storagemgr.plugins.api import attributes
from storagemgr.plugins.api.base_resource import BaseStorageResource
from storagemgr.plugins.api import identifiers


class Resource(BaseStorageResource):
    """A uniquely identified object reported by a plugin."""


class ScannableResource(Resource):
    """A resource an administrator adds; its plugin scans it.

    The resources its plugin reports with ScopedId belong to it.
    """


class HostsideResource(Resource):
    """Marker: the root of an agent session on a storage server."""


class PluginAgentResources(HostsideResource):
    """Root resource of one agent plugin's session on one host.

    The manager creates it when the first message of ``plugin_name``
    arrives from the host; the server plugin of that name receives
    ``host_id`` in ``agent_session_start``/``agent_session_continue``.
    """

    class Meta:
        identifier = identifiers.GlobalId('host_id', 'plugin_name')
        label = 'Agent resources'

    host_id = attributes.Integer()
    plugin_name = attributes.String()
    host_name = attributes.String(optional=True)

    def get_label(self):
        return '%s on %s' % (self.plugin_name,
                             self.host_name or 'host %s' % self.host_id)


class Controller(Resource):
    """A RAID controller."""


class Enclosure(Resource):
    """A physical enclosure, drawer or shelf."""


class Fan(Resource):
    """A physical cooling fan."""


class PhysicalDisk(Resource):
    """A physical storage device: hard drive, SSD."""


class StoragePool(Resource):
    """An aggregation of physical disks."""


class LogicalDrive(Resource):
    """A storage device of fixed size usable for a file system."""

    size = attributes.Bytes()
    filesystem_type = attributes.String(optional=True)

    usable_for_lustre = True

    @classmethod
    def device_type(cls):
        """Kind of device; linux block devices by default."""
        return 'linux'


class LogicalDriveSlice(LogicalDrive):
    """A part of a sliceable device: a partition, a logical volume."""


class LogicalDriveOccupier(Resource):
    """A descendant of this type marks its LogicalDrive as in use."""


class DeviceNode(Resource):
    """A device node on a host, such as /dev/sda."""

    host_id = attributes.Integer()
    path = attributes.PosixPath()
    logical_drive = attributes.ResourceReference(optional=True)


class VirtualMachine(Resource):
    """A server hosted by the storage; ``host_id`` is set by the manager."""

    address = attributes.Hostname()
    host_id = attributes.Integer(optional=True)


class Host(Resource):
    """A server known to the manager."""


class PathWeight(Resource):
    """How preferable a path to a device is (higher is better)."""

    weight = attributes.Integer()


class NetworkInterface(Resource):
    """A network interface of a host."""

    host_id = attributes.Integer()


class LNETInterface(Resource):
    """An LNet interface."""


class LNETModules(Resource):
    """The LNet kernel modules of a host."""

    host_id = attributes.Integer()


__all__ = [
    'Resource', 'ScannableResource', 'HostsideResource',
    'PluginAgentResources', 'Controller', 'Enclosure', 'Fan',
    'PhysicalDisk', 'StoragePool', 'LogicalDrive', 'LogicalDriveSlice',
    'LogicalDriveOccupier', 'DeviceNode', 'VirtualMachine', 'Host',
    'PathWeight', 'NetworkInterface', 'LNETInterface', 'LNETModules',
]
