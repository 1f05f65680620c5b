"""Helpers shared by the cliff commands.

Command modules are imported to list or describe the commands
(``storagemgr --help``), so they import no service layer at module level:
each family has a small helper returning its API, importing it when a
command runs (``tests/unit/cli/test_import_cost.py`` guards this).
"""

import json

from cliff import columns
from cliff import command
from cliff import lister
from cliff import show


class OwnEpilog(object):
    """cliff's epilog without its plugin look-up.

    cliff's ``Command.get_epilog`` maps every installed module to its
    distribution (``importlib.metadata.packages_distributions``, about
    0.2 s) to say when a command comes from a plugin of another
    distribution. These commands are storagemgr's own, so the answer is
    known: the epilog is the command's own and its hooks'.
    """

    def get_epilog(self):
        parts = [self._epilog or '']
        for hook in self._hooks:
            if hook.obj is None:
                continue
            epilog = hook.obj.get_epilog()
            if epilog is not None:
                parts.append(epilog)
        return '\n\n'.join(parts)


class Command(OwnEpilog, command.Command):
    """Base of storagemgr's commands that print nothing structured."""


class Lister(OwnEpilog, lister.Lister):
    """Base of storagemgr's list commands."""


class ShowOne(OwnEpilog, show.ShowOne):
    """Base of storagemgr's show commands."""


def plugin_service():
    """``storagemgr.plugins.service``, imported when a command runs."""
    from storagemgr.plugins import service

    return service


class JSONColumn(columns.FormattableColumn):
    """A structured value: kept as is for -f json/yaml, JSON text in tables."""

    def human_readable(self):
        if self._value in (None, '', [], {}):
            return ''
        return json.dumps(self._value, sort_keys=True, default=str)

    def machine_readable(self):
        return self._value


def show_columns(record, structured=()):
    """(names, values) for a ShowOne, sorted by name.

    Values named in ``structured`` (lists, dicts) are wrapped so table
    output stays readable while JSON output keeps their structure.
    """
    names = sorted(record)
    values = tuple(JSONColumn(record[n]) if n in structured else record[n]
                   for n in names)
    return tuple(names), values


def list_columns(records, names, structured=()):
    """(headers, rows) for a Lister from dicts, in the given column order."""
    rows = []
    for record in records:
        rows.append(tuple(JSONColumn(record.get(n)) if n in structured
                          else record.get(n) for n in names))
    return tuple(names), rows
