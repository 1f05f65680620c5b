"""The machinery behind resource classes: declaration, values, deltas.

A resource class body declares attributes and statistics; the metaclass
moves them into ``cls._meta`` (with the ``Meta`` options) so that
reading or assigning ``resource.name`` goes through the declaration:
values are validated, and every effective change is recorded as a
*delta* that the owning Plugin sends to the manager after the scan.

Instances use ``__slots__`` (added to every subclass by the metaclass)
because a plugin may hold a hundred thousand of them; the pending deltas
live in one optional object that exists only while there is something to
send.
"""

from storagemgr import exception
from storagemgr.plugins.api import attributes as api_attributes
from storagemgr.plugins.api import identifiers
from storagemgr.plugins.api import statistics as api_statistics

_MISSING = object()
_API_PACKAGE = 'storagemgr.plugins.api'


class ResourceMeta(object):
    """Everything declared about a resource class.

    ``storage_attributes``/``storage_statistics`` map names to
    declarations in declaration order; ``alert_classes`` maps each alert
    class name to its condition; ``conditions_by_attribute`` lists the
    conditions watching each attribute; ``declaration_errors`` holds
    problems found while declaring (reported by validation, never raised
    at import).
    """

    def __init__(self, name, module):
        self.label = None
        self.identifier = None
        self.storage_attributes = {}
        self.storage_statistics = {}
        self.alert_conditions = []
        self.alert_classes = {}
        self.conditions_by_attribute = {}
        self.relations = []
        self.orig_relations = []
        self.subscriptions = []
        self.provides = []
        self.charts = []
        self.reference_attributes = ()
        self.declaration_errors = []
        self.plugin_name = (
            'api' if module.startswith(_API_PACKAGE)
            else module.rsplit('.', 1)[-1])
        self.class_name = name


def _sorted_declarations(items):
    return dict(sorted(items.items(),
                       key=lambda kv: kv[1].creation_counter))


class StorageResourceMetaclass(type):
    """Builds ``cls._meta`` from the class body, its Meta and its bases."""

    def __new__(mcs, name, bases, attrs):
        declared = attrs.pop('Meta', None)
        attrs.setdefault('__slots__', ())
        meta = ResourceMeta(name, attrs.get('__module__', ''))
        for base in reversed(bases):
            mcs._inherit(meta, getattr(base, '_meta', None))
        for key, value in list(attrs.items()):
            if isinstance(value, api_attributes.BaseResourceAttribute):
                meta.storage_attributes[key] = value
                del attrs[key]
            elif isinstance(value, api_statistics.BaseStatistic):
                meta.storage_statistics[key] = value
                del attrs[key]
        mcs._apply_declared_meta(meta, declared)
        if isinstance(meta.identifier, identifiers.AutoId):
            meta.storage_attributes.setdefault(
                identifiers.AutoId.FIELD,
                api_attributes.String(optional=True, hidden=True,
                                      user_read_only=True))
        meta.storage_attributes = _sorted_declarations(
            meta.storage_attributes)
        meta.storage_statistics = _sorted_declarations(
            meta.storage_statistics)
        mcs._index_conditions(meta)
        meta.reference_attributes = tuple(
            n for n, a in meta.storage_attributes.items() if a.is_reference)
        cls = super().__new__(mcs, name, bases, attrs)
        cls._meta = meta
        return cls

    @staticmethod
    def _inherit(meta, base_meta):
        if base_meta is None:
            return
        meta.storage_attributes.update(base_meta.storage_attributes)
        meta.storage_statistics.update(base_meta.storage_statistics)
        meta.alert_conditions.extend(base_meta.alert_conditions)
        meta.orig_relations.extend(base_meta.orig_relations)
        meta.charts = list(base_meta.charts) or meta.charts
        meta.identifier = base_meta.identifier or meta.identifier

    @staticmethod
    def _apply_declared_meta(meta, declared):
        if declared is None:
            meta.label = '%s.%s' % (meta.plugin_name, meta.class_name)
            meta.relations = list(meta.orig_relations)
            return
        meta.identifier = getattr(declared, 'identifier', meta.identifier)
        meta.label = getattr(declared, 'label', None) or '%s.%s' % (
            meta.plugin_name, meta.class_name)
        meta.alert_conditions = (meta.alert_conditions + list(
            getattr(declared, 'alert_conditions', [])))
        meta.orig_relations = (meta.orig_relations + list(
            getattr(declared, 'relations', [])))
        meta.relations = list(meta.orig_relations)
        meta.charts = list(getattr(declared, 'charts', meta.charts))

    @staticmethod
    def _index_conditions(meta):
        for condition in meta.alert_conditions:
            meta.conditions_by_attribute.setdefault(
                condition.attribute, []).append(condition)
            for alert_class in condition.alert_classes():
                if alert_class in meta.alert_classes:
                    meta.declaration_errors.append(
                        'alert conditions on attribute %r are ambiguous '
                        '(both define alert class %s): give each an '
                        "'id' argument" % (condition.attribute,
                                           alert_class))
                meta.alert_classes[alert_class] = condition


