"""What a plan costs: a batch, a finished unit, a finished good, the whole plan, at a time's prices.

Costs are never stored on definitions (they would go stale); they are computed from the plan's
snapshots and the price history, as of a time (SHOPPING.md):

- an item's cost per stock unit is its cheapest price per stock unit among its active products
  with a quote as of that time (in the chosen currency);
- a recipe batch costs its own lines plus its sub-recipes' batches (each at its own batch cost);
- a finished unit costs its recipe's batch divided by its items per batch (exactly);
- a finished good costs its components: units, packaging and nested goods times their
  quantities;
- the plan's total is every recipe's planned batches (whole, as baked) times its **own** lines
  (a sub-recipe counted once, as its own requirement line), plus the planned packaging.

A cost that needs a missing price, a missing product or a conversion the item's measures cannot
make is None, never zero, and the item is named in ``missing``. Every figure is exact: a
``Decimal``, or a ``Fraction`` where a division does not terminate (shown rounded to cents).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

import attrs

from snapplan.domain.catalog import ComponentKind
from snapplan.domain.measures import convert, exact
from snapplan.domain.pantry import StockedItem
from snapplan.domain.prices import PriceQuote
from snapplan.domain.products import Product
from snapplan.domain.requirements import Requirements
from snapplan.domain.shopping import Missing, Why
from snapplan.domain.snapshots import (
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    RecipeSnapshot,
    Snapshot,
)

#: An exact cost, or None when it cannot be known.
Cost = Decimal | Fraction | None


@attrs.frozen
class RecipeCost:
    """What one batch of a recipe costs (its own lines and its sub-recipes)."""

    recipe_id: uuid.UUID
    name: str
    batch_cost: Decimal | Fraction | None


@attrs.frozen
class FinishedUnitCost:
    """What one finished unit costs: its recipe's batch divided by its items per batch."""

    finished_unit_id: uuid.UUID
    name: str
    unit_cost: Decimal | Fraction | None


@attrs.frozen
class FinishedGoodCost:
    """What one finished good costs: its components times their quantities."""

    finished_good_id: uuid.UUID
    name: str
    unit_cost: Decimal | Fraction | None


@attrs.frozen
class PlanCost:
    """A plan's costs, each tuple sorted by name: per recipe batch, per finished unit, per
    finished good; ``total`` (what the plan costs, as baked: every recipe line and packaging
    whose cost is known, added up; 0 when none is — so an incomplete plan's total is a
    floor); ``complete`` (False when a price, a product or a conversion is missing) and
    ``missing`` (what, per item, and why); ``currency`` (None when no price is known)."""

    plan_id: uuid.UUID
    currency: str | None
    recipes: tuple[RecipeCost, ...]
    finished_units: tuple[FinishedUnitCost, ...]
    goods: tuple[FinishedGoodCost, ...]
    total: Decimal | Fraction
    complete: bool
    missing: tuple[Missing, ...]


class _Prices:
    """Each item's cheapest price per unit of its reference unit, and what is missing."""

    def __init__(
        self,
        items: Mapping[uuid.UUID, StockedItem],
        products: Iterable[Product],
        quotes: Mapping[uuid.UUID, PriceQuote],
        currency: str | None,
    ) -> None:
        self.items = items
        self.quotes = quotes
        self.currency = currency
        self.products: dict[uuid.UUID, list[Product]] = {}
        for product in products:
            if product.active:
                self.products.setdefault(product.item_id, []).append(product)
        self.missing: dict[tuple[uuid.UUID, Why], str] = {}
        self._rates: dict[uuid.UUID, tuple[str, Fraction] | None] = {}

    def _rate(self, item_id: uuid.UUID, name: str) -> tuple[str, Fraction] | None:
        """(unit, price per that unit) of the item's cheapest priced product."""
        if item_id in self._rates:
            return self._rates[item_id]
        measures = self.items[item_id].measures if item_id in self.items else ()
        best: tuple[str, Fraction] | None = None
        products = self.products.get(item_id, [])
        for product in products:
            quote = self.quotes.get(product.id)
            if quote is None or quote.currency != self.currency:
                continue
            unit = products[0].pack_unit  # one reference unit for all of the item's packs
            size = convert(product.pack_quantity, product.pack_unit, unit, measures)
            if size is None:
                continue
            rate = Fraction(quote.price) / Fraction(size)
            if best is None or rate < best[1]:
                best = (unit, rate)
        if best is None:
            self.missing[item_id, "no product" if not products else "no price"] = name
        self._rates[item_id] = best
        return best

    def of(self, item_id: uuid.UUID, name: str, quantity: Decimal, unit: str) -> Fraction | None:
        """What ``quantity unit`` of the item costs (None: unknown, and noted as missing)."""
        rate = self._rate(item_id, name)
        if rate is None:
            return None
        measures = self.items[item_id].measures if item_id in self.items else ()
        converted = convert(quantity, unit, rate[0], measures)
        if converted is None:
            self.missing[item_id, "unconvertible"] = name
            return None
        return Fraction(converted) * rate[1]


def _times(value: Fraction | None, factor: Decimal | Fraction) -> Fraction | None:
    return None if value is None else value * Fraction(factor)


def _sum(parts: Iterable[Fraction | None]) -> Fraction | None:
    total = Fraction(0)
    for part in parts:
        if part is None:
            return None
        total += part
    return total


