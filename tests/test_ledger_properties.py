"""Properties of the execution ledger, over random plans with random valid ledgers
(:func:`snapplan.testing.strategies.planned_ledgers`)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from hypothesis import given
from store_properties import on_every_store

from snapplan import ComponentKind, plan_progress
from snapplan.domain.ledger import live_runs, on_hand
from snapplan.domain.progress import compute_progress
from snapplan.domain.quantities import exact_arithmetic
from snapplan.testing import strategies as sps
from snapplan.testing.catalog import add_all


@on_every_store(case=sps.planned_ledgers())
def test_a_ledger_stored_anywhere_reads_back_and_gives_the_same_progress(
    store_factory: Any, case: sps.LedgerCase
) -> None:
    store = store_factory()
    with store.unit_of_work() as uow:
        add_all(uow, case.items())
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.runs.for_plan(case.plan.id) == case.runs
    snapshots = {s.id: s for s in case.snapshots}
    expected = compute_progress(case.plan, snapshots, case.runs, {case.plan.id})
    assert plan_progress(store.unit_of_work(), case.plan.id) == expected


@given(case=sps.planned_ledgers(max_runs=12))
def test_the_ledger_is_gapless_and_stock_only_goes_short_when_allowed(
    case: sps.LedgerCase,
) -> None:
    assert [run.seq for run in case.runs] == list(range(1, len(case.runs) + 1))
    allowed = case.void_went_short or any(
        getattr(run, "allow_shortage", False) for run in case.runs
    )
    stock = on_hand(live_runs(case.runs))
    if not allowed:
        # voids and waste were refused whenever they would have gone below zero
        assert all(amount >= 0 for amount in stock.values()), stock
    progress = compute_progress(
        case.plan, {s.id: s for s in case.snapshots}, case.runs, {case.plan.id}
    )
    by_unit: dict[Any, Decimal] = defaultdict(Decimal)
    with exact_arithmetic():  # the library's amounts are exact: so must the check's be
        for (kind, item_id), amount in stock.items():
            by_unit[kind, item_id] += amount
        for unit in progress.finished_units:
            assert unit.on_hand == unit.produced - unit.consumed - unit.wasted
            assert unit.remaining == max(Decimal(0), unit.needed - unit.produced + unit.wasted)
            assert unit.on_hand == by_unit[ComponentKind.FINISHED_UNIT, unit.finished_unit_id]
        for recipe in progress.recipes:
            assert recipe.remaining_batches == max(
                Decimal(0), recipe.planned_batches - recipe.produced_batches
            )
            assert recipe.makeup_batches >= 0
    assert progress.unmatched == ()  # every run was recorded against this very plan
