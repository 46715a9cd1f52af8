"""Writing to the pantry and the price history: purchases, prices, counts, uses and voids.

Both are append-only ledgers (SHOPPING.md), written the way the kitchen's runs are:

- **Exactly once.** An entry recorded again with the same ``key`` and the same content returns
  the first entry and writes nothing (a retried web form is harmless); the same key with other
  content is a ``KeyReusedError``. One key space for the whole pantry, every kind of entry.
  "Content" is the kind, the item or product, the amounts (by value), packs, price, currency
  and reason; not ``at``, ``note`` or ``by``.
- **Gap-free order.** Each entry takes the next ``seq`` of its ledger, read in the same unit
  of work it writes in; a rival that takes it first makes this write a ``ConflictError`` (safe
  to retry), never a gap or a duplicate (every store keeps ``seq`` and ``key`` unique).
- **Back-dating.** ``at`` is the clock's time unless given (a receipt found in a coat pocket).
- **Nothing is refused for lack of stock**: the pantry records what happened.
- **Bad input names the product or item**, read first: ``product 'Flour 1 kg bag', price: …``,
  ``ingredient 'Flour', quantity: …`` (a ``ValidationError``; nothing written).

Every service takes a fresh or an entered unit of work, as :func:`snapplan.create_plan` does.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Final, TypeVar

from snapplan.domain.pantry_entries import (
    PantryRecord,
    PantryVoid,
    Receipt,
    StockCount,
    StockUse,
    describe,
    entry_content,
)
from snapplan.domain.prices import PriceQuote, currency_problem, to_currency
from snapplan.domain.products import Product
from snapplan.domain.quantities import AmountLike, exact_arithmetic
from snapplan.domain.validators import parse_id
from snapplan.errors import (
    ItemNotFound,
    KeyReusedError,
    PantryEntryNotFound,
    ValidationError,
)
from snapplan.ports.clock import Clock
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services._atomic import atomic

E = TypeVar("E", Receipt, StockCount, StockUse, PantryVoid)


def _when(at: Any, clock: Clock | None) -> datetime.datetime:
    given = arguments.moment(at, "at")
    return given if given is not None else arguments.now(clock)


_FIELD: Final = re.compile(r"(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)")


@contextmanager
def _about(where: str) -> Iterator[None]:
    """Report a ``ValidationError`` raised inside the block as one about ``where`` (the
    product or item), named first, as the catalog file names it: ``PriceQuote.currency: 'ABC'
    is not …`` becomes ``product 'Flour 1 kg bag', currency: 'ABC' is not …`` (the baker knows
    the product, not the class that refused it)."""
    try:
        yield
    except ValidationError as error:
        field, sep, rest = str(error).partition(": ")
        named = _FIELD.fullmatch(field) if sep else None
        shown = f"{where}, {named.group(1)}: {rest}" if named else f"{where}: {error}"
        raise ValidationError(shown) from None


def _price_and_currency(
    price: AmountLike | None, currency: str | None
) -> tuple[Decimal | None, str | None]:
    """A price per pack (zero or more) and its currency code, both or neither (None, None);
    ``ValidationError`` naming the field otherwise (say which product around it)."""
    paid = None if price is None else arguments.amount(price, "price", zero=True)
    if (paid is None) != (currency is None):
        raise ValidationError(
            "price and currency come together: a price per pack needs its currency"
            if paid is not None
            else "currency: a currency without a price says nothing; give price= too"
        )
    return paid, None if currency is None else _currency(currency)


def _currency(value: Any) -> str:
    """A currency code of ISO 4217 (surrounding spaces dropped), else ``ValidationError``."""
    code = to_currency(value)
    problem = currency_problem(code)
    if problem is not None:
        raise ValidationError(f"currency: {problem}")
    assert isinstance(code, str)
    return code


def _item(uow: UnitOfWork, item_id: uuid.UUID) -> str:
    """The ingredient or material unit ``item_id`` as a message names it, ``ingredient
    'Flour'`` (``ItemNotFound`` if it is neither)."""
    for kind, found in (
        ("ingredient", uow.ingredients.find_many([item_id])),
        ("material unit", uow.material_units.find_many([item_id])),
    ):
        if item_id in found:
            return f"{kind} {found[item_id].name!r}"
    raise ItemNotFound(item_id)


class _Pantry:
    """The pantry ledger as one unit of work records an entry in it: its next ``seq`` and the
    entry a key names, each one lookup (recording costs the same however long the ledger is);
    the whole ledger only when a void needs it (:attr:`entries`)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.next_seq = uow.pantry.last_seq() + 1

    @property
    def entries(self) -> Sequence[PantryRecord]:
        """Every entry, in ``seq`` order (read whole)."""
        return sorted(self.uow.pantry.all(), key=lambda e: e.seq)

    def replay(self, candidate: E) -> E | None:
        """The entry already recorded with ``candidate``'s key, if it has the same content;
        ``KeyReusedError`` if the key names another entry; None if it is new."""
        if candidate.key is None:
            return None
        entry = self.uow.pantry.with_key(candidate.key)
        if entry is None:
            return None
        if isinstance(entry, type(candidate)) and entry_content(entry) == entry_content(candidate):
            return entry
        raise KeyReusedError(
            f"key {candidate.key!r} already names pantry entry {entry.seq} "
            f"({describe(entry)}), with other content: use a new key (never retry this request)"
        )

    def write(self, entry: E) -> E:
        self.uow.pantry.add(entry)
        return entry