def plan_cost(
    plan_id: uuid.UUID,
    snapshots: Mapping[uuid.UUID, Snapshot],
    requirements: Requirements,
    *,
    items: Mapping[uuid.UUID, StockedItem],
    products: Iterable[Product],
    quotes: Mapping[uuid.UUID, PriceQuote],
    currency: str | None,
) -> PlanCost:
    """The costs of a plan (see the module docstring), from its snapshots and requirements,
    the live ``items`` (measures), ``products`` and the ``quotes`` in force."""
    prices = _Prices(items, products, quotes, currency)
    recipes = {s.id: s for s in snapshots.values() if isinstance(s, RecipeSnapshot)}
    own: dict[uuid.UUID, Fraction | None] = {
        recipe.id: _sum(
            prices.of(line.ingredient_id, line.ingredient_name, line.quantity, line.unit)
            for line in recipe.lines
        )
        for recipe in recipes.values()
    }
    batch: dict[uuid.UUID, Fraction | None] = {}

    def batch_cost(snapshot_id: uuid.UUID) -> Fraction | None:
        # children first, iteratively (a sub-recipe chain may be deep)
        order: list[uuid.UUID] = []
        todo = [snapshot_id]
        while todo:
            current = todo.pop()
            if current in batch or current in order:
                continue
            order.append(current)
            todo.extend(sub.snapshot_id for sub in recipes[current].sub_recipes)
        for current in reversed(order):
            if current in batch:
                continue
            recipe = recipes[current]
            subs = [_times(batch[sub.snapshot_id], sub.batches) for sub in recipe.sub_recipes]
            batch[current] = _sum([own[current], *subs])
        return batch[snapshot_id]

    for recipe_id in recipes:
        batch_cost(recipe_id)
    units = {s.id: s for s in snapshots.values() if isinstance(s, FinishedUnitSnapshot)}
    unit_cost: dict[uuid.UUID, Fraction | None] = {
        unit.id: _times(batch.get(unit.recipe_snapshot_id), 1 / Fraction(unit.items_per_batch))
        for unit in units.values()
    }
    goods = {s.id: s for s in snapshots.values() if isinstance(s, FinishedGoodSnapshot)}
    good_cost: dict[uuid.UUID, Fraction | None] = {}

    def cost_of_good(snapshot_id: uuid.UUID) -> Fraction | None:
        order: list[uuid.UUID] = []
        todo = [snapshot_id]
        while todo:
            current = todo.pop()
            if current in good_cost or current in order:
                continue
            order.append(current)
            todo.extend(
                c.snapshot_id
                for c in goods[current].components
                if c.kind is ComponentKind.FINISHED_GOOD
            )
        for current in reversed(order):
            if current in good_cost:
                continue
            parts: list[Fraction | None] = []
            for c in goods[current].components:
                if c.kind is ComponentKind.FINISHED_UNIT:
                    each = unit_cost.get(c.snapshot_id)
                elif c.kind is ComponentKind.FINISHED_GOOD:
                    each = good_cost.get(c.snapshot_id)
                else:
                    material = snapshots[c.snapshot_id]
                    assert isinstance(material, MaterialUnitSnapshot)
                    each = prices.of(c.source_id, material.name, Decimal(1), "each")
                parts.append(_times(each, c.quantity))
            good_cost[current] = _sum(parts)
        return good_cost[snapshot_id]

    for good_id in goods:
        cost_of_good(good_id)
    # the total adds every line whose cost is known (a recipe with one unpriced line still
    # counts its other lines), as the shopping list adds every item whose cost is known
    total = Fraction(0)
    for line in requirements.batches:
        recipe = recipes[line.snapshot_id]
        for ingredient in recipe.lines:
            cost = prices.of(
                ingredient.ingredient_id,
                ingredient.ingredient_name,
                ingredient.quantity,
                ingredient.unit,
            )
            if cost is not None:
                total += cost * Fraction(line.batches)
    for material in requirements.materials:
        cost = prices.of(material.material_unit_id, material.name, material.quantity, "each")
        if cost is not None:
            total += cost
    missing = tuple(
        sorted(
            (Missing(item_id, name, why) for (item_id, why), name in prices.missing.items()),
            key=lambda m: (m.name, str(m.item_id), m.why),
        )
    )

    def shown(value: Fraction | None) -> Decimal | Fraction | None:
        return None if value is None else exact(value)

    return PlanCost(
        plan_id=plan_id,
        currency=currency,
        recipes=tuple(
            sorted(
                (RecipeCost(r.source_id, r.name, shown(batch[r.id])) for r in recipes.values()),
                key=lambda c: (c.name, str(c.recipe_id)),
            )
        ),
        finished_units=tuple(
            sorted(
                (
                    FinishedUnitCost(u.source_id, u.name, shown(unit_cost[u.id]))
                    for u in units.values()
                ),
                key=lambda c: (c.name, str(c.finished_unit_id)),
            )
        ),
        goods=tuple(
            sorted(
                (
                    FinishedGoodCost(g.source_id, g.name, shown(good_cost[g.id]))
                    for g in goods.values()
                ),
                key=lambda c: (c.name, str(c.finished_good_id)),
            )
        ),
        total=exact(total),
        complete=not missing,
        missing=missing,
    )
