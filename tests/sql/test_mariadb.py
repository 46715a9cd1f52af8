"""MariaDB (and MySQL): what differs underneath, held to the answers of the other engines.

- Names and keys compare byte for byte (MariaDB's default collations ignore case and accents),
  whichever of SQLAlchemy's two spellings of the URL a host uses, and a database written
  through one spelling reads the same through the other.
- Times are the same instant whatever the session's ``time_zone``.
- Under InnoDB's REPEATABLE READ, a writer whose snapshot a rival's commit has overtaken gets
  ``ConflictError`` (a duplicate ``seq``, a deadlock, a lock wait timeout, a record changed
  since its snapshot), never a write computed from stale stock.
- ``TRUNCATE`` fires no trigger: the application's database user of the how-to (``SELECT``,
  ``INSERT``, ``UPDATE``, ``DELETE``) runs snapplan and can neither truncate nor drop a trigger.
"""

from __future__ import annotations

import datetime
import threading
import uuid
from collections.abc import Callable, Iterator

import attrs
import pytest
import sqlalchemy as sa
from stores import Database

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    ConflictError,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    ProductionTarget,
    Recipe,
    create_plan,
    plan_progress,
    record_assembly,
    record_production,
)
from snapplan.adapters.sql import SqlStore
from snapplan.testing.catalog import save

pytestmark = pytest.mark.mariadb

MakeDatabase = Callable[..., Database]
SPELLINGS = ["mariadb+pymysql", "mysql+pymysql"]
#: One name in different cases, with and without its accent (composed, and decomposed), and an
#: emoji: every one a name of its own, as on PostgreSQL and SQLite.
NAMES = ["Flour", "flour", "FLOUR", "Creme", "Cr\u00e8me", "Cre\u0300me", "\U0001f36a Cookie dough"]
KEYS = ["tray", "Tray", "Creme", "Cr\u00e8me", "\U0001f36a"]


def spelled(database: Database, drivername: str) -> Database:
    """The same database under another spelling of its URL."""
    url = sa.make_url(database.url).set(drivername=drivername)
    return Database(url.render_as_string(hide_password=False))


@pytest.fixture
def shared(make_database: MakeDatabase) -> Database:
    """The session's MariaDB database, emptied."""
    return make_database("mariadb")


@pytest.fixture(params=SPELLINGS)
def store(request: pytest.FixtureRequest, shared: Database) -> Iterator[SqlStore]:
    """A store on the emptied database, through each spelling of its URL."""
    with spelled(shared, request.param).open() as opened:
        yield opened


def bakery(store: SqlStore) -> tuple[uuid.UUID, Recipe, FinishedGood]:
    """(plan id, bread, a box of two loaves): planned."""
    bread = Recipe("Bread")
    loaf = FinishedUnit("Loaf", bread.id, 10)
    box = FinishedGood("Box", [Component(ComponentKind.FINISHED_UNIT, loaf.id, 2)])
    event = Event("Market", [ProductionTarget(bread.id, 2)], [AssemblyTarget(box.id, 5)])
    save(store, bread, loaf, box, event)
    return create_plan(store.unit_of_work(), event.id).plan_id, bread, box


# -- names compare as on the other engines ---------------------------------------------------


def test_names_differing_in_case_or_accent_are_different_names(store: SqlStore) -> None:
    ingredients = [Ingredient(name) for name in NAMES]
    save(store, *ingredients)
    with store.unit_of_work() as uow:
        assert [uow.ingredients.get(i.id).name for i in ingredients] == NAMES
        assert uow.ingredients.count() == len(NAMES)
    with store.engine.connect() as conn:  # lookups in SQL find one spelling only
        for name in NAMES:
            found = conn.execute(
                sa.text("SELECT name FROM snapplan_ingredients WHERE name = :name"),
                {"name": name},
            ).scalars()
            assert list(found) == [name]


def test_keys_differing_in_case_or_accent_are_different_keys(store: SqlStore) -> None:
    """Under a case- and accent-insensitive collation the unique (event, key) index would take
    "Tray" for "tray": a second tray would come back as the first, or be refused."""
    plan_id, bread, _ = bakery(store)
    runs = [record_production(store.unit_of_work(), plan_id, bread.id, 1, key=k) for k in KEYS]
    assert len({run.id for run in runs}) == len(KEYS)
    assert [run.key for run in runs] == KEYS
    again = record_production(store.unit_of_work(), plan_id, bread.id, 1, key="tray")
    assert again == runs[0]  # the same key and content: the run recorded, nothing written
    progress = plan_progress(store.unit_of_work(), plan_id)
    assert progress.recipes[0].produced_batches == len(KEYS)


