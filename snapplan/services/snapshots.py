"""``plan_snapshots``: a plan with every snapshot it reaches, for export and inspection."""

from __future__ import annotations

import uuid

from snapplan.domain.plan import Plan
from snapplan.domain.snapshots import Snapshot
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services.loading import load_plan_snapshots
from snapplan.services.transaction import identity, run_in_unit_of_work


def plan_snapshots(
    uow: UnitOfWork, plan_id: uuid.UUID | str
) -> tuple[Plan, dict[uuid.UUID, Snapshot]]:
    """The plan and every snapshot it reaches, by id (one bulk read per level of nesting).

    Raises ``PlanNotFound`` for an unknown plan. Never commits.
    """

    def work() -> tuple[Plan, dict[uuid.UUID, Snapshot]]:
        plan = uow.plans.get(identity(plan_id))
        return plan, load_plan_snapshots(uow, plan)

    return run_in_unit_of_work(uow, work, writes=False)
