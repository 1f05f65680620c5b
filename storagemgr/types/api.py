"""The service layer of share types, volume types and share group types.

One implementation, ``TypeFamily``, serves the three families; each is an
instance that knows its tables, how its specs are checked, which option
names its default type and which rows keep one of its types in use::

    from storagemgr.types import api as types_api
    types_api.share_types.resolve('gold')      # or None for the default
    types_api.volume_types.create('fast', {'volume_backend_name': 'b1'})
    types_api.share_group_types.create('grp', ['gold'])

A type is returned as a dict: ``id``, ``name``, ``description``,
``is_public``, ``extra_specs`` (``{key: value}``) and ``is_default``;
share group types add ``share_types``, the share types (as dicts) their
groups may hold. Types are found by id, else by name; names are unique
within a family.
"""

import collections

from oslo_config import cfg
from oslo_db import exception as db_exc
import sqlalchemy as sa

from storagemgr.db.models import share as share_models
from storagemgr.db.models import share_group as group_models
from storagemgr.db.models import types as models
from storagemgr.db.models import volume as volume_models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr import input_checks
from storagemgr.types import extra_specs
from storagemgr.types import opts  # noqa: F401  (registers the options)

CONF = cfg.CONF

# How many users of a type an in-use refusal names.
_USERS_SHOWN = 3

# Rows that keep a type in use: ``column`` holds the type's id, ``label``
# names the row in the refusal; users of one ``noun`` are reported
# together.
User = collections.namedtuple('User', 'noun column label')


