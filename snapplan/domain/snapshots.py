"""Immutable, self-contained snapshots of catalog definitions, as a plan captured them.

A snapshot copies what it needs (names included) so that it stays readable after the live
definition is edited or removed. Parents point at children by *snapshot* id, so a child shared by
several parents of one capture is stored once. ``digest`` is a Merkle hash (see
:mod:`snapplan.domain.digests`) of the captured content plus the children's digests.
"""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal
from typing import Any

import attrs

from snapplan.domain.catalog import ComponentKind, _to_kind
from snapplan.domain.names import (
    elements_of,
    identity,
    new_id,
    nonblank_name,
    text,
    to_tuple,
    to_uuid,
)
from snapplan.domain.quantities import positive_amount
from snapplan.errors import ValidationError

_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


def utc_timestamp(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: an aware ``datetime`` in UTC."""
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        raise ValidationError(f"{attribute.name} must be an aware datetime, not {value!r}")
    if value.utcoffset() != datetime.timedelta(0):
        raise ValidationError(f"{attribute.name} must be in UTC, not {value!r}")


def _digest(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not _HEX_DIGEST.fullmatch(value):
        raise ValidationError(f"digest must be 64 lowercase hex digits, not {value!r}")


@attrs.frozen
class RecipeLineSnapshot:
    """A captured ingredient line, with the ingredient's name copied."""

    ingredient_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    ingredient_name: str = attrs.field(validator=nonblank_name)
    quantity: Decimal = attrs.field(converter=positive_amount)
    unit: str = attrs.field(validator=nonblank_name)
    note: str = attrs.field(default="", validator=text)


@attrs.frozen
class SubRecipeSnapshot:
    """A captured sub-recipe: ``batches`` of the child per parent batch, and its snapshot."""

    recipe_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    batches: Decimal = attrs.field(converter=positive_amount)
    snapshot_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)


@attrs.frozen
class ComponentSnapshot:
    """A captured component of a finished good, pointing at the child's snapshot."""

    kind: ComponentKind = attrs.field(converter=_to_kind)
    source_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    quantity: Decimal = attrs.field(converter=positive_amount)
    snapshot_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)


@attrs.frozen(kw_only=True)
class RecipeSnapshot:
    """A recipe as captured, with its lines and its sub-recipes (by snapshot id)."""

    source_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    name: str = attrs.field(validator=nonblank_name)
    plan_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    captured_at: datetime.datetime = attrs.field(validator=utc_timestamp)
    digest: str = attrs.field(validator=_digest)
    lines: tuple[RecipeLineSnapshot, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(RecipeLineSnapshot)
    )
    sub_recipes: tuple[SubRecipeSnapshot, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(SubRecipeSnapshot)
    )
    scale_factor: Decimal = attrs.field(default=Decimal(1), converter=positive_amount)
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_uuid, validator=identity)


@attrs.frozen(kw_only=True)
class FinishedUnitSnapshot:
    """A finished unit as captured, pointing at its recipe's snapshot."""

    source_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    name: str = attrs.field(validator=nonblank_name)
    plan_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    captured_at: datetime.datetime = attrs.field(validator=utc_timestamp)
    digest: str = attrs.field(validator=_digest)
    recipe_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    recipe_snapshot_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    items_per_batch: Decimal = attrs.field(converter=positive_amount)
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_uuid, validator=identity)


@attrs.frozen(kw_only=True)
class MaterialUnitSnapshot:
    """A material unit (packaging) as captured."""

    source_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    name: str = attrs.field(validator=nonblank_name)
    plan_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    captured_at: datetime.datetime = attrs.field(validator=utc_timestamp)
    digest: str = attrs.field(validator=_digest)
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_uuid, validator=identity)


@attrs.frozen(kw_only=True)
class FinishedGoodSnapshot:
    """A finished good as captured: its components in order, each with the child's snapshot."""

    source_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    name: str = attrs.field(validator=nonblank_name)
    plan_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    captured_at: datetime.datetime = attrs.field(validator=utc_timestamp)
    digest: str = attrs.field(validator=_digest)
    components: tuple[ComponentSnapshot, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(ComponentSnapshot)
    )
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_uuid, validator=identity)


#: Any of the four snapshot kinds.
Snapshot = RecipeSnapshot | FinishedUnitSnapshot | MaterialUnitSnapshot | FinishedGoodSnapshot
SNAPSHOT_TYPES = (RecipeSnapshot, FinishedUnitSnapshot, MaterialUnitSnapshot, FinishedGoodSnapshot)
