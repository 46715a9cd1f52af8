"""On hand: what the pantry holds of each item as of a time, from its ledger and the kitchen's.

The rules (SHOPPING.md), for one item as of ``T``:

- start from the latest live :class:`~snapplan.domain.pantry_entries.StockCount` at or before
  ``T`` (the baker's absolute figure; 0 when the item was never counted);
- add every live receipt, and take off every live use, recorded after that count (in the
  pantry's order: ``at``, then ``seq``) and at or before ``T``;
- take off what the kitchen used after that count (``recorded_at`` after the count's ``at``) and
  at or before ``T``: the ingredients of every production run and the packaging of every
  assembly run, of every event, exactly as the runs recorded them. So a count taken after a bake
  already includes it, and voiding a run gives back exactly what it used.
- *Live* means not voided as of ``T``: a pantry void, or a run void, counts from its own time
  on, so the figure as of a past time is what it was then.

Every amount is put in the item's **stock unit** (:func:`stock_unit`) through the item's own
measures only (:mod:`snapplan.domain.measures`); an amount that cannot be is listed in
``unconvertible``, signed (negative for what came off the shelf), never dropped and never taken
as zero. On hand may go negative (a receipt the baker forgot): it is shown as it is. Nothing
here ever refuses anything: the ledgers record what happened.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from snapplan.domain.catalog import ComponentKind
from snapplan.domain.measures import Measure, base_unit, convert, exact
from snapplan.domain.pantry_entries import (
    PantryRecord,
    PantryVoid,
    Receipt,
    StockCount,
    StockEntry,
    StockUse,
)
from snapplan.domain.products import Product
from snapplan.domain.runs import AssemblyRun, ProductionRun, Run, RunVoid
from snapplan.domain.units import MASS, canonical_unit

#: A signed amount in a unit: ``(Decimal("-3"), "cup")``.
Amount = tuple[Decimal, str]


@attrs.frozen
class StockedItem:
    """What the pantry needs to know of an item (an ingredient or a material unit): its
    ``name`` and its ``measures``."""

    item_id: uuid.UUID
    name: str
    measures: tuple[Measure, ...] = ()


@attrs.frozen
class PantryItem:
    """What the pantry holds of one item as of a time.

    ``on_hand`` is exact, in ``unit`` (the item's stock unit; a ``Fraction`` only where a
    conversion through a measure does not terminate); ``unconvertible`` the signed amounts
    that could not be put in that unit, summed per unit (negative: came off the shelf);
    ``counted_at`` when the count it starts from was taken (None: never counted).
    """

    item_id: uuid.UUID
    name: str
    on_hand: Decimal | Fraction
    unit: str
    unconvertible: tuple[Amount, ...]
    counted_at: datetime.datetime | None


@attrs.frozen
class Pantry:
    """The pantry as of ``as_of``: one :class:`PantryItem` per item, by name."""

    as_of: datetime.datetime
    items: tuple[PantryItem, ...]

    def item(self, item_id: uuid.UUID) -> PantryItem | None:
        """The line of ``item_id``, or None when the pantry knows nothing of it."""
        return next((line for line in self.items if line.item_id == item_id), None)


def stock_unit(
    measures: Sequence[Measure],
    products: Iterable[Product],
    oldest_entry_unit: str | None = None,
    first_met_unit: str | None = None,
) -> str | None:
    """The unit every pantry and shopping figure of an item is in (SHOPPING.md).

    The base unit (``g``, ``ml``, ``each`` or a unit of its own) of the dimension of the item's
    preferred active product's pack, else of its first active product (by name); with no
    active product, ``g`` when its measures reach mass; else the unit of the oldest thing the
    ledgers say of it (its oldest pantry entry, or an older use by a kitchen run: what a run
    took off the shelf is part of the pantry's story too); else the first unit the caller met
    for it (a shopping list's first need). None when there
    is nothing to go by.
    """
    active = sorted((p for p in products if p.active), key=lambda p: (p.name, str(p.id)))
    chosen = next((p for p in active if p.preferred), active[0] if active else None)
    if chosen is not None:
        return base_unit(chosen.pack_unit)
    if any(MASS in measure.dimensions for measure in measures):
        return "g"
    for unit in (oldest_entry_unit, first_met_unit):
        if unit is not None:
            return base_unit(unit)
    return None


def live_pantry(entries: Sequence[PantryRecord], as_of: datetime.datetime) -> list[StockEntry]:
    """The stock entries at or before ``as_of`` that no void at or before ``as_of`` cancels,
    in the pantry's order (``at``, then ``seq``)."""
    voided = {
        entry.entry_seq for entry in entries if isinstance(entry, PantryVoid) and entry.at <= as_of
    }
    live = [
        entry
        for entry in entries
        if not isinstance(entry, PantryVoid) and entry.at <= as_of and entry.seq not in voided
    ]
    return sorted(live, key=lambda e: (e.at, e.seq))


@attrs.frozen
class KitchenUse:
    """What one live run took off the shelf of one item: ``quantity unit`` at ``at``."""

    item_id: uuid.UUID
    name: str
    quantity: Decimal
    unit: str
    at: datetime.datetime


def kitchen_uses(runs: Iterable[Run], as_of: datetime.datetime | None) -> list[KitchenUse]:
    """What the live runs (of every event) at or before ``as_of`` used: production runs'
    ingredients and assembly runs' packaging, as the runs recorded them. ``as_of=None``:
    everything every run ever recorded, voided or not."""
    ledger = list(runs)
    voided = {
        entry.run_id
        for entry in ledger
        if isinstance(entry, RunVoid) and as_of is not None and entry.recorded_at <= as_of
    }
    uses: list[KitchenUse] = []
    for run in ledger:
        if run.id in voided or (as_of is not None and run.recorded_at > as_of):
            continue
        if isinstance(run, ProductionRun):
            uses.extend(
                KitchenUse(u.ingredient_id, u.name, u.quantity, u.unit, run.recorded_at)
                for u in run.ingredients
            )
        elif isinstance(run, AssemblyRun):
            uses.extend(
                KitchenUse(part.id, part.name, part.quantity, "each", run.recorded_at)
                for part in run.consumed
                if part.kind is ComponentKind.MATERIAL_UNIT
            )
    return uses


def compute_pantry(
    items: Mapping[uuid.UUID, StockedItem],
    products: Iterable[Product],
    entries: Sequence[PantryRecord],
    runs: Iterable[Run],
    as_of: datetime.datetime,
) -> Pantry:
    """The pantry as of ``as_of`` (see the module docstring).

    ``items`` are the live catalog's ingredients and material units by id (an item the ledgers
    name but the catalog no longer has is still shown, under the last name a run gave it, or
    its id); ``products`` every product; ``entries`` the whole pantry ledger and ``runs`` the
    whole runs ledger of every event, in any order.
    """
    by_item: dict[uuid.UUID, list[Product]] = defaultdict(list)
    for product in products:
        by_item[product.item_id].append(product)
    runs_all = list(runs)
    live = live_pantry(entries, as_of)
    used = kitchen_uses(runs_all, as_of)
    # The oldest thing the ledgers say of an item, a pantry entry or what a run took off the
    # shelf, whenever it was and whatever was voided since: its unit stays the item's stock
    # unit (when no product or measure says otherwise), so every figure of the item, past ones
    # included, is in one unit.
    said: list[tuple[datetime.datetime, int, uuid.UUID, str]] = [
        (e.at, 1, e.item_id, e.unit) for e in entries if not isinstance(e, PantryVoid)
    ]
    said += [(u.at, 0, u.item_id, u.unit) for u in kitchen_uses(list(runs_all), None)]
    oldest: dict[uuid.UUID, str] = {}
    for _, _, item_id, spelled in sorted(said, key=lambda s: (s[0], s[1])):
        oldest.setdefault(item_id, spelled)
    names: dict[uuid.UUID, str] = {use.item_id: use.name for use in used}
    known = {*by_item, *(e.item_id for e in entries if not isinstance(e, PantryVoid))}
    known |= {use.item_id for use in used}
    lines = []
    for item_id in known:
        item = items.get(item_id) or StockedItem(item_id, names.get(item_id, str(item_id)))
        mine = [u for u in used if u.item_id == item_id]
        unit = stock_unit(item.measures, by_item.get(item_id, ()), oldest.get(item_id))
        entries_of_item = [e for e in live if e.item_id == item_id]
        lines.append(_item_line(item, unit or "each", entries_of_item, mine))
    return Pantry(as_of=as_of, items=tuple(sorted(lines, key=lambda i: (i.name, str(i.item_id)))))


def _item_line(
    item: StockedItem, unit: str, entries: list[StockEntry], used: list[KitchenUse]
) -> PantryItem:
    count = next((e for e in reversed(entries) if isinstance(e, StockCount)), None)
    total: Fraction = Fraction(0)
    lost: dict[str, Fraction] = {}

    def add(quantity: Decimal, spelled: str, sign: int) -> None:
        nonlocal total
        converted = convert(quantity, spelled, unit, item.measures)
        if converted is None:
            spelling = canonical_unit(spelled)
            lost[spelling] = lost.get(spelling, Fraction(0)) + sign * Fraction(quantity)
        else:
            total += sign * Fraction(converted)

    if count is not None:
        add(count.quantity, count.unit, 1)
        after = entries[entries.index(count) + 1 :]
    else:
        after = entries
    for entry in after:
        if isinstance(entry, Receipt):
            add(entry.quantity, entry.unit, 1)
        elif isinstance(entry, StockUse):
            add(entry.quantity, entry.unit, -1)
    for use in used:
        if count is None or use.at > count.at:
            add(use.quantity, use.unit, -1)
    return PantryItem(
        item_id=item.item_id,
        name=item.name,
        on_hand=exact(total),
        unit=unit,
        unconvertible=tuple(
            (_decimal(amount), spelled) for spelled, amount in lost.items() if amount != 0
        ),
        counted_at=count.at if count is not None else None,
    )


def _decimal(amount: Fraction) -> Decimal:
    # amounts in their own unit are sums of Decimals: their expansion always terminates
    value = exact(amount)
    assert isinstance(value, Decimal)
    return value
