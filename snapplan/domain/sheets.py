"""Kitchen sheets: a plan's recipes as cards to bake from, and what goes into each box.

A :class:`RecipeCard` is one recipe of the plan scaled to its batches (the planned ones, or
those still to bake): each ingredient line times the batches, the sub-recipes it takes (each
made on a card of its own), the finished units it makes. Cards come sub-recipes first — the
buttercream before the cakes that use it — then by name. A :class:`PackingList` is one finished
good: what one holds and, times the goods to box, what all of them take; a good packed inside
another comes first. Everything is exact: a scaled amount is the line's amount times the
batches, never rounded.

Pure: :func:`kitchen_sheet` reads the plan's snapshots and the batches and goods to make that
the caller gives (from :class:`~snapplan.domain.progress.Progress`: planned or remaining).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

import attrs

from snapplan.domain import graph
from snapplan.domain.catalog import ComponentKind
from snapplan.domain.quantities import exact_arithmetic
from snapplan.domain.snapshots import (
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    RecipeSnapshot,
    Snapshot,
)


@attrs.frozen
class CardLine:
    """One ingredient line of a card: the recipe's amount times the card's batches."""

    ingredient: str
    quantity: Decimal
    unit: str
    note: str


@attrs.frozen
class CardSubRecipe:
    """A sub-recipe a card takes: ``batches`` of it for all of the card's batches (the card
    of its snapshot comes first)."""

    snapshot_id: uuid.UUID
    name: str
    batches: Decimal


@attrs.frozen
class CardYield:
    """A finished unit a card makes: ``items`` for all of its batches."""

    name: str
    items: Decimal


@attrs.frozen
class RecipeCard:
    """One recipe to bake, scaled to ``batches``."""

    recipe_id: uuid.UUID
    snapshot_id: uuid.UUID
    name: str
    batches: Decimal
    lines: tuple[CardLine, ...]
    sub_recipes: tuple[CardSubRecipe, ...]
    makes: tuple[CardYield, ...]


@attrs.frozen
class PackingLine:
    """What one good holds of one thing (``each``), and what ``quantity`` goods take (``total``)."""

    kind: ComponentKind
    name: str
    each: Decimal
    total: Decimal


@attrs.frozen
class PackingList:
    """One finished good to box: ``quantity`` of them, and what goes in."""

    finished_good_id: uuid.UUID
    snapshot_id: uuid.UUID
    name: str
    quantity: Decimal
    lines: tuple[PackingLine, ...]


@attrs.frozen
class KitchenSheet:
    """The cards (sub-recipes first) and packing lists (inner goods first) of a plan."""

    plan_id: uuid.UUID
    cards: tuple[RecipeCard, ...]
    packing: tuple[PackingList, ...]


def kitchen_sheet(
    plan_id: uuid.UUID,
    snapshots: Mapping[uuid.UUID, Snapshot],
    batches: Mapping[uuid.UUID, Decimal],
    goods: Mapping[uuid.UUID, Decimal],
) -> KitchenSheet:
    """The sheet of ``batches`` per recipe snapshot and ``goods`` to box per finished-good
    snapshot; a recipe or good with nothing to make (0) has no card or list."""
    recipes = {i: s for i, s in snapshots.items() if isinstance(s, RecipeSnapshot)}
    finished = {i: s for i, s in snapshots.items() if isinstance(s, FinishedGoodSnapshot)}
    with exact_arithmetic():
        cards = tuple(
            _card(recipes[i], batches[i], snapshots)
            for i in _inner_first(
                [i for i, n in batches.items() if n > 0],
                recipes,
                lambda r: [sub.snapshot_id for sub in r.sub_recipes],
            )
        )
        packing = tuple(
            _packing(finished[i], goods[i], snapshots)
            for i in _inner_first(
                [i for i, n in goods.items() if n > 0],
                finished,
                lambda g: [
                    c.snapshot_id for c in g.components if c.kind is ComponentKind.FINISHED_GOOD
                ],
            )
        )
    return KitchenSheet(plan_id, cards, packing)


_S = TypeVar("_S", RecipeSnapshot, FinishedGoodSnapshot)


def _inner_first(
    wanted: Sequence[uuid.UUID],
    found: Mapping[uuid.UUID, _S],
    children: Callable[[_S], list[uuid.UUID]],
) -> list[uuid.UUID]:
    """``wanted`` ordered by how deep they nest (what others use comes first), then by name."""
    heights: dict[uuid.UUID, int] = {}
    for root in wanted:
        graph.children_first(root, lambda i: children(found[i]), heights=heights)
    return sorted(wanted, key=lambda i: (heights[i], found[i].name, str(i)))


def _card(
    recipe: RecipeSnapshot, batches: Decimal, snapshots: Mapping[uuid.UUID, Snapshot]
) -> RecipeCard:
    makes = sorted(
        (
            CardYield(unit.name, unit.items_per_batch * batches)
            for unit in snapshots.values()
            if isinstance(unit, FinishedUnitSnapshot) and unit.recipe_snapshot_id == recipe.id
        ),
        key=lambda y: y.name,
    )
    return RecipeCard(
        recipe_id=recipe.source_id,
        snapshot_id=recipe.id,
        name=recipe.name,
        batches=batches,
        lines=tuple(
            CardLine(line.ingredient_name, line.quantity * batches, line.unit, line.note)
            for line in recipe.lines
        ),
        sub_recipes=tuple(
            CardSubRecipe(sub.snapshot_id, snapshots[sub.snapshot_id].name, sub.batches * batches)
            for sub in recipe.sub_recipes
        ),
        makes=tuple(makes),
    )


def _packing(
    good: FinishedGoodSnapshot, quantity: Decimal, snapshots: Mapping[uuid.UUID, Snapshot]
) -> PackingList:
    return PackingList(
        finished_good_id=good.source_id,
        snapshot_id=good.id,
        name=good.name,
        quantity=quantity,
        lines=tuple(
            PackingLine(c.kind, snapshots[c.snapshot_id].name, c.quantity, c.quantity * quantity)
            for c in good.components
        ),
    )
