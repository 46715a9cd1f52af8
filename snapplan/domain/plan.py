"""The plan record: a frozen copy of an event's targets, each carrying its snapshot id."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import attrs

from snapplan.domain.events import AssemblyTarget, ProductionTarget
from snapplan.domain.validators import (
    elements_of,
    fail,
    is_id,
    is_optional_id,
    new_id,
    to_id,
    to_optional_id,
    to_tuple,
    utc_timestamp,
)


def _captured(instance: Any, attribute: Any, value: Any) -> None:
    for target in value:
        if target.snapshot_id is None:
            raise fail(
                instance, attribute, f"every target of a plan carries a snapshot id: {target!r}"
            )


@attrs.frozen(kw_only=True)
class Plan:
    """What was planned for an event, when, and from which snapshots.

    ``supersedes`` is the id of the event's previous plan, if there was one.
    """

    event_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    created_at: datetime.datetime = attrs.field(validator=utc_timestamp)
    production_targets: tuple[ProductionTarget, ...] = attrs.field(
        default=(), converter=to_tuple, validator=[elements_of(ProductionTarget), _captured]
    )
    assembly_targets: tuple[AssemblyTarget, ...] = attrs.field(
        default=(), converter=to_tuple, validator=[elements_of(AssemblyTarget), _captured]
    )
    supersedes: uuid.UUID | None = attrs.field(
        default=None, converter=to_optional_id, validator=is_optional_id
    )
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_id, validator=is_id)

    def snapshot_ids(self) -> tuple[uuid.UUID, ...]:
        """The targets' snapshot ids, production targets first, in order (no repeats)."""
        ids = [t.snapshot_id for t in self.production_targets]
        ids += [t.snapshot_id for t in self.assembly_targets]
        return tuple(dict.fromkeys(i for i in ids if i is not None))
