"""Upgrading a database written by snapplan 0.1.0 (issue 15, part 6), on the real thing.

The databases are the ones release 0.1.0 wrote (``tests/fixtures/``, see its README): a SQLite
file, and a PostgreSQL dump loaded into a fresh schema. A store refuses them until they are
upgraded; the upgrade keeps every row, gives the ledger its hash chain so that every plan
verifies, makes the tables ``create_schema`` makes today, and is all or nothing: a failure in
the middle leaves the database exactly as it was.
"""

from __future__ import annotations

import datetime
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from postgres_schemas import fresh_schema, postgres_url, search_path

from snapplan import (
    PersistenceError,
    SchemaVersionError,
    plan_progress,
    plan_requirements,
    record_production,
    record_purchase,
    verify_plan,
)
from snapplan.adapters.sql import SCHEMA_VERSION, SqlStore, metadata, schema, upgrade, upgrading
from snapplan.adapters.sql import _schema_2 as step_2
from snapplan.services import pantry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
#: What release 0.1.0 wrote in the fixtures (tests/fixtures/README.md): rows per table.
RELEASE_ROWS = {
    "snapplan_ingredients": 5,
    "snapplan_recipes": 5,
    "snapplan_finished_units": 2,
    "snapplan_material_units": 2,
    "snapplan_finished_goods": 2,
    "snapplan_events": 1,
    "snapplan_snapshots": 22,
    "snapplan_plans": 2,
    "snapplan_runs": 8,
}


@attrs.frozen
class Release:
    """A database written by snapplan 0.1.0, and how to make a store on it."""

    engine: sa.Engine
    where: str

    def store(self) -> SqlStore:
        return SqlStore(self.engine)


def _sqlite_release(tmp_path: Path) -> Iterator[Release]:
    path = tmp_path / "bakery.sqlite"
    shutil.copyfile(FIXTURES / "release-0.1.0.sqlite", path)
    engine = sa.create_engine(f"sqlite:///{path}")
    yield Release(engine, str(path))
    engine.dispose()


