"""``storagemgr share type ...``: create, list, show, set, unset and delete
share types (as ``openstack share type ...`` does).

The commands of the three type families (share, volume, share group)
differ only in their positional arguments, the name of their specs option
and their columns, so the generic commands live here, driven by a
``TypeCli`` per family; ``volume_type`` and ``share_group_type`` subclass
them as ``share_snapshot`` reuses the share helpers.
"""

from storagemgr.cli import base
from storagemgr.cli import share as share_cli
from storagemgr import exception


def common_fields(record):
    """The fields every type shows, named as OpenStack's clients name them."""
    return {'id': record['id'], 'name': record['name'],
            'visibility': 'public' if record['is_public'] else 'private',
            'is_default': record['is_default'],
            'description': record['description']}


class TypeCli(object):
    """How one family's commands name and show things.

    :param family: the name of the ``storagemgr.types.api`` family
        (``share_types``...), imported when a command runs.
    :param spec_flags: the options that add specs, canonical one first.
    :param fields: ``fields(record)`` adds the family's own columns to
        ``common_fields``.
    :param list_columns: the columns of ``list``.
    :param structured: the columns holding dicts or lists.
    """

    def __init__(self, family, spec_flags, fields, list_columns,
                 structured):
        self.family_name = family
        self.spec_flags = spec_flags
        self.fields = fields
        self.list_columns = list_columns
        self.structured = structured

    @property
    def family(self):
        from storagemgr.types import api as types_api

        return getattr(types_api, self.family_name)

    def add_specs(self, parser):
        parser.add_argument(
            *self.spec_flags, dest='specs', metavar='<key=value>',
            nargs='+', action='extend', default=[],
            help='Spec to set (repeatable; several may follow one '
                 'option).')

    def specs(self, parsed_args):
        return share_cli.parse_key_values(parsed_args.specs,
                                          self.spec_flags[0])

    def display(self, record):
        return dict(common_fields(record), **self.fields(record))

    def show(self, record):
        return base.show_columns(self.display(record),
                                 structured=self.structured)


def add_visibility(parser, what):
    group = parser.add_mutually_exclusive_group()
    group.add_argument('--public', dest='is_public', action='store_true',
                       default=None,
                       help='Mark the %s public (the default when it is '
                            'created).' % what)
    group.add_argument('--private', dest='is_public', action='store_false',
                       help='Mark the %s private.' % what)


class CreateType(base.ShowOne):
    """Create a type (the family's subclass adds its arguments)."""

    cli = None

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>', help='Type name.')
        self.add_positionals(parser)
        self.cli.add_specs(parser)
        add_visibility(parser, 'type')
        parser.add_argument('--description', metavar='<description>',
                            help='Type description.')
        return parser

    def add_positionals(self, parser):
        pass

    def create(self, parsed_args, specs, is_public):
        return self.cli.family.create(parsed_args.name, specs,
                                      is_public=is_public,
                                      description=parsed_args.description)

    def take_action(self, parsed_args):
        is_public = True if parsed_args.is_public is None else \
            parsed_args.is_public
        return self.cli.show(self.create(
            parsed_args, self.cli.specs(parsed_args), is_public))


class ListType(base.Lister):
    """List types."""

    cli = None

    def take_action(self, parsed_args):
        return base.list_columns(
            [self.cli.display(t) for t in self.cli.family.list()],
            self.cli.list_columns, structured=self.cli.structured)


class ShowType(base.ShowOne):
    """Show a type."""

    cli = None

    def get_parser(self, prog_name):
        return share_cli.add_ref(super().get_parser(prog_name), 'type',
                                 'type')

    def take_action(self, parsed_args):
        return self.cli.show(self.cli.family.get(parsed_args.type))


class SetType(base.Command):
    """Set specs (added or replaced), name, description or visibility."""

    cli = None

    def get_parser(self, prog_name):
        parser = share_cli.add_ref(super().get_parser(prog_name), 'type',
                                   'type')
        self.cli.add_specs(parser)
        parser.add_argument('--name', metavar='<name>', help='New name.')
        parser.add_argument('--description', metavar='<description>',
                            help='New description ("" clears it).')
        add_visibility(parser, 'type')
        return parser

    def take_action(self, parsed_args):
        self.cli.family.update(
            parsed_args.type, self.cli.specs(parsed_args),
            description=parsed_args.description,
            is_public=parsed_args.is_public, name=parsed_args.name)


class UnsetType(base.Command):
    """Remove specs from a type."""

    cli = None
    keys_nargs = '+'

    def get_parser(self, prog_name):
        parser = share_cli.add_ref(super().get_parser(prog_name), 'type',
                                   'type')
        parser.add_argument('keys', metavar='<key>', nargs=self.keys_nargs,
                            help='Spec to remove (repeatable).')
        return parser

    def keys(self, parsed_args):
        return parsed_args.keys

    def take_action(self, parsed_args):
        self.cli.family.unset(parsed_args.type, self.keys(parsed_args))


class DeleteType(base.Command):
    """Delete types (refused while anything uses them)."""

    cli = None

    def get_parser(self, prog_name):
        return share_cli.add_refs(super().get_parser(prog_name), 'types',
                                  'type')

    def take_action(self, parsed_args):
        share_cli.for_each(parsed_args.types, self.cli.family.delete,
                           'type deletions')


# -- share types --------------------------------------------------------------

def specs_rules():
    """``storagemgr.types.extra_specs`` (its oslo.utils import is slow)."""
    from storagemgr.types import extra_specs

    return extra_specs


def _share_type_fields(record):
    required, optional = specs_rules().split_share_type_specs(
        record['extra_specs'])
    return {'required_extra_specs': required,
            'optional_extra_specs': optional}


SHARE_TYPES = TypeCli(
    'share_types', ('--extra-specs',), _share_type_fields,
    ('id', 'name', 'visibility', 'is_default', 'required_extra_specs',
     'optional_extra_specs', 'description'),
    ('required_extra_specs', 'optional_extra_specs'))


class CreateShareType(CreateType):
    """Create a share type."""

    cli = SHARE_TYPES

    def add_positionals(self, parser):
        parser.add_argument(
            'driver_handles_share_servers',
            metavar='<driver_handles_share_servers>',
            help='Whether the backend creates share servers: true or '
                 'false (also 1/0, yes/no).')

    def create(self, parsed_args, specs, is_public):
        dhss = specs_rules().DHSS
        if dhss in specs:
            raise exception.InvalidInput(
                reason='%s is the positional argument; do not repeat it in '
                       '--extra-specs' % dhss)
        specs[dhss] = parsed_args.driver_handles_share_servers
        return super().create(parsed_args, specs, is_public)


class ListShareType(ListType):
    """List share types."""

    cli = SHARE_TYPES


class ShowShareType(ShowType):
    """Show a share type."""

    cli = SHARE_TYPES


class SetShareType(SetType):
    """Set extra specs, name, description or visibility of a share type."""

    cli = SHARE_TYPES


class UnsetShareType(UnsetType):
    """Remove extra specs from a share type."""

    cli = SHARE_TYPES


class DeleteShareType(DeleteType):
    """Delete share types (refused while shares or group types use them)."""

    cli = SHARE_TYPES
