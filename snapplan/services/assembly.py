"""``record_assembly``: finished goods boxed against a plan's snapshots."""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal

from snapplan.domain.catalog import ComponentKind
from snapplan.domain.ledger import Item, shortages
from snapplan.domain.quantities import AmountLike, exact_arithmetic
from snapplan.domain.runs import AssemblyRun, Consumption
from snapplan.domain.snapshots import FinishedGoodSnapshot
from snapplan.domain.validators import parse_id
from snapplan.errors import ShortageError
from snapplan.ports.clock import Clock
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services._atomic import atomic
from snapplan.services._recording import Recording, optional_id


def record_assembly(
    uow: UnitOfWork,
    plan_id: uuid.UUID | str,
    finished_good_id: uuid.UUID | str,
    quantity: AmountLike,
    *,
    allow_shortage: bool = False,
    key: str | None = None,
    note: str = "",
    by: str | None = None,
    amends: uuid.UUID | str | None = None,
    clock: Clock | None = None,
) -> AssemblyRun:
    """Record ``quantity`` of a good of the plan as assembled.

    ``finished_good_id`` may be a target or any good nested in a target's tree (inner boxes are
    assembled first), by catalog or snapshot id. Assembling consumes, per the good's snapshot,
    ``quantity * component quantity`` of every component: finished units from produced stock,
    nested goods from assembled stock, material units counted as used (packaging has no stock).
    When stock cannot cover it: ``ShortageError`` (``.shortages``: one per short item) and
    nothing is written, unless ``allow_shortage`` (stock bought in, or made outside the plan):
    then the run is recorded with the shortages it went past, and on hand goes negative.

    Checks in order: the key, a superseded plan, ``amends``, stock. Same transaction rules as
    :func:`snapplan.create_plan`.
    """
    uow = arguments.unit_of_work(uow)
    plan_id = parse_id(plan_id, "plan_id")
    quantity = arguments.amount(quantity, "quantity")
    arguments.flag(allow_shortage, "allow_shortage")
    amended = optional_id(amends, "amends")
    now = arguments.now(clock)
    with atomic(uow):
        recording = Recording(uow, plan_id)
        good = recording.find(finished_good_id, "finished_good_id", FinishedGoodSnapshot)
        consumed = _consumption(recording, good, quantity)
        needed: dict[Item, Decimal] = defaultdict(Decimal)
        names: dict[Item, str] = {}
        with exact_arithmetic():
            for part in consumed:
                if part.kind is not ComponentKind.MATERIAL_UNIT:
                    needed[part.kind, part.id] += part.quantity
                    names[part.kind, part.id] = part.name
        short = shortages(needed, recording.stock(), names)
        run = recording.draft(
            AssemblyRun,
            now=now,
            key=key,
            note=note,
            by=by,
            amends=amended,
            finished_good_id=good.source_id,
            finished_good_snapshot_id=good.id,
            name=good.name,
            quantity=quantity,
            consumed=consumed,
            allow_shortage=allow_shortage,
            allowed_shortages=short if allow_shortage else (),
        )
        retried = recording.replay(run)
        if retried is not None:
            return retried
        recording.require_latest()
        recording.check_amends(amended)
        if short and not allow_shortage:
            raise ShortageError(short, f"{quantity} x {good.name!r}")
        recording.write(run)
        uow.commit()
    return run


def _consumption(
    recording: Recording, good: FinishedGoodSnapshot, quantity: Decimal
) -> list[Consumption]:
    """What ``quantity`` of ``good`` takes, per its snapshot, component by component."""
    with exact_arithmetic():
        return [
            Consumption(
                c.kind,
                c.source_id,
                c.snapshot_id,
                recording.snapshots[c.snapshot_id].name,
                quantity * c.quantity,
            )
            for c in good.components
        ]