def _postgres_release() -> Iterator[Release]:
    dump = (FIXTURES / "release-0.1.0-postgres.sql").read_text()
    with fresh_schema("snapplan_release") as name:
        dump = dump.replace("SELECT pg_catalog.set_config('search_path', '', false);", "")
        dump = dump.replace("public.", f'"{name}".')
        engine = sa.create_engine(postgres_url(), connect_args=search_path(name))
        with engine.begin() as conn:
            conn.exec_driver_sql(dump)
        yield Release(engine, name)
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def release(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Release]:
    """A fresh copy of the database snapplan 0.1.0 wrote, on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        yield from _sqlite_release(tmp_path)
    else:
        yield from _postgres_release()


# -- what the database holds, read without snapplan --------------------------------------------


def row_counts(engine: sa.Engine) -> dict[str, int]:
    """Rows per snapplan table."""
    with engine.connect() as conn:
        names = [n for n in sa.inspect(conn).get_table_names() if n.startswith("snapplan_")]
        return {
            name: conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one()
            for name in sorted(names)
        }


def everything(engine: sa.Engine) -> dict[str, Any]:
    """The whole database, as text: every table's definition, index, constraint and trigger,
    and every row (so that "exactly as it was" can be compared)."""
    found: dict[str, Any] = {}
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        for name in sorted(inspector.get_table_names()):
            columns = [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)
            ]
            found[name] = {
                "columns": columns,
                "indexes": sorted(plain(i) for i in inspector.get_indexes(name)),
                "unique": sorted(plain(u) for u in inspector.get_unique_constraints(name)),
                "checks": sorted(plain(c) for c in inspector.get_check_constraints(name)),
                "rows": sorted(
                    str(tuple(row)) for row in conn.execute(sa.text(f"SELECT * FROM {name}"))
                ),
            }
        found["triggers"] = triggers(conn)
    return found


def plain(value: Any) -> str:
    """A reflected item as text, whatever objects it holds (an index's ``WHERE`` clause)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {plain(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(plain(v) for v in value) + "]"
    return str(value)


def triggers(conn: sa.Connection) -> list[str]:
    """The triggers on snapplan's tables, by table and name (and their SQL on SQLite)."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(
            "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger'"
        )
    else:
        rows = conn.exec_driver_sql(
            "SELECT c.relname, t.tgname, t.tgtype FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
        )
    return sorted(str(tuple(row)) for row in rows)


def tables_as_created_today(engine: sa.Engine, fresh: sa.Engine) -> None:
    """Assert that ``engine``'s tables are those ``create_schema`` makes on ``fresh``."""
    SqlStore(fresh).create_schema()
    mine, theirs = everything(engine), everything(fresh)
    for found in (mine, theirs):
        for name in list(found):
            if name != "triggers":
                found[name].pop("rows")
    assert mine == theirs
    if engine.dialect.name == "sqlite":  # the very statements that made them, too
        with engine.connect() as a, fresh.connect() as b:
            ddl = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
            assert a.exec_driver_sql(ddl).all() == b.exec_driver_sql(ddl).all()


@pytest.fixture
def fresh_engine(release: Release, tmp_path: Path) -> Iterator[sa.Engine]:
    """An empty database of the release's engine."""
    if release.engine.dialect.name == "sqlite":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
        yield engine
        engine.dispose()
        return
    with fresh_schema("snapplan_fresh") as name:
        engine = sa.create_engine(postgres_url(), connect_args=search_path(name))
        yield engine
        engine.dispose()


def requirements_as_0_1_0_read_them(store: SqlStore) -> dict[uuid.UUID, Any]:
    """Every plan's requirements, read from the tables as they are (the version check off: the
    plans and snapshots of 0.1.0 read as they always did)."""
    store._schema_checked = True
    with store.unit_of_work() as uow:
        plans = uow.plans.all()
    return {p.id: plan_requirements(store.unit_of_work(), p.id) for p in plans}


# -- refused until upgraded --------------------------------------------------------------------


def test_the_fixture_holds_what_release_0_1_0_wrote(release: Release) -> None:
    assert row_counts(release.engine) == RELEASE_ROWS
    assert release.store().schema_version() == 1


def test_a_database_of_release_0_1_0_is_refused_naming_the_upgrade(release: Release) -> None:
    before = everything(release.engine)
    store = release.store()
    with pytest.raises(SchemaVersionError) as refused, store.unit_of_work():
        pass  # pragma: no cover - never entered
    error = refused.value
    assert (error.found, error.expected) == (1, SCHEMA_VERSION)
    assert isinstance(error, PersistenceError)
    message = str(error)
    assert "snapplan 0.1.0" in message
    assert f"`snapplan upgrade --db {store.shown_url}`" in message
    assert "snapplan.adapters.sql.upgrade(store)" in message
    assert "\n" not in message
    with pytest.raises(SchemaVersionError, match="snapplan upgrade --db"):
        store.create_schema()  # it would have made the new tables over the old ones
    with pytest.raises(SchemaVersionError):  # asked again, refused again: nothing remembered
        store.unit_of_work().__enter__()
    assert everything(release.engine) == before


# -- the upgrade ---------------------------------------------------------------------------------


def test_the_upgrade_keeps_every_row_and_every_plan_verifies(release: Release) -> None:
    needs_before = requirements_as_0_1_0_read_them(release.store())
    store = release.store()

    result = upgrade(store)

    assert (result.from_version, result.to_version, result.changed) == (1, SCHEMA_VERSION, True)
    assert "computed the digests of 8 runs (the ledger's hash chain)" in result.done
    counts = row_counts(release.engine)
    assert counts.pop("snapplan_schema_versions") == 1
    assert counts == {
        **RELEASE_ROWS,
        "snapplan_products": 0,
        "snapplan_prices": 0,
        "snapplan_pantry": 0,
        "snapplan_plan_contents": 0,  # plans without contents are read whole
    }
    assert store.schema_version() == SCHEMA_VERSION
    with store.unit_of_work() as uow:
        plans = uow.plans.all()
        assert uow.runs.count() == 8
        assert all(i.measures == () for i in uow.ingredients.all())
    assert len(plans) == 2
    for plan in plans:
        assert verify_plan(store.unit_of_work(), plan.id).ok  # snapshots and the ledger's chain
        assert plan_requirements(store.unit_of_work(), plan.id) == needs_before[plan.id]
    latest = max(plans, key=lambda p: p.created_at)
    done = plan_progress(store.unit_of_work(), latest.id)
    assert done.plan_id == latest.id
    assert pantry(store.unit_of_work()).items  # what the kitchen's runs used comes off it


def test_the_upgraded_database_takes_new_work(release: Release) -> None:
    store = release.store()
    store.upgrade()
    with store.unit_of_work() as uow:
        plans = uow.plans.all()
        latest = max(plans, key=lambda p: p.created_at)
        recipe_id = latest.production_targets[0].recipe_id
        products = uow.products.count()
    run = record_production(store.unit_of_work(), latest.id, recipe_id, 1, key="after-upgrade")
    assert run.seq == 9  # appended to the sealed ledger of 8 runs
    assert verify_plan(store.unit_of_work(), latest.id).ok
    assert products == 0
    with store.unit_of_work(writing=True) as uow:
        flour = next(i for i in uow.ingredients.all() if i.name == "Flour")
    from snapplan import Product

    bag = Product(flour.id, "Flour 1 kg", Decimal(1000), "g")
    with store.unit_of_work(writing=True) as uow:
        uow.products.add(bag)
        uow.commit()
    record_purchase(store.unit_of_work(), bag.id, 2)
    assert pantry(store.unit_of_work()).items


def test_the_upgraded_tables_are_the_ones_create_schema_makes(
    release: Release, fresh_engine: sa.Engine
) -> None:
    release.store().upgrade()
    tables_as_created_today(release.engine, fresh_engine)


def test_upgrading_again_has_nothing_to_do(release: Release) -> None:
    store = release.store()
    store.upgrade()
    before = everything(release.engine)
    again = store.upgrade()
    assert (again.from_version, again.to_version, again.done, again.changed) == (2, 2, (), False)
    assert everything(release.engine) == before


# -- all or nothing ----------------------------------------------------------------------------


def _fail_creating_the_pantry(monkeypatch: pytest.MonkeyPatch) -> None:
    # After the ledger was sealed and every old table reshaped (on SQLite: rebuilt).
    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(schema.pantry, "create", boom)


def _fail_recording_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    # The very last step.
    def boom(connection: sa.Connection) -> bool:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(upgrading, "record_current_version", boom)


def _fail_after_sealing_the_ledger(monkeypatch: pytest.MonkeyPatch) -> None:
    # Early: the triggers were dropped, nothing else.
    real = step_2._seal_the_ledger

    def boom(connection: sa.Connection) -> int:
        real(connection)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(step_2, "_seal_the_ledger", boom)


@pytest.mark.parametrize(
    "failure",
    [_fail_after_sealing_the_ledger, _fail_creating_the_pantry, _fail_recording_the_version],
)
def test_a_failure_in_the_middle_leaves_the_database_exactly_as_it_was(
    release: Release,
    monkeypatch: pytest.MonkeyPatch,
    failure: Callable[[pytest.MonkeyPatch], None],
) -> None:
    before = everything(release.engine)
    failure(monkeypatch)
    store = release.store()
    with pytest.raises(RuntimeError, match="the disk is full"):
        store.upgrade()
    assert everything(release.engine) == before
    assert store.schema_version() == 1
    monkeypatch.undo()
    assert store.upgrade().changed  # and it upgrades once the fault is gone
    with store.unit_of_work() as uow:
        assert all(verify_plan(store.unit_of_work(), p.id).ok for p in uow.plans.all())


# -- versions ----------------------------------------------------------------------------------


def test_create_schema_records_the_current_version(sqlite_file: Path) -> None:
    store = SqlStore.from_url(f"sqlite:///{sqlite_file}")
    assert store.schema_version() is None
    store.create_schema()
    store.create_schema()  # again: recorded once
    assert store.schema_version() == SCHEMA_VERSION
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(schema.schema_versions)).all()
    assert [(row.version, row.release) for row in rows] == [(SCHEMA_VERSION, "0.1.0")]
    store.dispose()