def _record(uow: UnitOfWork, build: Any) -> Any:
    """Read the pantry, build the entry (``build(pantry)``), replay a retry or write it."""
    with atomic(uow):
        pantry = _Pantry(uow)
        entry = build(pantry)
        retried = pantry.replay(entry)
        if retried is not None:
            return retried
        pantry.write(entry)
        uow.commit()
    return entry


def record_stock_count(
    uow: UnitOfWork,
    item_id: uuid.UUID | str,
    quantity: AmountLike,
    unit: str,
    *,
    at: datetime.datetime | None = None,
    key: str | None = None,
    note: str = "",
    by: str | None = None,
    clock: Clock | None = None,
) -> StockCount:
    """The baker counted ``quantity unit`` of an ingredient or material unit on the shelf.

    An absolute figure: on hand starts from it, whatever came before (see
    :func:`snapplan.pantry`). ``quantity`` may be 0. ``ItemNotFound`` for an id that is no
    ingredient or material unit.
    """
    uow = arguments.unit_of_work(uow)
    item = parse_id(item_id, "item_id")
    when = _when(at, clock)

    def build(pantry: _Pantry) -> StockCount:
        with _about(_item(uow, item)):
            counted = arguments.amount(quantity, "quantity", zero=True)
            return StockCount(
                seq=pantry.next_seq, at=when, key=key, note=note, by=by, item_id=item,
                quantity=counted, unit=unit,
            )  # fmt: skip

    result: StockCount = _record(uow, build)
    return result


def record_stock_use(
    uow: UnitOfWork,
    item_id: uuid.UUID | str,
    quantity: AmountLike,
    unit: str,
    *,
    reason: str,
    at: datetime.datetime | None = None,
    key: str | None = None,
    note: str = "",
    by: str | None = None,
    clock: Clock | None = None,
) -> StockUse:
    """``quantity unit`` of an item used outside the plans (a snack, a spill), and why.

    What the kitchen's production and assembly runs use comes off the shelf by itself; record
    here only what no run records.
    """
    uow = arguments.unit_of_work(uow)
    item = parse_id(item_id, "item_id")
    when = _when(at, clock)

    def build(pantry: _Pantry) -> StockUse:
        with _about(_item(uow, item)):
            used = arguments.amount(quantity, "quantity")
            return StockUse(
                seq=pantry.next_seq, at=when, key=key, note=note, by=by, item_id=item,
                quantity=used, unit=unit, reason=reason,
            )  # fmt: skip

    result: StockUse = _record(uow, build)
    return result


