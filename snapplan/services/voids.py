"""``void_run``: cancel a run by a ledger entry of its own; nothing is updated or removed."""

from __future__ import annotations

import uuid

from snapplan.domain.catalog import ComponentKind
from snapplan.domain.ledger import (
    Item,
    check_chain,
    live_runs,
    next_seq,
    on_hand,
    void_shortages,
    voids_by_run,
)
from snapplan.domain.runs import AssemblyRun, ProductionRun, RunVoid, WasteRun
from snapplan.domain.validators import parse_id
from snapplan.errors import ShortageError, ValidationError
from snapplan.ports.clock import Clock
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services._atomic import atomic


def void_run(
    uow: UnitOfWork,
    run_id: uuid.UUID | str,
    *,
    reason: str,
    allow_shortage: bool = False,
    by: str | None = None,
    clock: Clock | None = None,
) -> RunVoid:
    """Cancel a run: its effects are reversed exactly as it recorded them (its own items,
    consumption and ingredients), never recomputed.

    A void that would drive any on hand negative (a production run whose items were already
    boxed, an inner good already packed into outer goods) raises ``ShortageError`` (each
    ``Shortage``: ``needed`` = what the void takes back, ``on_hand`` = what is there now; void
    the later run first) unless ``allow_shortage``. Voiding a voided run returns its existing
    void; voiding a void is a ``ValidationError``; an unknown id is ``RunNotFound``. To correct
    a run, void it and record the right one with ``amends=`` its id. The void is recorded
    against the event's latest plan (the one the kitchen works from), its ``digest`` chained to
    the event's last entry. ``LedgerIntegrityError`` if the event's ledger does not hold
    together (see :func:`snapplan.verify_plan`).
    """
    uow = arguments.unit_of_work(uow)
    run_id = parse_id(run_id, "run_id")
    arguments.flag(allow_shortage, "allow_shortage")
    now = arguments.now(clock)
    with atomic(uow):
        run = uow.runs.get(run_id)
        if isinstance(run, RunVoid):
            raise ValidationError(f"run {run_id} is itself a void: a void cannot be voided")
        ledger = uow.runs.for_event(run.event_id)
        check_chain(run.event_id, ledger)
        existing = voids_by_run(ledger).get(run.id)
        if existing is not None:
            return existing
        short = void_shortages(run, on_hand(live_runs(ledger)), _names(uow, run))
        if short and not allow_shortage:
            raise ShortageError(short, f"voiding run {run.seq} ({run.name})")
        latest = uow.plans.latest_id(run.event_id)
        void = RunVoid.after(
            ledger[-1] if ledger else None,
            event_id=run.event_id,
            plan_id=latest if latest is not None else run.plan_id,
            seq=next_seq(ledger),
            recorded_at=now,
            by=by,
            run_id=run.id,
            reason=reason,
        )
        uow.runs.add(void)
        uow.commit()
    return void


def _names(uow: UnitOfWork, run: ProductionRun | AssemblyRun | WasteRun) -> dict[Item, str]:
    """What the items a void takes back are called (for its shortages)."""
    if isinstance(run, ProductionRun):
        if run.finished_unit_id is None or run.finished_unit_snapshot_id is None:
            return {}
        unit = uow.snapshots.get(run.finished_unit_snapshot_id)
        return {(ComponentKind.FINISHED_UNIT, run.finished_unit_id): unit.name}
    if isinstance(run, AssemblyRun):
        return {(ComponentKind.FINISHED_GOOD, run.finished_good_id): run.name}
    return {(run.item_kind, run.item_id): run.name}
