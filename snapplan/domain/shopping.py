"""The shopping list: what to buy for some plans, summed, netted once, rounded to packs exactly.

The order of the work is the point (SHOPPING.md), and each step is done once:

1. **Needs.** Every contribution of every plan (a recipe's own line times its batches, a good's
   own packaging times how many) is a :class:`Need`, kept as the snapshot spells it.
2. **Sum, then convert.** An item's needs are summed in its stock unit (see
   :func:`snapplan.domain.pantry.stock_unit`), each converted through the item's own measures;
   what cannot be converted stays on the line as ``unconvertible`` (the line is then not
   ``complete``), never dropped, never added to a wrong figure.
3. **Net, once.** The pantry's on-hand figure is taken off the *summed* need, once for the
   whole list (never per plan or per recipe, which would buy one butter block per event). A
   negative on hand nets as zero.
4. **Round to packs, last.** Only then are packs chosen (:mod:`snapplan.domain.packs`), so the
   rounding happens once, in the pack's own terms, on the exact amount.

Every figure is exact: a ``Decimal``, or a ``Fraction`` where a conversion does not terminate.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import attrs

from snapplan.domain.catalog import ComponentKind
from snapplan.domain.measures import Exact, convert, exact, rate
from snapplan.domain.packs import Choice, PackOption, Policy, choose_packs
from snapplan.domain.pantry import Pantry, PantryItem, StockedItem, stock_unit
from snapplan.domain.prices import PriceQuote
from snapplan.domain.products import Product
from snapplan.domain.quantities import exact_arithmetic
from snapplan.domain.snapshots import FinishedGoodSnapshot, RecipeSnapshot, Snapshot
from snapplan.errors import ValidationError

#: Why a line is not complete.
Why = Literal["no product", "no price", "unconvertible"]


@attrs.frozen
class Need:
    """One contribution to the list, as the snapshot spells it: ``quantity unit`` of the item
    for ``amount`` batches of the recipe ``via`` (an ingredient), or for ``amount`` of the good
    ``via`` (packaging), in a plan of the event ``event_name``."""

    plan_id: uuid.UUID
    event_name: str
    item_id: uuid.UUID
    item_name: str
    via: str
    via_id: uuid.UUID
    amount: Decimal
    quantity: Decimal
    unit: str


@attrs.frozen
class Source:
    """Why the list needs what it does: one recipe line or good component of one plan.

    ``via`` is the recipe's name (``amount`` its batches) or the good's (``amount`` how many),
    ``via_id`` its catalog id; ``quantity unit`` the whole contribution as the snapshot spells
    it; ``converted`` the same in the line's unit (None when it cannot be). The converted
    sources of a line sum exactly to its ``needed``.
    """

    plan_id: uuid.UUID
    event_name: str
    via: str
    via_id: uuid.UUID
    amount: Decimal
    quantity: Decimal
    unit: str
    converted: Decimal | Fraction | None


@attrs.frozen
class PackChoice:
    """``count`` packs of a product: its ``name``, its pack, and its ``price`` per pack (None:
    no price in the list's currency)."""

    product_id: uuid.UUID
    name: str
    count: int
    pack_quantity: Decimal
    pack_unit: str
    price: Decimal | None


@attrs.frozen
class ShoppingLine:
    """One item of the list, in its stock ``unit``.

    ``needed`` (what the plans need, converted), ``on_hand`` (as the pantry shows it; it may be
    negative), ``to_buy`` (``needed`` less what is on hand, never below zero), the ``packs``
    chosen and what they hold (``bought``), ``left_over`` (on hand, or 0 when negative, plus
    bought, less needed; never below zero), ``cost`` (the packs' prices summed: 0 when nothing
    is bought, None when a price is missing, the item has no product or a need could not be
    converted), ``complete`` (False
    when something is missing: see :class:`ShoppingList`), ``unconvertible`` (the summed needs,
    per unit, that could not be put in ``unit``) and ``sources`` (every contribution).
    """

    item_id: uuid.UUID
    name: str
    unit: str
    needed: Decimal | Fraction
    on_hand: Decimal | Fraction
    to_buy: Decimal | Fraction
    packs: tuple[PackChoice, ...]
    bought: Decimal | Fraction
    left_over: Decimal | Fraction
    cost: Decimal | None
    complete: bool
    unconvertible: tuple[tuple[Decimal, str], ...]
    sources: tuple[Source, ...]


@attrs.frozen
class Missing:
    """Something the list could not answer for an item: ``why`` is ``"no product"`` (nothing
    to buy it as), ``"no price"`` (no quote in the list's currency) or ``"unconvertible"``
    (a need in a unit the item's measures cannot convert)."""

    item_id: uuid.UUID
    name: str
    why: Why


@attrs.frozen
class ShoppingList:
    """The list: its ``lines`` by item name, the ``currency`` of its prices (None when no
    price is known), the ``total`` of the known costs (0 when none is known), ``complete``
    (False when any line misses a product, a price or a conversion) and what is ``missing``."""

    lines: tuple[ShoppingLine, ...]
    currency: str | None
    total: Decimal
    complete: bool
    missing: tuple[Missing, ...]


def list_currency(
    quotes: Iterable[PriceQuote], products: Iterable[Product], currency: str | None
) -> str | None:
    """The currency of a list: ``currency`` if given, else the one currency of the quotes in
    force for the active ``products``; ``ValidationError`` listing them when there are several
    and none was chosen."""
    if currency is not None:
        return currency
    active = {p.id for p in products if p.active}
    found = sorted({q.currency for q in quotes if q.product_id in active})
    if len(found) > 1:
        raise ValidationError(
            f"prices are quoted in {len(found)} currencies ({', '.join(found)}): choose one "
            "with currency="
        )
    return found[0] if found else None


def shopping_list(
    needs: Sequence[Need],
    items: Mapping[uuid.UUID, StockedItem],
    products: Iterable[Product],
    quotes: Mapping[uuid.UUID, PriceQuote],
    pantry: Pantry,
    *,
    policy: Policy,
    use_pantry: bool,
    currency: str | None,
) -> ShoppingList:
    """The shopping list of ``needs`` (see the module docstring).

    ``items``: the live ingredients and material units (name and measures) by id; ``products``:
    every product; ``quotes``: the quote in force (as of the list's time) of each product that
    has one; ``pantry``: on hand as of the list's time, which also gives each item's stock unit.
    ``ValidationError`` for the ``"preferred"`` policy when an item has products but no
    preferred one (naming them all).
    """
    by_item: dict[uuid.UUID, list[Product]] = defaultdict(list)
    for product in products:
        if product.active:
            by_item[product.item_id].append(product)
    needed_items = list(dict.fromkeys(need.item_id for need in needs))
    listed_products = [p for item_id in needed_items for p in by_item.get(item_id, ())]
    money = list_currency(quotes.values(), listed_products, currency)
    if policy == "preferred":
        _require_preferred(needed_items, by_item, items, needs)
    held = {line.item_id: line for line in pantry.items}
    grouped: dict[uuid.UUID, list[Need]] = defaultdict(list)
    for need in needs:
        grouped[need.item_id].append(need)
    lines: list[ShoppingLine] = []
    missing: list[Missing] = []
    for item_id in needed_items:
        line, why = _line(
            item_id,
            grouped[item_id],
            items,
            by_item.get(item_id, []),
            quotes,
            held.get(item_id),
            policy=policy,
            use_pantry=use_pantry,
            currency=money,
        )
        lines.append(line)
        missing.extend(Missing(line.item_id, line.name, reason) for reason in why)
    lines.sort(key=lambda line: (line.name, str(line.item_id)))
    missing.sort(key=lambda m: (m.name, str(m.item_id), m.why))
    with exact_arithmetic():
        total = sum((line.cost for line in lines if line.cost is not None), Decimal(0))
    return ShoppingList(
        lines=tuple(lines),
        currency=money,
        total=total,
        complete=not missing,
        missing=tuple(missing),
    )


def _require_preferred(
    item_ids: Sequence[uuid.UUID],
    by_item: Mapping[uuid.UUID, Sequence[Product]],
    items: Mapping[uuid.UUID, StockedItem],
    needs: Sequence[Need],
) -> None:
    names = {need.item_id: need.item_name for need in needs}
    lacking = [
        items[i].name if i in items else names[i]
        for i in item_ids
        if by_item.get(i) and not any(p.preferred for p in by_item[i])
    ]
    if lacking:
        listed = ", ".join(repr(name) for name in sorted(lacking))
        raise ValidationError(
            f"policy 'preferred': {listed} have products but no preferred one (mark one "
            "preferred, or use the cheapest or fewest policy)"
        )


def _line(  # noqa: PLR0917  (the list's context, passed down)
    item_id: uuid.UUID,
    needs: list[Need],
    items: Mapping[uuid.UUID, StockedItem],
    products: list[Product],
    quotes: Mapping[uuid.UUID, PriceQuote],
    held: PantryItem | None,
    *,
    policy: Policy,
    use_pantry: bool,
    currency: str | None,
) -> tuple[ShoppingLine, list[Why]]:
    item = items.get(item_id) or StockedItem(item_id, needs[0].item_name)
    unit = (
        held.unit
        if held is not None
        else (stock_unit(item.measures, products, None, needs[0].unit) or needs[0].unit)
    )
    why: list[Why] = []
    # 1-2: every need converted, then summed
    sources: list[Source] = []
    # a factor whose expansion terminates is used as a Decimal (exact, and much faster than
    # a Fraction); the few that do not stay Fractions
    factors: dict[str, Decimal | Fraction | None] = {}
    decimal_total = Decimal(0)
    fraction_total = Fraction(0)
    lost: dict[str, Decimal] = {}
    with exact_arithmetic():
        for need in needs:
            spelled = need.unit
            if spelled not in factors:
                found = rate(spelled, unit, item.measures)
                factors[spelled] = None if found is None else exact(found)
            factor = factors[spelled]
            converted: Decimal | Fraction | None
            if factor is None:
                converted = None
                lost[spelled] = lost.get(spelled, Decimal(0)) + need.quantity
            elif isinstance(factor, Decimal):
                converted = need.quantity if factor == 1 else need.quantity * factor
                decimal_total += converted
            else:
                converted = exact(Fraction(need.quantity) * factor)
                fraction_total += Fraction(converted)
            sources.append(
                Source(
                    need.plan_id,
                    need.event_name,
                    need.via,
                    need.via_id,
                    need.amount,
                    need.quantity,
                    need.unit,
                    converted,
                )
            )
    needed = Fraction(decimal_total) + fraction_total
    if lost:
        why.append("unconvertible")
    # 3: net once against the pantry
    on_hand: Exact = held.on_hand if (held is not None and use_pantry) else Decimal(0)
    usable = max(Fraction(on_hand), Fraction(0))
    to_buy = max(needed - usable, Fraction(0))
    # 4: round to packs
    choice, cost, priced = _packs(to_buy, products, quotes, unit, item, policy, currency)
    if lost:
        cost = None  # what the unconvertible needs cost is unknown: never shown as 0
    if not products:
        why.append("no product")
    elif not priced:
        why.append("no price")
    bought = choice.bought
    chosen = tuple(
        PackChoice(
            option.product_id,
            option.name,
            count,
            _product(products, option.product_id).pack_quantity,
            _product(products, option.product_id).pack_unit,
            option.price,
        )
        for option, count in choice.counts
    )
    line = ShoppingLine(
        item_id=item_id,
        name=item.name,
        unit=unit,
        needed=exact(needed),
        on_hand=on_hand,
        to_buy=exact(to_buy),
        packs=chosen,
        bought=exact(bought),
        left_over=exact(max(usable + bought - needed, Fraction(0))),
        cost=cost,
        complete=not why,
        unconvertible=tuple((quantity, spelled) for spelled, quantity in lost.items()),
        sources=tuple(sources),
    )
    return line, why


def _product(products: Sequence[Product], product_id: uuid.UUID) -> Product:
    return next(p for p in products if p.id == product_id)


def _packs(  # noqa: PLR0917  (the list's context, passed down)
    to_buy: Fraction,
    products: Sequence[Product],
    quotes: Mapping[uuid.UUID, PriceQuote],
    unit: str,
    item: StockedItem,
    policy: Policy,
    currency: str | None,
) -> tuple[Choice, Decimal | None, bool]:
    """The packs chosen, their cost (None when a price is missing) and whether the chosen
    packs all have a price (True when nothing is bought)."""
    options: list[PackOption] = []
    for product in products:
        size = convert(product.pack_quantity, product.pack_unit, unit, item.measures)
        if size is None:  # refused at commit; a pack that does not convert is never chosen
            continue
        quote = quotes.get(product.id)
        price = quote.price if quote is not None and quote.currency == currency else None
        options.append(PackOption(product.id, product.name, size, product.min_packs, price))
    if policy == "preferred":
        options = [o for o in options if _product(products, o.product_id).preferred][:1]
    elif policy == "cheapest":
        priced = [o for o in options if o.price is not None]
        # when nothing has a price, the fewest packs are chosen and the price is missing
        options, policy = (priced, "cheapest") if priced else (options, "fewest")
    if not options:
        return choose_packs(Fraction(0), (), policy), None, False
    choice = choose_packs(to_buy, options, policy)
    cost = choice.cost
    return choice, cost, cost is not None


def plan_needs(
    plan_id: uuid.UUID,
    event_name: str,
    snapshots: Mapping[uuid.UUID, Snapshot],
    recipe_batches: Mapping[uuid.UUID, Decimal],
    good_quantities: Mapping[uuid.UUID, Decimal],
) -> list[Need]:
    """What one plan needs: each recipe snapshot's **own** lines times its batches in
    ``recipe_batches`` (sub-recipes have batches of their own there, so nothing is counted
    twice), and each good snapshot's **own** packaging times its quantity in
    ``good_quantities``; zero amounts contribute nothing. Read from the snapshots only."""
    with exact_arithmetic():
        return _recipe_needs(plan_id, event_name, snapshots, recipe_batches) + _good_needs(
            plan_id, event_name, snapshots, good_quantities
        )


def _recipe_needs(
    plan_id: uuid.UUID,
    event_name: str,
    snapshots: Mapping[uuid.UUID, Snapshot],
    recipe_batches: Mapping[uuid.UUID, Decimal],
) -> list[Need]:
    needs: list[Need] = []
    for snapshot_id, batches in recipe_batches.items():
        recipe = snapshots[snapshot_id]
        assert isinstance(recipe, RecipeSnapshot)
        if batches <= 0:
            continue
        for line in recipe.lines:
            needs.append(
                Need(
                    plan_id,
                    event_name,
                    line.ingredient_id,
                    line.ingredient_name,
                    recipe.name,
                    recipe.source_id,
                    batches,
                    line.quantity * batches,
                    line.unit,
                )
            )
    return needs


def _good_needs(
    plan_id: uuid.UUID,
    event_name: str,
    snapshots: Mapping[uuid.UUID, Snapshot],
    good_quantities: Mapping[uuid.UUID, Decimal],
) -> list[Need]:
    needs: list[Need] = []
    for snapshot_id, quantity in good_quantities.items():
        good = snapshots[snapshot_id]
        assert isinstance(good, FinishedGoodSnapshot)
        if quantity <= 0:
            continue
        for part in good.components:
            if part.kind is not ComponentKind.MATERIAL_UNIT:
                continue
            material = snapshots[part.snapshot_id]
            needs.append(
                Need(
                    plan_id,
                    event_name,
                    part.source_id,
                    material.name,
                    good.name,
                    good.source_id,
                    quantity,
                    part.quantity * quantity,
                    "each",
                )
            )
    return needs
