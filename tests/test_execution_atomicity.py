"""The execution services are atomic like create_plan: a failure at their write or at commit
leaves the store exactly as it was, and inside a caller's transaction they work in a savepoint
(a failure undoes only their own work; success waits for the caller's commit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    PersistenceError,
    Recipe,
    ShortageError,
    create_plan,
    record_assembly,
    record_production,
    record_waste,
    void_run,
)
from snapplan.testing.catalog import save
from snapplan.testing.contents import store_contents
from snapplan.testing.faults import FaultyStore, InjectedFault, count_writes


def prepared(store: Any) -> dict[str, Any]:
    """A plan with 24 brownies baked and 5 mini boxes assembled."""
    brownies = Recipe("Brownies")
    small = FinishedUnit("Small brownie", brownies.id, 24)
    mini = FinishedGood("Mini box", [Component(ComponentKind.FINISHED_UNIT, small.id, 2)])
    event = Event("Market", [], [AssemblyTarget(mini.id, 12)])
    save(store, brownies, small, mini, event)
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    baked = record_production(store.unit_of_work(), plan, brownies.id, 1)
    boxed = record_assembly(store.unit_of_work(), plan, mini.id, 5)
    return {"plan": plan, "recipe": brownies.id, "unit": small.id, "good": mini.id,
            "baked": baked.id, "boxed": boxed.id}  # fmt: skip


Action = Callable[[Any, dict[str, Any]], object]
ACTIONS: dict[str, Action] = {
    "produce": lambda s, k: record_production(
        s.unit_of_work(), k["plan"], k["recipe"], 1, with_sub_recipes=True, key="p"
    ),
    "assemble": lambda s, k: record_assembly(s.unit_of_work(), k["plan"], k["good"], 2),
    "waste": lambda s, k: record_waste(s.unit_of_work(), k["plan"], k["unit"], 3, reason="x"),
    "void": lambda s, k: void_run(s.unit_of_work(), k["boxed"], reason="empty boxes"),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_failure_at_every_write_and_at_commit_changes_nothing(
    store_factory: Callable[[], Any], action: str
) -> None:
    counted = store_factory()
    counted_known = prepared(counted)
    writes = count_writes(counted, lambda counting: ACTIONS[action](counting, counted_known))
    assert writes == 1  # one ledger entry, one write, whatever the plan's size
    store = store_factory()
    known = prepared(store)
    before = store_contents(store)
    with pytest.raises(PersistenceError) as caught:
        ACTIONS[action](FaultyStore(store, fail_at_write=1), known)
    assert isinstance(caught.value, InjectedFault)
    assert store_contents(store) == before
    with pytest.raises(InjectedFault):
        ACTIONS[action](FaultyStore(store, fail_at_commit=True), known)
    assert store_contents(store) == before
    ACTIONS[action](store, known)
    assert store_contents(store) != before


def test_recording_inside_the_callers_transaction_waits_for_the_callers_commit(
    store: Any,
) -> None:
    known = prepared(store)
    flour = Ingredient("Flour")
    with store.unit_of_work() as uow:
        uow.ingredients.add(flour)
        with pytest.raises(ShortageError):
            record_assembly(uow, known["plan"], known["good"], 100)  # refused: nothing of it
        run = record_assembly(uow, known["plan"], known["good"], 1)
        assert uow.runs.get(run.id) == run
        with store.unit_of_work() as other:
            assert other.runs.count() == 2
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.runs.count() == 3
        assert uow.ingredients.get(flour.id) == flour


def test_an_injected_fault_inside_the_callers_transaction_is_undone(store: Any) -> None:
    known = prepared(store)
    flour = Ingredient("Flour")
    faulty = FaultyStore(store, fail_at_write=2)
    with faulty.unit_of_work() as uow:
        uow.ingredients.add(flour)  # write 1
        with pytest.raises(InjectedFault):
            record_waste(uow, known["plan"], known["unit"], 1, reason="dropped")  # write 2
        assert uow.runs.count() == 2
        uow.commit()
    assert store_contents(store)["ingredients"] == (flour,)
    assert len(store_contents(store)["runs"]) == 2
