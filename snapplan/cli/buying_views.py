"""What the buying commands print: the pantry, its entries, the shopping list (as a list to take
to the shop, as CSV, explained item by item), what a plan costs, and all of them as JSON.

JSON mirrors the library's values (:func:`plain`): every field named as the Python value's,
ids as strings, amounts and money as exact strings (a decimal in plain notation, ``"6.6"``; a
fraction that no decimal says exactly, such as a third of a batch's cost, as ``"n/d"`` in lowest
terms, as ``snapplan requirements --json`` writes ``needed_batches``), times in ISO 8601 UTC.
Text rounds for people only: amounts to three decimals, marked ``~`` when rounded
(:func:`snapplan.cli.tables.rounded`), money to the cent (:mod:`snapplan.cli.money`).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import decimal
import io
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from snapplan.cli.money import money
from snapplan.cli.tables import amount, rounded, tables
from snapplan.cli.terminal import escape
from snapplan.cli.times import shown
from snapplan.domain.costs import PlanCost
from snapplan.domain.pantry import Pantry, PantryItem
from snapplan.domain.pantry_entries import PantryRecord, PantryVoid, Receipt, StockCount
from snapplan.domain.quantities import canonical_decimal
from snapplan.domain.shopping import ShoppingLine, ShoppingList

#: Between a number of packs and the pack (a multiplication sign): ``2 x Butter 250 g block``.
TIMES = "\N{MULTIPLICATION SIGN}"

#: The mark of a line or a figure that is not complete (a product, a price or a conversion is
#: missing): never a silent zero.
INCOMPLETE = "!"


# -- JSON ------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """``value`` (an attrs value of the library, and what it holds) as JSON-ready data: a dict
    per value with its fields by name, lists for tuples, exact strings for amounts."""
    if attrs.has(type(value)):
        return {
            field.name: plain(getattr(value, field.name)) for field in attrs.fields(type(value))
        }
    if isinstance(value, (tuple, list)):
        return [plain(element) for element in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (Decimal, Fraction)):
        return amount(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return value


# -- amounts ---------------------------------------------------------------------------------


def readable_amount(value: Decimal | Fraction) -> str:
    """An amount for people: three decimals at most, ``~`` when rounded (a fraction that no
    decimal says exactly always is)."""
    if isinstance(value, Fraction):
        with decimal.localcontext() as context:
            context.prec = 60
            approximation = Decimal(value.numerator) / Decimal(value.denominator)
        text = rounded(approximation)
        return text if text.startswith("~") else f"~{text}"
    return rounded(value)


def _quantity(value: Decimal | Fraction, unit: str) -> str:
    return f"{readable_amount(value)} {unit}"


def on_hand_text(line: PantryItem) -> str:
    """``750 g``, and what could not be put in that unit (``, and -2 cup not in g``)."""
    text = _quantity(line.on_hand, line.unit)
    others = ", ".join(f"{canonical_decimal(q)} {u}" for q, u in line.unconvertible)
    return f"{text}, and {others} not in {line.unit}" if others else text


# -- the pantry --------------------------------------------------------------------------------


def pantry_table(held: Pantry) -> str:
    """What the pantry holds, one row per item, as of its time."""
    head = f"Pantry as of {shown(held.as_of)}"
    if not held.items:
        return (
            f"{head}: empty. Record a purchase (snapplan buy PRODUCT PACKS) or a count "
            "(snapplan count ITEM QUANTITY UNIT)."
        )
    others = any(line.unconvertible for line in held.items)
    header = ["item", "on hand", "unit", "last counted"]
    if others:
        header.append("also (cannot be put in the unit)")
    rows = []
    for line in held.items:
        row = [line.name, readable_amount(line.on_hand), line.unit, shown(line.counted_at)]
        if others:
            row.append(", ".join(f"{canonical_decimal(q)} {u}" for q, u in line.unconvertible))
        rows.append(row)
    text = f"{head}\n\n" + tables(("Items", header, rows)).rstrip()
    if any(line.on_hand < 0 for line in held.items):
        text += (
            "\n\nBelow zero: more went out than the pantry knows came in (a purchase not "
            "recorded?). A count (snapplan count) sets it right; a shopping list takes it as 0."
        )
    if others:
        text += (
            "\n\nAn amount in a unit the item's measures cannot convert is listed, never "
            "dropped: give the item a measure in the catalog (1 cup = 120 g)."
        )
    return text


def entry_text(entry: PantryRecord, names: Mapping[uuid.UUID, str]) -> str:
    """One pantry entry in words: ``bought 2 x Butter 250 g block (500 g of Butter)``."""
    if isinstance(entry, PantryVoid):
        return f"void of entry {entry.entry_seq} ({entry.reason})"
    item = names.get(entry.item_id, str(entry.item_id))
    what = f"{canonical_decimal(entry.quantity)} {entry.unit} of {item}"
    if isinstance(entry, Receipt):
        if entry.product_id is None:
            return f"received {what}"
        product = names.get(entry.product_id, str(entry.product_id))
        return f"bought {entry.packs} {TIMES} {product} ({what})"
    if isinstance(entry, StockCount):
        return f"counted {what}"
    return f"used {what} ({entry.reason})"


def entries_table(
    entries: Sequence[PantryRecord], names: Mapping[uuid.UUID, str], *, as_of: datetime.datetime
) -> str:
    """The pantry's ledger, entry by entry, with what was voided (as of ``as_of``)."""
    if not entries:
        return "The pantry has no entries yet."
    voided = {e.entry_seq: e.seq for e in entries if isinstance(e, PantryVoid) and e.at <= as_of}
    rows = [
        (
            str(entry.seq),
            shown(entry.at),
            entry_text(entry, names),
            f"voided by {voided[entry.seq]}" if entry.seq in voided else "",
            entry.by or "",
            entry.note,
        )
        for entry in entries
    ]
    header = ("entry", "at", "what", "", "by", "note")
    return tables(("Pantry entries", header, rows)).rstrip()


