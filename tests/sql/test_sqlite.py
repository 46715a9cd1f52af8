"""SQLite set-up: pragmas, deferred BEGIN, one writer at a time, and engines of the host."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from snapplan import ConflictError, Ingredient
from snapplan.adapters.sql import SqlStore, configure_sqlite_engine
from snapplan.adapters.sql.dialects.sqlite import is_sqlite_configured

SqliteFactory = Callable[..., SqlStore]


def pragma(uow: Any, name: str) -> Any:
    return uow.connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def second_store_on(store: SqlStore, **engine_kwargs: Any) -> SqlStore:
    """Another store (its own engine and connections) on the same database file."""
    return SqlStore.from_url(store.engine.url, **engine_kwargs)


def names(store: SqlStore) -> list[str]:
    with store.unit_of_work() as uow:
        return sorted(i.name for i in uow.ingredients.all())


def test_connections_run_with_foreign_keys_wal_and_a_busy_timeout(
    sqlite_factory: SqliteFactory,
) -> None:
    with sqlite_factory().unit_of_work() as uow:
        assert pragma(uow, "foreign_keys") == 1
        assert pragma(uow, "journal_mode") == "wal"
        assert pragma(uow, "busy_timeout") == 5000


def test_a_busy_timeout_given_by_the_host_is_kept(sqlite_factory: SqliteFactory) -> None:
    with sqlite_factory(connect_args={"timeout": 0.25}).unit_of_work() as uow:
        assert pragma(uow, "busy_timeout") == 250


def test_an_in_memory_database_works_without_wal() -> None:
    with SqlStore.from_url("sqlite://") as store:
        store.create_schema()
        with store.unit_of_work() as uow:
            uow.ingredients.add(Ingredient("Flour"))
            uow.commit()
        with store.unit_of_work() as uow:
            assert pragma(uow, "journal_mode") == "memory"
            assert [i.name for i in uow.ingredients.all()] == ["Flour"]


def test_installing_on_an_engine_twice_still_emits_one_begin(
    tmp_path: Path, record_statements: Callable[[sa.Engine], Any]
) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'host.sqlite'}")
    store = SqlStore(engine)
    SqlStore(engine)
    configure_sqlite_engine(engine)
    assert is_sqlite_configured(engine)
    store.create_schema()
    with record_statements(engine) as log, store.unit_of_work() as uow:
        uow.ingredients.count()
    assert [s for s in log.statements if s.upper().startswith("BEGIN")] == ["BEGIN"]
    engine.dispose()


def test_connections_pooled_before_the_store_was_made_are_prepared_too(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'host.sqlite'}", pool_size=1, max_overflow=0)
    with engine.connect() as conn:  # the host used its engine first: legacy driver mode
        conn.exec_driver_sql("SELECT 1")
    store = SqlStore(engine)
    store.create_schema()
    with store.unit_of_work() as uow:  # the same pooled connection
        assert pragma(uow, "foreign_keys") == 1
        with uow.savepoint():
            uow.ingredients.add(Ingredient("Flour"))
    assert names(store) == []  # the released savepoint was inside the rolled-back transaction
    engine.dispose()


def test_dispose_releases_only_an_engine_the_store_made(tmp_path: Path) -> None:
    host_engine = sa.create_engine(f"sqlite:///{tmp_path / 'host.sqlite'}")
    pool = host_engine.pool
    SqlStore(host_engine).dispose()
    assert host_engine.pool is pool
    own = SqlStore.from_url(f"sqlite:///{tmp_path / 'own.sqlite'}")
    own_pool = own.engine.pool
    own.dispose()
    assert own.engine.pool is not own_pool
    host_engine.dispose()


def test_other_dialects_are_left_alone() -> None:
    engine = sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:1/nothing")
    configure_sqlite_engine(engine)  # connects to nothing, installs nothing
    store = SqlStore(engine)
    assert store.engine is engine
    assert not is_sqlite_configured(engine)


def test_importing_snapplan_does_not_import_sqlalchemy() -> None:
    code = (
        "import sys, snapplan, snapplan.adapters.memory; "
        "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- one writer at a time -------------------------------------------------------------------------


def test_a_unit_that_only_reads_does_not_block_a_writer(sqlite_factory: SqliteFactory) -> None:
    store = sqlite_factory()
    writer_store = second_store_on(store, connect_args={"timeout": 0.1})
    with store.unit_of_work() as reader:
        assert reader.ingredients.count() == 0
        # a writer that had to wait for the reader would give up after its 0.1 s busy timeout
        # (ConflictError): that it commits is the proof, not how long it took
        with writer_store.unit_of_work() as writer:
            writer.ingredients.add(Ingredient("Flour"))
            writer.commit()
        assert reader.ingredients.count() == 0  # the reader keeps its consistent snapshot
    assert names(store) == ["Flour"]
    writer_store.dispose()


def test_a_second_writer_gets_a_conflict_once_the_busy_timeout_passes(
    sqlite_factory: SqliteFactory,
) -> None:
    store = sqlite_factory()
    impatient = second_store_on(store, connect_args={"timeout": 0.2})
    with store.unit_of_work() as first:
        first.ingredients.add(Ingredient("Flour"))  # holds the write lock
        started = time.monotonic()
        with pytest.raises(ConflictError, match="locked"), impatient.unit_of_work() as second:
            second.ingredients.add(Ingredient("Sugar"))
            second.commit()
        assert time.monotonic() - started >= 0.2  # it waited for the busy timeout
        first.commit()
    with impatient.unit_of_work() as second:  # now it is its turn
        second.ingredients.add(Ingredient("Sugar"))
        second.commit()
    assert names(store) == ["Flour", "Sugar"]
    impatient.dispose()


def test_a_second_writer_waits_for_the_first_within_the_busy_timeout(
    sqlite_factory: SqliteFactory,
) -> None:
    store = sqlite_factory()
    patient = second_store_on(store, connect_args={"timeout": 5})
    holding = threading.Event()

    def first_writer() -> None:
        with store.unit_of_work() as first:
            first.ingredients.add(Ingredient("Flour"))
            holding.set()
            time.sleep(0.3)
            first.commit()

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert holding.wait(5)
    started = time.monotonic()
    with patient.unit_of_work() as second:
        second.ingredients.add(Ingredient("Sugar"))
        second.commit()
    waited = time.monotonic() - started
    thread.join()
    assert waited >= 0.2
    assert names(store) == ["Flour", "Sugar"]
    patient.dispose()


def test_a_reader_whose_snapshot_went_stale_cannot_write(sqlite_factory: SqliteFactory) -> None:
    store = sqlite_factory()
    other = second_store_on(store)
    with store.unit_of_work() as stale:
        assert stale.ingredients.count() == 0
        with other.unit_of_work() as writer:
            writer.ingredients.add(Ingredient("Flour"))
            writer.commit()
        with pytest.raises(ConflictError):
            stale.ingredients.add(Ingredient("Sugar"))  # decided on data that has changed
    assert names(store) == ["Flour"]
    other.dispose()