class TypeFamily(object):
    """Create, read, update and delete the types of one family.

    :param kind: the family's name in messages (``share``, ``volume``,
        ``share group``).
    :param model: the type model; ``spec_model`` its spec rows, whose
        ``spec_fk`` attribute holds the type's id.
    :param check_specs: ``check_specs(specs, complete)`` returns the specs
        in their canonical spelling or raises; ``complete`` is True for a
        new type.
    :param required_specs: keys that cannot be unset.
    :param default_option: the [DEFAULT] option naming the default type,
        or None when the family has no default but the implicit one.
    :param users: callable returning the ``User`` entries that keep a type
        in use (a callable so that models of areas not loaded yet are
        looked up when needed).
    :param spec_noun: what a spec is called in messages.
    """

    def __init__(self, kind, model, spec_model, spec_fk, check_specs,
                 required_specs=(), default_option=None, users=tuple,
                 spec_noun='extra spec'):
        self.kind = kind
        self.model = model
        self.spec_model = spec_model
        self.spec_fk = getattr(spec_model, spec_fk)
        self.check_specs = check_specs
        self.required_specs = tuple(required_specs)
        self.default_option = default_option
        self.users = users
        self.spec_noun = spec_noun

    # -- reads ---------------------------------------------------------------

    def get(self, name_or_id):
        """The type whose id, or else whose name, is ``name_or_id``."""
        return db_session.run(lambda s: self._record(
            s, self._find(s, name_or_id)))

    def list(self):
        """Every type of the family, by name."""
        def _list(session):
            rows = session.scalars(sa.select(self.model).order_by(
                self.model.name)).all()
            return self._records(session, rows)
        return db_session.run(_list)

    def resolve(self, name_or_id=None):
        """The type to use for a new resource.

        ``name_or_id`` when given; else the type the default option names
        (``TypeNotFound`` naming the option when it names none); else the
        implicit default: no id, no name, no extra specs.
        """
        if name_or_id is not None:
            return self.get(name_or_id)
        default = self._default_ref()
        if default is None:
            return self._implicit_default()
        try:
            return self.get(default)
        except exception.TypeNotFound:
            raise exception.TypeNotFound(
                kind=self.kind, name='%r (named by the %s option)' % (
                    default, self.default_option))

    def specs_of(self, type_id):
        """The extra specs of the type with this id; {} for no type.

        A type deleted while a resource of it was being made (the only
        way one can be gone) counts as no type.
        """
        if type_id is None:
            return {}
        try:
            return self.get(type_id)['extra_specs']
        except exception.TypeNotFound:
            return {}

    def name_of(self, type_id):
        """The name of the type with this id, or None (one indexed read)."""
        return self.names_of([type_id]).get(type_id)

    def names_of(self, type_ids):
        """``{id: name}`` of the types with these ids, in one read."""
        wanted = {i for i in type_ids if i is not None}
        if not wanted:
            return {}
        return dict(db_session.run(lambda s: s.execute(
            sa.select(self.model.id, self.model.name).where(
                self.model.id.in_(wanted))).all()))

    # -- writes --------------------------------------------------------------

    def create(self, name, extra_specs=None, is_public=True,
               description=None):
        """A new type; its name must be free in the family."""
        return self._create(name, extra_specs, is_public, description)

    def update(self, name_or_id, extra_specs=None, description=None,
               is_public=None, name=None):
        """Set specs (added or replaced) and, when given, the other fields.

        An empty ``description`` clears it.
        """
        specs = self.check_specs(extra_specs or {}, False)
        values = self._field_values(name=name, description=description,
                                    is_public=is_public)

        def _update(session):
            row = self._find(session, name_or_id)
            if values:
                session.execute(sa.update(self.model).where(
                    self.model.id == row.id).values(**values))
            current = self._specs_of(session, [row.id])[row.id]
            for key, value in specs.items():
                if key in current:
                    session.execute(sa.update(self.spec_model).where(
                        self.spec_fk == row.id,
                        self.spec_model.key == key).values(value=value))
                else:
                    session.add(self.spec_model(
                        **{self.spec_fk.key: row.id, 'key': key,
                           'value': value}))
            session.flush()
            session.expire(row)
            return self._record(session, row)

        return self._write(_update, name)

    def unset(self, name_or_id, keys):
        """Remove specs; every key must be set and not required."""
        keys = list(dict.fromkeys(keys or ()))
        if not keys:
            raise exception.InvalidInput(
                reason='name at least one %s to unset' % self.spec_noun)
        required = [k for k in keys if k in self.required_specs]
        if required:
            raise exception.InvalidExtraSpec(
                key=', '.join(required),
                reason='required by every %s type; set another value '
                       'instead' % self.kind)

        def _unset(session):
            row = self._find(session, name_or_id)
            current = self._specs_of(session, [row.id])[row.id]
            missing = [k for k in keys if k not in current]
            if missing:
                raise exception.InvalidInput(
                    reason='%s type %r has no %s %s' % (
                        self.kind, row.name, self.spec_noun,
                        ', '.join(missing)))
            session.execute(sa.delete(self.spec_model).where(
                self.spec_fk == row.id, self.spec_model.key.in_(keys)))
            return self._record(session, row)

        return db_session.run(_unset)

    def hold(self, session, type_id):
        """Keep the type from being deleted until ``session`` commits.

        Called by the claims that make a resource of the type: a shared
        lock on its row, which :meth:`delete` waits for (so it then sees
        the new resource), or TypeNotFound when a delete came first. No
        type (None) holds nothing.
        """
        if type_id is None:
            return
        found = session.execute(sa.select(self.model.id).where(
            self.model.id == type_id).with_for_update(read=True)).first()
        if found is None:
            raise exception.TypeNotFound(kind=self.kind, name=repr(type_id))

    def delete(self, name_or_id):
        """Delete a type no resource uses and no default option names.

        The row is locked first, so a claim making a resource of the type
        (:meth:`hold`) either finished before, and the in-use check (a
        later statement, seeing what was committed) finds its resource,
        or waits and then finds the type gone.
        """
        def _delete(session):
            row = self._find(session, name_or_id)
            locked = session.execute(sa.select(self.model.id).where(
                self.model.id == row.id).with_for_update()).first()
            if locked is None:
                raise exception.TypeNotFound(kind=self.kind,
                                             name=repr(name_or_id))
            if self._default_ref() in (row.id, row.name):
                raise exception.TypeInUse(
                    kind=self.kind, name=repr(row.name),
                    users='the %s option' % self.default_option)
            for model, column in self._children():
                session.execute(sa.delete(model).where(column == row.id))
            stmt = sa.delete(self.model).where(self.model.id == row.id)
            for user in self.users():
                stmt = stmt.where(~sa.exists().where(user.column == row.id))
            if session.execute(stmt).rowcount != 1:
                # The row is ours (locked above): something uses it.
                raise exception.TypeInUse(
                    kind=self.kind, name=repr(row.name),
                    users=self._describe_users(session, row.id) or
                    'a resource made just now')

        db_session.run(_delete)

    # -- helpers -------------------------------------------------------------

    def _default_ref(self):
        if self.default_option is None:
            return None
        return getattr(CONF, self.default_option) or None

    def _implicit_default(self):
        return {'id': None, 'name': None, 'description': None,
                'is_public': True, 'extra_specs': {}, 'is_default': True}

    def _find(self, session, ref):
        if not isinstance(ref, str) or not ref:
            raise exception.InvalidInput(
                reason='a %s type name or id is needed' % self.kind)
        row = session.get(self.model, ref)
        if row is None:
            row = session.scalars(sa.select(self.model).where(
                self.model.name == ref)).first()
        if row is None:
            raise exception.TypeNotFound(kind=self.kind, name=repr(ref))
        return row

    def _specs_of(self, session, type_ids):
        specs = {type_id: {} for type_id in type_ids}
        if type_ids:
            rows = session.execute(sa.select(
                self.spec_fk, self.spec_model.key, self.spec_model.value
            ).where(self.spec_fk.in_(list(type_ids))))
            for type_id, key, value in rows:
                specs[type_id][key] = value
        return specs

    def _records(self, session, rows):
        specs = self._specs_of(session, [row.id for row in rows])
        default = self._default_ref()
        return [{'id': row.id, 'name': row.name,
                 'description': row.description,
                 'is_public': row.is_public,
                 'extra_specs': specs[row.id],
                 'is_default': default is not None and
                 default in (row.id, row.name)}
                for row in rows]

    def _record(self, session, row):
        return self._records(session, [row])[0]

    def _children(self):
        """(model, column) of rows deleted with a type."""
        return [(self.spec_model, self.spec_fk)]

    def _describe_users(self, session, type_id):
        """``2 shares (id1, id2)``... for an in-use refusal; '' if none."""
        labels = collections.OrderedDict()
        for user in self.users():
            found = labels.setdefault(user.noun, set())
            # A locking read: on MySQL it sees what was committed since
            # this transaction's first read (a plain one would not).
            found.update(session.scalars(sa.select(user.label).where(
                user.column == type_id).with_for_update(read=True)))
        parts = []
        for noun, found in labels.items():
            if not found:
                continue
            shown = sorted(str(label) for label in found)
            more = len(shown) - _USERS_SHOWN
            parts.append('%d %s%s (%s%s)' % (
                len(shown), noun, '' if len(shown) == 1 else 's',
                ', '.join(shown[:_USERS_SHOWN]),
                ' and %d more' % more if more > 0 else ''))
        return '; '.join(parts)

    def _field_values(self, name=None, description=None, is_public=None):
        values = {}
        if name is not None:
            values['name'] = self._check_name(name)
        if description is not None:
            values['description'] = input_checks.display_name(
                description, what='description') or None
        if is_public is not None:
            if not isinstance(is_public, bool):
                raise exception.InvalidInput(
                    reason='is_public must be True or False, not %r' %
                    is_public)
            values['is_public'] = is_public
        return values

    def _check_name(self, name):
        what = '%s type name' % self.kind
        if not isinstance(name, str) or not name.strip():
            raise exception.InvalidInput(
                reason='a %s must be non-empty text, not %r' % (what, name))
        return input_checks.display_name(name, what=what)

    def _write(self, work, name):
        """Run ``work`` in a transaction; a taken name is TypeExists."""
        try:
            return db_session.run(work)
        except db_exc.DBDuplicateEntry as e:
            if name is not None and ('name' in (e.columns or ()) or
                                     not e.columns):
                raise exception.TypeExists(kind=self.kind, name=repr(name))
            raise exception.InvalidInput(
                reason='the %s type changed while it was updated; try '
                       'again' % self.kind)

    def _create(self, name, specs, is_public, description, after=None):
        values = self._field_values(description=description,
                                    is_public=is_public)
        values['name'] = self._check_name(name)
        specs = self.check_specs(specs or {}, True)

        def _insert(session):
            if session.scalar(sa.select(self.model.id).where(
                    self.model.name == values['name'])) is not None:
                raise exception.TypeExists(kind=self.kind, name=repr(name))
            row = self.model(**values)
            session.add(row)
            session.flush()
            session.add_all(self.spec_model(
                **{self.spec_fk.key: row.id, 'key': key, 'value': value})
                for key, value in specs.items())
            if after is not None:
                after(session, row)
            session.flush()
            return self._record(session, row)

        return self._write(_insert, name)


