"""The parent graph of storage resources, in memory.

Edges run child -> parent: "a problem with the parent is a problem with the
child". The index answers ancestors and descendants without touching the
database, refuses edges that would close a cycle, and is loaded once from
``plugin_resource_parents`` by the resource manager that owns it.
"""

from storagemgr import exception


def _with(links, node, other):
    links[node] = links.get(node, ()) + (other,)


def _without(links, node, other):
    remaining = tuple(x for x in links.get(node, ()) if x != other)
    if remaining:
        links[node] = remaining
    else:
        links.pop(node, None)


class EdgeIndex(object):
    """Edges as {node: tuple of nodes}.

    A node has few links, and a hundred thousand small tuples cost far
    less memory than sets.
    """

    def __init__(self):
        self._parents = {}
        self._children = {}

    def populate(self, edges):
        """Load ``(child_id, parent_id)`` pairs without any checks."""
        for child, parent in edges:
            _with(self._parents, child, parent)
            _with(self._children, parent, child)

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
        _with(self._parents, child, parent)
        _with(self._children, parent, child)
        return True

    def remove_edge(self, child, parent):
        if not self.has_edge(child, parent):
            return False
        _without(self._parents, child, parent)
        _without(self._children, parent, child)
        return True

    def remove_node(self, node):
        """Forget a node and every edge touching it."""
        for parent in self._parents.pop(node, ()):
            _without(self._children, parent, node)
        for child in self._children.pop(node, ()):
            _without(self._parents, child, node)

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
