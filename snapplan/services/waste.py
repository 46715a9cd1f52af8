"""``record_waste``: finished units or assembled goods lost after they were made."""

from __future__ import annotations

import uuid

from snapplan.domain.catalog import ComponentKind
from snapplan.domain.ledger import shortages
from snapplan.domain.quantities import AmountLike
from snapplan.domain.runs import WasteRun
from snapplan.domain.snapshots import FinishedGoodSnapshot, FinishedUnitSnapshot
from snapplan.domain.validators import parse_id
from snapplan.errors import ShortageError
from snapplan.ports.clock import Clock
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services._atomic import atomic
from snapplan.services._recording import Recording


def record_waste(
    uow: UnitOfWork,
    plan_id: uuid.UUID | str,
    item_id: uuid.UUID | str,
    quantity: AmountLike,
    *,
    reason: str,
    key: str | None = None,
    note: str = "",
    by: str | None = None,
    clock: Clock | None = None,
) -> WasteRun:
    """Record ``quantity`` of a finished unit or an assembled good of the plan (catalog or
    snapshot id) as lost after it was made (dropped, spoiled, eaten, given away): on hand goes
    down, nothing else changes. ``reason`` must not be blank. More than is on hand:
    ``ShortageError``. Checks in order: the key, a superseded plan, stock.
    """
    uow = arguments.unit_of_work(uow)
    plan_id = parse_id(plan_id, "plan_id")
    quantity = arguments.amount(quantity, "quantity")
    now = arguments.now(clock)
    with atomic(uow):
        recording = Recording(uow, plan_id)
        item = recording.find(item_id, "item_id", FinishedUnitSnapshot, FinishedGoodSnapshot)
        kind = (
            ComponentKind.FINISHED_UNIT
            if isinstance(item, FinishedUnitSnapshot)
            else ComponentKind.FINISHED_GOOD
        )
        run = recording.draft(
            WasteRun,
            now=now,
            key=key,
            note=note,
            by=by,
            amends=None,
            item_kind=kind,
            item_id=item.source_id,
            item_snapshot_id=item.id,
            name=item.name,
            quantity=quantity,
            reason=reason,
        )
        retried = recording.replay(run)
        if retried is not None:
            return retried
        recording.require_latest()
        short = shortages(
            {(kind, item.source_id): quantity},
            recording.stock(),
            {(kind, item.source_id): item.name},
        )
        if short:
            raise ShortageError(short, f"wasting {quantity} x {item.name!r}")
        recording.write(run)
        uow.commit()
    return run