class ShareGroupTypeFamily(TypeFamily):
    """Share group types also list the share types their groups hold."""

    def __init__(self, share_types, **kwargs):
        super().__init__(**kwargs)
        self.share_types = share_types

    def create(self, name, share_types, extra_specs=None, is_public=True,
               description=None):
        """A new share group type whose groups hold these share types."""
        refs = list(dict.fromkeys(share_types or ()))
        if not refs:
            raise exception.InvalidInput(
                reason='a share group type needs at least one share type')

        def _map(session, row):
            for ref in refs:
                member = self.share_types._find(session, ref)
                session.add(models.ShareGroupTypeShareType(
                    share_group_type_id=row.id, share_type_id=member.id))

        return self._create(name, extra_specs, is_public, description,
                            after=_map)

    def _records(self, session, rows):
        records = super()._records(session, rows)
        mapping = models.ShareGroupTypeShareType
        members = collections.defaultdict(list)
        for group_type_id, share_type_id in session.execute(sa.select(
                mapping.share_group_type_id, mapping.share_type_id).where(
                mapping.share_group_type_id.in_([r['id'] for r in records]))):
            members[group_type_id].append(share_type_id)
        share_type_rows = session.scalars(sa.select(
            self.share_types.model).where(self.share_types.model.id.in_(
                [i for ids in members.values() for i in ids]))).all()
        by_id = {r['id']: r for r in self.share_types._records(
            session, share_type_rows)}
        for record in records:
            record['share_types'] = sorted(
                (by_id[i] for i in members[record['id']]),
                key=lambda r: r['name'])
        return records

    def _implicit_default(self):
        return dict(super()._implicit_default(), share_types=[])

    def _children(self):
        mapping = models.ShareGroupTypeShareType
        return super()._children() + [(mapping,
                                       mapping.share_group_type_id)]


