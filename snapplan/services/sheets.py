"""``plan_sheet``: a plan's kitchen sheet, for the planned batches or for what is left."""

from __future__ import annotations

import uuid
from decimal import Decimal

from snapplan.domain.sheets import KitchenSheet, kitchen_sheet
from snapplan.domain.validators import parse_id
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services.progress import plan_progress
from snapplan.services.snapshots import plan_snapshots


def plan_sheet(
    uow: UnitOfWork, plan_id: uuid.UUID | str, *, remaining: bool = False
) -> KitchenSheet:
    """The recipe cards and packing lists of a plan (see :mod:`snapplan.domain.sheets`).

    Scaled to the planned batches and goods, or with ``remaining`` to what the ledger says is
    still to make: the batches left plus the make-up batches for items lost, the goods left to
    box. Reads the plan's snapshots and its event's ledger in one unit of work, never the live
    catalog. Never commits; ``PlanNotFound`` for an unknown plan.
    """
    uow = arguments.unit_of_work(uow)
    plan_id = parse_id(plan_id, "plan_id")
    with uow:
        _, snapshots = plan_snapshots(uow, plan_id)
        progress = plan_progress(uow, plan_id)
    batches: dict[uuid.UUID, Decimal] = {}
    for recipe in progress.recipes:
        if remaining:
            left = recipe.remaining_batches + recipe.makeup_batches
        else:
            left = recipe.planned_batches
        batches[recipe.snapshot_id] = batches.get(recipe.snapshot_id, Decimal(0)) + left
    goods: dict[uuid.UUID, Decimal] = {}
    for good in progress.goods:
        count = good.remaining if remaining else good.planned
        goods[good.snapshot_id] = goods.get(good.snapshot_id, Decimal(0)) + count
    return kitchen_sheet(plan_id, snapshots, batches, goods)
