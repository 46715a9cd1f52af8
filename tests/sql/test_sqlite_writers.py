"""SQLite writers wait for the write lock, as the docs promise; readers never wait.

A deferred transaction that reads and then writes cannot wait for the write lock: SQLite does
not run its busy handler when a read transaction upgrades to a write, so it failed at once with
"database is locked" while another connection held the lock. Writing units of work therefore
begin with ``BEGIN IMMEDIATE`` (the writing services say so through ``atomic``; hosts with
``store.unit_of_work(writing=True)``), which waits up to the busy timeout; units that only read
keep the deferred ``BEGIN``.

The lock is held by a second connection (plain ``sqlite3``) in a thread, until the test lets it
go: the assertions are about order (what finished while the lock was held), never about time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlite_lock import WriteLock

from snapplan import (
    ConflictError,
    Event,
    Ingredient,
    IngredientLine,
    ProductionTarget,
    Recipe,
    add_catalog,
    create_plan,
    plan_progress,
    plan_requirements,
    record_production,
    verify_plan,
)
from snapplan.adapters.sql import SqlStore
from snapplan.services._atomic import atomic
from snapplan.testing.catalog import save

SqliteFactory = Callable[..., SqlStore]


def database_path(store: SqlStore) -> str:
    path = store.engine.url.database
    assert path, "these tests need a SQLite file"
    return path


def write_lock(store: SqlStore) -> WriteLock:
    return WriteLock(database_path(store))


def planned_bakery(store: SqlStore) -> tuple[uuid.UUID, Recipe]:
    flour = Ingredient("Flour")
    bread = Recipe("Bread", lines=[IngredientLine(flour.id, "500", "g")])
    market = Event("Market", [ProductionTarget(bread.id, 4)])
    save(store, flour, bread, market)
    return create_plan(store.unit_of_work(), market.id).plan_id, bread


def produced(store: SqlStore, plan_id: uuid.UUID) -> Decimal:
    progress = plan_progress(store.unit_of_work(), plan_id)
    return sum((line.produced_batches for line in progress.recipes), Decimal(0))


# -- what the writing services do ---------------------------------------------------------------


def test_a_writing_service_that_reads_first_waits_for_the_lock_and_then_records(
    sqlite_factory: SqliteFactory,
) -> None:
    store = sqlite_factory()
    plan_id, bread = planned_bakery(store)
    with write_lock(store).held() as lock:
        lock.release_soon()
        # record_production reads the plan and the ledger before it writes its run.
        run = record_production(store.unit_of_work(), plan_id, bread.id, 2)
        assert lock.released.is_set()  # it finished only after the other writer let go
    assert produced(store, plan_id) == 2
    with store.unit_of_work() as uow:
        assert uow.runs.get(run.id) == run


def test_planning_waits_for_the_lock_too(sqlite_factory: SqliteFactory) -> None:
    store = sqlite_factory()
    flour = Ingredient("Flour")
    bread = Recipe("Bread", lines=[IngredientLine(flour.id, "500", "g")])
    market = Event("Market", [ProductionTarget(bread.id, 4)])
    save(store, flour, bread, market)
    with write_lock(store).held() as lock:
        lock.release_soon()
        plan_id = create_plan(store.unit_of_work(), market.id).plan_id
        assert lock.released.is_set()
    assert verify_plan(store.unit_of_work(), plan_id).ok


def test_a_writer_that_waits_past_the_busy_timeout_gets_a_conflict_and_writes_nothing(
    sqlite_factory: SqliteFactory,
) -> None:
    store = sqlite_factory()
    plan_id, bread = planned_bakery(store)
    impatient = SqlStore.from_url(store.engine.url, connect_args={"timeout": 0.2})
    try:
        with write_lock(store).held() as lock:
            with pytest.raises(ConflictError, match="locked"):
                record_production(impatient.unit_of_work(), plan_id, bread.id, 2)
            assert not lock.released.is_set()  # it gave up while the lock was still held
    finally:
        impatient.dispose()
    assert produced(store, plan_id) == 0


def test_a_read_only_service_neither_waits_for_the_lock_nor_takes_it(
    sqlite_factory: SqliteFactory,
) -> None:
    store = sqlite_factory()
    plan_id, _ = planned_bakery(store)
    with write_lock(store).held() as lock:
        requirements = plan_requirements(store.unit_of_work(), plan_id)
        progress = plan_progress(store.unit_of_work(), plan_id)
        report = verify_plan(store.unit_of_work(), plan_id)
        assert not lock.released.is_set()  # all three answered while the writer held on
    assert requirements.batches[0].batches == 4
    assert progress.recipes[0].produced_batches == 0
    assert report.ok


def test_a_unit_that_only_reads_does_not_block_a_writing_service(
    sqlite_factory: SqliteFactory,
) -> None:
    store = sqlite_factory()
    plan_id, bread = planned_bakery(store)
    impatient = SqlStore.from_url(store.engine.url, connect_args={"timeout": 0.1})
    try:
        with store.unit_of_work() as reader:
            assert reader.runs.count() == 0  # a read transaction is open
            record_production(impatient.unit_of_work(), plan_id, bread.id, 1)
            assert reader.runs.count() == 0  # and keeps its snapshot
    finally:
        impatient.dispose()
    assert produced(store, plan_id) == 1


# -- how units of work begin --------------------------------------------------------------------


def begins(statements: list[str]) -> list[str]:
    return [s for s in statements if s.upper().startswith("BEGIN")]


def test_writing_services_begin_immediate_and_reading_services_deferred(
    sqlite_factory: SqliteFactory, record_statements: Callable[[sa.Engine], Any]
) -> None:
    store = sqlite_factory()
    plan_id, bread = planned_bakery(store)
    with record_statements(store.engine) as log:
        record_production(store.unit_of_work(), plan_id, bread.id, 1)
    assert begins(log.statements) == ["BEGIN IMMEDIATE"]
    with record_statements(store.engine) as log:
        plan_progress(store.unit_of_work(), plan_id)
        plan_requirements(store.unit_of_work(), plan_id)
    assert begins(log.statements) == ["BEGIN", "BEGIN"]


def test_a_host_asks_for_a_writing_unit_and_it_waits_where_a_plain_one_fails(
    sqlite_factory: SqliteFactory,
) -> None:
    store = sqlite_factory()
    save(store, Ingredient("Flour"))
    refused = pytest.raises(ConflictError, match="locked")
    with write_lock(store).held(), refused, store.unit_of_work() as plain:
        assert plain.ingredients.count() == 1  # a read first: the upgrade cannot wait
        plain.ingredients.add(Ingredient("Sugar"))
    with write_lock(store).held() as lock:
        lock.release_soon()
        with store.unit_of_work(writing=True) as uow:
            assert uow.ingredients.count() == 1
            uow.ingredients.add(Ingredient("Sugar"))
            uow.commit()
        assert lock.released.is_set()
    with store.unit_of_work() as uow:
        assert sorted(i.name for i in uow.ingredients.all()) == ["Flour", "Sugar"]


def test_a_writing_unit_begins_immediate_again_after_a_rollback(
    sqlite_factory: SqliteFactory, record_statements: Callable[[sa.Engine], Any]
) -> None:
    store = sqlite_factory()
    store.check_schema()  # the schema version is read once, before the first unit
    with record_statements(store.engine) as log, store.unit_of_work(writing=True) as uow:
        uow.ingredients.add(Ingredient("Flour"))
        uow.rollback()
        uow.ingredients.add(Ingredient("Sugar"))
        uow.commit()
    assert begins(log.statements) == ["BEGIN IMMEDIATE", "BEGIN IMMEDIATE"]


class Forwarding:
    """A host's unit of work that wraps the store's (logging, metrics...) and forwards the rest."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __enter__(self) -> Forwarding:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_atomic_tells_a_wrapped_unit_through_its_forwarding(
    sqlite_factory: SqliteFactory, record_statements: Callable[[sa.Engine], Any]
) -> None:
    store = sqlite_factory()
    store.check_schema()  # the schema version is read once, before the first unit
    wrapped: Any = Forwarding(store.unit_of_work())
    with record_statements(store.engine) as log, atomic(wrapped) as uow:
        uow.ingredients.add(Ingredient("Flour"))
        uow.commit()
    assert begins(log.statements) == ["BEGIN IMMEDIATE"]
    with store.unit_of_work() as uow:
        assert [i.name for i in uow.ingredients.all()] == ["Flour"]