# -- the shopping list ---------------------------------------------------------------------------


def _names(names: Sequence[str]) -> str:
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _why(line: ShoppingLine, missing: Mapping[uuid.UUID, list[str]]) -> str:
    """Why a line is incomplete, in the baker's words."""
    reasons = []
    for why in missing.get(line.item_id, []):
        if why == "no product":
            reasons.append("no product to buy it as (add one to the catalog)")
        elif why == "no price":
            reasons.append("no price for its packs (snapplan price PRODUCT PRICE)")
        else:
            spelled = ", ".join(f"{canonical_decimal(q)} {u}" for q, u in line.unconvertible)
            units = " or ".join(sorted({u for _, u in line.unconvertible}))
            reasons.append(
                f"{spelled} cannot be put in {line.unit} (give it a measure from {units} to "
                f"{line.unit} in the catalog)"
            )
    return "; ".join(reasons)


def shopping_text(
    found: ShoppingList,
    events: Sequence[str],
    args: argparse.Namespace,
    *,
    as_of: datetime.datetime | None,
) -> str:
    """The list a baker takes to the shop: item by item, the packs first, then what is left
    over; a line that misses something marked ``!`` and why."""
    scope = "the whole plan" if args.all else "what is still to make"
    pantry = "the pantry left out" if args.no_pantry else "less what the pantry holds"
    when = "now" if as_of is None else shown(as_of)
    out = [
        f"Shopping list for {_names(events)}",
        f"({scope}, {pantry}; {args.policy} packs, prices as of {when})",
        "",
    ]
    missing: dict[uuid.UUID, list[str]] = {}
    for gap in found.missing:
        missing.setdefault(gap.item_id, []).append(gap.why)
    packs = [
        (f"{choice.count} {TIMES} {escape(choice.name)}", choice)
        for line in found.lines
        for choice in line.packs
    ]
    width = max((len(label) for label, _ in packs), default=0)
    for line in found.lines:
        out += _line_text(line, found.currency, _why(line, missing), width, args.no_pantry)
        out.append("")
    if not found.lines:
        out += ["Nothing to buy: the plans need nothing more.", ""]
    total = money(found.total, found.currency) if found.currency else "no price is known"
    out.append(f"Total: {total}")
    if not found.complete:
        names = ", ".join(f"{m.name} ({m.why})" for m in found.missing)
        out.append(
            f"{INCOMPLETE} Incomplete: {names}. The total leaves out what has no price; an "
            "amount that cannot be converted is listed, never guessed."
        )
    return "\n".join(out)


def _line_text(
    line: ShoppingLine, currency: str | None, why: str, width: int, no_pantry: bool
) -> list[str]:
    name = escape(line.name)
    out = [f"{INCOMPLETE} {name}: {why}" if why else name]
    for choice in line.packs:
        label = f"{choice.count} {TIMES} {escape(choice.name)}"
        if choice.price is None:
            priced = "price unknown"
        else:
            each = money(choice.price, currency)
            priced = f"{money(choice.price * choice.count, currency)}  ({each} a pack)"
        out.append(f"  {label:<{width}}  {priced}")
    have = "" if no_pantry else f", on hand {_quantity(line.on_hand, line.unit)}"
    need = f"need {_quantity(line.needed, line.unit)}{have}"
    if line.packs:
        out.append(f"  left over {_quantity(line.left_over, line.unit)}  ({need})")
    elif line.to_buy > 0:
        out.append(f"  {need}: {_quantity(line.to_buy, line.unit)} to buy")
    elif line.needed > 0 or not line.unconvertible:
        out.append(f"  nothing to buy  ({need}, {_quantity(line.left_over, line.unit)} left over)")
    else:
        out.append(f"  nothing to buy that can be worked out in {line.unit}")
    return out


