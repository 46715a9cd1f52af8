"""The pantry ledger's entries: receipts, counts, uses and voids.

One pantry per store (not per event): what is in the cupboard, whoever bakes from it. The
ledger is append-only like the kitchen's runs: an entry is never changed or removed; a mistake
is voided by a :class:`PantryVoid`, from the void's own ``at`` on. Every entry carries

- ``seq``: its place in the pantry's ledger, 1, 2, 3 … without gaps (unique in every store);
- ``at``: when it happened (the clock's time unless given: a receipt can be back-dated);
- ``key``: an optional idempotency key (one key space for every kind of entry);
- ``note`` and ``by`` (who recorded it, or None); and an ``id``.

A :class:`Receipt` is what was bought (or given) as bought: ``packs`` times the product's pack, in
the pack's unit; a :class:`StockCount` an absolute figure the baker counted; a
:class:`StockUse` what was used outside the plans (a snack, a spill, a loan to a neighbour).
What the kitchen's production and assembly runs used comes off the shelf too, from the runs
ledger itself (see :mod:`snapplan.domain.pantry`), never recorded twice.
"""

from __future__ import annotations

import datetime
import enum
import uuid
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from snapplan.domain.prices import currency_code, to_currency
from snapplan.domain.quantities import canonical_decimal
from snapplan.domain.units import canonical_unit
from snapplan.domain.validators import (
    fail,
    idempotency_key,
    is_id,
    is_optional_id,
    new_id,
    non_negative,
    nonblank_name,
    optional_text,
    positive,
    sequence_number,
    text,
    to_amount,
    to_id,
    to_optional_id,
    utc_timestamp,
)


class PantryKind(enum.StrEnum):
    """The four kinds of pantry entry (also their tag in stored documents)."""

    RECEIPT = "receipt"
    COUNT = "count"
    USE = "use"
    VOID = "void"


def _packs(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10**9:
        shown = f"{value!r:.40}"
        raise fail(instance, attribute, f"must be a whole number of packs from 1, not {shown}")


def _optional_price(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        non_negative(instance, attribute, value)


def _to_optional_amount(value: Any) -> Any:
    return None if value is None else to_amount(value)


def _optional_currency(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        currency_code(instance, attribute, value)


def _to_optional_currency(value: Any) -> Any:
    return None if value is None else to_currency(value)


@attrs.frozen(kw_only=True)
class PantryEntry:
    """The fields every pantry entry has; the base of the four entry classes."""

    #: What kind of entry this is.
    kind: ClassVar[PantryKind]

    seq: int = attrs.field(validator=sequence_number)
    at: datetime.datetime = attrs.field(validator=utc_timestamp)
    key: str | None = attrs.field(default=None, validator=idempotency_key)
    note: str = attrs.field(default="", validator=text)
    by: str | None = attrs.field(default=None, validator=optional_text)
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_id, validator=is_id)


@attrs.frozen(kw_only=True)
class Receipt(PantryEntry):
    """Bought or given: ``quantity unit`` of the item, as bought (``packs`` times the pack of
    ``product_id`` when it came in packs), and, when the baker said, the ``price`` paid per
    pack in ``currency``."""

    kind: ClassVar[PantryKind] = PantryKind.RECEIPT

    item_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    quantity: Decimal = attrs.field(converter=to_amount, validator=positive)
    unit: str = attrs.field(validator=nonblank_name)
    product_id: uuid.UUID | None = attrs.field(
        default=None, converter=to_optional_id, validator=is_optional_id
    )
    packs: int | None = attrs.field(default=None, validator=_packs)
    price: Decimal | None = attrs.field(
        default=None, converter=_to_optional_amount, validator=_optional_price
    )
    currency: str | None = attrs.field(
        default=None, converter=_to_optional_currency, validator=_optional_currency
    )

    @currency.validator
    def _together(self, attribute: Any, value: Any) -> None:
        if (self.product_id is None) != (self.packs is None):
            raise fail(self, attribute, "product_id and packs come together")
        if (self.price is None) != (value is None):
            raise fail(self, attribute, "a price comes with its currency")
        if self.price is not None and self.product_id is None:
            raise fail(self, attribute, "a price is per pack: it needs product_id and packs")


@attrs.frozen(kw_only=True)
class StockCount(PantryEntry):
    """The baker counted ``quantity unit`` of the item on the shelf: an absolute figure that
    replaces everything before it."""

    kind: ClassVar[PantryKind] = PantryKind.COUNT

    item_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    quantity: Decimal = attrs.field(converter=to_amount, validator=non_negative)
    unit: str = attrs.field(validator=nonblank_name)


@attrs.frozen(kw_only=True)
class StockUse(PantryEntry):
    """``quantity unit`` of the item used outside the plans, and why."""

    kind: ClassVar[PantryKind] = PantryKind.USE

    item_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    quantity: Decimal = attrs.field(converter=to_amount, validator=positive)
    unit: str = attrs.field(validator=nonblank_name)
    reason: str = attrs.field(validator=nonblank_name)


@attrs.frozen(kw_only=True)
class PantryVoid(PantryEntry):
    """Voids the entry ``entry_seq`` from this void's ``at`` on (a void is never voided)."""

    kind: ClassVar[PantryKind] = PantryKind.VOID

    entry_seq: int = attrs.field(validator=sequence_number)
    reason: str = attrs.field(validator=nonblank_name)


#: Any pantry entry.
PantryRecord = Receipt | StockCount | StockUse | PantryVoid
PANTRY_TYPES: tuple[type[PantryRecord], ...] = (Receipt, StockCount, StockUse, PantryVoid)

#: An entry that moves stock (everything but a void).
StockEntry = Receipt | StockCount | StockUse


def entry_content(entry: PantryRecord) -> tuple[object, ...]:
    """What makes two requests the same entry (idempotency): the kind, the item or product,
    the amounts by value, packs, price, currency and reason; not ``at``, ``note`` or ``by``."""
    if isinstance(entry, Receipt):
        return (
            entry.kind,
            entry.item_id,
            entry.quantity,
            canonical_unit_text(entry.unit),
            entry.product_id,
            entry.packs,
            entry.price,
            entry.currency,
        )
    if isinstance(entry, StockCount):
        return (entry.kind, entry.item_id, entry.quantity, canonical_unit_text(entry.unit))
    if isinstance(entry, StockUse):
        return (
            entry.kind,
            entry.item_id,
            entry.quantity,
            canonical_unit_text(entry.unit),
            entry.reason,
        )
    return (entry.kind, entry.entry_seq, entry.reason)


def canonical_unit_text(unit: str) -> str:
    """A unit as content compares it: ``cups`` and ``cup`` are one unit."""
    return canonical_unit(unit)


def describe(entry: PantryRecord) -> str:
    """``receipt 4: 2 kg`` without the item's name: for messages."""
    if isinstance(entry, PantryVoid):
        return f"void {entry.seq} of entry {entry.entry_seq}"
    amount = f"{canonical_decimal(entry.quantity)} {entry.unit}"
    return f"{entry.kind.value} {entry.seq}: {amount}"
