"""The buying commands: buy, price, count, use, pantry, shop, cost, and voiding a pantry entry.

PRODUCT is a product's id or name, ITEM an ingredient's or material unit's id or name (exact,
else unique ignoring case), PLAN a plan id or an event (id or name) meaning its latest plan.
Amounts are exact (``2.5``, ``1/3``, ``1 1/2``: see
:mod:`snapplan.domain.kitchen_amounts`); times are read by :mod:`snapplan.cli.times`. Each
command returns the exit status; failures are raised and reported by
:func:`snapplan.cli.app.main` as one line.
"""

from __future__ import annotations

import argparse
import difflib
import uuid
from decimal import Decimal

from snapplan.cli.buying_views import (
    cost_text,
    entries_table,
    entry_text,
    explain_text,
    on_hand_text,
    pantry_table,
    plain,
    shopping_csv,
    shopping_text,
)
from snapplan.cli.database import Access, database_url, open_store
from snapplan.cli.lookup import find_item, find_plan, find_product
from snapplan.cli.money import money
from snapplan.cli.problems import EXIT_OK, CommandError
from snapplan.cli.render import to_json
from snapplan.cli.terminal import Output
from snapplan.cli.times import moment
from snapplan.domain.kitchen_amounts import kitchen_amount
from snapplan.domain.pantry import PantryItem
from snapplan.domain.pantry_entries import PantryRecord, PantryVoid
from snapplan.domain.products import Product
from snapplan.domain.quantities import to_decimal
from snapplan.domain.shopping import ShoppingLine, ShoppingList
from snapplan.errors import ValidationError
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import (
    pantry,
    plan_cost,
    record_price,
    record_purchase,
    record_stock_count,
    record_stock_use,
    shopping_list,
    void_pantry_entry,
)


def buy(args: argparse.Namespace, out: Output) -> int:
    """Record packs of a product bought (and, with --price, what one pack cost)."""
    packs = _packs(args.packs)
    price = None if args.price is None else _price(args.price, "--price")
    when = None if args.at is None else moment(args.at, "--at")
    with (
        open_store(database_url(args.db), Access.EXISTING) as store,
        store.unit_of_work(writing=True) as uow,
    ):
        product = find_product(uow, args.product)
        currency = None if price is None else _currency(uow, product, args.currency)
        if price is None and args.currency is not None:
            raise CommandError("--currency says nothing without --price: give both")
        last = uow.pantry.last_seq()  # an entry at or below it: recorded before (a retry)
        receipt = record_purchase(
            uow, product.id, packs, price=price, currency=currency, at=when, key=args.key,
            note=args.note, by=args.by,
        )  # fmt: skip
        uow.commit()
        names = _names(uow)
        now = pantry(uow).item(receipt.item_id)
    if receipt.seq <= last:
        print(
            f"Already recorded with key {args.key!r}: pantry entry {receipt.seq}, "
            f"{entry_text(receipt, names)}. Nothing new was written.",
            file=out,
        )
        return EXIT_OK
    paid = "" if price is None else f", at {money(price, currency)} a pack (price recorded)"
    print(f"Recorded pantry entry {receipt.seq}: {entry_text(receipt, names)}{paid}", file=out)
    _print_on_hand(now, out)
    return EXIT_OK


def price(args: argparse.Namespace, out: Output) -> int:
    """Record what one pack of a product costs."""
    paid = _price(args.price, "PRICE")
    when = None if args.at is None else moment(args.at, "--at")
    with (
        open_store(database_url(args.db), Access.EXISTING) as store,
        store.unit_of_work(writing=True) as uow,
    ):
        product = find_product(uow, args.product)
        currency = _currency(uow, product, args.currency)
        quote = record_price(uow, product.id, paid, currency=currency, at=when, note=args.note)
        uow.commit()
    print(
        f"Recorded price {quote.seq}: {product.name} ({product.pack}) costs "
        f"{money(quote.price, quote.currency)} a pack",
        file=out,
    )
    return EXIT_OK


def count(args: argparse.Namespace, out: Output) -> int:
    """Record what the baker counted on the shelf (an absolute figure)."""
    quantity, unit = _amount(args.quantity, args.unit, zero=True)
    when = None if args.at is None else moment(args.at, "--at")
    with (
        open_store(database_url(args.db), Access.EXISTING) as store,
        store.unit_of_work(writing=True) as uow,
    ):
        item = find_item(uow, args.item)
        last = uow.pantry.last_seq()
        entry = record_stock_count(
            uow, item.id, quantity, unit, at=when, key=args.key, note=args.note, by=args.by
        )
        uow.commit()
        names = _names(uow)
        now = pantry(uow).item(item.id)
    _recorded(out, entry, names, last, args.key)
    if entry.seq > last:
        _print_on_hand(now, out)
    return EXIT_OK


