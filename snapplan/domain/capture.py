"""Snapshot capture: a pure traversal of an in-memory view of the catalog.

The service layer loads every definition a plan needs into a
:class:`~snapplan.domain.catalog.CatalogView` (in bulk, level by level) and hands it to a
:class:`Capture`, which builds the snapshots:

- one snapshot per definition per capture: a definition reached twice (a diamond, a recipe that
  is both a target and behind a finished unit) is captured once and shared;
- cycles are loops on the *current path*, reported in order (:class:`~snapplan.errors.CycleError`);
- depth is checked against :class:`~snapplan.domain.limits.Limits`, also when a shared child that
  was captured on a short path is met again on a long one;
- traversal is iterative (:mod:`snapplan.domain.graph`), so depth is bounded by the limits,
  never by Python's recursion limit.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Sequence
from typing import Literal, NoReturn, TypeVar

from snapplan.domain._trusted import trusted
from snapplan.domain.catalog import (
    CapturedDefinition,
    CatalogView,
    ComponentKind,
    FinishedGood,
    Recipe,
)
from snapplan.domain.graph import LoopFound, TooDeep, children_first
from snapplan.domain.limits import Limits
from snapplan.domain.snapshots import (
    ComponentSnapshot,
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    RecipeLineSnapshot,
    RecipeSnapshot,
    Snapshot,
    SnapshotKind,
    SubRecipeSnapshot,
)
from snapplan.domain.validators import new_id
from snapplan.errors import (
    CycleError,
    DepthLimitError,
    FinishedGoodNotFound,
    FinishedUnitNotFound,
    IngredientNotFound,
    MaterialUnitNotFound,
    RecipeNotFound,
)

S = TypeVar("S", bound=Snapshot)


class Capture:
    """Captures definitions for one plan; every snapshot made is appended to :attr:`snapshots`.

    Children are appended before their parents, so :attr:`snapshots` is in a valid write order.
    """

    def __init__(
        self,
        catalog: CatalogView,
        *,
        plan_id: uuid.UUID,
        captured_at: datetime.datetime,
        limits: Limits = Limits(),
    ) -> None:
        self.catalog = catalog
        self.plan_id = plan_id
        self.captured_at = captured_at
        self.limits = limits
        self.snapshots: list[Snapshot] = []
        # kind -> source id -> snapshot (nested, not keyed by (kind, id) pairs: a plan of
        # 30,000 snapshots would keep 30,000 such pairs alive for the collector to scan)
        self._by_source: dict[SnapshotKind, dict[uuid.UUID, Snapshot]] = {
            kind: {} for kind in SnapshotKind
        }
        # Heights of the definitions captured so far (shared by every walk of this capture).
        self._recipe_heights: dict[uuid.UUID, int] = {}
        self._good_heights: dict[uuid.UUID, int] = {}
        # Who first referred to a definition, for "not found (used by ...)" messages: (what it
        # is, its name), spelled out only when a definition is missing.
        self._referrer: dict[uuid.UUID, tuple[str, str]] = {}

    def referred(self, source_id: uuid.UUID, kind: str, name: str) -> None:
        """Note that the ``kind`` named ``name`` (e.g. an event) refers to ``source_id`` (the
        first one to refer to it is named if it is missing)."""
        self._referrer.setdefault(source_id, (kind, name))

    def _referenced_by(self, source_id: uuid.UUID) -> str | None:
        found = self._referrer.get(source_id)
        return None if found is None else f"{found[0]} {found[1]!r}"

    # -- recipes ---------------------------------------------------------------------------

    def recipe(self, recipe_id: uuid.UUID) -> RecipeSnapshot:
        """The snapshot of a recipe with its sub-recipes (made now or earlier in this capture)."""
        order = self._walk(
            recipe_id,
            self._sub_recipe_ids,
            self._recipe_heights,
            max_nodes=self.limits.recipes,
            what="recipes",
            names=lambda i: self.catalog.recipes[i].name,
        )
        for source_id in order:
            self._snapshot_recipe(self.catalog.recipes[source_id])
        return self._captured(recipe_id, RecipeSnapshot)

    def _sub_recipe_ids(self, recipe_id: uuid.UUID) -> list[uuid.UUID]:
        recipe = self.catalog.recipes.get(recipe_id)
        if recipe is None:
            raise RecipeNotFound(recipe_id, referenced_by=self._referenced_by(recipe_id))
        for sub in recipe.sub_recipes:
            self.referred(sub.recipe_id, "recipe", recipe.name)
        return [sub.recipe_id for sub in recipe.sub_recipes]

    def _snapshot_recipe(self, recipe: Recipe) -> None:
        lines = []
        for line in recipe.lines:
            ingredient = self.catalog.ingredients.get(line.ingredient_id)
            if ingredient is None:
                raise IngredientNotFound(
                    line.ingredient_id, referenced_by=f"recipe {recipe.name!r}"
                )
            lines.append(
                trusted(
                    RecipeLineSnapshot,
                    ingredient_id=line.ingredient_id,
                    ingredient_name=ingredient.name,
                    quantity=line.quantity,
                    unit=line.unit,
                    note=line.note,
                )
            )
        children = [self._captured(sub.recipe_id, RecipeSnapshot) for sub in recipe.sub_recipes]
        draft = self._draft(
            RecipeSnapshot,
            recipe,
            lines=tuple(lines),
            sub_recipes=tuple(
                trusted(
                    SubRecipeSnapshot,
                    recipe_id=sub.recipe_id,
                    batches=sub.batches,
                    snapshot_id=child.id,
                )
                for sub, child in zip(recipe.sub_recipes, children, strict=True)
            ),
        )
        self._keep(draft, [child.digest for child in children])

    # -- finished units and packaging -------------------------------------------------------

    def finished_unit(self, finished_unit_id: uuid.UUID) -> FinishedUnitSnapshot:
        """The snapshot of a finished unit, with its recipe captured too."""
        if finished_unit_id in self._by_source[SnapshotKind.FINISHED_UNIT]:
            return self._captured(finished_unit_id, FinishedUnitSnapshot)
        unit = self.catalog.finished_units.get(finished_unit_id)
        if unit is None:
            raise FinishedUnitNotFound(
                finished_unit_id, referenced_by=self._referenced_by(finished_unit_id)
            )
        self.referred(unit.recipe_id, "finished unit", unit.name)
        recipe = self.recipe(unit.recipe_id)
        draft = self._draft(
            FinishedUnitSnapshot,
            unit,
            recipe_id=unit.recipe_id,
            recipe_snapshot_id=recipe.id,
            items_per_batch=unit.items_per_batch,
        )
        return self._keep(draft, [recipe.digest])

    def material_unit(self, material_unit_id: uuid.UUID) -> MaterialUnitSnapshot:
        """The snapshot of a material unit."""
        if material_unit_id in self._by_source[SnapshotKind.MATERIAL_UNIT]:
            return self._captured(material_unit_id, MaterialUnitSnapshot)
        material = self.catalog.material_units.get(material_unit_id)
        if material is None:
            raise MaterialUnitNotFound(
                material_unit_id, referenced_by=self._referenced_by(material_unit_id)
            )
        return self._keep(self._draft(MaterialUnitSnapshot, material), [])

    # -- finished goods ----------------------------------------------------------------------

    def finished_good(self, finished_good_id: uuid.UUID) -> FinishedGoodSnapshot:
        """The snapshot of a finished good with its whole tree of components."""
        order = self._walk(
            finished_good_id,
            self._nested_good_ids,
            self._good_heights,
            # goods count levels below the root: a path of limit + 1 goods is allowed
            max_nodes=self.limits.goods + 1,
            what="goods",
            names=lambda i: self.catalog.finished_goods[i].name,
        )
        for source_id in order:
            self._snapshot_good(self.catalog.finished_goods[source_id])
        return self._captured(finished_good_id, FinishedGoodSnapshot)

    def _nested_good_ids(self, good_id: uuid.UUID) -> list[uuid.UUID]:
        good = self.catalog.finished_goods.get(good_id)
        if good is None:
            raise FinishedGoodNotFound(good_id, referenced_by=self._referenced_by(good_id))
        for component in good.components:
            self.referred(component.ref, "finished good", good.name)
        return [c.ref for c in good.components if c.kind is ComponentKind.FINISHED_GOOD]

    def _snapshot_good(self, good: FinishedGood) -> None:
        children: list[Snapshot] = []
        for component in good.components:
            if component.kind is ComponentKind.FINISHED_UNIT:
                children.append(self.finished_unit(component.ref))
            elif component.kind is ComponentKind.MATERIAL_UNIT:
                children.append(self.material_unit(component.ref))
            else:
                children.append(self._captured(component.ref, FinishedGoodSnapshot))
        draft = self._draft(
            FinishedGoodSnapshot,
            good,
            components=tuple(
                trusted(
                    ComponentSnapshot,
                    kind=c.kind,
                    source_id=c.ref,
                    quantity=c.quantity,
                    snapshot_id=child.id,
                )
                for c, child in zip(good.components, children, strict=True)
            ),
        )
        self._keep(draft, [child.digest for child in children])

    # -- shared ------------------------------------------------------------------------------

    def _walk(
        self,
        root: uuid.UUID,
        children: Callable[[uuid.UUID], Sequence[uuid.UUID]],
        heights: dict[uuid.UUID, int],
        *,
        max_nodes: int,
        what: Literal["goods", "recipes"],
        names: Callable[[uuid.UUID], str],
    ) -> list[uuid.UUID]:
        try:
            return children_first(root, children, heights=heights, max_nodes=max_nodes)
        except LoopFound as loop:
            raise CycleError(loop.path, [names(i) for i in loop.path]) from None
        except TooDeep as deep:
            self._too_deep(deep, what, root)

    def _too_deep(
        self, deep: TooDeep, what: Literal["goods", "recipes"], root: uuid.UUID
    ) -> NoReturn:
        if what == "goods":
            depth, limit = deep.nodes - 1, self.limits.goods
            name = self.catalog.finished_goods[root].name
        else:
            depth, limit = deep.nodes, self.limits.recipes
            name = self.catalog.recipes[root].name
        raise DepthLimitError(depth, limit, what, root, name) from None

    def _draft(self, kind: type[S], definition: CapturedDefinition, **fields: object) -> S:
        """A snapshot of ``definition`` built from its already validated parts (see
        :mod:`snapplan.domain._trusted`), its digest still to be set by :meth:`_keep`."""
        return trusted(
            kind,
            id=new_id(),
            source_id=definition.id,
            name=definition.name,
            plan_id=self.plan_id,
            captured_at=self.captured_at,
            digest="",
            **fields,
        )

    def _keep(self, snapshot: S, child_digests: list[str]) -> S:
        # The digest is computed once, here; the snapshot is new and not yet shared.
        object.__setattr__(snapshot, "digest", snapshot.expected_digest(child_digests))
        self._by_source[snapshot.kind][snapshot.source_id] = snapshot
        self.snapshots.append(snapshot)
        return snapshot

    def _captured(self, source_id: uuid.UUID, kind: type[S]) -> S:
        snapshot = self._by_source[kind.kind][source_id]
        assert isinstance(snapshot, kind)
        return snapshot
