"""``plan_requirements``: what a plan needs, from its snapshots only."""

from __future__ import annotations

import uuid

from snapplan.domain.requirements import Requirements, compute_requirements
from snapplan.domain.validators import parse_id
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services._loading import load_plan_snapshots


def plan_requirements(uow: UnitOfWork, plan_id: uuid.UUID | str) -> Requirements:
    """Batches, ingredients, finished units and packaging the plan needs (exact ``Decimal``).

    Reads the plan and its snapshots, never the live catalog, so later edits and removals do not
    change the answer. Never commits. Raises ``PlanNotFound`` for an unknown plan.
    """
    uow = arguments.unit_of_work(uow)
    plan_id = parse_id(plan_id, "plan_id")
    with uow:
        plan = uow.plans.get(plan_id)
        return compute_requirements(plan, load_plan_snapshots(uow, plan))
