"""Helpers shared by the cliff commands."""

import json

from cliff import columns


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