def test_tables_made_from_the_metadata_without_a_version_open_and_upgrade_records_it(
    sqlite_file: Path,
) -> None:
    """A host's migrations made the tables from :data:`metadata`: the version is unrecorded,
    the tables are today's, so the store opens; ``upgrade`` only records the version."""
    engine = sa.create_engine(f"sqlite:///{sqlite_file}")
    metadata.create_all(engine)
    store = SqlStore(engine)
    with store.unit_of_work() as uow:
        assert uow.plans.count() == 0
    assert store.schema_version() == SCHEMA_VERSION
    result = store.upgrade()
    assert (result.from_version, result.changed) == (SCHEMA_VERSION, False)
    assert result.done == (f"recorded schema version {SCHEMA_VERSION}",)
    assert store.upgrade().done == ()
    engine.dispose()


def test_an_empty_database_is_created_by_upgrade(sqlite_file: Path) -> None:
    store = SqlStore.from_url(f"sqlite:///{sqlite_file}")
    result = store.upgrade()
    assert (result.from_version, result.to_version) == (None, SCHEMA_VERSION)
    with store.unit_of_work() as uow:
        assert uow.pantry.count() == 0
    store.dispose()


def _from_the_future(store: SqlStore, version: int) -> None:
    store.create_schema()
    with store.engine.begin() as conn:
        conn.execute(
            schema.schema_versions.insert(),
            {
                "version": version,
                "release": "9.0.0",
                "applied_at": datetime.datetime.now(datetime.UTC),
            },
        )


