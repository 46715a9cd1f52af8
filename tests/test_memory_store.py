"""What only the memory store can show directly: commit-time checks and commit cost."""

from __future__ import annotations

import threading

import attrs
import pytest

from snapplan import ConflictError, Event, Ingredient, create_plan
from snapplan.adapters.memory import MemoryStore
from snapplan.testing.catalog import save
from snapplan.testing.contents import store_contents


def test_a_stale_staged_update_fails_at_commit_and_publishes_nothing() -> None:
    store = MemoryStore()
    flour, salt = Ingredient("Flour"), Ingredient("Salt")
    save(store, flour)
    before = store_contents(store)
    slow = store.unit_of_work()
    with slow:
        slow.ingredients.add(salt)
        slow.ingredients.update(attrs.evolve(flour, name="Rye flour"))  # staged at version 1
        with store.unit_of_work() as fast:
            fast.ingredients.remove(flour.id)
            fast.commit()
        with pytest.raises(ConflictError):
            slow.commit()
    after = store_contents(store)
    assert after["ingredients"] == ()  # salt was not published either
    assert before["ingredients"] == (flour,)


def test_a_duplicate_added_elsewhere_first_fails_at_commit() -> None:
    store = MemoryStore()
    flour = Ingredient("Flour")
    first, second = store.unit_of_work(), store.unit_of_work()
    with first, second:
        first.ingredients.add(flour)
        second.ingredients.add(flour)
        first.commit()
        with pytest.raises(ConflictError):
            second.commit()
    assert store_contents(store)["ingredients"] == (flour,)


def test_commit_publishes_only_the_change_and_never_copies_the_store() -> None:
    store = MemoryStore()
    save(store, *(Ingredient(f"Ingredient {i}") for i in range(2000)))
    committed = store._state.tables["ingredients"]
    kept = next(iter(committed.values()))
    save(store, Ingredient("One more"))
    assert store._state.tables["ingredients"] is committed  # the same dict, updated in place
    assert committed[kept.id] is kept  # untouched items are the very same objects


def test_threads_planning_one_event_leave_exactly_one_plan() -> None:
    store = MemoryStore()
    event = Event("Market")
    save(store, event)
    barrier = threading.Barrier(8)
    outcomes: list[object] = []

    def planner() -> None:
        barrier.wait()
        try:
            outcomes.append(create_plan(store.unit_of_work(), event.id).plan_id)
        except ConflictError as lost:
            outcomes.append(lost)

    threads = [threading.Thread(target=planner) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with store.unit_of_work() as uow:
        (plan,) = uow.plans.for_event(event.id)
    assert all(o == plan.id or isinstance(o, ConflictError) for o in outcomes)
    assert plan.id in outcomes