def use(args: argparse.Namespace, out: Output) -> int:
    """Record what was used outside the plans (a snack, a spill), and why."""
    quantity, unit = _amount(args.quantity, args.unit, zero=False)
    when = None if args.at is None else moment(args.at, "--at")
    with (
        open_store(database_url(args.db), Access.EXISTING) as store,
        store.unit_of_work(writing=True) as uow,
    ):
        item = find_item(uow, args.item)
        last = uow.pantry.last_seq()
        entry = record_stock_use(
            uow, item.id, quantity, unit, reason=args.reason, at=when, key=args.key,
            note=args.note, by=args.by,
        )  # fmt: skip
        uow.commit()
        names = _names(uow)
        now = pantry(uow).item(item.id)
    _recorded(out, entry, names, last, args.key)
    if entry.seq > last:
        _print_on_hand(now, out)
    return EXIT_OK


def void_pantry(args: argparse.Namespace, out: Output) -> int:
    """Void a pantry entry by its number (``snapplan void SEQ --pantry``)."""
    if args.plan is not None or args.allow_shortage:
        raise CommandError(
            "--pantry voids a pantry entry: --plan and --allow-shortage are for runs"
        )
    if not args.run.isdigit() or int(args.run) < 1:
        raise CommandError(
            f"not a pantry entry number: {args.run!r} (the number printed when it was recorded, "
            "or listed by snapplan pantry --entries)"
        )
    with (
        open_store(database_url(args.db), Access.EXISTING) as store,
        store.unit_of_work(writing=True) as uow,
    ):
        entries = {entry.seq: entry for entry in uow.pantry.all()}
        void = void_pantry_entry(uow, int(args.run), reason=args.reason, by=args.by)
        uow.commit()
        names = _names(uow)
        voided = entries[void.entry_seq]
        now = None if isinstance(voided, PantryVoid) else pantry(uow).item(voided.item_id)
    again = " (it already was)" if void.seq in entries else ""
    print(
        f"Pantry entry {voided.seq} voided by entry {void.seq}{again}: {entry_text(voided, names)}",
        file=out,
    )
    _print_on_hand(now, out)
    return EXIT_OK


def pantry_command(args: argparse.Namespace, out: Output) -> int:
    """Print what the pantry holds, as of now or --as-of (or its entries, with --entries)."""
    as_of = None if args.as_of is None else moment(args.as_of, "--as-of")
    with open_store(database_url(args.db), Access.EXISTING) as store:
        held = pantry(store.unit_of_work(), as_of=as_of)
        with store.unit_of_work() as uow:
            entries = sorted(uow.pantry.all(), key=lambda e: e.seq) if args.entries else []
            names = _names(uow)
    if args.json:
        if args.entries:
            print(to_json({"entries": [_entry_json(e) for e in entries]}), file=out)
        else:
            print(to_json(plain(held)), file=out)
        return EXIT_OK
    if args.entries:
        print(entries_table(entries, names, as_of=held.as_of), file=out)
        return EXIT_OK
    print(pantry_table(held), file=out)
    return EXIT_OK


def shop(args: argparse.Namespace, out: Output) -> int:
    """Print what to buy for some plans: packs first, what is left over, what is missing."""
    as_of = None if args.as_of is None else moment(args.as_of, "--as-of")
    with open_store(database_url(args.db), Access.EXISTING) as store:
        with store.unit_of_work() as uow:
            # a plan named twice (by its id and by its event) is listed once
            named = (find_plan(uow, text) for text in args.plans)
            plans = list({plan.id: plan for plan in named}.values())
            events = uow.events.find_many([plan.event_id for plan in plans])
            packaging = {m.id for m in uow.material_units.all()}
        found = shopping_list(
            store.unit_of_work(),
            [plan.id for plan in plans],
            policy=args.policy,
            remaining=not args.all,
            use_pantry=not args.no_pantry,
            as_of=as_of,
            currency=args.currency,
        )
    names = [events[p.event_id].name if p.event_id in events else str(p.id) for p in plans]
    if args.explain is not None:
        print(explain_text(_line(found, args.explain), packaging=packaging), file=out)
    elif args.json:
        print(to_json(plain(found)), file=out)
    elif args.csv:
        out.write(shopping_csv(found))
    else:
        print(shopping_text(found, names, args, as_of=as_of), file=out)
    return EXIT_OK


def cost(args: argparse.Namespace, out: Output) -> int:
    """Print what a plan costs: a batch, an item, a good, the whole plan."""
    as_of = None if args.as_of is None else moment(args.as_of, "--as-of")
    with open_store(database_url(args.db), Access.EXISTING) as store:
        with store.unit_of_work() as uow:
            plan = find_plan(uow, args.plan)
            event = uow.events.find_many([plan.event_id]).get(plan.event_id)
        found = plan_cost(store.unit_of_work(), plan.id, as_of=as_of, currency=args.currency)
    if args.json:
        print(to_json(plain(found)), file=out)
        return EXIT_OK
    name = event.name if event is not None else str(plan.event_id)
    print(cost_text(found, name, as_of=as_of), file=out)
    return EXIT_OK


def _line(found: ShoppingList, text: str) -> ShoppingLine:
    """The list's line of the item ``text`` names: its id, else its name (exactly, else
    ignoring case)."""
    for line in found.lines:
        if str(line.item_id) == text.strip().lower():
            return line
    for exact in (True, False):
        named = [
            line
            for line in found.lines
            if (line.name == text if exact else line.name.casefold() == text.casefold())
        ]
        if len(named) == 1:
            return named[0]
        if named:
            ids = ", ".join(str(line.item_id) for line in named)
            raise CommandError(f"{len(named)} items of the list are named {text!r}: {ids}")
    close = difflib.get_close_matches(text, sorted(line.name for line in found.lines), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise CommandError(f"the shopping list has no item named {text!r}{hint}")


# -- reading the arguments ----------------------------------------------------------------------


def _packs(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise CommandError(f"PACKS: a whole number of packs from 1 (2), not {text!r}")
    return int(text)


def _price(text: str, what: str) -> Decimal:
    try:
        value = to_decimal(text.strip())
    except ValidationError as error:
        raise CommandError(f"{what}: not a price: {text!r} ({error})") from None
    if value < 0:
        raise CommandError(f"{what}: a price cannot be negative, not {text}")
    return value


def _amount(text: str, unit: str, *, zero: bool) -> tuple[Decimal, str]:
    """QUANTITY UNIT as exact numbers: ``1/3 cup`` is ``16 tsp`` (never 0.333 cup)."""
    try:
        quantity, spelled = kitchen_amount(text, unit.strip())
    except ValidationError as error:
        raise CommandError(f"QUANTITY: {error}") from None
    if quantity < 0 or (quantity == 0 and not zero):
        raise CommandError(
            f"QUANTITY: must be {'0 or more' if zero else 'more than 0'}, not {text}"
        )
    return quantity, spelled


def _currency(uow: UnitOfWork, product: Product, given: str | None) -> str:
    """``--currency``, else the currency of the product's latest price, else the one currency
    every recorded price is in."""
    if given is not None:
        return given
    quotes = uow.prices.all()
    own = [q for q in quotes if q.product_id == product.id]
    if own:
        return max(own, key=lambda q: (q.at, q.seq)).currency
    used = sorted({q.currency for q in quotes})
    if len(used) == 1:
        return used[0]
    if used:
        raise CommandError(f"prices are recorded in {', '.join(used)}: give --currency")
    raise CommandError("give --currency (EUR, USD, ...): no price is recorded yet to take it from")


def _names(uow: UnitOfWork) -> dict[uuid.UUID, str]:
    """Every item's and product's name by id, for describing entries."""
    return {
        item.id: item.name
        for repository in (uow.ingredients, uow.material_units, uow.products)
        for item in repository.all()
    }


def _recorded(
    out: Output, entry: PantryRecord, names: dict[uuid.UUID, str], last: int, key: str | None
) -> None:
    if entry.seq <= last:
        print(
            f"Already recorded with key {key!r}: pantry entry {entry.seq}, "
            f"{entry_text(entry, names)}. Nothing new was written.",
            file=out,
        )
    else:
        print(f"Recorded pantry entry {entry.seq}: {entry_text(entry, names)}", file=out)


def _print_on_hand(line: PantryItem | None, out: Output) -> None:
    """``Butter on hand now: 750 g`` (what the pantry says after the entry)."""
    if line is not None:
        print(f"{line.name} on hand now: {on_hand_text(line)}", file=out)


def _entry_json(entry: PantryRecord) -> dict[str, object]:
    data = plain(entry)
    assert isinstance(data, dict)
    return {"kind": entry.kind.value, **data}


__all__ = [
    "buy", "cost", "count", "pantry_command", "price", "shop", "use", "void_pantry",
]  # fmt: skip
