"""``plan_snapshots``: a plan with every snapshot it reaches, for export and inspection."""

from __future__ import annotations

import uuid

from snapplan.domain.plan import Plan
from snapplan.domain.snapshots import Snapshot
from snapplan.domain.validators import parse_id
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services._loading import load_plan_snapshots


def plan_snapshots(
    uow: UnitOfWork, plan_id: uuid.UUID | str
) -> tuple[Plan, dict[uuid.UUID, Snapshot]]:
    """The plan and every snapshot it reaches, by id (one bulk read per level of nesting).

    Raises ``PlanNotFound`` for an unknown plan. Never commits.
    """
    uow = arguments.unit_of_work(uow)
    plan_id = parse_id(plan_id, "plan_id")
    with uow:
        plan = uow.plans.get(plan_id)
        return plan, load_plan_snapshots(uow, plan)
