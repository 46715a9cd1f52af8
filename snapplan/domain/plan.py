"""The plan record: a frozen copy of an event's targets, each carrying its snapshot id."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import attrs

from snapplan.domain.events import AssemblyTarget, ProductionTarget
from snapplan.domain.names import (
    elements_of,
    identity,
    new_id,
    optional_identity,
    to_optional_uuid,
    to_tuple,
    to_uuid,
)
from snapplan.domain.snapshots import utc_timestamp
from snapplan.errors import ValidationError


def _captured(instance: Any, attribute: Any, value: Any) -> None:
    for target in value:
        if target.snapshot_id is None:
            raise ValidationError(f"every target of a plan carries a snapshot id: {target!r}")


@attrs.frozen(kw_only=True)
class Plan:
    """What was planned for an event, when, and from which snapshots.

    ``supersedes`` is the id of the event's previous plan, if there was one.
    """

    event_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    created_at: datetime.datetime = attrs.field(validator=utc_timestamp)
    production_targets: tuple[ProductionTarget, ...] = attrs.field(
        default=(), converter=to_tuple, validator=[elements_of(ProductionTarget), _captured]
    )
    assembly_targets: tuple[AssemblyTarget, ...] = attrs.field(
        default=(), converter=to_tuple, validator=[elements_of(AssemblyTarget), _captured]
    )
    supersedes: uuid.UUID | None = attrs.field(
        default=None, converter=to_optional_uuid, validator=optional_identity
    )
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_uuid, validator=identity)
