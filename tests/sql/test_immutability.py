"""Snapshots and plans are append-only in the database itself, and self-contained."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from mariadb_databases import fresh_database, url_of
from postgres_schemas import fresh_schema, postgres_url, search_path
from stores import SQL_KINDS, kind_params

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
    SubRecipe,
    create_plan,
    plan_drift,
    plan_progress,
    plan_requirements,
    record_production,
    record_purchase,
    verify_plan,
)
from snapplan.adapters.sql import IMMUTABLE_TABLES, SqlStore, immutability_ddl, metadata
from snapplan.errors import ValidationError
from snapplan.testing.catalog import save

APPEND_ONLY = [table.name for table in IMMUTABLE_TABLES]
REFUSED = [
    "UPDATE {table} SET {key} = {key}",
    "DELETE FROM {table}",
    "DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table})",
]


def bakery() -> tuple[list[object], Event]:
    flour, sugar = Ingredient("Flour"), Ingredient("Sugar")
    frosting = Recipe("Frosting", lines=[IngredientLine(sugar.id, "250", "g")])
    cake = Recipe(
        "Cake",
        lines=[IngredientLine(flour.id, "500", "g")],
        sub_recipes=[SubRecipe(frosting.id, "0.5")],
    )
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, "300", "g")])
    cookie = FinishedUnit("Cookie", cookies.id, 36)
    ribbon = MaterialUnit("Ribbon")
    box = FinishedGood(
        "Gift box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
        ],
    )
    event = Event("Market", [ProductionTarget(cake.id, 2)], [AssemblyTarget(box.id, 12)])
    return [flour, sugar, frosting, cake, cookies, cookie, ribbon, box, event], event


def planned(store: SqlStore) -> uuid.UUID:
    """The bakery planned, with a run in the ledger, and a purchase with its price in the pantry
    (every append-only table holds rows)."""
    catalog, event = bakery()
    save(store, *catalog)
    plan_id = create_plan(store.unit_of_work(), event.id).plan_id
    cake = next(item for item in catalog if isinstance(item, Recipe) and item.name == "Cake")
    record_production(store.unit_of_work(), plan_id, cake.id, 1, key="first tray")
    flour = catalog[0]
    assert isinstance(flour, Ingredient)
    bag = Product(flour.id, "Flour 1 kg bag", 1, "kg")
    save(store, bag)
    record_purchase(store.unit_of_work(), bag.id, 2, price="1.80", currency="EUR", key="r-1")
    return plan_id


def row_counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in APPEND_ONLY
        }


@pytest.mark.parametrize("table", APPEND_ONLY)
@pytest.mark.parametrize("statement", REFUSED)
def test_raw_sql_cannot_update_or_delete_snapshots_and_plans(
    sql_store: SqlStore, table: str, statement: str
) -> None:
    planned(sql_store)
    before = row_counts(sql_store.engine)
    assert before[table] > 0
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), sql_store.engine.begin() as conn:
        conn.execute(sa.text(statement.format(table=table, key=_key(table))))
    assert row_counts(sql_store.engine) == before


def _key(table: str) -> str:
    """A column of ``table`` to update or delete by (a plan's contents have no ``id``)."""
    return "plan_id" if table == "snapplan_plan_contents" else "id"


EMPTYING = {
    # PostgreSQL fires no row trigger on TRUNCATE: a statement trigger refuses it.
    "postgresql": [
        "TRUNCATE {table}",
        "TRUNCATE {table} RESTART IDENTITY CASCADE",
        "TRUNCATE snapplan_snapshots, snapplan_plans, {table}",
    ],
    # SQLite has no TRUNCATE; its truncate optimisation of a DELETE without WHERE is off on a
    # table with triggers, so the DELETE trigger refuses it.
    "sqlite": ["DELETE FROM {table}"],
    # MariaDB deletes row by row, firing the DELETE trigger, when the table has one. TRUNCATE
    # fires no trigger there: privileges keep it from the application's user (below).
    "mariadb": ["DELETE FROM {table}", "DELETE FROM {table} LIMIT 1"],
}


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_raw_sql_cannot_empty_an_append_only_table(sql_store: SqlStore, table: str) -> None:
    """The ledger emptied made progress read "nothing produced" while verify_plan said ok."""
    plan_id = planned(sql_store)
    before = row_counts(sql_store.engine)
    progress = plan_progress(sql_store.unit_of_work(), plan_id)
    assert any(recipe.produced_batches for recipe in progress.recipes)
    for statement in EMPTYING[sql_store.engine.dialect.name]:
        refused = pytest.raises(sa.exc.DBAPIError, match="append-only")
        with refused, sql_store.engine.begin() as conn:
            conn.execute(sa.text(statement.format(table=table, key=_key(table))))
    assert row_counts(sql_store.engine) == before

    assert plan_progress(sql_store.unit_of_work(), plan_id) == progress
    assert verify_plan(sql_store.unit_of_work(), plan_id).ok


REPLACING = {
    # SQLite fires no DELETE trigger for the row a REPLACE drops (recursive_triggers is off):
    # before the insert trigger, this silently rewrote a plan's flour from 1000 g to 19998 g.
    "sqlite": [
        "REPLACE INTO snapplan_snapshots SELECT id, kind, source_id, plan_id, captured_at, "
        "digest, json_set(document, '$.lines[0].quantity', '9999') FROM snapplan_snapshots",
        "INSERT OR REPLACE INTO snapplan_snapshots SELECT * FROM snapplan_snapshots",
        "REPLACE INTO snapplan_plans SELECT * FROM snapplan_plans",
        "REPLACE INTO snapplan_runs SELECT id, event_id, seq, plan_id, kind, 'forged', "
        "recorded_at, document FROM snapplan_runs",
        "INSERT INTO snapplan_snapshots SELECT * FROM snapplan_snapshots "
        "WHERE true ON CONFLICT (id) DO UPDATE SET digest = excluded.digest",
    ],
    # REPLACE deletes the row it replaces (the DELETE trigger fires); an upsert updates it.
    "mariadb": [
        "REPLACE INTO snapplan_snapshots SELECT id, kind, source_id, plan_id, captured_at, "
        "digest, JSON_SET(document, '$.lines[0].quantity', '9999') FROM snapplan_snapshots",
        "REPLACE INTO snapplan_plans SELECT * FROM snapplan_plans",
        "REPLACE INTO snapplan_runs SELECT id, event_id, seq, plan_id, kind, 'forged', "
        "recorded_at, document FROM snapplan_runs",
        "INSERT INTO snapplan_snapshots SELECT * FROM snapplan_snapshots "
        "ON DUPLICATE KEY UPDATE digest = VALUES(digest)",
        "INSERT INTO snapplan_runs SELECT * FROM snapplan_runs "
        "ON DUPLICATE KEY UPDATE `key` = 'forged'",
        "INSERT INTO snapplan_plans SELECT * FROM snapplan_plans "
        "ON DUPLICATE KEY UPDATE event_id = VALUES(event_id)",
        "INSERT IGNORE INTO snapplan_runs SELECT * FROM snapplan_runs "
        "ON DUPLICATE KEY UPDATE kind = VALUES(kind)",
    ],
    "postgresql": [
        "INSERT INTO snapplan_snapshots SELECT * FROM snapplan_snapshots "
        "ON CONFLICT (id) DO UPDATE SET digest = excluded.digest",
        "INSERT INTO snapplan_runs SELECT * FROM snapplan_runs "
        "ON CONFLICT (id) DO UPDATE SET key = 'forged'",
        "INSERT INTO snapplan_plans SELECT * FROM snapplan_plans "
        "ON CONFLICT (id) DO UPDATE SET event_id = excluded.event_id",
    ],
}


def test_raw_sql_cannot_replace_snapshots_or_plans(sql_store: SqlStore) -> None:
    plan_id = planned(sql_store)
    before = plan_requirements(sql_store.unit_of_work(), plan_id)
    counts = row_counts(sql_store.engine)
    for statement in REPLACING[sql_store.engine.dialect.name]:
        refused = pytest.raises(sa.exc.DBAPIError, match="append-only")
        with refused, sql_store.engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert row_counts(sql_store.engine) == counts
    assert plan_requirements(sql_store.unit_of_work(), plan_id) == before


def test_the_repositories_offer_no_way_to_change_snapshots_or_plans(
    sql_store: SqlStore,
) -> None:
    with sql_store.unit_of_work() as uow:
        for repository in (uow.snapshots, uow.plans):
            assert not hasattr(repository, "update")
            assert not hasattr(repository, "remove")


def test_a_plan_reads_the_same_after_its_whole_catalog_is_removed(sql_store: SqlStore) -> None:
    plan_id = planned(sql_store)
    before = plan_requirements(sql_store.unit_of_work(), plan_id)
    with sql_store.unit_of_work() as uow:
        for table in ("products", "ingredients", "recipes", "finished_units", "material_units"):
            for item in getattr(uow, table).all():
                getattr(uow, table).remove(item.id)
        for good in uow.finished_goods.all():
            uow.finished_goods.remove(good.id)
        for live_event in uow.events.all():
            uow.events.remove(live_event.id)
        uow.commit()
    assert plan_requirements(sql_store.unit_of_work(), plan_id) == before
    assert before.batches
    assert before.ingredients
    assert before.materials
    drift = plan_drift(sql_store.unit_of_work(), plan_id)
    assert drift.changed


def test_no_table_has_a_foreign_key() -> None:
    # Snapshots and plans must stay readable whatever happens to the live catalog, and the
    # catalog itself stores what it is given (capture finds dangling references).
    assert all(not table.foreign_keys for table in metadata.tables.values())


def test_immutability_ddl_is_offered_for_the_supported_engines_only() -> None:
    for dialect in ("sqlite", "postgresql", "mariadb", "mysql"):
        statements = immutability_ddl(dialect)
        assert all(table in " ".join(statements) for table in APPEND_ONLY)
        assert not any("%" in s for s in statements)  # safe for DB-API parameter styles
    truncate_triggers = [s for s in immutability_ddl("postgresql") if "BEFORE TRUNCATE" in s]
    assert len(truncate_triggers) == len(APPEND_ONLY)
    assert immutability_ddl("mysql") == immutability_ddl("mariadb")
    signals = [s for s in immutability_ddl("mariadb") if "SIGNAL SQLSTATE '45000'" in s]
    assert len(signals) == 2 * len(APPEND_ONLY)  # UPDATE and DELETE (REPLACE deletes)
    with pytest.raises(ValidationError, match=r"'oracle'.*postgresql, sqlite"):
        immutability_ddl("oracle")


@pytest.fixture(params=kind_params(SQL_KINDS))
def blank_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    """An engine on an empty database (SQLite file, or a fresh PostgreSQL schema or MariaDB
    database of its own: these tests create snapplan's tables themselves)."""
    if request.param == "sqlite":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'migrated.sqlite'}")
        yield engine
        engine.dispose()
        return
    if request.param == "mariadb":
        with fresh_database("snapplan_migrated") as database:
            engine = sa.create_engine(url_of(database))
            yield engine
            engine.dispose()
        return
    with fresh_schema("snapplan_migrated") as schema:
        engine = sa.create_engine(postgres_url(), connect_args=search_path(schema))
        yield engine
        engine.dispose()


def test_a_host_migration_can_install_the_triggers_itself(blank_engine: sa.Engine) -> None:
    """What an Alembic migration does: create the tables, then ``op.execute`` the DDL."""
    with blank_engine.begin() as conn:
        for table in metadata.sorted_tables:
            conn.execute(sa.schema.CreateTable(table))  # no create_all: no DDL events fire
        for statement in immutability_ddl(conn.dialect.name):
            conn.execute(sa.text(statement))  # op.execute() wraps strings in text()
    store = SqlStore(blank_engine)
    planned(store)
    for table in APPEND_ONLY:
        for statement in EMPTYING[blank_engine.dialect.name]:
            refused = pytest.raises(sa.exc.DBAPIError, match="append-only")
            with refused, blank_engine.begin() as conn:
                conn.execute(sa.text(statement.format(table=table)))


def test_create_all_installs_the_triggers_and_can_run_twice(blank_engine: sa.Engine) -> None:
    metadata.create_all(blank_engine)
    store = SqlStore(blank_engine)
    store.create_schema()  # again: nothing to create, nothing fails
    planned(store)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), blank_engine.begin() as conn:
        conn.execute(sa.text("UPDATE snapplan_plans SET supersedes = NULL"))