class _Deltas(object):
    """Changes of one resource not yet sent to the manager."""

    __slots__ = ('attrs', 'parents', 'stats')

    def __init__(self):
        self.attrs = {}
        self.parents = []   # [(added: bool, parent resource)]
        self.stats = {}     # {stat name: [sample, ...]}


class BaseStorageResource(object, metaclass=StorageResourceMetaclass):
    """A resource instance: validated attribute values plus deltas.

    ``_handle`` is the plugin-local id (an int) the Plugin assigns;
    ``_parents`` the resources affecting this one. Constructed with
    attribute keyword arguments, optionally ``parents=[...]``.
    """

    __slots__ = ('_handle', '_storage_dict', '_parents', '_deltas',
                 '__dict__')

    def __init__(self, **kwargs):
        parents = kwargs.pop('parents', None) or []
        calc = kwargs.pop('calc_changes_delta', None)
        object.__setattr__(self, '_handle', None)
        object.__setattr__(self, '_storage_dict', {})
        object.__setattr__(self, '_parents', list(parents))
        object.__setattr__(self, '_deltas', None)
        if calc is not None:
            self.__dict__['_calc_changes_delta'] = calc
        meta = self._meta
        for key, value in kwargs.items():
            if (key not in meta.storage_attributes
                    and key not in meta.storage_statistics):
                raise exception.ResourceProgrammingError(
                    resource_class=type(self).__name__,
                    reason='unknown attribute %r' % key)
            setattr(self, key, value)
        self.flush_deltas(keep_stats=True)

    # -- values ---------------------------------------------------------

    def _pending(self):
        deltas = self._deltas
        if deltas is None:
            deltas = _Deltas()
            object.__setattr__(self, '_deltas', deltas)
        return deltas

    def _skip_unchanged(self):
        calc = self.__dict__.get('_calc_changes_delta')
        return calc is None or calc()

    def __setattr__(self, name, value):
        if name[0] == '_':
            object.__setattr__(self, name, value)
            return
        meta = self._meta
        declared = meta.storage_attributes.get(name)
        if declared is not None:
            value = declared.cast(value)
            declared.validate(value, name)
            old = self._storage_dict.get(name, _MISSING)
            if old is not _MISSING and self._skip_unchanged() and (
                    old is value or (not declared.is_reference
                                     and old == value)):
                return
            self._storage_dict[name] = value
            self._pending().attrs[name] = value
            return
        statistic = meta.storage_statistics.get(name)
        if statistic is not None:
            self._pending().stats.setdefault(name, []).append(
                statistic.sample(value, name))
            return
        object.__setattr__(self, name, value)

    def __getattr__(self, name):
        # Only called when normal lookup fails: declared attributes and
        # statistics are not in the class dict.
        if name[0] == '_':
            raise AttributeError(name)
        meta = type(self)._meta
        declared = meta.storage_attributes.get(name)
        if declared is None:
            if name in meta.storage_statistics:
                return None
            raise AttributeError("'%s' resource has no attribute '%s'"
                                 % (type(self).__name__, name))
        try:
            return self._storage_dict[name]
        except KeyError:
            pass
        if declared.optional:
            return None
        if declared.default is not None:
            if callable(declared.default):
                return declared.default(self._storage_dict)
            return declared.default
        raise AttributeError("'%s' resource has no value for its mandatory "
                             "attribute '%s'" % (type(self).__name__, name))

    def to_attrs(self):
        """The values set, by attribute name (references as resources)."""
        return dict(self._storage_dict)

    def validate(self):
        """Check every declared attribute; mandatory ones must be set."""
        for name, declared in self._meta.storage_attributes.items():
            value = self._storage_dict.get(name)
            if value is None and not declared.optional and (
                    declared.default is None):
                raise exception.InvalidAttributeValue(
                    value=None, attribute='%s.%s' % (type(self).__name__,
                                                     name),
                    reason='missing mandatory attribute')
            if value is not None:
                declared.validate(value, name)

    # -- identity -------------------------------------------------------

    @classmethod
    def resource_class_key(cls):
        """(plugin name, class name): how the manager names this class."""
        return cls._meta.plugin_name, cls.__name__

    @classmethod
    def attrs_to_id_tuple(cls, attrs, null_missing=False):
        """The identifier values taken from an attribute dict."""
        identifier = cls._meta.identifier
        if identifier is None:
            raise exception.ResourceProgrammingError(
                resource_class=cls.__name__, reason='no Meta.identifier')
        values = []
        for field in identifier.id_fields:
            if field not in cls._meta.storage_attributes:
                raise exception.ResourceProgrammingError(
                    resource_class=cls.__name__,
                    reason='identifier names %r, which is not an attribute'
                    % field)
            if field in attrs:
                values.append(attrs[field])
            elif null_missing:
                values.append(None)
            else:
                raise exception.ResourceProgrammingError(
                    resource_class=cls.__name__,
                    reason='missing identifier attribute %r' % field)
        return tuple(values)

    def id_tuple(self):
        return self.attrs_to_id_tuple(self._storage_dict)

    # -- presentation ---------------------------------------------------

    def get_label(self):
        """Default: the class label then the identifier values."""
        try:
            values = self.id_tuple()
        except exception.ResourceProgrammingError:
            return self._meta.label
        shown = [v.get_label() if isinstance(v, BaseStorageResource)
                 else v for v in values]
        return '%s %s' % (self._meta.label,
                          shown[0] if len(shown) == 1 else tuple(shown))

    @classmethod
    def get_charts(cls):
        """Meta.charts, else one chart per statistic."""
        if cls._meta.charts:
            return list(cls._meta.charts)
        return [{'title': stat.get_label(name), 'series': [name]}
                for name, stat in cls._meta.storage_statistics.items()]

    def __repr__(self):
        return '<%s %s>' % (type(self).__name__, self._handle)

    # -- parents ----------------------------------------------------------

    def get_parents(self):
        return list(self._parents)

    def add_parent(self, parent):
        if any(p is parent for p in self._parents):
            return
        self._parents.append(parent)
        self._pending().parents.append((True, parent))

    def remove_parent(self, parent):
        for i, existing in enumerate(self._parents):
            if existing is parent:
                del self._parents[i]
                self._pending().parents.append((False, parent))
                return

    # -- deltas -----------------------------------------------------------

    def take_deltas(self):
        """The pending deltas (or None), forgetting them."""
        deltas = self._deltas
        object.__setattr__(self, '_deltas', None)
        return deltas

    def flush_deltas(self, keep_stats=False):
        deltas = self._deltas
        if deltas is None:
            return
        if keep_stats and deltas.stats:
            deltas.attrs = {}
            deltas.parents = []
        else:
            object.__setattr__(self, '_deltas', None)
