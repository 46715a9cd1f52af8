"""Events and their targets: what is to be produced and assembled for one occasion."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

import attrs

from snapplan.domain.catalog import Definition
from snapplan.domain.validators import (
    elements_of,
    fail,
    is_id,
    is_optional_id,
    nonblank_name,
    positive,
    to_amount,
    to_id,
    to_optional_id,
    to_tuple,
)


@attrs.frozen
class ProductionTarget:
    """Make ``batches`` batches of a recipe. ``snapshot_id`` is set once the plan captured it."""

    recipe_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    batches: Decimal = attrs.field(converter=to_amount, validator=positive)
    snapshot_id: uuid.UUID | None = attrs.field(
        default=None, converter=to_optional_id, validator=is_optional_id
    )


@attrs.frozen
class AssemblyTarget:
    """Assemble ``quantity`` of a finished good. ``snapshot_id`` is set once captured."""

    finished_good_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    quantity: Decimal = attrs.field(converter=to_amount, validator=positive)
    snapshot_id: uuid.UUID | None = attrs.field(
        default=None, converter=to_optional_id, validator=is_optional_id
    )


def _event_date(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise fail(instance, attribute, f"must be a datetime.date or None, not {value!r:.60}")


def _one_target_per_recipe(instance: Any, attribute: Any, value: Any) -> None:
    seen = [t.recipe_id for t in value]
    if len(set(seen)) != len(seen):
        raise fail(instance, attribute, "an event has at most one production target per recipe")


def _one_target_per_good(instance: Any, attribute: Any, value: Any) -> None:
    seen = [t.finished_good_id for t in value]
    if len(set(seen)) != len(seen):
        raise fail(
            instance, attribute, "an event has at most one assembly target per finished good"
        )


@attrs.frozen
class Event(Definition):
    """An occasion to plan for (a holiday market) with production and assembly targets."""

    name: str = attrs.field(validator=nonblank_name)
    production_targets: tuple[ProductionTarget, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[elements_of(ProductionTarget), _one_target_per_recipe],
    )
    assembly_targets: tuple[AssemblyTarget, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[elements_of(AssemblyTarget), _one_target_per_good],
    )
    date: datetime.date | None = attrs.field(default=None, validator=_event_date)