def test_atomic_leaves_a_unit_without_will_write_alone() -> None:
    from snapplan import MemoryStore

    store = MemoryStore()
    uow = store.unit_of_work()
    assert not hasattr(uow, "will_write")
    with atomic(uow):
        uow.ingredients.add(Ingredient("Flour"))
        uow.commit()
    with store.unit_of_work() as check:
        assert check.ingredients.count() == 1


def test_a_unit_joined_to_the_callers_transaction_keeps_the_callers_begin(
    sqlite_factory: SqliteFactory, record_statements: Callable[[sa.Engine], Any]
) -> None:
    store = sqlite_factory()
    log_begins = record_statements(store.engine)
    with log_begins as log, store.engine.connect() as connection, connection.begin():
        add_catalog(store.unit_of_work(connection=connection), [Ingredient("Flour")])
        with store.unit_of_work(connection=connection, writing=True) as uow:
            uow.ingredients.add(Ingredient("Sugar"))
            uow.commit()
    assert begins(log.statements) == ["BEGIN"]  # the caller's, deferred as it began it
    with store.unit_of_work() as uow:
        assert uow.ingredients.count() == 2


def test_a_service_joining_an_entered_unit_keeps_its_transaction(
    sqlite_factory: SqliteFactory, record_statements: Callable[[sa.Engine], Any]
) -> None:
    store = sqlite_factory()
    store.check_schema()  # the schema version is read once, before the first unit
    with record_statements(store.engine) as log, store.unit_of_work() as uow:
        add_catalog(uow, [Ingredient("Flour")])
        uow.commit()
    assert begins(log.statements) == ["BEGIN"]


def test_a_host_connection_can_begin_as_a_writer_with_the_execution_option(
    sqlite_factory: SqliteFactory, record_statements: Callable[[sa.Engine], Any]
) -> None:
    store = sqlite_factory()
    with record_statements(store.engine) as log, store.engine.connect() as connection:
        connection.execution_options(snapplan_writing=True)
        with connection.begin():
            add_catalog(store.unit_of_work(connection=connection), [Ingredient("Flour")])
    assert begins(log.statements) == ["BEGIN IMMEDIATE"]
