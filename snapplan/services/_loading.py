"""Bulk reads for the services: everything a capture or a plan needs, level by level.

Each level costs one ``find_many``/``get_many`` per kind of definition, however many targets
there are, so the number of reads grows with the depth of the catalog, not with its size. The
depth :class:`~snapplan.Limits` bound the reading too: nothing below the first level past a
limit is read, so a runaway chain is refused after ``limit + 1`` levels, not after all of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from snapplan.domain.catalog import CatalogView, ComponentKind
from snapplan.domain.limits import Limits
from snapplan.domain.plan import Plan
from snapplan.domain.snapshots import Snapshot
from snapplan.domain.verification import check_snapshots
from snapplan.ports.unit_of_work import UnitOfWork

T = TypeVar("T")


def load_for_capture(
    uow: UnitOfWork,
    recipe_ids: Iterable[uuid.UUID],
    good_ids: Iterable[uuid.UUID],
    limits: Limits,
) -> CatalogView:
    """Every live definition a capture of these recipes and goods may read.

    Missing definitions are simply absent from the view; capture reports them (in traversal
    order) with the matching ``NotFoundError``.
    """
    goods = _levels(
        good_ids,
        uow.finished_goods.find_many,
        lambda good: [c.ref for c in good.components if c.kind is ComponentKind.FINISHED_GOOD],
        # goods count levels below the root: levels 0 .. limit are read
        levels=limits.goods + 1,
    )
    components = [c for good in goods.values() for c in good.components]
    units = uow.finished_units.find_many(
        c.ref for c in components if c.kind is ComponentKind.FINISHED_UNIT
    )
    materials = uow.material_units.find_many(
        c.ref for c in components if c.kind is ComponentKind.MATERIAL_UNIT
    )
    recipes = _levels(
        [*recipe_ids, *(unit.recipe_id for unit in units.values())],
        uow.recipes.find_many,
        lambda recipe: [sub.recipe_id for sub in recipe.sub_recipes],
        levels=limits.recipes,
    )
    ingredients = uow.ingredients.find_many(
        line.ingredient_id for recipe in recipes.values() for line in recipe.lines
    )
    return CatalogView(
        ingredients=ingredients,
        recipes=recipes,
        finished_units=units,
        material_units=materials,
        finished_goods=goods,
    )


def _levels(
    roots: Iterable[uuid.UUID],
    find_many: Callable[[list[uuid.UUID]], Mapping[uuid.UUID, T]],
    children: Callable[[T], list[uuid.UUID]],
    *,
    levels: int,
) -> dict[uuid.UUID, T]:
    """Breadth first from ``roots``: one ``find_many`` per level, at most ``levels`` levels."""
    loaded: dict[uuid.UUID, T] = {}
    asked: set[uuid.UUID] = set()
    level = list(dict.fromkeys(roots))
    for _ in range(levels):
        if not level:
            break
        asked.update(level)
        found = find_many(level)
        loaded.update(found)
        below = (child for item in found.values() for child in children(item))
        level = [child for child in dict.fromkeys(below) if child not in asked]
    return loaded


def load_plan_snapshots(
    uow: UnitOfWork, plan: Plan, *, verify: bool = True
) -> dict[uuid.UUID, Snapshot]:
    """Every snapshot a plan reaches, by id: one bulk read per level of nesting.

    With ``verify`` (the default: what every service reading a plan does) a missing snapshot is
    ``SnapshotNotFound`` and each snapshot is checked against its digest, given its children's
    stored digests (``SnapshotIntegrityError`` on a mismatch). Without it, whatever is stored is
    returned, missing ones left out (for :func:`snapplan.verify_plan`, which reports them all).
    """
    loaded = load_subtrees(uow, plan.snapshot_ids(), verify=verify)
    if verify:
        check_snapshots(plan, loaded)
    return loaded


def load_subtrees(
    uow: UnitOfWork, roots: Iterable[uuid.UUID], *, verify: bool = True
) -> dict[uuid.UUID, Snapshot]:
    """The snapshots ``roots`` name and every snapshot below them, by id: one bulk read per
    level. With ``verify`` a missing one is ``SnapshotNotFound``; without, it is left out.
    (Digests are not checked here: see :func:`load_plan_snapshots`.)"""
    loaded: dict[uuid.UUID, Snapshot] = {}
    asked: set[uuid.UUID] = set()
    todo = list(dict.fromkeys(roots))
    while todo:
        asked.update(todo)
        level = (
            uow.snapshots.get_many(todo)
            if verify
            else tuple(uow.snapshots.find_many(todo).values())
        )
        loaded.update((snapshot.id, snapshot) for snapshot in level)
        children = (child for snapshot in level for child in snapshot.children())
        todo = [child for child in dict.fromkeys(children) if child not in asked]
    return loaded