def test_a_database_written_through_one_spelling_reads_the_same_through_the_other(
    shared: Database,
) -> None:
    for writer, reader in (SPELLINGS, SPELLINGS[::-1]):
        with spelled(shared, writer).open() as store:
            plan_id, bread, box = bakery(store)
            record_production(store.unit_of_work(), plan_id, bread.id, 1, key=f"by {writer}")
            record_assembly(store.unit_of_work(), plan_id, box.id, 2)
            written = plan_progress(store.unit_of_work(), plan_id)
            with store.unit_of_work() as uow:
                ledger = uow.runs.for_plan(plan_id)
        with spelled(shared, reader).open() as store:
            assert plan_progress(store.unit_of_work(), plan_id) == written
            with store.unit_of_work() as uow:
                assert uow.runs.for_plan(plan_id) == ledger
                assert uow.recipes.get(bread.id) == bread


# -- times -------------------------------------------------------------------------------------


def test_times_are_the_same_instant_whatever_the_session_time_zone(shared: Database) -> None:
    moment = datetime.datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC)
    with shared.open(connect_args={"init_command": "SET time_zone = '+05:30'"}) as store:
        bread = Recipe("Bread")
        event = Event("Market", [ProductionTarget(bread.id, 2)])
        save(store, bread, event)
        plan_id = create_plan(store.unit_of_work(), event.id, clock=lambda: moment).plan_id
        with store.unit_of_work() as uow:
            assert uow.connection.exec_driver_sql("SELECT @@time_zone").scalar() == "+05:30"
            assert uow.plans.get(plan_id).created_at == moment
    with shared.open() as store, store.unit_of_work() as uow:
        created = uow.plans.get(plan_id).created_at
        assert created == moment
        assert created.tzinfo is datetime.UTC
        stored = uow.connection.exec_driver_sql("SELECT created_at FROM snapplan_plans").scalar()
        assert stored == moment.replace(tzinfo=None)  # the UTC instant, to the microsecond


# -- concurrent writers under REPEATABLE READ ----------------------------------------------------


def test_a_recorder_whose_snapshot_a_rival_overtook_conflicts_instead_of_overselling(
    shared: Database,
) -> None:
    with shared.open() as store:
        plan_id, bread, box = bakery(store)
        record_production(store.unit_of_work(), plan_id, bread.id, 1)  # 10 loaves: 5 boxes
        with store.unit_of_work() as late:
            assert late.connection.get_isolation_level() == "REPEATABLE READ"  # InnoDB's default
            seen = late.runs.for_plan(plan_id)  # its snapshot: 10 loaves on hand
            record_assembly(store.unit_of_work(), plan_id, box.id, 4)  # a rival takes 8
            with pytest.raises(ConflictError):
                record_assembly(late, plan_id, box.id, 4)  # from the snapshot: 8 of 10
            assert late.runs.for_plan(plan_id) == seen  # (still the snapshot's ledger)
        progress = plan_progress(store.unit_of_work(), plan_id)
        assert (progress.goods[0].assembled, progress.finished_units[0].on_hand) == (4, 2)


