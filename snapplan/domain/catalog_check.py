"""Whole-catalog checks: every cycle and every dangling reference, found at once.

Storage does not enforce references between definitions (a host may save them in any order), so
:func:`check_definitions` lets a host find, before planning, everything capture would trip over.
Each tangle of goods or of sub-recipes (a strongly connected group) is reported as one ordered
loop, so two separate cycles give two loops.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Iterable, Mapping, Sequence

import attrs

from snapplan.domain.capture import CatalogView
from snapplan.domain.catalog import ComponentKind
from snapplan.domain.events import Event


@attrs.frozen
class DanglingReference:
    """``owner_id`` (a recipe, finished unit, good or event) names ``ref_id``, which is missing."""

    owner_kind: str
    owner_id: uuid.UUID
    ref_kind: str
    ref_id: uuid.UUID


@attrs.frozen
class CatalogReport:
    """The result of :func:`snapplan.check_catalog`; ``ok`` when nothing was found."""

    cycles: tuple[tuple[uuid.UUID, ...], ...]
    dangling: tuple[DanglingReference, ...]

    @property
    def ok(self) -> bool:
        """True when the catalog has no cycle and no dangling reference."""
        return not self.cycles and not self.dangling


def check_definitions(catalog: CatalogView, events: Iterable[Event] = ()) -> CatalogReport:
    """Find every cycle and dangling reference in ``catalog`` and ``events``."""
    dangling: list[DanglingReference] = []

    def need(owner_kind: str, owner: uuid.UUID, kind: str, ref: uuid.UUID, found: bool) -> None:
        if not found:
            dangling.append(DanglingReference(owner_kind, owner, kind, ref))

    for recipe in catalog.recipes.values():
        for line in recipe.lines:
            need("recipe", recipe.id, "ingredient", line.ingredient_id,
                 line.ingredient_id in catalog.ingredients)  # fmt: skip
        for sub in recipe.sub_recipes:
            need("recipe", recipe.id, "recipe", sub.recipe_id, sub.recipe_id in catalog.recipes)
    for unit in catalog.finished_units.values():
        need("finished_unit", unit.id, "recipe", unit.recipe_id, unit.recipe_id in catalog.recipes)
    tables: Mapping[ComponentKind, Mapping[uuid.UUID, object]] = {
        ComponentKind.FINISHED_UNIT: catalog.finished_units,
        ComponentKind.FINISHED_GOOD: catalog.finished_goods,
        ComponentKind.MATERIAL_UNIT: catalog.material_units,
    }
    for good in catalog.finished_goods.values():
        for c in good.components:
            need("finished_good", good.id, c.kind.value, c.ref, c.ref in tables[c.kind])
    for event in events:
        for p in event.production_targets:
            need("event", event.id, "recipe", p.recipe_id, p.recipe_id in catalog.recipes)
        for a in event.assembly_targets:
            need("event", event.id, "finished_good", a.finished_good_id,
                 a.finished_good_id in catalog.finished_goods)  # fmt: skip

    recipe_edges = {
        r.id: [s.recipe_id for s in r.sub_recipes if s.recipe_id in catalog.recipes]
        for r in catalog.recipes.values()
    }
    good_edges = {
        g.id: [
            c.ref
            for c in g.components
            if c.kind is ComponentKind.FINISHED_GOOD and c.ref in catalog.finished_goods
        ]
        for g in catalog.finished_goods.values()
    }
    cycles = [*find_loops(recipe_edges), *find_loops(good_edges)]
    return CatalogReport(tuple(cycles), tuple(dangling))


def find_loops(edges: Mapping[uuid.UUID, Sequence[uuid.UUID]]) -> list[tuple[uuid.UUID, ...]]:
    """One ordered loop (first id repeated at the end) per strongly connected tangle."""
    loops = []
    for component in _strongly_connected(edges):
        members = set(component)
        start = min(component, key=str)
        if len(component) == 1 and start not in edges[start]:
            continue
        loops.append(_loop_through(start, edges, members))
    return sorted(loops, key=lambda loop: str(loop[0]))


def _loop_through(
    start: uuid.UUID, edges: Mapping[uuid.UUID, Sequence[uuid.UUID]], members: set[uuid.UUID]
) -> tuple[uuid.UUID, ...]:
    """Shortest path start → ... → start inside one tangle (breadth first)."""
    parent: dict[uuid.UUID, uuid.UUID] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in edges[node]:
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


def _strongly_connected(
    edges: Mapping[uuid.UUID, Sequence[uuid.UUID]],
) -> list[list[uuid.UUID]]:
    """Tarjan's algorithm, iterative so that long chains never hit the recursion limit."""
    index: dict[uuid.UUID, int] = {}
    low: dict[uuid.UUID, int] = {}
    on_stack: set[uuid.UUID] = set()
    stack: list[uuid.UUID] = []
    result: list[list[uuid.UUID]] = []
    counter = 0
    for root in edges:
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
            children = edges[node]
            if child_index < len(children):
                work[-1] = (node, child_index + 1)
                child = children[child_index]
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