def test_a_database_of_a_newer_snapplan_is_refused(sqlite_file: Path) -> None:
    store = SqlStore.from_url(f"sqlite:///{sqlite_file}")
    _from_the_future(store, SCHEMA_VERSION + 1)
    later = SqlStore.from_url(f"sqlite:///{sqlite_file}")
    with pytest.raises(SchemaVersionError) as refused, later.unit_of_work():
        pass  # pragma: no cover - never entered
    assert (refused.value.found, refused.value.expected) == (SCHEMA_VERSION + 1, SCHEMA_VERSION)
    assert "written by a newer snapplan" in str(refused.value)
    assert "pip install --upgrade snapplan" in str(refused.value)
    for attempt in (later.upgrade, later.create_schema):
        with pytest.raises(SchemaVersionError, match="newer snapplan"):
            attempt()
    assert later.schema_version() == SCHEMA_VERSION + 1
    store.dispose()
    later.dispose()


def test_a_store_in_the_callers_transaction_checks_the_version_there(release: Release) -> None:
    store = release.store()
    with release.engine.connect() as conn, conn.begin():
        with pytest.raises(SchemaVersionError), store.unit_of_work(connection=conn):
            pass  # pragma: no cover - never entered
        assert conn.in_transaction()  # the caller's transaction is the caller's to end


