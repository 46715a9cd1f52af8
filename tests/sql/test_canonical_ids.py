"""An id has one spelling in the database, and the database itself enforces it.

SQLite stores ids as 32 hexadecimal characters (``sqlalchemy.Uuid``), read back through
``uuid.UUID``: a raw insert under another spelling of an existing run's id (upper-case, dashed)
was a second row that reads back as the same id, and doubled what progress reported produced.
A ``CHECK`` on every id column admits only the canonical spelling (on MariaDB and MySQL too,
where ids are ``CHAR(32)``); PostgreSQL's ``uuid`` type is canonical by itself, so there the
same insert is a duplicate key.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    Product,
    ProductionTarget,
    Recipe,
    create_plan,
    plan_progress,
    record_production,
    record_purchase,
    verify_plan,
)
from snapplan.adapters.sql import SqlStore, metadata
from snapplan.adapters.sql.schema import schema_versions
from snapplan.testing.catalog import save

SqliteFactory = Callable[..., SqlStore]

#: Every column holding an id, in every table: (table, column).
ID_COLUMNS = [
    (table.name, column.name)
    for table in metadata.sorted_tables
    for column in table.columns
    if isinstance(column.type, sa.Uuid)
]


def planned(store: SqlStore) -> tuple[uuid.UUID, Recipe]:
    """A bakery planned, with a run, a product, a purchase and its price: every table holds a
    row."""
    flour = Ingredient("Flour")
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, "300", "g")])
    bread = Recipe("Bread", lines=[IngredientLine(flour.id, "500", "g")])
    cookie = FinishedUnit("Cookie", cookies.id, 36)
    ribbon = MaterialUnit("Ribbon")
    box = FinishedGood(
        "Gift box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
        ],
    )
    market = Event("Market", [ProductionTarget(bread.id, 3)], [AssemblyTarget(box.id, 2)])
    bag = Product(flour.id, "Flour 1 kg bag", 1, "kg")
    save(store, flour, cookies, bread, cookie, ribbon, box, market, bag)
    record_purchase(store.unit_of_work(), bag.id, 2, price="1.80", currency="EUR", key="r-1")
    create_plan(store.unit_of_work(), market.id)
    # A second plan, which supersedes the first (a supersedes column that is not NULL).
    plan_id = create_plan(store.unit_of_work(), market.id, force_recreate=True).plan_id
    record_production(store.unit_of_work(), plan_id, bread.id, 1)
    return plan_id, bread


def test_every_uuid_valued_column_is_an_id_column() -> None:
    # The ids of every table and every reference between rows: a new one is covered by itself.
    assert {
        ("snapplan_runs", "id"),
        ("snapplan_runs", "event_id"),
        ("snapplan_runs", "plan_id"),
        ("snapplan_plans", "supersedes"),
        ("snapplan_snapshots", "source_id"),
        ("snapplan_finished_units", "recipe_id"),
    } <= set(ID_COLUMNS)
    # Every table of rows has an id; the one of schema versions is keyed by the version, a
    # plan's contents by plan and snapshot (both ids).
    rows = set(metadata.tables) - {schema_versions.name, "snapplan_plan_contents"}
    assert {table for table, column in ID_COLUMNS if column == "id"} == rows
    assert {
        ("snapplan_plan_contents", "plan_id"),
        ("snapplan_plan_contents", "snapshot_id"),
    } <= set(ID_COLUMNS)


def other_spellings(canonical: str) -> dict[str, Any]:
    """Spellings of the id ``canonical`` (32 lower-case hex) that are not canonical, and a
    value that is no id at all."""
    return {
        "upper-case": canonical.upper(),
        "dashed": str(uuid.UUID(hex=canonical)),
        "braced": "{" + str(uuid.UUID(hex=canonical)) + "}",
        "a blob of the same characters": canonical.encode("ascii"),
        "32 characters, not hex": "g" * 32,
        "31 characters": canonical[:31],
    }


def a_new_row(connection: sa.Connection, table: str) -> dict[str, Any]:
    """A copy of one stored row of ``table``, with what must be unique made new."""
    row = dict(connection.exec_driver_sql(f"SELECT * FROM {table} LIMIT 1").mappings().one())
    row[identity(table)] = uuid.uuid4().hex
    if table in ("snapplan_runs", "snapplan_prices", "snapplan_pantry"):
        row["seq"] += 1000
    if "key" in row:
        row["key"] = None
    if table == "snapplan_plans":
        del row["seq"]  # a new one, from the rowid
    return row


def identity(table: str) -> str:
    """The column that makes a row of ``table`` new (a plan's contents are one row per plan
    and snapshot: no id of their own)."""
    return "snapshot_id" if table == "snapplan_plan_contents" else "id"


def insert(connection: sa.Connection, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(map(connection.dialect.identifier_preparer.quote, row))
    values = ", ".join(f":{name}" for name in row)
    connection.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)


@pytest.mark.parametrize(("table", "column"), ID_COLUMNS)
def test_sqlite_refuses_any_other_spelling_of_an_id(
    sqlite_factory: SqliteFactory, table: str, column: str
) -> None:
    store = sqlite_factory()
    planned(store)
    with store.engine.connect() as connection:
        row = a_new_row(connection, table)
    canonical = row[column] or uuid.uuid4().hex  # supersedes may be NULL
    with store.engine.connect() as connection, connection.begin() as transaction:
        insert(connection, table, {**row, column: canonical})  # the row as it is: accepted
        transaction.rollback()
    for spelling, value in other_spellings(canonical).items():
        refused = pytest.raises(sa.exc.IntegrityError, match=f"ck_{table}_{column}_canonical")
        with refused, store.engine.begin() as connection:
            insert(connection, table, {**row, column: value})
        with store.engine.connect() as connection:
            copies = f"SELECT count(*) FROM {table} WHERE {identity(table)} = :{identity(table)}"
            assert connection.execute(sa.text(copies), row).scalar_one() == 0, spelling


def test_mariadb_refuses_any_other_spelling_of_an_id(mariadb_factory: SqliteFactory) -> None:
    store = mariadb_factory()
    planned(store)
    spellings = 0
    for table, column in ID_COLUMNS:
        with store.engine.connect() as connection:
            row = a_new_row(connection, table)
        canonical = row[column] or uuid.uuid4().hex  # supersedes may be NULL
        with store.engine.connect() as connection, connection.begin() as transaction:
            insert(connection, table, {**row, column: canonical})  # the row as it is: accepted
            transaction.rollback()
        for spelling, value in other_spellings(canonical).items():
            if isinstance(value, bytes):
                continue  # MariaDB converts it to the column's text: the one spelling itself
            # Too long for CHAR(32) (strict mode), or the CHECK.
            refused = pytest.raises(
                sa.exc.DBAPIError, match=f"ck_{table}_{column}_canonical|Data too long"
            )
            with refused, store.engine.begin() as connection:
                insert(connection, table, {**row, column: value})
            with store.engine.connect() as connection:
                key = identity(table)
                copies = f"SELECT count(*) FROM {table} WHERE {key} = :{key}"
                assert connection.execute(sa.text(copies), row).scalar_one() == 0, spelling
            spellings += 1
    assert spellings == 5 * len(ID_COLUMNS)


RESPELLED_RUN = {
    # The forgery: the same run again under its upper-case id, at the next position.
    "sqlite": "SELECT upper(id), event_id, seq + 1, plan_id, kind, key, recorded_at, document",
    "postgresql": (
        "SELECT CAST(upper(CAST(id AS text)) AS uuid), event_id, seq + 1, plan_id, kind, key, "
        "recorded_at, document"
    ),
    "mariadb": "SELECT UPPER(id), event_id, seq + 1, plan_id, kind, `key`, recorded_at, document",
}


def test_a_run_cannot_be_inserted_again_under_another_spelling_of_its_id(
    sql_store: SqlStore,
) -> None:
    plan_id, _ = planned(sql_store)
    progress = plan_progress(sql_store.unit_of_work(), plan_id)
    assert [r.produced_batches for r in progress.recipes if r.name == "Bread"] == [1]
    name = sql_store.engine.dialect.name
    select = RESPELLED_RUN[name]
    key = sql_store.engine.dialect.identifier_preparer.quote("key")
    # MariaDB reports a failed CHECK as an operational error (4025), not an integrity error.
    refused = sa.exc.OperationalError if name == "mariadb" else sa.exc.IntegrityError
    with pytest.raises(refused), sql_store.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO snapplan_runs "
                f"(id, event_id, seq, plan_id, kind, {key}, recorded_at, document) "
                f"{select} FROM snapplan_runs"
            )
        )
    assert plan_progress(sql_store.unit_of_work(), plan_id) == progress
    assert verify_plan(sql_store.unit_of_work(), plan_id).ok


def test_the_checks_are_where_ids_are_text(sql_store: SqlStore) -> None:
    names = {
        check["name"]
        for table in metadata.sorted_tables
        for check in sa.inspect(sql_store.engine).get_check_constraints(table.name)
    }
    canonical = {name for name in names if name.endswith("_canonical")}
    if sql_store.engine.dialect.name in ("sqlite", "mariadb"):
        assert canonical == {f"ck_{table}_{column}_canonical" for table, column in ID_COLUMNS}
    else:  # the native uuid type admits one spelling
        assert canonical == set()
