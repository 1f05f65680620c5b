"""Which resources provide or subscribe to which relation values.

``Provide``/``Subscribe`` relations (see ``storagemgr.plugins.api.
relations``) carry a ``key`` shared by both sides once the loader has
mirrored them; a provider becomes a parent of every subscriber with the
same ``(key, value)``. This index keeps those pairs for every stored
resource so a newly reported one is linked without a query.
"""

import collections


class RelationIndex(object):

    def __init__(self):
        self._provided = collections.defaultdict(set)
        self._subscribed = collections.defaultdict(set)
        self._entries = {}

    @staticmethod
    def has_relations(meta):
        return bool(getattr(meta, 'provides', None) or
                    getattr(meta, 'subscriptions', None))

    def add(self, pk, resource, meta):
        """Index ``resource`` (anything with the attributes) as ``pk``."""
        entries = []
        for kind, relations, table in (
                ('p', meta.provides, self._provided),
                ('s', meta.subscriptions, self._subscribed)):
            for relation in relations:
                value = relation.val(resource)
                if value is None:
                    continue
                table[(relation.key, value)].add(pk)
                entries.append((kind, relation.key, value))
        if entries:
            self._entries[pk] = entries

    def remove(self, pk):
        for kind, key, value in self._entries.pop(pk, ()):
            table = self._provided if kind == 'p' else self._subscribed
            members = table.get((key, value))
            if members is not None:
                members.discard(pk)
                if not members:
                    del table[(key, value)]

    def links(self, pk):
        """(child, parent) edges the indexed ``pk`` takes part in."""
        edges = []
        for kind, key, value in self._entries.get(pk, ()):
            if kind == 's':
                edges.extend((pk, provider) for provider in
                             self._provided.get((key, value), ())
                             if provider != pk)
            else:
                edges.extend((subscriber, pk) for subscriber in
                             self._subscribed.get((key, value), ())
                             if subscriber != pk)
        return edges
