"""``storagemgr share ...``: create, list, show, delete, resize, revert,
adopt and abandon shares (as ``openstack share ...`` does).
"""

from storagemgr.cli import base
from storagemgr import exception

STRUCTURED = ('export_locations', 'metadata')
LIST_COLUMNS = ('id', 'name', 'size', 'share_proto', 'status', 'backend',
                'host')


def get_api(app):
    """The share service layer for this command's backends and context.

    Imported here, not with this module: listing or describing the
    commands (``--help``) must not pay for the service layer.
    """
    from storagemgr.share import api as share_api

    return share_api.API(registry=app.registry, context=app.context)


def parse_key_values(pairs, option):
    """``['k=v', ...]`` from a repeated option into a dict."""
    result = {}
    for pair in pairs or []:
        key, sep, value = pair.partition('=')
        if not sep or not key:
            raise exception.InvalidInput(
                reason='%s takes KEY=VALUE, not %r' % (option, pair))
        result[key] = value
    return result


def add_ref(parser, dest, what):
    """A positional taking one id or name."""
    parser.add_argument(dest, metavar='<%s>' % what,
                        help='%s id or name.' % what.capitalize())
    return parser


def add_refs(parser, dest, what):
    """A positional taking one or more ids or names."""
    parser.add_argument(dest, metavar='<%s>' % what, nargs='+',
                        help='%s id or name (repeatable).' %
                        what.capitalize())
    return parser


def for_each(refs, action, what):
    """Run ``action`` on every ref; report all failures at the end."""
    failures = []
    for ref in refs:
        try:
            action(ref)
        except exception.StorageManagerException as e:
            failures.append(str(e))
    if failures:
        if len(refs) == 1:
            raise exception.StorageManagerException(failures[0])
        raise exception.StorageManagerException(
            '%d of %d %s failed: %s' % (len(failures), len(refs), what,
                                        '; '.join(failures)))


class CreateShare(base.ShowOne):
    """Create a share (empty, or from a snapshot)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('share_proto', metavar='<share_protocol>',
                            help='Protocol: NFS or CIFS.')
        parser.add_argument('size', metavar='<size>',
                            help='Size in GiB (at least 1).')
        parser.add_argument('--name', help='Share name.')
        parser.add_argument('--snapshot-id', metavar='<snapshot>',
                            help='Create the share from this snapshot (id '
                                 'or name); it lands on the snapshot\'s '
                                 'backend.')
        parser.add_argument('--share-type', metavar='<share-type>',
                            help='Share type (name or id); default: '
                                 'default_share_type, else a type without '
                                 'extra specs.')
        parser.add_argument('--availability-zone', metavar='<zone>',
                            help='Place the share in this availability '
                                 'zone.')
        parser.add_argument('--backend', metavar='<backend>',
                            help='Only consider this backend (a name, or '
                                 'host@backend#pool for one pool); the '
                                 'scheduler\'s filters still apply.')
        parser.add_argument('--property', metavar='<key=value>',
                            action='append', default=[],
                            help='Metadata to set (repeatable).')
        parser.add_argument('--share-group', metavar='<share-group>',
                            help='Share group (name or id) the share '
                                 'joins; it is placed where the group is '
                                 'and must be of one of its share types '
                                 '(default: its only one).')
        return parser

    def take_action(self, parsed_args):
        share = get_api(self.app).create(
            parsed_args.share_proto, parsed_args.size,
            name=parsed_args.name, snapshot_id=parsed_args.snapshot_id,
            backend=parsed_args.backend,
            metadata=parse_key_values(parsed_args.property, '--property'),
            share_type=parsed_args.share_type,
            availability_zone=parsed_args.availability_zone,
            share_group=parsed_args.share_group)
        return base.show_columns(share, structured=STRUCTURED)


class ListShare(base.Lister):
    """List shares."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--backend', help='Only shares of this backend (a '
                                              'name, or host@backend#pool '
                                              'for one pool).')
        return parser

    def take_action(self, parsed_args):
        shares = get_api(self.app).list(backend=parsed_args.backend)
        return base.list_columns(shares, LIST_COLUMNS)


class ShowShare(base.ShowOne):
    """Show a share: status, size, export locations..."""

    def get_parser(self, prog_name):
        parser = add_ref(super().get_parser(prog_name), 'share', 'share')
        return parser

    def take_action(self, parsed_args):
        record = get_api(self.app).get(parsed_args.share)
        from storagemgr.plugins import health

        # Storage health: alerts on what the share's backend sits on.
        record['alerts'] = health.alerts_for_backend(self.app.registry,
                                                     record['backend'])
        return base.show_columns(record, structured=STRUCTURED + ('alerts',))


class DeleteShare(base.Command):
    """Delete shares (refused while they have snapshots)."""

    def get_parser(self, prog_name):
        parser = add_refs(super().get_parser(prog_name), 'shares', 'share')
        parser.add_argument('--share-group', metavar='<share-group>',
                            help='Share group (name or id) the shares must '
                                 'be in; a share that is not is refused.')
        return parser

    def take_action(self, parsed_args):
        api = get_api(self.app)
        for_each(parsed_args.shares,
                 lambda ref: api.delete(
                     ref, share_group=parsed_args.share_group),
                 'share deletions')


class ResizeShare(base.Command):
    """Extend or shrink a share to a new size."""

    def get_parser(self, prog_name):
        parser = add_ref(super().get_parser(prog_name), 'share', 'share')
        parser.add_argument('new_size', metavar='<new-size>',
                            help='New size in GiB.')
        return parser

    def take_action(self, parsed_args):
        get_api(self.app).resize(parsed_args.share, parsed_args.new_size)


class RevertShare(base.Command):
    """Revert a share, in place, to its latest snapshot."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('snapshot', metavar='<snapshot>',
                            help='Snapshot id or name (the share\'s latest).')
        return parser

    def take_action(self, parsed_args):
        get_api(self.app).revert(parsed_args.snapshot)


class AdoptShare(base.ShowOne):
    """Bring a share the backend already has under management."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('backend', metavar='<backend>',
                            help='Backend holding the share: a name, or '
                                 'host@backend#pool to name its pool.')
        parser.add_argument('share_proto', metavar='<protocol>',
                            help='Protocol: NFS or CIFS.')
        parser.add_argument('export_path', metavar='<export-path>',
                            help='Export path of the share on the backend.')
        parser.add_argument('--name', help='Share name.')
        parser.add_argument('--driver-option', metavar='<key=value>',
                            action='append', default=[],
                            help='Driver-specific option (repeatable).')
        parser.add_argument('--share-type', metavar='<share-type>',
                            help='Share type of the adopted share; the '
                                 'pool must suit its extra specs.')
        return parser

    def take_action(self, parsed_args):
        share = get_api(self.app).manage(
            parsed_args.backend, parsed_args.share_proto,
            parsed_args.export_path, name=parsed_args.name,
            driver_options=parse_key_values(parsed_args.driver_option,
                                            '--driver-option'),
            share_type=parsed_args.share_type)
        return base.show_columns(share, structured=STRUCTURED)


class AbandonShare(base.Command):
    """Stop managing shares; their data stays on the backend."""

    def get_parser(self, prog_name):
        return add_refs(super().get_parser(prog_name), 'shares', 'share')

    def take_action(self, parsed_args):
        for_each(parsed_args.shares, get_api(self.app).unmanage,
                 'share abandons')