def record_purchase(
    uow: UnitOfWork,
    product_id: uuid.UUID | str,
    packs: int | str,
    *,
    price: AmountLike | None = None,
    currency: str | None = None,
    at: datetime.datetime | None = None,
    key: str | None = None,
    note: str = "",
    by: str | None = None,
    clock: Clock | None = None,
) -> Receipt:
    """``packs`` of a product bought (an int, or its digits as text, as a web form sends it):
    a receipt of its item, ``packs`` x its pack, in the pack's unit; with ``price`` (per pack,
    in ``currency``) also a price quote, in the same commit.

    A retry with the same ``key`` returns the first receipt and records no second quote.
    ``ProductNotFound`` for an unknown product; a bad price or currency is a ``ValidationError``
    naming the product (``product 'Flour 1 kg bag', price: amount must be zero or more, not
    -1``), and nothing is written.
    """
    uow = arguments.unit_of_work(uow)
    product_ref = parse_id(product_id, "product_id")
    count = arguments.whole(packs, "packs")
    when = _when(at, clock)
    with atomic(uow):
        pantry = _Pantry(uow)
        product: Product = uow.products.get(product_ref)
        with _about(f"product {product.name!r}"):
            paid, code = _price_and_currency(price, currency)
            with exact_arithmetic():
                quantity = product.pack_quantity * count
            receipt = Receipt(
                seq=pantry.next_seq, at=when, key=key, note=note, by=by,
                item_id=product.item_id, quantity=quantity, unit=product.pack_unit,
                product_id=product.id, packs=count, price=paid, currency=code,
            )  # fmt: skip
        retried = pantry.replay(receipt)
        if retried is not None:
            return retried
        pantry.write(receipt)
        if paid is not None:
            assert code is not None
            uow.prices.add(
                PriceQuote(
                    product_id=product.id,
                    price=paid,
                    currency=code,
                    at=when,
                    seq=_next_price_seq(uow),
                    note=note,
                )
            )
        uow.commit()
    return receipt


def _next_price_seq(uow: UnitOfWork) -> int:
    return uow.prices.last_seq() + 1


def record_price(
    uow: UnitOfWork,
    product_id: uuid.UUID | str,
    price: AmountLike,
    *,
    currency: str,
    at: datetime.datetime | None = None,
    note: str = "",
    clock: Clock | None = None,
) -> PriceQuote:
    """What one pack of a product costs, in ``currency``, as of ``at`` (default: now).

    0 is a real price (a gift); an unknown price is no quote at all. Quotes are never changed:
    a new price is a new quote, and any past shopping list or cost can be computed again.
    ``ProductNotFound`` for an unknown product; a bad price or currency is a ``ValidationError``
    naming the product (``product 'Flour 1 kg bag', currency: 'ABC' is not a currency code of
    ISO 4217``), and nothing is written.
    """
    uow = arguments.unit_of_work(uow)
    product_ref = parse_id(product_id, "product_id")
    when = _when(at, clock)
    with atomic(uow):
        product = uow.products.get(product_ref)
        with _about(f"product {product.name!r}"):
            paid = arguments.amount(price, "price", zero=True)
            code = _currency(currency)
            quote = PriceQuote(
                product_id=product.id, price=paid, currency=code, at=when,
                seq=_next_price_seq(uow), note=note,
            )  # fmt: skip
        uow.prices.add(quote)
        uow.commit()
    return quote


def void_pantry_entry(
    uow: UnitOfWork,
    seq: int,
    *,
    reason: str,
    by: str | None = None,
    clock: Clock | None = None,
) -> PantryVoid:
    """Void pantry entry number ``seq`` from now on (a mistake: the wrong item, a count of the
    wrong shelf). Nothing is deleted: a void is an entry of its own.

    Voiding a voided entry returns the existing void; a void cannot be voided
    (``ValidationError``); an unknown number is ``PantryEntryNotFound``.
    """
    uow = arguments.unit_of_work(uow)
    number = arguments.whole(seq, "seq")
    when = arguments.now(clock)
    with atomic(uow):
        pantry = _Pantry(uow)
        entries = pantry.entries  # a correction, rare: the ledger read whole
        target = next((e for e in entries if e.seq == number), None)
        if target is None:
            raise PantryEntryNotFound(str(number), f"pantry entry {number} not found")
        if isinstance(target, PantryVoid):
            raise ValidationError(
                f"pantry entry {number} is a void (of entry {target.entry_seq}): a void cannot "
                "be voided; record the entry again instead"
            )
        existing = next(
            (e for e in entries if isinstance(e, PantryVoid) and e.entry_seq == number),
            None,
        )
        if existing is not None:
            return existing
        void = PantryVoid(seq=pantry.next_seq, at=when, by=by, entry_seq=number, reason=reason)
        pantry.write(void)
        uow.commit()
    return void


__all__ = [
    "record_price",
    "record_purchase",
    "record_stock_count",
    "record_stock_use",
    "void_pantry_entry",
]
