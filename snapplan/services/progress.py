"""``plan_progress``: the plan's requirements side by side with what the ledger says was done."""

from __future__ import annotations

import uuid

from snapplan.domain.ledger import check_chain
from snapplan.domain.progress import Progress, compute_progress
from snapplan.domain.validators import parse_id
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services._loading import load_plan_snapshots


def plan_progress(uow: UnitOfWork, plan_id: uuid.UUID | str) -> Progress:
    """What is done and what is left of a plan, exactly (see :class:`snapplan.Progress`).

    Counts every run that is not voided, recorded against this plan or any plan it supersedes,
    directly or through earlier re-plans; reads snapshots and the ledger only, never the live
    catalog. Never commits; ``PlanNotFound`` for an unknown plan; ``SnapshotIntegrityError`` or
    ``LedgerIntegrityError`` when the plan's snapshots or its event's ledger were changed behind
    snapplan's back (:func:`snapplan.verify_plan` lists every problem).
    """
    uow = arguments.unit_of_work(uow)
    plan_id = parse_id(plan_id, "plan_id")
    with uow:
        plan = uow.plans.get(plan_id)
        snapshots = load_plan_snapshots(uow, plan)
        by_id = {p.id: p for p in uow.plans.for_event(plan.event_id)}
        counted = {plan.id}
        earlier = plan.supersedes
        while earlier is not None and earlier in by_id and earlier not in counted:
            counted.add(earlier)
            earlier = by_id[earlier].supersedes
        ledger = uow.runs.for_event(plan.event_id)
    check_chain(plan.event_id, ledger)
    return compute_progress(plan, snapshots, ledger, counted)