def _share_type_users():
    mapping = models.ShareGroupTypeShareType
    group_name = sa.select(models.ShareGroupType.name).where(
        models.ShareGroupType.id == mapping.share_group_type_id
    ).scalar_subquery()
    return (
        User('share', share_models.Share.share_type_id,
             share_models.Share.id),
        # An instance may be of another type than its share (a migration
        # that changes the type); it keeps that type in use too.
        User('share', share_models.ShareInstance.share_type_id,
             share_models.ShareInstance.share_id),
        User('share group type', mapping.share_type_id, group_name),
        User('share group', group_models.ShareGroupShareType.share_type_id,
             group_models.ShareGroupShareType.share_group_id),
    )


def _volume_type_users():
    return (User('volume', volume_models.Volume.volume_type_id,
                 volume_models.Volume.id),)


def _share_group_type_users():
    return (User('share group', group_models.ShareGroup.share_group_type_id,
                 group_models.ShareGroup.id),)


share_types = TypeFamily(
    kind='share', model=models.ShareType,
    spec_model=models.ShareTypeExtraSpec, spec_fk='share_type_id',
    check_specs=extra_specs.check_share_type_specs,
    required_specs=extra_specs.REQUIRED_SHARE_TYPE_SPECS,
    default_option='default_share_type', users=_share_type_users)

volume_types = TypeFamily(
    kind='volume', model=models.VolumeType,
    spec_model=models.VolumeTypeExtraSpec, spec_fk='volume_type_id',
    check_specs=lambda specs, complete: extra_specs.check_generic(specs),
    default_option='default_volume_type', users=_volume_type_users)

share_group_types = ShareGroupTypeFamily(
    share_types=share_types,
    kind='share group', model=models.ShareGroupType,
    spec_model=models.ShareGroupTypeSpec, spec_fk='share_group_type_id',
    check_specs=lambda specs, complete: extra_specs.check_generic(
        specs, what='group spec'),
    users=_share_group_type_users, spec_noun='group spec')