_CSV_HEADER = (
    "item", "item_id", "unit", "needed", "on_hand", "to_buy", "bought", "left_over", "product",
    "product_id", "packs", "pack_quantity", "pack_unit", "price", "cost", "currency", "complete",
    "missing",
)  # fmt: skip


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: one that starts like a formula gets a ``'`` first."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def shopping_csv(found: ShoppingList) -> str:
    """The list as CSV, one row per pack choice (an item with none has one row): the ``cost``
    column sums to the total. Amounts exact, as in JSON."""
    missing: dict[uuid.UUID, list[str]] = {}
    for gap in found.missing:
        missing.setdefault(gap.item_id, []).append(gap.why)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_HEADER)
    for line in found.lines:
        item = [
            _cell(line.name), str(line.item_id), _cell(line.unit), amount(line.needed),
            amount(line.on_hand), amount(line.to_buy), amount(line.bought),
            amount(line.left_over),
        ]  # fmt: skip
        tail = [found.currency or "", "yes" if line.complete else "no",
                _cell("; ".join(missing.get(line.item_id, [])))]  # fmt: skip
        if not line.packs:
            writer.writerow([*item, "", "", "", "", "", "", "", *tail])
        for choice in line.packs:
            price = "" if choice.price is None else amount(choice.price)
            paid = "" if choice.price is None else amount(choice.price * choice.count)
            writer.writerow([
                *item, _cell(choice.name), str(choice.product_id), str(choice.count),
                amount(choice.pack_quantity), _cell(choice.pack_unit), price, paid, *tail,
            ])  # fmt: skip
    return buffer.getvalue()


def explain_text(line: ShoppingLine, *, packaging: Iterable[uuid.UUID]) -> str:
    """Why the list needs what it does of one item: every recipe line and packaging that
    contributes, as the plan's snapshot spells it and in the item's unit, exactly (the last
    column sums to what is needed)."""
    boxed = line.item_id in set(packaging)
    name = escape(line.name)
    head = f"Why {_quantity(line.needed, line.unit)} of {name}?"
    if line.unconvertible:
        head += " (and " + ", ".join(f"{canonical_decimal(q)} {u}" for q, u in line.unconvertible)
        head += " that cannot be put in " + line.unit + ")"
    rows = []
    for source in sorted(line.sources, key=lambda s: (s.event_name, s.via, str(s.via_id))):
        counted = "boxed" if boxed else ("batch" if source.amount == 1 else "batches")
        rows.append(
            (
                source.event_name,
                source.via,
                f"{canonical_decimal(source.amount)} {counted}",
                f"{canonical_decimal(source.quantity)} {source.unit}",
                amount(source.converted) if source.converted is not None else "cannot be converted",
            )
        )
    rows.append(("", "", "", "needed", amount(line.needed)))
    header = ("event", "good" if boxed else "recipe", "for", "as written", f"in {line.unit}")
    text = head + "\n\n" + tables(("Sources", header, rows)).rstrip()
    bought = ", ".join(f"{c.count} {TIMES} {escape(c.name)}" for c in line.packs) or "nothing"
    return (
        f"{text}\n\nOn hand {amount(line.on_hand)} {line.unit}; to buy {amount(line.to_buy)} "
        f"{line.unit}: {bought}; left over {amount(line.left_over)} {line.unit}."
    )


# -- what a plan costs ---------------------------------------------------------------------------


def cost_text(found: PlanCost, event: str, *, as_of: datetime.datetime | None) -> str:
    """A batch of each recipe, one of each finished unit and good, and the plan, to the cent;
    ``-`` where a price, a product or a conversion is missing (never a zero)."""
    currency = found.currency
    when = "now" if as_of is None else shown(as_of)
    head = f"What plan {found.plan_id} for {event!r} costs, at the prices as of {when}"
    out = [head + (f" ({currency})" if currency else ": no price is known"), ""]

    def row(name: str, value: Decimal | Fraction | None) -> tuple[str, str]:
        return name, money(value, currency) if value is not None else f"- {INCOMPLETE}"

    out.append(
        tables(
            (
                "Recipes",
                ("recipe", "one batch"),
                [row(r.name, r.batch_cost) for r in found.recipes],
            ),
            (
                "Finished units",
                ("finished unit", "one"),
                [row(u.name, u.unit_cost) for u in found.finished_units],
            ),
            (
                "Finished goods",
                ("finished good", "one"),
                [row(g.name, g.unit_cost) for g in found.goods],
            ),
        ).rstrip()
    )
    out += [
        "",
        f"The plan, as planned (whole batches, all its packaging): {money(found.total, currency)}",
    ]
    if not found.complete:
        names = ", ".join(f"{m.name} ({m.why})" for m in found.missing)
        out.append(
            f"{INCOMPLETE} Incomplete: {names}. A figure marked - needs them; the plan's "
            "total leaves them out."
        )
    return "\n".join(out)
