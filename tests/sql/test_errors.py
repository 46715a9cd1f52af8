"""Database errors reach callers as snapplan errors, chained to the driver's exception."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from snapplan import (
    ConflictError,
    Event,
    Ingredient,
    PersistenceError,
    ProductionTarget,
    Recipe,
    create_plan,
)
from snapplan.adapters.sql import SqlStore
from snapplan.adapters.sql.dialects import dialect_named
from snapplan.adapters.sql.errors import translate
from snapplan.testing.catalog import save


def test_a_duplicate_id_is_a_conflict_chained_to_the_integrity_error(sql_store: SqlStore) -> None:
    flour = Ingredient("Flour")
    save(sql_store, flour)
    with sql_store.unit_of_work() as uow:
        with pytest.raises(ConflictError) as caught:
            uow.ingredients.add(flour)
        assert isinstance(caught.value.__cause__, sa.exc.IntegrityError)
        with pytest.raises(ConflictError):
            uow.ingredients.add_many([Ingredient("Sugar"), flour])
        assert uow.ingredients.count() == 1  # the whole batch was refused


def test_a_duplicate_id_within_one_batch_is_a_conflict(sql_store: SqlStore) -> None:
    salt = Ingredient("Salt")
    with sql_store.unit_of_work() as uow:
        with pytest.raises(ConflictError):
            uow.ingredients.add_many([salt, Ingredient("Sugar"), salt])
        assert uow.ingredients.count() == 0


def test_another_database_error_is_a_persistence_error_chained_to_it(sql_store: SqlStore) -> None:
    with sql_store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE snapplan_material_units"))
    with pytest.raises(PersistenceError) as caught, sql_store.unit_of_work() as uow:
        uow.material_units.count()
    assert isinstance(caught.value.__cause__, sa.exc.DBAPIError)
    assert "snapplan_material_units" in str(caught.value)


def test_a_service_reports_a_database_failure_as_one_persistence_error(
    sql_store: SqlStore,
) -> None:
    recipe = Recipe("Bread")
    event = Event("Market", [ProductionTarget(recipe.id, 1)])
    save(sql_store, recipe, event)
    with sql_store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE snapplan_plans"))
    with pytest.raises(PersistenceError) as caught:
        create_plan(sql_store.unit_of_work(), event.id)
    assert isinstance(caught.value.__cause__, sa.exc.DBAPIError)  # not wrapped twice
    with sql_store.unit_of_work() as uow:
        assert uow.snapshots.count() == 0
        assert uow.events.get(event.id) == event


def _break_connection(store: SqlStore, connection: sa.Connection) -> None:
    """Cut the unit's database connection from under it."""
    if store.engine.dialect.name == "sqlite":
        connection.connection.dbapi_connection.close()  # type: ignore[union-attr]
        return
    if store.engine.dialect.name == "mariadb":
        session = connection.exec_driver_sql("SELECT CONNECTION_ID()").scalar_one()
        with store.engine.connect() as other:
            other.exec_driver_sql(f"KILL CONNECTION {int(session)}")
        return
    pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    with store.engine.connect() as other:
        other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_a_broken_connection_is_a_persistence_error_chained_to_the_driver(
    sql_store: SqlStore,
) -> None:
    with pytest.raises(PersistenceError) as caught, sql_store.unit_of_work() as uow:
        uow.ingredients.add(Ingredient("Flour"))
        _break_connection(sql_store, uow.connection)
        uow.ingredients.count()
    assert isinstance(caught.value.__cause__, sa.exc.DBAPIError)
    with sql_store.unit_of_work() as uow:  # the store recovers with a fresh connection
        assert uow.ingredients.count() == 0


def test_committing_over_a_broken_connection_fails_and_persists_nothing(
    sql_store: SqlStore,
) -> None:
    uow = sql_store.unit_of_work()
    with uow:
        uow.ingredients.add(Ingredient("Flour"))
        _break_connection(sql_store, uow.connection)
        with pytest.raises(PersistenceError) as caught:
            uow.commit()
        assert isinstance(caught.value.__cause__, sa.exc.DBAPIError)
    assert not uow.active
    with sql_store.unit_of_work() as other:
        assert other.ingredients.count() == 0


def test_an_unreachable_database_fails_when_a_unit_is_entered_not_before(tmp_path: Path) -> None:
    store = SqlStore.from_url(f"sqlite:///{tmp_path / 'no-such-directory' / 'x.sqlite'}")
    uow = store.unit_of_work()  # nothing connects yet
    with pytest.raises(PersistenceError) as caught, uow:
        pass
    assert isinstance(caught.value.__cause__, sa.exc.OperationalError)
    assert not uow.active
    store.dispose()


class _DriverError(Exception):
    def __init__(self, **attributes: Any) -> None:
        super().__init__("driver says no")
        self.__dict__.update(attributes)


@pytest.mark.parametrize(
    ("dialect", "driver_error", "expected"),
    [
        ("postgresql", _DriverError(sqlstate="23505"), ConflictError),  # unique_violation
        ("postgresql", _DriverError(sqlstate="40001"), ConflictError),  # serialization_failure
        ("postgresql", _DriverError(sqlstate="40P01"), ConflictError),  # deadlock_detected
        ("postgresql", _DriverError(sqlstate="55P03"), ConflictError),  # lock_not_available
        ("postgresql", _DriverError(sqlstate="23001"), PersistenceError),  # restrict_violation
        ("postgresql", _DriverError(sqlstate="42P01"), PersistenceError),  # undefined_table
        ("sqlite", _DriverError(sqlite_errorcode=1555), ConflictError),  # CONSTRAINT_PRIMARYKEY
        ("sqlite", _DriverError(sqlite_errorcode=2067), ConflictError),  # CONSTRAINT_UNIQUE
        ("sqlite", _DriverError(sqlite_errorcode=5), ConflictError),  # SQLITE_BUSY
        ("sqlite", _DriverError(sqlite_errorcode=517), ConflictError),  # SQLITE_BUSY_SNAPSHOT
        ("sqlite", _DriverError(sqlite_errorcode=6), ConflictError),  # SQLITE_LOCKED
        ("sqlite", _DriverError(sqlite_errorcode=1811), PersistenceError),  # CONSTRAINT_TRIGGER
        ("sqlite", _DriverError(sqlite_errorcode=275), PersistenceError),  # CONSTRAINT_CHECK
        ("sqlite", _DriverError(sqlite_errorcode=1), PersistenceError),  # SQLITE_ERROR
        ("sqlite", sqlite3.OperationalError("database is locked"), ConflictError),
        ("sqlite", sqlite3.OperationalError("disk I/O error"), PersistenceError),
        # One engine's codes mean nothing on another: 5 is no SQLSTATE, 23505 no SQLite code.
        ("postgresql", _DriverError(sqlite_errorcode=5), PersistenceError),
        ("sqlite", _DriverError(sqlstate="23505"), PersistenceError),
    ],
)
def test_driver_errors_translate_to_the_documented_snapplan_errors(
    dialect: str, driver_error: Exception, expected: type[Exception]
) -> None:
    error = sa.exc.OperationalError("UPDATE t SET x = 1", {}, driver_error)
    translated = translate(error, dialect_named(dialect))
    assert type(translated) is expected


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_sqlalchemy_errors_without_a_driver_error_are_persistence_errors(dialect: str) -> None:
    closed = sa.exc.ResourceClosedError("closed")
    assert type(translate(closed, dialect_named(dialect))) is PersistenceError
