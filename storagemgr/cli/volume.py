"""``storagemgr volume ...``: as ``openstack volume ...`` does it."""

from storagemgr.cli import base
from storagemgr import exception

VOLUME_COLUMNS = ('id', 'name', 'status', 'size')
VOLUME_LONG_COLUMNS = VOLUME_COLUMNS + ('volume_type', 'host', 'backend',
                                        'consistencygroup_id',
                                        'snapshot_id', 'source_volid',
                                        'provider_location')
# What ``volume show`` says of each attachment.
ATTACHMENT_SUMMARY = ('id', 'attached_host', 'attached_path',
                      'attach_status', 'attach_mode', 'driver_volume_type')


def service(app):
    """The volume service layer (imported when a command runs)."""
    from storagemgr.volume import api as volume_api

    return volume_api.API(app.registry)


class CreateVolume(base.ShowOne):
    """Create a volume (empty, from a snapshot, or a clone)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--size', type=int, metavar='<size>',
                            help='Size in GiB (default with --snapshot or '
                                 '--source: the source\'s size).')
        parser.add_argument('--snapshot', metavar='<snapshot>',
                            help='Create from this volume snapshot '
                                 '(name or id).')
        parser.add_argument('--source', metavar='<volume>',
                            help='Clone this volume (name or id).')
        parser.add_argument('--consistency-group', metavar='<group>',
                            help='Create it in this consistency group.')
        parser.add_argument('--volume-type', metavar='<volume-type>',
                            help='Volume type (name or id; default: the '
                                 'source\'s, else default_volume_type). '
                                 'The scheduler places the volume on a '
                                 'pool that suits it.')
        parser.add_argument('--availability-zone', metavar='<zone>',
                            help='Availability zone to place it in.')
        parser.add_argument('--backend', metavar='<backend>',
                            help='Only consider this backend (a name, or '
                                 'host@backend#pool for one pool); the '
                                 'scheduler\'s filters still apply.')
        parser.add_argument('name', metavar='<name>')
        return parser

    def take_action(self, parsed_args):
        if parsed_args.size is None and not (parsed_args.snapshot or
                                             parsed_args.source):
            raise exception.InvalidInput(
                reason='--size is required unless --snapshot or --source '
                       'is given')
        volume = service(self.app).create_volume(
            parsed_args.name, size=parsed_args.size,
            backend=parsed_args.backend,
            group=parsed_args.consistency_group,
            snapshot=parsed_args.snapshot, source_volume=parsed_args.source,
            volume_type=parsed_args.volume_type,
            availability_zone=parsed_args.availability_zone)
        return base.show_columns(volume)


class ListVolume(base.Lister):
    """List volumes."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--long', action='store_true',
                            help='Also show type, host, backend, '
                                 'consistency group, source and location.')
        return parser

    def take_action(self, parsed_args):
        names = VOLUME_LONG_COLUMNS if parsed_args.long else VOLUME_COLUMNS
        return base.list_columns(service(self.app).list_volumes(), names)


class ShowVolume(base.ShowOne):
    """Show a volume."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('volume', metavar='<volume>',
                            help='Name or id.')
        return parser

    def take_action(self, parsed_args):
        record = service(self.app).get_volume(parsed_args.volume)
        from storagemgr.plugins import health

        # Storage health: alerts on what the volume's backend sits on.
        record['alerts'] = health.alerts_for_backend(self.app.registry,
                                                     record['backend'])
        attachments = service(self.app).list_attachments(record['id'])
        record['attach_status'] = ('attached' if attachments
                                   else 'detached')
        record['attachments'] = [{k: a[k] for k in ATTACHMENT_SUMMARY}
                                 for a in attachments]
        return base.show_columns(record, structured=('alerts',
                                                     'attachments'))


class DeleteVolume(base.Command):
    """Delete volumes."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('volumes', metavar='<volume>', nargs='+',
                            help='Names or ids.')
        return parser

    def take_action(self, parsed_args):
        api = service(self.app)
        for volume in parsed_args.volumes:
            api.delete_volume(volume)


class SetVolume(base.ShowOne):
    """Change a volume: grow it with --size."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--size', type=int, metavar='<size>',
                            required=True,
                            help='New size in GiB (larger than now).')
        parser.add_argument('volume', metavar='<volume>',
                            help='Name or id.')
        return parser

    def take_action(self, parsed_args):
        return base.show_columns(service(self.app).extend_volume(
            parsed_args.volume, parsed_args.size))


class AttachVolume(base.ShowOne):
    """Attach a volume to this host (through os-brick, as cinderlib does).

    Prints the attachment; ``attached_path`` is where the volume's data is
    read and written on this host.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('volume', metavar='<volume>',
                            help='Name or id of an available volume.')
        return parser

    def take_action(self, parsed_args):
        api = service(self.app)
        attachment = api.attach(parsed_args.volume)
        attachment['status'] = api.get_volume(
            attachment['volume_id'])['status']
        return base.show_columns(attachment,
                                 structured=('connection_info', 'connector'))


class DetachVolume(base.Command):
    """Detach a volume from this host."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('volume', metavar='<volume>',
                            help='Name or id of an in-use volume.')
        return parser

    def take_action(self, parsed_args):
        service(self.app).detach(parsed_args.volume)
