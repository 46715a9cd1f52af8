"""Products: the packs a shop sells of an ingredient or a packaging material.

"Butter 250 g block", "Flour 2 kg bag", "Gift tins, 6". A product is a catalog definition like
any other (an ``id``, an optimistic ``version``, added and updated through ``uow.products``),
and a live one: a shopping list reads today's products, never a plan's snapshots (the plan
freezes what to make; the shop is today's).

Rules that hold across an item's products are checked when a unit of work commits (see
:func:`product_problems`): at most one preferred active product per item, and every product's
pack convertible to the unit of the item's other products through the item's measures.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from snapplan.domain.catalog import Definition
from snapplan.domain.measures import Measure, reaches
from snapplan.domain.quantities import canonical_decimal
from snapplan.domain.validators import fail, is_id, nonblank_name, positive, to_amount, to_id


def _min_packs(instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10**6:
        raise fail(
            instance, attribute, f"must be a whole number of packs from 1, not {value!r:.40}"
        )


def _flag(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise fail(instance, attribute, f"must be True or False, not {value!r:.40}")


@attrs.frozen
class Product(Definition):
    """A pack a shop sells: ``pack_quantity pack_unit`` of the item ``item_id`` (an ingredient
    or a material unit).

    - ``min_packs``: the least number of packs the shop sells at once (a case of 6 tins);
    - ``preferred``: the one pack the ``"preferred"`` shopping policy buys (at most one active
      preferred product per item);
    - ``active``: False for a pack the shop no longer sells (kept for its price history).

    >>> butter = Product(uuid.uuid4(), "Butter 250 g block", 250, "g")
    >>> butter.pack
    '250 g'
    """

    item_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    name: str = attrs.field(validator=nonblank_name)
    pack_quantity: Decimal = attrs.field(converter=to_amount, validator=positive)
    pack_unit: str = attrs.field(validator=nonblank_name)
    min_packs: int = attrs.field(default=1, kw_only=True, validator=_min_packs)
    preferred: bool = attrs.field(default=False, kw_only=True, validator=_flag)
    active: bool = attrs.field(default=True, kw_only=True, validator=_flag)

    @property
    def pack(self) -> str:
        """The pack as a baker writes it: ``250 g``."""
        return f"{canonical_decimal(self.pack_quantity)} {self.pack_unit}"


def product_problems(
    item_name: str, measures: Sequence[Measure], products: Iterable[Product]
) -> list[str]:
    """What breaks the rules across one item's ``products`` (empty when nothing does).

    - At most one active product is ``preferred``.
    - Every product's pack unit converts, through the item's ``measures``, to the unit of the
      item's other products (the first product, by name, is the reference the others are
      named against).
    """
    problems: list[str] = []
    ordered = sorted(products, key=lambda p: (p.name, str(p.id)))
    preferred = [p for p in ordered if p.preferred and p.active]
    if len(preferred) > 1:
        listed = ", ".join(f"{p.name!r}" for p in preferred)
        problems.append(
            f"{item_name!r} has {len(preferred)} preferred products ({listed}): at most one "
            "active product of an item is preferred"
        )
    reference = ordered[0] if ordered else None
    for other in ordered[1:]:
        assert reference is not None
        if not reaches(other.pack_unit, reference.pack_unit, measures):
            problems.append(
                f"product {other.name!r} ({other.pack}) cannot be converted to product "
                f"{reference.name!r} ({reference.pack}) of {item_name!r}: give "
                f"{item_name!r} a measure between {other.pack_unit} and {reference.pack_unit}"
            )
    return problems
