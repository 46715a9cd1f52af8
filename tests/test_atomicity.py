"""A failure anywhere in create_plan leaves the store, or the caller's transaction, as it was."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    CycleError,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    PersistenceError,
    ProductionTarget,
    Recipe,
    SubRecipe,
    create_plan,
)
from snapplan.testing.catalog import save
from snapplan.testing.contents import store_contents
from snapplan.testing.faults import FaultyStore, InjectedFault, count_writes


def bakery(store: Any) -> Event:
    frosting = Recipe("Frosting")
    cake = Recipe("Cake", sub_recipes=[SubRecipe(frosting.id, "0.5")])
    cookies = Recipe("Cookies")
    cookie = FinishedUnit("Cookie", cookies.id, 24)
    box = FinishedGood("Box", [Component(ComponentKind.FINISHED_UNIT, cookie.id, 6)])
    event = Event("Market", [ProductionTarget(cake.id, 2)], [AssemblyTarget(box.id, 10)])
    save(store, frosting, cake, cookies, cookie, box, event)
    return event


WRITES_PER_PLAN = 3  # snapshots in one batch, the event link, the plan record


def test_a_plan_makes_three_writes_however_many_targets() -> None:
    from snapplan.adapters.memory import MemoryStore

    store = MemoryStore()
    event = bakery(store)
    assert count_writes(store, lambda s: create_plan(s.unit_of_work(), event.id)) == 3


def test_a_failure_at_every_write_and_at_commit_changes_nothing(store: Any) -> None:
    event = bakery(store)
    before = store_contents(store)
    for k in range(1, WRITES_PER_PLAN + 1):
        with pytest.raises(PersistenceError) as caught:
            create_plan(FaultyStore(store, fail_at_write=k).unit_of_work(), event.id)
        assert isinstance(caught.value, InjectedFault)
        assert store_contents(store) == before
    with pytest.raises(PersistenceError):
        create_plan(FaultyStore(store, fail_at_commit=True).unit_of_work(), event.id)
    assert store_contents(store) == before
    create_plan(store.unit_of_work(), event.id)
    assert store_contents(store) != before


def test_a_failing_plan_inside_the_callers_transaction_keeps_the_callers_work(store: Any) -> None:
    ids = uuid.uuid4(), uuid.uuid4()
    loop = [
        Recipe(n, sub_recipes=[SubRecipe(ids[1 - i], 1)], id=ids[i]) for i, n in enumerate("AB")
    ]
    event = Event("Market", [ProductionTarget(ids[0], 1)])
    save(store, *loop, event)
    flour = Ingredient("Flour")
    with store.unit_of_work() as uow:
        uow.ingredients.add(flour)
        with pytest.raises(CycleError):
            create_plan(uow, event.id)
        assert uow.active
        assert uow.ingredients.get(flour.id) == flour
        assert uow.snapshots.count() == 0
        uow.commit()
    after = store_contents(store)
    assert after["ingredients"] == (flour,)
    assert after["snapshots"] == after["plans"] == ()


def test_an_injected_fault_inside_the_callers_transaction_is_undone(store: Any) -> None:
    event = bakery(store)
    flour = Ingredient("Flour")
    faulty = FaultyStore(store, fail_at_write=3)  # the plan record
    with faulty.unit_of_work() as uow:
        uow.ingredients.add(flour)  # write 1
        with pytest.raises(PersistenceError):
            create_plan(uow, event.id)  # writes 2 (snapshots) and 3 (event link) fails
        assert uow.snapshots.count() == 0
        assert uow.events.get(event.id) == event
        uow.commit()
    assert store_contents(store)["ingredients"] == (flour,)
    assert store_contents(store)["snapshots"] == ()


def test_a_plan_inside_the_callers_transaction_waits_for_the_callers_commit(store: Any) -> None:
    event = bakery(store)
    before = store_contents(store)
    with store.unit_of_work() as uow:
        result = create_plan(uow, event.id)
        assert uow.plans.get(result.plan_id).event_id == event.id
        with store.unit_of_work() as other:
            assert other.plans.count() == 0
    assert store_contents(store) == before  # the caller never committed
    with store.unit_of_work() as uow:
        result = create_plan(uow, event.id)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.plans.get(result.plan_id).event_id == event.id
