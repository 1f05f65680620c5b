"""The parent graph of storage resources, in memory.

Edges run child -> parent: "a problem with the parent is a problem with the
child". The index answers ancestors and descendants without touching the
database, refuses edges that would close a cycle, and is loaded once from
``plugin_resource_parents`` by the resource manager that owns it.
"""

import collections

from storagemgr import exception


class EdgeIndex(object):

    def __init__(self):
        self._parents = collections.defaultdict(set)
        self._children = collections.defaultdict(set)

    def populate(self, edges):
        """Load ``(child_id, parent_id)`` pairs without any checks."""
        for child, parent in edges:
            self._parents[child].add(parent)
            self._children[parent].add(child)

    def get_parents(self, node):
        return set(self._parents.get(node, ()))

    def get_children(self, node):
        return set(self._children.get(node, ()))

    def has_edge(self, child, parent):
        return parent in self._parents.get(child, ())

    def would_cycle(self, child, parent):
        """True if ``parent`` is ``child`` or already a descendant of it."""
        if child == parent:
            return True
        # Walk up from the proposed parent: meeting the child means the
        # child already affects the parent.
        seen = set()
        stack = [parent]
        while stack:
            node = stack.pop()
            for up in self._parents.get(node, ()):
                if up == child:
                    return True
                if up not in seen:
                    seen.add(up)
                    stack.append(up)
        return False

    def add_edge(self, child, parent, describe=str):
        """Add an edge; raise ResourceGraphCycle if it closes a cycle.

        :param describe: turns a node id into text for the error message.
        :returns: True if the edge is new.
        """
        if self.has_edge(child, parent):
            return False
        if self.would_cycle(child, parent):
            raise exception.ResourceGraphCycle(parent=describe(parent),
                                               child=describe(child))
        self._parents[child].add(parent)
        self._children[parent].add(child)
        return True

    def remove_edge(self, child, parent):
        parents = self._parents.get(child)
        if not parents or parent not in parents:
            return False
        parents.discard(parent)
        if not parents:
            del self._parents[child]
        children = self._children.get(parent)
        if children is not None:
            children.discard(child)
            if not children:
                del self._children[parent]
        return True

    def remove_node(self, node):
        """Forget a node and every edge touching it."""
        for parent in self._parents.pop(node, ()):
            children = self._children.get(parent)
            if children is not None:
                children.discard(node)
                if not children:
                    del self._children[parent]
        for child in self._children.pop(node, ()):
            parents = self._parents.get(child)
            if parents is not None:
                parents.discard(node)
                if not parents:
                    del self._parents[child]

    def descendants(self, node):
        """Every node ``node`` affects, directly or not (excluding itself)."""
        return self._walk(node, self._children)

    def ancestors(self, node):
        """Every node that affects ``node`` (excluding itself)."""
        return self._walk(node, self._parents)

    @staticmethod
    def _walk(node, links):
        seen = set()
        stack = [node]
        while stack:
            for nxt in links.get(stack.pop(), ()):
                if nxt not in seen and nxt != node:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen
