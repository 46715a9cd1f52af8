"""Walks over the graphs of the catalog and of a plan's snapshots, written once.

Finished goods nest goods, recipes nest sub-recipes, snapshots point at snapshots. Every walk in
snapplan is one of these:

- :func:`children_first`: an iterative depth-first walk that yields each node after all of its
  children, following the *current path* to tell a loop (:class:`LoopFound`, the ordered loop)
  from a diamond (a shared child, which is normal), and checking depth against a limit, also
  when a shared child already walked on a short path is met again on a long one;
- :func:`parents_first`: the reverse, for demand that flows from parents to children;
- :func:`edges` and :func:`find_loops`: the whole graph at once, every tangle reported as one
  ordered loop (Tarjan's strongly connected components, iterative too).

Nothing here recurses, so depth is bounded by the caller's limits, never by Python's recursion
limit. Nodes are any hashable keys (catalog or snapshot ids); the caller's ``children`` callable
reads its own data (and raises its own not-found error for a missing node).
"""

from __future__ import annotations

from collections import deque
from collections.abc import (
    Callable,
    Collection,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)


class LoopFound(Exception):
    """The walk met a node already on its current path: ``path`` is the ordered loop, first
    node repeated at the end (A, B, C, A)."""

    def __init__(self, path: Sequence[Any]) -> None:
        super().__init__(path)
        self.path: tuple[Any, ...] = tuple(path)


class TooDeep(Exception):
    """A path holds more nodes than allowed; ``nodes`` is how many it reached."""

    def __init__(self, nodes: int) -> None:
        super().__init__(nodes)
        self.nodes = nodes


def children_first(
    root: K,
    children: Callable[[K], Sequence[K]],
    *,
    heights: MutableMapping[K, int],
    max_nodes: int | None = None,
) -> list[K]:
    """The nodes below ``root`` (itself included) not yet in ``heights``, children first.

    ``heights`` is shared by walks that should treat each node once (a capture's targets, say):
    a node in it is not walked again, and every node walked is added with its height (the nodes
    on the longest path down from it, itself included). With ``max_nodes``, a path of more
    nodes raises :class:`TooDeep` before the node past the limit is read. ``children(node)`` is
    called once per walked node, when the walk first reaches it.
    """
    if root in heights:
        return []
    order: list[K] = []
    path: list[K] = [root]
    on_path: dict[K, int] = {root: 0}
    pending: list[Sequence[K]] = [children(root)]
    index = [0]
    while path:
        below = pending[-1]
        i = index[-1]
        if i < len(below):
            index[-1] = i + 1
            child = below[i]
            if child in on_path:
                raise LoopFound([*path[on_path[child] :], child])
            height = heights.get(child)
            reached = len(path) + (height if height is not None else 1)
            if max_nodes is not None and reached > max_nodes:
                raise TooDeep(reached)
            if height is not None:
                continue
            on_path[child] = len(path)
            path.append(child)
            pending.append(children(child))
            index.append(0)
            continue
        node = path.pop()
        below = pending.pop()
        index.pop()
        del on_path[node]
        heights[node] = 1 + max((heights[c] for c in below), default=0)
        order.append(node)
    return order


def parents_first(roots: Iterable[K], children: Callable[[K], Iterable[K]]) -> list[K]:
    """Every node reachable from ``roots``, each before all of its children (a topological
    order: the reversed post-order of one depth-first walk). A loop raises :class:`LoopFound`.

    The same walk as :func:`children_first` over the roots in turn, without the heights: one
    lookup per edge and two per node (the walks of a plan's thousands of snapshots are
    dominated by hashing their ids). ``children(node)`` is called once per node.
    """
    done: dict[K, bool] = {}  # node -> False while on the current path, True once walked
    order: list[K] = []
    for root in roots:
        if root in done:
            continue
        done[root] = False
        path: list[K] = [root]
        pending: list[Iterator[K]] = [iter(children(root))]
        while pending:
            for child in pending[-1]:
                state = done.get(child)
                if state is None:
                    done[child] = False
                    path.append(child)
                    pending.append(iter(children(child)))
                    break
                if not state:
                    raise LoopFound([*path[path.index(child) :], child])
            else:
                pending.pop()
                node = path.pop()
                done[node] = True
                order.append(node)
    order.reverse()
    return order


def edges(
    nodes: Iterable[K], children: Callable[[K], Iterable[K]], *, known: Collection[K]
) -> dict[K, list[K]]:
    """Parent → children among ``known`` nodes (references to unknown nodes are left out)."""
    return {node: [child for child in children(node) if child in known] for node in nodes}


def find_loops(
    graph: Mapping[K, Sequence[K]], key: Callable[[K], str] = str
) -> list[tuple[K, ...]]:
    """One ordered loop (first node repeated at the end) per strongly connected tangle.

    Each loop starts at its tangle's smallest node by ``key``; loops are sorted by that node.
    """
    loops = []
    for component in _strongly_connected(graph):
        start = min(component, key=key)
        if len(component) == 1 and start not in graph[start]:
            continue
        loops.append(_loop_through(start, graph, set(component)))
    return sorted(loops, key=lambda loop: key(loop[0]))


def _loop_through(start: K, graph: Mapping[K, Sequence[K]], members: set[K]) -> tuple[K, ...]:
    """Shortest path start → ... → start inside one tangle (breadth first)."""
    parent: dict[K, K] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in graph[node]:
            if child not in members:
                continue
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return (*reversed(path), start)
            if child not in parent:
                parent[child] = node
                queue.append(child)
    raise AssertionError("a tangle always has a loop through each member")


def _strongly_connected(graph: Mapping[K, Sequence[K]]) -> list[list[K]]:
    """Tarjan's algorithm, iterative so that long chains never hit the recursion limit."""
    index: dict[K, int] = {}
    low: dict[K, int] = {}
    on_stack: set[K] = set()
    stack: list[K] = []
    result: list[list[K]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child_index = work[-1]
            if child_index == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            below = graph[node]
            if child_index < len(below):
                work[-1] = (node, child_index + 1)
                child = below[child_index]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component)
    return result
