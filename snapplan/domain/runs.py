"""The execution ledger's entries: production, assembly and waste runs, and voids.

A plan exists so that the kitchen works from frozen definitions. What the kitchen did is
recorded as runs against the plan's snapshots, one totally ordered, append-only ledger per event
(``seq`` 1, 2, 3 … without gaps). A run is self-contained: it copies what it made, consumed or
used, computed from the snapshots when it was recorded, so that a void reverses exactly what the
run recorded, never a recomputation.

Every entry carries ``id``, ``event_id``, ``plan_id`` (the plan it was recorded against),
``seq``, ``recorded_at`` (aware UTC), ``key`` (an idempotency key or None), ``note``, ``by``
(who recorded it, or None), ``amends`` (the id of a voided run this one corrects, or None) and
``digest``: its link in the event's hash chain (:mod:`snapplan.domain.chain`), the sha256 of its
content and of the digest of the entry before it. The services compute it; a host that builds
entries by hand uses :meth:`LedgerEntry.after`, which computes it too::

    first = ProductionRun.after(None, event_id=event.id, plan_id=plan.id, ...)
    second = WasteRun.after(first, plan_id=plan.id, ...)   # event_id and seq follow first
"""

from __future__ import annotations

import datetime
import enum
import uuid
from decimal import Decimal
from typing import Any, ClassVar, Self

import attrs

from snapplan.domain.catalog import ComponentKind, is_component_kind, to_component_kind
from snapplan.domain.chain import chain_start, entry_digest
from snapplan.domain.quantities import canonical_decimal
from snapplan.domain.validators import (
    digest_hex,
    elements_of,
    fail,
    idempotency_key,
    is_id,
    is_optional_id,
    new_id,
    non_negative,
    nonblank_name,
    optional_text,
    positive,
    text,
    to_amount,
    to_id,
    to_optional_id,
    to_tuple,
    utc_timestamp,
)
from snapplan.errors import ValidationError


class RunKind(enum.StrEnum):
    """The four kinds of ledger entry (also their tag in stored documents)."""

    PRODUCTION = "production"
    ASSEMBLY = "assembly"
    WASTE = "waste"
    VOID = "void"