@pytest.mark.mariadb
def test_mariadb_was_never_written_by_0_1_0_so_only_the_version_is_recorded() -> None:
    from mariadb_databases import fresh_database, url_of

    with fresh_database("snapplan_upgrade") as database:
        engine = sa.create_engine(url_of(database))
        try:
            metadata.create_all(engine)  # as main wrote MariaDB stores: no version recorded
            store = SqlStore(engine)
            result = store.upgrade()
            assert (result.from_version, result.changed) == (SCHEMA_VERSION, False)
            assert store.schema_version() == SCHEMA_VERSION
            # A 0.1.0 shape there (no release made one) is refused, not half upgraded.
            with engine.begin() as conn:
                conn.exec_driver_sql("DELETE FROM snapplan_schema_versions")
                conn.exec_driver_sql("ALTER TABLE snapplan_ingredients DROP COLUMN measures")
            with pytest.raises(SchemaVersionError, match="DDL is not transactional"):
                store.upgrade()
            assert store.schema_version() == 1
        finally:
            engine.dispose()


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "bakery.sqlite"


def test_the_sqlite_fixture_is_left_untouched_by_the_tests() -> None:
    """The fixture file itself is read only through copies."""
    with sqlite3.connect(
        f"file:{FIXTURES / 'release-0.1.0.sqlite'}?mode=ro&immutable=1", uri=True
    ) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "snapplan_schema_versions" not in names
    assert "snapplan_pantry" not in names


def test_two_upgrades_at_once_run_one_after_the_other(release: Release) -> None:
    """Two processes' upgrades (two stores, two threads): the one that gets the lock first
    upgrades, the other waits and then finds nothing to do."""
    stores = [release.store(), release.store()]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda store: store.upgrade(), stores))
    assert sorted(r.from_version for r in results) == [1, 2]
    assert sorted(r.changed for r in results) == [False, True]
    assert row_counts(release.engine)["snapplan_runs"] == RELEASE_ROWS["snapplan_runs"]
    with stores[0].unit_of_work() as uow:
        assert all(verify_plan(stores[0].unit_of_work(), p.id).ok for p in uow.plans.all())


def test_snapplans_alembic_revision_upgrades_a_database_of_0_1_0(
    release: Release, tmp_path: Path
) -> None:
    """The revision in snapplan.adapters.sql:migrations, as a host's Alembic runs it."""
    alembic_config = pytest.importorskip("alembic.config", reason="the docs extra has Alembic")
    from alembic import command

    config = alembic_config.Config()
    config.set_main_option("script_location", str(tmp_path / "migrations"))
    config.set_main_option("path_separator", "space")
    config.set_main_option("version_locations", "snapplan.adapters.sql:migrations")
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "env.py").write_text(
        "from alembic import context\n"
        "connection = context.config.attributes['connection']\n"
        "context.configure(connection=connection, target_metadata=None)\n"
        "with context.begin_transaction():\n"
        "    context.run_migrations()\n"
    )
    store = release.store()  # its engine: on SQLite, a real transaction (configured)
    with release.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
    assert store.schema_version() == SCHEMA_VERSION
    with store.unit_of_work() as uow:
        assert all(verify_plan(store.unit_of_work(), p.id).ok for p in uow.plans.all())
    with release.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [
            ("snapplan_0002",)
        ]


def test_a_0_1_0_database_that_an_unreleased_snapplan_added_tables_to_upgrades_too(
    release: Release, fresh_engine: sa.Engine
) -> None:
    """Before this change, ``create_schema`` (``snapplan load``, ``demo``, ``sync``) on a 0.1.0
    database added the new tables beside the old ones and recorded nothing: the ingredients
    without measures still say version 1, and the upgrade keeps the tables it finds."""
    SqlStore(release.engine)  # its engine configured, as create_schema had it
    for table in (schema.products, schema.prices, schema.pantry):
        table.create(release.engine)
    store = release.store()
    assert store.schema_version() == 1
    assert store.upgrade().changed
    with store.unit_of_work() as uow:
        assert all(verify_plan(store.unit_of_work(), p.id).ok for p in uow.plans.all())
    tables_as_created_today(release.engine, fresh_engine)
