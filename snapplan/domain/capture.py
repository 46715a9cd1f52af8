"""Snapshot capture: a pure traversal of an in-memory view of the catalog.

The service layer loads every definition a plan needs into a :class:`CatalogView` (in bulk,
level by level) and hands it to a :class:`Capture`, which builds the snapshots:

- one snapshot per definition per capture: a definition reached twice (a diamond, a recipe that
  is both a target and behind a finished unit) is captured once and shared;
- cycles are loops on the *current path*, reported in order (:class:`~snapplan.errors.CycleError`);
- depth is checked against :class:`~snapplan.domain.limits.Limits`, also when a shared child that
  was captured on a short path is met again on a long one;
- traversal is iterative (an explicit stack), so depth is bounded by the limits, never by
  Python's recursion limit.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping

import attrs

from snapplan.domain.catalog import (
    ComponentKind,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    MaterialUnit,
    Recipe,
)
from snapplan.domain.digests import (
    finished_good_content,
    finished_unit_content,
    material_unit_content,
    merkle_digest,
    recipe_content,
)
from snapplan.domain.limits import Limits
from snapplan.domain.snapshots import (
    ComponentSnapshot,
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    RecipeLineSnapshot,
    RecipeSnapshot,
    Snapshot,
    SubRecipeSnapshot,
)
from snapplan.errors import (
    CycleError,
    DepthLimitError,
    FinishedGoodNotFound,
    FinishedUnitNotFound,
    IngredientNotFound,
    MaterialUnitNotFound,
    RecipeNotFound,
)


@attrs.frozen
class CatalogView:
    """The live definitions a capture may read, by id. Missing ids are simply absent."""

    ingredients: Mapping[uuid.UUID, Ingredient] = attrs.field(factory=dict)
    recipes: Mapping[uuid.UUID, Recipe] = attrs.field(factory=dict)
    finished_units: Mapping[uuid.UUID, FinishedUnit] = attrs.field(factory=dict)
    material_units: Mapping[uuid.UUID, MaterialUnit] = attrs.field(factory=dict)
    finished_goods: Mapping[uuid.UUID, FinishedGood] = attrs.field(factory=dict)


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
        # source id -> (snapshot, height). Recipe height counts recipes on the longest path down,
        # itself included; good height counts levels of goods below it.
        self._recipes: dict[uuid.UUID, tuple[RecipeSnapshot, int]] = {}
        self._goods: dict[uuid.UUID, tuple[FinishedGoodSnapshot, int]] = {}
        self._finished_units: dict[uuid.UUID, FinishedUnitSnapshot] = {}
        self._material_units: dict[uuid.UUID, MaterialUnitSnapshot] = {}

    # -- recipes ---------------------------------------------------------------------------

    def recipe(self, recipe_id: uuid.UUID) -> RecipeSnapshot:
        """The snapshot of a recipe with its sub-recipes (made now or earlier in this capture)."""
        if recipe_id not in self._recipes:
            self._capture_recipe_tree(recipe_id)
        return self._recipes[recipe_id][0]

    def _load_recipe(self, recipe_id: uuid.UUID) -> Recipe:
        recipe = self.catalog.recipes.get(recipe_id)
        if recipe is None:
            raise RecipeNotFound(recipe_id)
        return recipe

    def _capture_recipe_tree(self, root_id: uuid.UUID) -> None:
        limit = self.limits.recipes
        path: list[Recipe] = [self._load_recipe(root_id)]
        on_path = {root_id: 0}
        next_child = [0]
        while path:
            recipe = path[-1]
            index = next_child[-1]
            if index < len(recipe.sub_recipes):
                next_child[-1] += 1
                child_id = recipe.sub_recipes[index].recipe_id
                if child_id in on_path:
                    loop = [r.id for r in path[on_path[child_id] :]] + [child_id]
                    raise CycleError(loop, self._recipe_names(loop))
                if child_id in self._recipes:
                    depth = len(path) + self._recipes[child_id][1]
                    if depth > limit:
                        raise DepthLimitError(depth, limit, "recipes", root_id)
                    continue
                if len(path) + 1 > limit:
                    raise DepthLimitError(len(path) + 1, limit, "recipes", root_id)
                on_path[child_id] = len(path)
                path.append(self._load_recipe(child_id))
                next_child.append(0)
                continue
            path.pop()
            next_child.pop()
            del on_path[recipe.id]
            self._recipes[recipe.id] = self._snapshot_recipe(recipe)

    def _recipe_names(self, ids: list[uuid.UUID]) -> list[str]:
        return [self.catalog.recipes[i].name for i in ids]

    def _snapshot_recipe(self, recipe: Recipe) -> tuple[RecipeSnapshot, int]:
        lines = []
        for line in recipe.lines:
            ingredient = self.catalog.ingredients.get(line.ingredient_id)
            if ingredient is None:
                raise IngredientNotFound(line.ingredient_id)
            lines.append(
                RecipeLineSnapshot(
                    line.ingredient_id, ingredient.name, line.quantity, line.unit, line.note
                )
            )
        children = [self._recipes[sub.recipe_id] for sub in recipe.sub_recipes]
        content = recipe_content(
            recipe.name,
            ((x.ingredient_id, x.ingredient_name, x.quantity, x.unit, x.note) for x in lines),
            ((sub.recipe_id, sub.batches) for sub in recipe.sub_recipes),
        )
        snapshot = RecipeSnapshot(
            source_id=recipe.id,
            name=recipe.name,
            plan_id=self.plan_id,
            captured_at=self.captured_at,
            digest=merkle_digest(content, [child.digest for child, _ in children]),
            lines=lines,
            sub_recipes=[
                SubRecipeSnapshot(sub.recipe_id, sub.batches, child.id)
                for sub, (child, _) in zip(recipe.sub_recipes, children, strict=True)
            ],
        )
        self.snapshots.append(snapshot)
        return snapshot, 1 + max((height for _, height in children), default=0)

    # -- finished units and packaging -------------------------------------------------------

    def finished_unit(self, finished_unit_id: uuid.UUID) -> FinishedUnitSnapshot:
        """The snapshot of a finished unit, with its recipe captured too."""
        if finished_unit_id in self._finished_units:
            return self._finished_units[finished_unit_id]
        unit = self.catalog.finished_units.get(finished_unit_id)
        if unit is None:
            raise FinishedUnitNotFound(finished_unit_id)
        recipe = self.recipe(unit.recipe_id)
        snapshot = FinishedUnitSnapshot(
            source_id=unit.id,
            name=unit.name,
            plan_id=self.plan_id,
            captured_at=self.captured_at,
            digest=merkle_digest(
                finished_unit_content(unit.name, unit.recipe_id, unit.items_per_batch),
                [recipe.digest],
            ),
            recipe_id=unit.recipe_id,
            recipe_snapshot_id=recipe.id,
            items_per_batch=unit.items_per_batch,
        )
        self._finished_units[finished_unit_id] = snapshot
        self.snapshots.append(snapshot)
        return snapshot

    def material_unit(self, material_unit_id: uuid.UUID) -> MaterialUnitSnapshot:
        """The snapshot of a material unit."""
        if material_unit_id in self._material_units:
            return self._material_units[material_unit_id]
        material = self.catalog.material_units.get(material_unit_id)
        if material is None:
            raise MaterialUnitNotFound(material_unit_id)
        snapshot = MaterialUnitSnapshot(
            source_id=material.id,
            name=material.name,
            plan_id=self.plan_id,
            captured_at=self.captured_at,
            digest=merkle_digest(material_unit_content(material.name), []),
        )
        self._material_units[material_unit_id] = snapshot
        self.snapshots.append(snapshot)
        return snapshot

    # -- finished goods ----------------------------------------------------------------------

    def finished_good(self, finished_good_id: uuid.UUID) -> FinishedGoodSnapshot:
        """The snapshot of a finished good with its whole tree of components."""
        if finished_good_id not in self._goods:
            self._capture_good_tree(finished_good_id)
        return self._goods[finished_good_id][0]

    def _load_good(self, finished_good_id: uuid.UUID) -> FinishedGood:
        good = self.catalog.finished_goods.get(finished_good_id)
        if good is None:
            raise FinishedGoodNotFound(finished_good_id)
        return good

    def _capture_good_tree(self, root_id: uuid.UUID) -> None:
        limit = self.limits.goods
        path: list[FinishedGood] = [self._load_good(root_id)]
        on_path = {root_id: 0}
        next_component = [0]
        while path:
            good = path[-1]
            index = next_component[-1]
            if index < len(good.components):
                next_component[-1] += 1
                component = good.components[index]
                if component.kind is ComponentKind.FINISHED_UNIT:
                    self.finished_unit(component.ref)
                    continue
                if component.kind is ComponentKind.MATERIAL_UNIT:
                    self.material_unit(component.ref)
                    continue
                child_id = component.ref
                if child_id in on_path:
                    loop = [g.id for g in path[on_path[child_id] :]] + [child_id]
                    raise CycleError(loop, [self.catalog.finished_goods[i].name for i in loop])
                level = len(path)  # the child's level below the root
                if child_id in self._goods:
                    depth = level + self._goods[child_id][1]
                    if depth > limit:
                        raise DepthLimitError(depth, limit, "goods", root_id)
                    continue
                if level > limit:
                    raise DepthLimitError(level, limit, "goods", root_id)
                on_path[child_id] = len(path)
                path.append(self._load_good(child_id))
                next_component.append(0)
                continue
            path.pop()
            next_component.pop()
            del on_path[good.id]
            self._goods[good.id] = self._snapshot_good(good)

    def _snapshot_good(self, good: FinishedGood) -> tuple[FinishedGoodSnapshot, int]:
        components = []
        digests = []
        height = 0
        for component in good.components:
            child: Snapshot
            if component.kind is ComponentKind.FINISHED_UNIT:
                child = self._finished_units[component.ref]
            elif component.kind is ComponentKind.MATERIAL_UNIT:
                child = self._material_units[component.ref]
            else:
                child, child_height = self._goods[component.ref]
                height = max(height, 1 + child_height)
            components.append(
                ComponentSnapshot(component.kind, component.ref, component.quantity, child.id)
            )
            digests.append(child.digest)
        content = finished_good_content(
            good.name, ((c.kind.value, c.ref, c.quantity) for c in good.components)
        )
        snapshot = FinishedGoodSnapshot(
            source_id=good.id,
            name=good.name,
            plan_id=self.plan_id,
            captured_at=self.captured_at,
            digest=merkle_digest(content, digests),
            components=components,
        )
        self.snapshots.append(snapshot)
        return snapshot, height