def _seq(instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**63:
        raise fail(instance, attribute, f"must be an int from 1, not {value!r:.40}")


def _optional_amount(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        non_negative(instance, attribute, value)


def _to_optional_amount(value: Decimal | int | str | None) -> Any:
    return None if value is None else to_amount(value)


@attrs.frozen
class Shortage:
    """Not enough on hand: ``needed`` of the item (``kind``, catalog ``id``, ``name``) against
    ``on_hand`` now."""

    kind: ComponentKind = attrs.field(converter=to_component_kind, validator=is_component_kind)
    id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    name: str = attrs.field(validator=nonblank_name)
    needed: Decimal = attrs.field(converter=to_amount, validator=positive)
    on_hand: Decimal = attrs.field(converter=to_amount)

    def __str__(self) -> str:
        short = canonical_decimal(self.needed - self.on_hand)
        return (
            f"{self.name}: needed {canonical_decimal(self.needed)}, "
            f"on hand {canonical_decimal(self.on_hand)} (short by {short})"
        )


@attrs.frozen
class MadeAlong:
    """Batches of a sub-recipe made along with a production run (``with_sub_recipes``)."""

    recipe_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    recipe_snapshot_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    name: str = attrs.field(validator=nonblank_name)
    batches: Decimal = attrs.field(converter=to_amount, validator=positive)


@attrs.frozen
class IngredientUse:
    """An ingredient a run used, exactly, in one unit (the requirements' unit rules)."""

    ingredient_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    name: str = attrs.field(validator=nonblank_name)
    quantity: Decimal = attrs.field(converter=to_amount, validator=positive)
    unit: str = attrs.field(validator=nonblank_name)


@attrs.frozen
class Consumption:
    """What an assembly took of one component: finished units or nested goods from stock, or
    material units used (packaging has no stock)."""

    kind: ComponentKind = attrs.field(converter=to_component_kind, validator=is_component_kind)
    id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    snapshot_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    name: str = attrs.field(validator=nonblank_name)
    quantity: Decimal = attrs.field(converter=to_amount, validator=positive)


@attrs.frozen(kw_only=True)
class LedgerEntry:
    """The fields every ledger entry has; the base of the four entry classes."""

    #: What kind of entry this is.
    kind: ClassVar[RunKind]

    event_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    plan_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    seq: int = attrs.field(validator=_seq)
    recorded_at: datetime.datetime = attrs.field(validator=utc_timestamp)
    key: str | None = attrs.field(default=None, validator=idempotency_key)
    note: str = attrs.field(default="", validator=text)
    by: str | None = attrs.field(default=None, validator=optional_text)
    amends: uuid.UUID | None = attrs.field(
        default=None, converter=to_optional_id, validator=is_optional_id
    )
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_id, validator=is_id)
    #: sha256 of this entry's content and of the previous entry's digest (see
    #: :mod:`snapplan.domain.chain`); made by :meth:`after` or by the services.
    digest: str = attrs.field(validator=digest_hex)

    @classmethod
    def after(cls, previous: LedgerEntry | None, **fields: Any) -> Self:
        """A new entry of this kind that follows ``previous`` in its event's ledger (None: the
        event's first entry), with its ``digest`` chained to ``previous``'s.

        ``fields`` are the entry's fields but ``digest``. ``event_id`` defaults to
        ``previous``'s event and ``seq`` to the next position (1 for the first entry); given,
        they must agree with ``previous`` (``ValidationError`` otherwise).

        >>> import datetime, uuid
        >>> now = datetime.datetime(2024, 12, 1, 9, 30, tzinfo=datetime.UTC)
        >>> void = RunVoid.after(
        ...     None, event_id=uuid.uuid4(), plan_id=uuid.uuid4(), recorded_at=now,
        ...     run_id=uuid.uuid4(), reason="mistake")
        >>> void.seq, void.digest == void.expected_digest(str(void.event_id))
        (1, True)
        """
        if previous is not None:
            fields.setdefault("event_id", previous.event_id)
            fields.setdefault("seq", previous.seq + 1)
        else:
            fields.setdefault("seq", 1)
        draft = cls(digest=_UNSEALED, **fields)
        if previous is None:
            if draft.seq != 1:
                raise ValidationError(
                    f"{cls.__name__}: seq {draft.seq} needs the entry before it (seq "
                    f"{draft.seq - 1}) as previous; only the first entry (seq 1) has none"
                )
            link = chain_start(draft.event_id)
        else:
            if (draft.event_id, draft.seq) != (previous.event_id, previous.seq + 1):
                raise ValidationError(
                    f"{cls.__name__}: seq {draft.seq} of event {draft.event_id} does not follow "
                    f"run {previous.seq} of event {previous.event_id}"
                )
            link = previous.digest
        return attrs.evolve(draft, digest=entry_digest(draft, link))

    def expected_digest(self, previous: str) -> str:
        """The digest this entry must carry, given the digest of the entry before it in its
        event's ledger (for the first entry: ``str(event_id)``)."""
        return entry_digest(self, previous)


# A placeholder that validates, replaced before an entry made by ``after`` is returned.
_UNSEALED = "0" * 64


@attrs.frozen(kw_only=True)
class ProductionRun(LedgerEntry):
    """Batches of a recipe baked: what came out (``items`` of a finished unit, if the recipe
    yields one in the plan), sub-recipes made along, and the ingredients used."""

    kind: ClassVar[RunKind] = RunKind.PRODUCTION

    recipe_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    recipe_snapshot_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    name: str = attrs.field(validator=nonblank_name)
    batches: Decimal = attrs.field(converter=to_amount, validator=positive)
    finished_unit_id: uuid.UUID | None = attrs.field(
        default=None, converter=to_optional_id, validator=is_optional_id
    )
    finished_unit_snapshot_id: uuid.UUID | None = attrs.field(
        default=None, converter=to_optional_id, validator=is_optional_id
    )
    items: Decimal | None = attrs.field(
        default=None, converter=_to_optional_amount, validator=_optional_amount
    )
    sub_recipe_batches: tuple[MadeAlong, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(MadeAlong)
    )
    ingredients: tuple[IngredientUse, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(IngredientUse)
    )

    @items.validator
    def _items_with_a_finished_unit(self, attribute: Any, value: Any) -> None:
        if (value is None) != (self.finished_unit_id is None) or (
            self.finished_unit_id is None
        ) != (self.finished_unit_snapshot_id is None):
            raise fail(self, attribute, "items, finished_unit_id and its snapshot come together")


@attrs.frozen(kw_only=True)
class AssemblyRun(LedgerEntry):
    """Finished goods assembled: what it ``consumed``, per the good's snapshot, and the
    shortages it was allowed to go past."""

    kind: ClassVar[RunKind] = RunKind.ASSEMBLY

    finished_good_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    finished_good_snapshot_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    name: str = attrs.field(validator=nonblank_name)
    quantity: Decimal = attrs.field(converter=to_amount, validator=positive)
    consumed: tuple[Consumption, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(Consumption)
    )
    allow_shortage: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    allowed_shortages: tuple[Shortage, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(Shortage)
    )


def _stocked_kind(instance: Any, attribute: Any, value: Any) -> None:
    is_component_kind(instance, attribute, value)
    if value is ComponentKind.MATERIAL_UNIT:
        raise fail(instance, attribute, "packaging has no stock to waste")


@attrs.frozen(kw_only=True)
class WasteRun(LedgerEntry):
    """Items made and then lost (dropped, spoiled, eaten, given away): on hand goes down."""

    kind: ClassVar[RunKind] = RunKind.WASTE

    item_kind: ComponentKind = attrs.field(converter=to_component_kind, validator=_stocked_kind)
    item_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    item_snapshot_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    name: str = attrs.field(validator=nonblank_name)
    quantity: Decimal = attrs.field(converter=to_amount, validator=positive)
    reason: str = attrs.field(validator=nonblank_name)


@attrs.frozen(kw_only=True)
class RunVoid(LedgerEntry):
    """Cancels a run: reverses exactly what that run recorded. A ledger entry of its own."""

    kind: ClassVar[RunKind] = RunKind.VOID

    run_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    reason: str = attrs.field(validator=nonblank_name)


#: Any ledger entry.
Run = ProductionRun | AssemblyRun | WasteRun | RunVoid
RUN_TYPES: tuple[type[Run], ...] = (ProductionRun, AssemblyRun, WasteRun, RunVoid)
