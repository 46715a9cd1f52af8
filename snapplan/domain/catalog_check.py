"""Whole-catalog checks: every cycle and every dangling reference, found at once.

Storage does not enforce references between definitions (a host may save them in any order), so
:func:`check_definitions` lets a host find, before planning, everything capture would trip over.
Each tangle of goods or of sub-recipes (a strongly connected group) is reported as one ordered
loop, so two separate cycles give two loops.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Mapping

import attrs

from snapplan.domain import graph
from snapplan.domain.catalog import CatalogView, ComponentKind
from snapplan.domain.events import Event


class DefinitionKind(enum.StrEnum):
    """What a catalog reference names (or who holds it, for events)."""

    INGREDIENT = "ingredient"
    RECIPE = "recipe"
    FINISHED_UNIT = "finished_unit"
    MATERIAL_UNIT = "material_unit"
    PRODUCT = "product"
    FINISHED_GOOD = "finished_good"
    EVENT = "event"


@attrs.frozen
class DanglingReference:
    """``owner_id`` (a recipe, finished unit, good or event) names ``ref_id``, which is missing."""

    owner_kind: DefinitionKind
    owner_id: uuid.UUID
    ref_kind: DefinitionKind
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
    kinds = DefinitionKind
    dangling: list[DanglingReference] = []

    def need(owner: tuple[DefinitionKind, uuid.UUID], kind: DefinitionKind, ref: uuid.UUID,
             table: Mapping[uuid.UUID, object]) -> None:  # fmt: skip
        if ref not in table:
            dangling.append(DanglingReference(owner[0], owner[1], kind, ref))

    for recipe in catalog.recipes.values():
        owner = (kinds.RECIPE, recipe.id)
        for line in recipe.lines:
            need(owner, kinds.INGREDIENT, line.ingredient_id, catalog.ingredients)
        for sub in recipe.sub_recipes:
            need(owner, kinds.RECIPE, sub.recipe_id, catalog.recipes)
    for unit in catalog.finished_units.values():
        need((kinds.FINISHED_UNIT, unit.id), kinds.RECIPE, unit.recipe_id, catalog.recipes)
    tables: Mapping[ComponentKind, Mapping[uuid.UUID, object]] = {
        ComponentKind.FINISHED_UNIT: catalog.finished_units,
        ComponentKind.FINISHED_GOOD: catalog.finished_goods,
        ComponentKind.MATERIAL_UNIT: catalog.material_units,
    }
    for good in catalog.finished_goods.values():
        for c in good.components:
            need((kinds.FINISHED_GOOD, good.id), kinds(c.kind.value), c.ref, tables[c.kind])
    for event in events:
        for p in event.production_targets:
            need((kinds.EVENT, event.id), kinds.RECIPE, p.recipe_id, catalog.recipes)
        for a in event.assembly_targets:
            need((kinds.EVENT, event.id), kinds.FINISHED_GOOD, a.finished_good_id,
                 catalog.finished_goods)  # fmt: skip

    recipe_edges = graph.edges(
        catalog.recipes,
        lambda i: [sub.recipe_id for sub in catalog.recipes[i].sub_recipes],
        known=catalog.recipes.keys(),
    )
    good_edges = graph.edges(
        catalog.finished_goods,
        lambda i: [
            c.ref
            for c in catalog.finished_goods[i].components
            if c.kind is ComponentKind.FINISHED_GOOD
        ],
        known=catalog.finished_goods.keys(),
    )
    cycles = [*graph.find_loops(recipe_edges), *graph.find_loops(good_edges)]
    return CatalogReport(tuple(cycles), tuple(dangling))