def writers_crossing(store: SqlStore, one: Event, two: Event) -> dict[str, str]:
    """Two units each update one event, then the other's: each waits for the other's lock."""
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
        except ConflictError as error:
            outcomes[name] = f"conflict: {error}"
        except BaseException as error:
            outcomes[name] = f"error: {error!r}"

    threads = [
        threading.Thread(target=writer, args=("a", one, two)),
        threading.Thread(target=writer, args=("b", two, one)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_a_deadlock_is_a_conflict_for_the_victim(shared: Database) -> None:
    with shared.open() as store:
        one, two = Event("One"), Event("Two")
        save(store, one, two)
        outcomes = writers_crossing(store, one, two)
    assert sorted(o.split(":")[0] for o in outcomes.values()) == ["committed", "conflict"]
    assert "Deadlock" in "".join(outcomes.values())


def test_a_lock_wait_timeout_is_a_conflict(shared: Database) -> None:
    with shared.open() as store:
        event = Event("Market")
        save(store, event)
    short_wait = {"init_command": "SET SESSION innodb_lock_wait_timeout = 1"}
    with shared.open() as holder, shared.open(connect_args=short_wait) as waiter:
        with holder.unit_of_work() as first:
            first.events.update(attrs.evolve(event, name="First"))
            with (
                pytest.raises(ConflictError, match="Lock wait timeout"),
                waiter.unit_of_work() as second,
            ):
                second.events.update(attrs.evolve(event, name="Second"))
            first.commit()
        with waiter.unit_of_work() as uow:
            assert uow.events.get(event.id).name == "First"


def test_an_update_overtaken_since_the_snapshot_is_a_conflict_that_says_so(
    shared: Database,
) -> None:
    """Under REPEATABLE READ the unit still reads the version it began with: the message must
    not claim "it is at version 1, not 1"."""
    with shared.open() as store:
        event = Event("Market")
        save(store, event)
        with store.unit_of_work() as late:
            stale = late.events.get(event.id)  # the snapshot
            with store.unit_of_work() as rival:
                rival.events.update(attrs.evolve(event, name="Rival"))
                rival.commit()
            with pytest.raises(ConflictError) as caught:
                late.events.update(attrs.evolve(stale, name="Late"))
        assert "changed after this unit of work first read it" in str(caught.value)
        assert "version 1, not 1" not in str(caught.value)
        with store.unit_of_work() as uow:
            assert uow.events.get(event.id).name == "Rival"


def test_a_record_changed_since_the_snapshot_is_a_conflict(shared: Database) -> None:
    """MariaDB's ``innodb_snapshot_isolation`` (the default from 11.6) refuses to lock a row
    changed after the transaction's snapshot (error 1020) instead of reading past it."""
    with shared.open() as store:
        event = Event("Market")
        save(store, event)
    strict = {"init_command": "SET SESSION innodb_snapshot_isolation = ON"}
    with shared.open(connect_args=strict) as store:
        with store.unit_of_work() as late:
            stale = late.events.get(event.id)  # the snapshot
            with store.unit_of_work() as rival:
                rival.events.update(attrs.evolve(event, name="Rival"))
                rival.commit()
            with pytest.raises(ConflictError, match="Record has changed"):
                late.events.update(attrs.evolve(stale, name="Late"))
        with store.unit_of_work() as uow:
            assert uow.events.get(event.id).name == "Rival"


def test_a_duplicate_id_is_a_conflict_naming_the_item(shared: Database) -> None:
    flour = Ingredient("Flour")
    with shared.open() as store:
        save(store, flour)
        named = rf"Ingredient 'Another flour' \(id {flour.id}\) already exists"
        with pytest.raises(ConflictError, match=named):
            save(store, attrs.evolve(flour, name="Another flour"))


# -- what a trigger cannot refuse: privileges ------------------------------------------------------


@pytest.fixture
def application_user(shared: Database) -> Iterator[Database]:
    """The database user of the how-to: SELECT, INSERT, UPDATE, DELETE on snapplan's database."""
    url = sa.make_url(shared.url)
    user, password = f"snapplan_app_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    admin = sa.create_engine(url)
    try:
        with admin.begin() as conn:
            # text(): it doubles the % for the driver's format parameter style
            conn.execute(sa.text(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'"))
            conn.execute(
                sa.text(
                    f"GRANT SELECT, INSERT, UPDATE, DELETE ON `{url.database}`.* TO '{user}'@'%'"
                )
            )
        app_url = url.set(username=user, password=password)
        yield Database(app_url.render_as_string(hide_password=False))
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP USER IF EXISTS '{user}'@'%'"))
        admin.dispose()


def test_the_application_user_runs_snapplan_but_cannot_truncate_or_drop_triggers(
    application_user: Database,
) -> None:
    with application_user.open() as store:
        plan_id, bread, box = bakery(store)
        record_production(store.unit_of_work(), plan_id, bread.id, 1)
        record_assembly(store.unit_of_work(), plan_id, box.id, 1)
        before = plan_progress(store.unit_of_work(), plan_id)
        for statement in (
            "TRUNCATE TABLE snapplan_runs",
            "DROP TRIGGER snapplan_runs_refuse_delete",
            "DROP TABLE snapplan_plans",
            "ALTER TABLE snapplan_runs DROP INDEX uq_snapplan_runs_event_seq",
        ):
            with pytest.raises(sa.exc.DBAPIError, match="denied"), store.engine.begin() as conn:
                conn.exec_driver_sql(statement)
        for statement in ("DELETE FROM snapplan_runs", "UPDATE snapplan_plans SET seq = seq"):
            refused = pytest.raises(sa.exc.DBAPIError, match="append-only")
            with refused, store.engine.begin() as conn:
                conn.exec_driver_sql(statement)
        assert plan_progress(store.unit_of_work(), plan_id) == before


def test_truncate_is_what_the_triggers_cannot_see(shared: Database) -> None:
    """Why the privileges matter: a user with ``DROP`` empties the ledger past every trigger."""
    with shared.open() as store:
        plan_id, bread, _ = bakery(store)
        record_production(store.unit_of_work(), plan_id, bread.id, 1)
        with store.engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE TABLE snapplan_runs")
        assert plan_progress(store.unit_of_work(), plan_id).recipes[0].produced_batches == 0
