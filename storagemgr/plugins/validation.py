"""Checks a plugin module against the rules of the plugin API.

``module_problems(module, name)`` inspects an imported module and returns
every problem found, as sentences naming the culprit; the loader refuses
a module with any. ``validate_path(path)`` imports a plugin file (or
package directory) the way ``storagemgr storage plugin validate`` does
and adds import failures (syntax errors with their line) to the list.
"""

import importlib.util
import inspect
import os
import sys
import traceback

from storagemgr.plugins import api
from storagemgr.plugins.api import base_resource
from storagemgr.plugins.api import identifiers
from storagemgr.plugins.api import plugin as api_plugin
from storagemgr.plugins.api import resources


def defined_in(obj, module):
    """True if ``obj`` was defined in ``module`` or one of its submodules."""
    owner = getattr(obj, '__module__', None) or ''
    return owner == module.__name__ or owner.startswith(
        module.__name__ + '.')


def plugin_classes(module):
    """The Plugin subclasses a module defines (imported ones excluded)."""
    return [obj for _n, obj in inspect.getmembers(module, inspect.isclass)
            if issubclass(obj, api_plugin.Plugin)
            and obj is not api_plugin.Plugin and defined_in(obj, module)]


def resource_classes(module):
    """The resource classes a module (or its submodules) defines."""
    found = {}
    candidates = [module] + [m for n, m in list(sys.modules.items())
                             if m is not None and n.startswith(
                                 module.__name__ + '.')]
    for mod in candidates:
        for _n, obj in inspect.getmembers(mod, inspect.isclass):
            if issubclass(obj, base_resource.BaseStorageResource) and (
                    defined_in(obj, module)):
                found[obj.__name__] = obj
    return found


def version_problems(module):
    version = getattr(module, 'version', None)
    if version is None:
        return ['no API version: add "version = %d" at the top level of '
                'the plugin module' % api.API_VERSION]
    if isinstance(version, bool) or not isinstance(version, int) or (
            version != api.API_VERSION):
        return ['the plugin declares version %r, but this storagemgr '
                'supports version %d of the plugin API'
                % (version, api.API_VERSION)]
    return []


def plugin_class_problems(module):
    found = plugin_classes(module)
    if not found:
        return ['defines no Plugin subclass (exactly one is needed)']
    if len(found) > 1:
        return ['defines %d Plugin subclasses (%s); exactly one is allowed'
                % (len(found), ', '.join(sorted(c.__name__ for c in found)))]
    return []


def _class_problems(cls):
    meta = cls._meta
    problems = list(meta.declaration_errors)
    identifier = meta.identifier
    if identifier is None:
        problems.append('no Meta.identifier: declare GlobalId, ScopedId '
                        'or AutoId')
    else:
        for field in identifier.id_fields:
            if field not in meta.storage_attributes:
                problems.append('identifier names %r, which is not an '
                                'attribute of the class' % field)
        if isinstance(identifier, identifiers.AutoId) and not issubclass(
                cls, resources.ScannableResource):
            problems.append('AutoId is only allowed on ScannableResource '
                            'subclasses')
    known = set(meta.storage_attributes) | set(meta.storage_statistics)
    for condition in meta.alert_conditions:
        if condition.attribute not in known:
            problems.append('alert condition watches %r, which is not an '
                            'attribute' % condition.attribute)
    for name, declared in meta.storage_attributes.items():
        if declared.user_read_only and not declared.optional:
            problems.append('attribute %r is user_read_only, so it must '
                            'also be optional' % name)
    for chart in meta.charts:
        series = chart.get('series', []) if isinstance(chart, dict) else None
        if not series or 'title' not in chart:
            problems.append('chart %r needs a title and a list of series'
                            % (chart,))
            continue
        missing = [s for s in series if s not in meta.storage_statistics]
        if missing:
            problems.append('chart %r plots %s, not statistics of the class'
                            % (chart['title'], ', '.join(missing)))
        elif len({meta.storage_statistics[s].kind for s in series}) > 1:
            problems.append('chart %r mixes time series and histograms'
                            % chart['title'])
        elif len({meta.storage_statistics[s].units for s in series}) > 2:
            problems.append('chart %r uses more than two units'
                            % chart['title'])
    return ["resource class '%s': %s" % (cls.__name__, p) for p in problems]


def module_problems(module):
    """Every problem of an imported plugin module, as sentences."""
    problems = version_problems(module) + plugin_class_problems(module)
    for _name, cls in sorted(resource_classes(module).items()):
        problems.extend(_class_problems(cls))
    return problems


def _import_failure(exc, path):
    if isinstance(exc, SyntaxError):
        return ['SyntaxError: %s:%s:%s: %s' % (
            exc.filename, exc.lineno, exc.offset,
            (exc.text or '').strip() or exc.msg)]
    where = ''
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if os.path.abspath(frame.filename).startswith(path):
            where = ' (%s, line %s)' % (frame.filename, frame.lineno)
            break
    return ['%s: %s%s' % (type(exc).__name__, exc, where)]


def import_path(path):
    """Import a plugin file or package directory; (name, module).

    The module is registered under its file (or directory) name, as the
    loader would import it by that name.
    """
    path = os.path.abspath(path)
    if os.path.isdir(path):
        name = os.path.basename(path.rstrip(os.sep))
        spec = importlib.util.spec_from_file_location(
            name, os.path.join(path, '__init__.py'),
            submodule_search_locations=[path])
    else:
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return name, module


def validate_path(path):
    """(plugin name, [problems]) for a plugin file or package directory."""
    real = os.path.abspath(path)
    name = os.path.splitext(os.path.basename(real.rstrip(os.sep)))[0]
    if not os.path.exists(real):
        return name, ['no such file or directory: %s' % path]
    if os.path.isdir(real) and not os.path.exists(
            os.path.join(real, '__init__.py')):
        return name, ['%s is a directory without __init__.py' % path]
    try:
        name, module = import_path(real)
    except Exception as exc:
        return name, _import_failure(exc, real)
    return name, module_problems(module)
