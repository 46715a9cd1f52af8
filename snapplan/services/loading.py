"""Bulk reads for the services: everything a capture or a plan needs, level by level.

Each level costs one ``find_many``/``get_many`` per kind of definition, however many targets
there are, so the number of reads grows with the depth of the catalog, not with its size.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Generic, TypeVar

from snapplan.domain.capture import CatalogView
from snapplan.domain.catalog import ComponentKind
from snapplan.domain.drift import child_snapshot_ids
from snapplan.domain.plan import Plan
from snapplan.domain.snapshots import Snapshot
from snapplan.ports.unit_of_work import UnitOfWork

T = TypeVar("T")


class _Pending(Generic[T]):
    """Ids of one kind still to read, and what was read (missing ids are asked once)."""

    def __init__(self, find_many: Callable[[list[uuid.UUID]], Mapping[uuid.UUID, T]]) -> None:
        self.find_many = find_many
        self.loaded: dict[uuid.UUID, T] = {}
        self.asked: set[uuid.UUID] = set()
        self.todo: list[uuid.UUID] = []

    def want(self, ids: Iterable[uuid.UUID]) -> None:
        for item_id in ids:
            if item_id not in self.asked:
                self.asked.add(item_id)
                self.todo.append(item_id)

    def read(self) -> list[T]:
        if not self.todo:
            return []
        batch, self.todo = self.todo, []
        found = self.find_many(batch)
        self.loaded.update(found)
        return list(found.values())


def load_for_capture(
    uow: UnitOfWork, recipe_ids: Iterable[uuid.UUID], good_ids: Iterable[uuid.UUID]
) -> CatalogView:
    """Every live definition reachable from the given recipes and finished goods.

    Missing definitions are simply absent from the view; capture reports them (in traversal
    order) with the matching ``NotFoundError``.
    """
    goods = _Pending(uow.finished_goods.find_many)
    units = _Pending(uow.finished_units.find_many)
    materials = _Pending(uow.material_units.find_many)
    recipes = _Pending(uow.recipes.find_many)
    ingredients = _Pending(uow.ingredients.find_many)
    recipes.want(recipe_ids)
    goods.want(good_ids)
    while goods.todo or units.todo or materials.todo or recipes.todo or ingredients.todo:
        for good in goods.read():
            for c in good.components:
                if c.kind is ComponentKind.FINISHED_GOOD:
                    goods.want([c.ref])
                elif c.kind is ComponentKind.FINISHED_UNIT:
                    units.want([c.ref])
                else:
                    materials.want([c.ref])
        recipes.want(u.recipe_id for u in units.read())
        for recipe in recipes.read():
            recipes.want(sub.recipe_id for sub in recipe.sub_recipes)
            ingredients.want(line.ingredient_id for line in recipe.lines)
        materials.read()
        ingredients.read()
    return CatalogView(
        ingredients=ingredients.loaded,
        recipes=recipes.loaded,
        finished_units=units.loaded,
        material_units=materials.loaded,
        finished_goods=goods.loaded,
    )


def load_plan_snapshots(uow: UnitOfWork, plan: Plan) -> dict[uuid.UUID, Snapshot]:
    """Every snapshot a plan reaches, by id: one ``get_many`` per level of nesting."""
    loaded: dict[uuid.UUID, Snapshot] = {}
    todo = [t.snapshot_id for t in plan.production_targets if t.snapshot_id is not None]
    todo += [t.snapshot_id for t in plan.assembly_targets if t.snapshot_id is not None]
    todo = list(dict.fromkeys(todo))
    while todo:
        level = uow.snapshots.get_many(todo)
        loaded.update((snapshot.id, snapshot) for snapshot in level)
        children = (child for snapshot in level for child in child_snapshot_ids(snapshot))
        todo = [child for child in dict.fromkeys(children) if child not in loaded]
    return loaded
