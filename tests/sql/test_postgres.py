"""PostgreSQL: concurrent writers are serialised, and the loser gets ``ConflictError``."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from snapplan import (
    ConflictError,
    Event,
    Ingredient,
    ProductionTarget,
    Recipe,
    create_plan,
)
from snapplan.adapters.sql import SqlStore
from snapplan.testing.catalog import save
from snapplan.testing.faults import FaultyStore

PostgresFactory = Callable[..., SqlStore]


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, list[BaseException]]:
    """Start ``work`` in a thread; the returned list collects what it raised."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_a_concurrent_update_waits_for_the_first_and_then_conflicts(
    postgres_factory: PostgresFactory,
) -> None:
    store = postgres_factory()
    event = Event("Market")
    save(store, event)
    updated = threading.Event()

    def first_writer() -> None:
        with store.unit_of_work() as first:
            first.events.update(attrs.evolve(event, name="First"))
            updated.set()
            time.sleep(0.3)
            first.commit()

    thread, errors = in_thread(first_writer)
    assert updated.wait(5)
    started = time.monotonic()
    with pytest.raises(ConflictError), store.unit_of_work() as second:
        second.events.update(attrs.evolve(event, name="Second"))  # blocks on the row lock
    assert time.monotonic() - started >= 0.2
    thread.join()
    assert errors == []
    with store.unit_of_work() as uow:
        stored = uow.events.get(event.id)
    assert (stored.name, stored.version) == ("First", 2)


def test_a_concurrent_insert_of_the_same_id_conflicts(postgres_factory: PostgresFactory) -> None:
    store = postgres_factory()
    flour = Ingredient("Flour")
    added = threading.Event()

    def first_writer() -> None:
        with store.unit_of_work() as first:
            first.ingredients.add(flour)
            added.set()
            time.sleep(0.2)
            first.commit()

    thread, errors = in_thread(first_writer)
    assert added.wait(5)
    with pytest.raises(ConflictError), store.unit_of_work() as second:
        second.ingredients.add(flour)
    thread.join()
    assert errors == []


def test_a_deadlock_is_a_conflict_for_the_victim(postgres_factory: PostgresFactory) -> None:
    store = postgres_factory()
    one, two = Event("One"), Event("Two")
    save(store, one, two)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, str] = {}

    def writer(name: str, first: Event, then: Event) -> None:
        try:
            with store.unit_of_work() as uow:
                uow.events.update(attrs.evolve(first, name=f"{name} was here"))
                barrier.wait()
                uow.events.update(attrs.evolve(then, name=f"{name} was here"))
                uow.commit()
            outcomes[name] = "committed"
        except ConflictError:
            outcomes[name] = "conflict"

    threads = [
        threading.Thread(target=writer, args=("a", one, two)),
        threading.Thread(target=writer, args=("b", two, one)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes.values()) == ["committed", "conflict"]


def test_two_concurrent_plans_of_one_event_one_wins(postgres_factory: PostgresFactory) -> None:
    store = postgres_factory()
    recipe = Recipe("Bread")
    event = Event("Market", [ProductionTarget(recipe.id, 2)])
    save(store, recipe, event)
    # Both planners have read the event before either writes: a real race on its version.
    barrier = threading.Barrier(2, timeout=10)

    def before_write(k: int, name: str) -> None:
        if name == "snapshots.add_many":
            barrier.wait()

    results: list[Any] = []

    def planner() -> None:
        try:
            results.append(
                create_plan(FaultyStore(store, on_write=before_write).unit_of_work(), event.id)
            )
        except ConflictError as error:
            results.append(error)

    threads = [threading.Thread(target=planner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [r for r in results if not isinstance(r, ConflictError)]
    assert len(winners) == 1
    assert len(results) == 2
    with store.unit_of_work() as uow:
        assert [p.id for p in uow.plans.for_event(event.id)] == [winners[0].plan_id]
        assert {s.plan_id for s in uow.snapshots.all()} == {winners[0].plan_id}
        assert uow.events.get(event.id).version == 2


def test_timestamps_come_back_in_utc_whatever_the_session_time_zone(
    postgres_factory: PostgresFactory,
) -> None:
    store = postgres_factory(options="-ctimezone=Asia/Kolkata")
    recipe = Recipe("Bread")
    event = Event("Market", [ProductionTarget(recipe.id, 2)])
    save(store, recipe, event)
    moment = datetime.datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC)
    plan_id = create_plan(store.unit_of_work(), event.id, clock=lambda: moment).plan_id
    with store.unit_of_work() as uow:
        assert uow.connection.exec_driver_sql("SHOW timezone").scalar() == "Asia/Kolkata"
        created = uow.plans.get(plan_id).created_at
    assert created == moment
    assert created.tzinfo is datetime.UTC
