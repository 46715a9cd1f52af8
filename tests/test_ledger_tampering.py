"""The ledger is as tamper-evident as the snapshots (issue 14, part 5), on every store.

Tampering is done the way someone with access to the storage would do it: on the memory store
by reaching into its committed state, on SQL stores by raw SQL with the append-only triggers
dropped or disabled first (as someone with DDL rights, or with the SQLite file, could). Every
service that reads an event's ledger then raises ``LedgerIntegrityError`` naming the event and
the run number, writes nothing, and ``verify_plan`` reports a ``ledger_mismatch`` instead.
"""

from __future__ import annotations

import itertools
import sqlite3
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
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
    LedgerIntegrityError,
    MaterialUnit,
    PersistenceError,
    Problem,
    ProblemKind,
    ProductionRun,
    ProductionTarget,
    Recipe,
    create_plan,
    plan_progress,
    record_assembly,
    record_production,
    record_waste,
    verify_plan,
    void_run,
)
from snapplan.adapters.memory import MemoryStore
from snapplan.domain.runs import Run
from snapplan.testing.catalog import save
from snapplan.testing.contents import store_contents

FIXTURES = Path(__file__).parent / "fixtures"


@attrs.frozen
class Kitchen:
    """A planned event and its ledger: a burnt tray (13 cookies), a full tray (48), two gift
    boxes (12 cookies) and a dropped cookie: runs 1 to 4."""

    store: Any
    event_id: uuid.UUID
    plan_id: uuid.UUID
    cookies: uuid.UUID
    cookie: uuid.UUID
    box: uuid.UUID
    runs: tuple[Run, ...]


def kitchen(store: Any) -> Kitchen:
    flour = Ingredient("Flour")
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, 500, "g")])
    cookie = FinishedUnit("Cookie", cookies.id, 48)
    ribbon = MaterialUnit("Ribbon")
    box = FinishedGood(
        "Gift box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
        ],
    )
    event = Event("Market", [ProductionTarget(cookies.id, 3)], [AssemblyTarget(box.id, 8)])
    save(store, flour, cookies, cookie, ribbon, box, event)
    plan_id = create_plan(store.unit_of_work(), event.id).plan_id
    runs = (
        record_production(store.unit_of_work(), plan_id, cookies.id, 1, items=13),
        record_production(store.unit_of_work(), plan_id, cookies.id, 1),
        record_assembly(store.unit_of_work(), plan_id, box.id, 2),
        record_waste(store.unit_of_work(), plan_id, cookie.id, 1, reason="dropped"),
    )
    return Kitchen(store, event.id, plan_id, cookies.id, cookie.id, box.id, runs)


# -- tampering behind snapplan's back ---------------------------------------------------------


def _unguarded(store: Any, change: Callable[[sa.Connection], None]) -> None:
    """Run ``change`` on a SQL store's database with the ledger's triggers out of the way."""
    from snapplan.adapters.sql import immutability_ddl

    with store.engine.begin() as conn:
        name = conn.dialect.name
        if name in ("sqlite", "mariadb"):
            triggers = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'snapplan_runs'"
                if name == "sqlite"
                else "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                "WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 'snapplan_runs'"
            ).scalars()
            for trigger in list(triggers):
                conn.exec_driver_sql(f"DROP TRIGGER {trigger}")
            change(conn)
            for statement in immutability_ddl(name):
                conn.exec_driver_sql(statement)
        else:
            conn.exec_driver_sql("ALTER TABLE snapplan_runs DISABLE TRIGGER USER")
            change(conn)
            conn.exec_driver_sql("ALTER TABLE snapplan_runs ENABLE TRIGGER USER")


def _runs_table() -> sa.Table:
    from snapplan.adapters.sql import metadata

    return metadata.tables["snapplan_runs"]  # its id type as each engine stores it


def replace_run(store: Any, run: Run) -> None:
    """Store ``run`` over the stored run of its id (its digest as given)."""
    if isinstance(store, MemoryStore):
        store._state.tables["runs"][run.id] = run
        return
    from snapplan.adapters.converter import converter

    document = converter.unstructure(run, unstructure_as=Run)
    runs = _runs_table()
    replaced = runs.update().where(runs.c.id == run.id).values(document=document)
    _unguarded(store, lambda conn: conn.execute(replaced))


def remove_run(store: Any, run: Run) -> None:
    """Delete a stored run."""
    if isinstance(store, MemoryStore):
        del store._state.tables["runs"][run.id]
        for column in ("event_id", "plan_id"):
            store._state.indexes["runs", column][getattr(run, column)].remove(run.id)
        return
    runs = _runs_table()
    _unguarded(store, lambda conn: conn.execute(runs.delete().where(runs.c.id == run.id)))


def _edited(run: Run) -> Run:
    assert isinstance(run, ProductionRun)
    return attrs.evolve(run, items=Decimal(480))


def content_changed(k: Kitchen) -> int:
    """Run 2's items changed from 48 to 480, its digest left as it was: run 2 is reported."""
    replace_run(k.store, _edited(k.runs[1]))
    return 2


def digest_recomputed(k: Kitchen) -> int:
    """Run 2's items changed and its digest recomputed, run 3's not: run 3 is reported."""
    forged = _edited(k.runs[1])
    replace_run(k.store, attrs.evolve(forged, digest=forged.expected_digest(k.runs[0].digest)))
    return 3


def run_removed(k: Kitchen) -> int:
    """Run 2 deleted, leaving a hole: the missing run 2 is reported."""
    remove_run(k.store, k.runs[1])
    return 2


TAMPERING = [content_changed, digest_recomputed, run_removed]


# -- every read of the ledger checks it --------------------------------------------------------


@pytest.mark.parametrize("tamper", TAMPERING, ids=lambda t: t.__name__)
def test_a_tampered_ledger_is_refused_by_every_service_that_reads_it(
    store: Any, tamper: Callable[[Kitchen], int]
) -> None:
    k = kitchen(store)
    seq = tamper(k)
    before = store_contents(store)
    reads: dict[str, Callable[[], object]] = {
        "plan_progress": lambda: plan_progress(store.unit_of_work(), k.plan_id),
        "record_production": lambda: record_production(
            store.unit_of_work(), k.plan_id, k.cookies, 1
        ),
        "record_assembly": lambda: record_assembly(store.unit_of_work(), k.plan_id, k.box, 1),
        "record_waste": lambda: record_waste(
            store.unit_of_work(), k.plan_id, k.cookie, 1, reason="eaten"
        ),
        "void_run": lambda: void_run(store.unit_of_work(), k.runs[0].id, reason="miscounted"),
    }
    for name, read in reads.items():
        with pytest.raises(LedgerIntegrityError) as caught:
            read()
        assert (caught.value.event_id, caught.value.seq) == (k.event_id, seq), name
        assert f"run {seq}" in str(caught.value), name
        assert str(k.event_id) in str(caught.value), name
        assert "verify_plan" in str(caught.value), name
    assert store_contents(store) == before  # nothing written on top of a broken chain


@pytest.mark.parametrize("tamper", TAMPERING, ids=lambda t: t.__name__)
def test_verify_plan_reports_a_tampered_ledger_naming_the_event_and_the_run(
    store: Any, tamper: Callable[[Kitchen], int]
) -> None:
    k = kitchen(store)
    assert verify_plan(store.unit_of_work(), k.plan_id).ok
    seq = tamper(k)

    checked = verify_plan(store.unit_of_work(), k.plan_id)

    assert not checked.ok
    (problem,) = checked.problems
    assert problem.kind is ProblemKind.LEDGER_MISMATCH
    assert problem.kind.value == "ledger_mismatch"
    assert (problem.event_id, problem.seq, problem.snapshot_id) == (k.event_id, seq, None)
    expected_run = None if tamper is run_removed else k.runs[seq - 1].id
    assert problem.run_id == expected_run
    assert f"run {seq}" in problem.detail
    assert str(k.event_id) in problem.detail
    assert checked.root_digest is not None  # the snapshots themselves are fine


def test_verify_plan_reports_every_break_of_the_ledger_at_once(store: Any) -> None:
    k = kitchen(store)
    replace_run(store, _edited(k.runs[0]))
    remove_run(store, k.runs[2])
    checked = verify_plan(store.unit_of_work(), k.plan_id)
    assert [(p.kind, p.seq) for p in checked.problems] == [
        (ProblemKind.LEDGER_MISMATCH, 1),
        (ProblemKind.LEDGER_MISMATCH, 3),
    ]
    assert "run 3 of event" in checked.problems[1].detail


def test_an_untouched_ledger_reads_back_as_recorded_and_holds_together(store: Any) -> None:
    k = kitchen(store)
    with store.unit_of_work() as uow:
        stored = uow.runs.for_event(k.event_id)
        assert stored == k.runs  # digests included
        assert [uow.runs.get(run.id) for run in k.runs] == list(k.runs)
    assert [run.digest for run in stored] == [run.digest for run in k.runs]
    assert len({run.digest for run in stored}) == 4
    assert stored[0].digest == stored[0].expected_digest(str(k.event_id))
    for before, run in itertools.pairwise(stored):
        assert run.digest == run.expected_digest(before.digest)
    assert verify_plan(store.unit_of_work(), k.plan_id).problems == ()


def test_a_retry_returns_the_run_it_repeats_with_its_own_digest(store: Any) -> None:
    k = kitchen(store)
    first = record_production(store.unit_of_work(), k.plan_id, k.cookies, 1, key="tray-9")
    record_waste(store.unit_of_work(), k.plan_id, k.cookie, 2, reason="eaten")
    # the retry's draft would chain from run 6; the run it repeats chained from run 4
    again = record_production(store.unit_of_work(), k.plan_id, k.cookies, 1, key="tray-9")
    assert again == first
    assert again.digest == first.digest
    with store.unit_of_work() as uow:
        assert uow.runs.count() == 6


# -- the attack that went unnoticed: editing a stored run's bytes --------------------------------


def _bytes_edited(document: str) -> str:
    assert document.count('"items": "13"') == 1, document
    return document.replace('"items": "13"', '"items": "93"')


def test_thirteen_items_edited_to_ninety_three_in_the_sql_database_is_caught(
    sql_store: Any,
) -> None:
    k = kitchen(sql_store)
    produced = plan_progress(sql_store.unit_of_work(), k.plan_id).finished_units[0].produced
    assert produced == 13 + 48
    engine: sa.Engine = sql_store.engine
    if engine.dialect.name == "sqlite":
        # with the file and Python's own sqlite3, as anyone who can read the file could
        assert engine.url.database is not None
        sql_store.dispose()
        raw = sqlite3.connect(engine.url.database)
        for (trigger,) in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'snapplan_runs'"
        ).fetchall():
            raw.execute(f"DROP TRIGGER {trigger}")
        (document,) = raw.execute("SELECT document FROM snapplan_runs WHERE seq = 1").fetchone()
        raw.execute(
            "UPDATE snapplan_runs SET document = ? WHERE seq = 1", (_bytes_edited(document),)
        )
        raw.commit()
        raw.close()
        from snapplan.adapters.sql import SqlStore

        store = SqlStore(sa.create_engine(engine.url))
    elif engine.dialect.name == "mariadb":
        store = sql_store

        def edit(conn: sa.Connection) -> None:
            document = conn.exec_driver_sql(
                "SELECT document FROM snapplan_runs WHERE seq = 1"
            ).scalar_one()
            conn.execute(
                sa.text("UPDATE snapplan_runs SET document = :d WHERE seq = 1"),
                {"d": _bytes_edited(document)},
            )

        _unguarded(store, edit)
    else:
        store = sql_store
        with engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE snapplan_runs DISABLE TRIGGER USER")
            document = conn.exec_driver_sql(
                "SELECT document::text FROM snapplan_runs WHERE seq = 1"
            ).scalar_one()
            conn.execute(
                sa.text("UPDATE snapplan_runs SET document = CAST(:d AS json) WHERE seq = 1"),
                {"d": _bytes_edited(document)},
            )
            conn.exec_driver_sql("ALTER TABLE snapplan_runs ENABLE TRIGGER USER")
    try:
        with store.unit_of_work() as uow:  # the edit itself reads back as a valid run
            assert uow.runs.get(k.runs[0].id).items == 93
        with pytest.raises(LedgerIntegrityError) as caught:
            plan_progress(store.unit_of_work(), k.plan_id)
        assert (caught.value.event_id, caught.value.seq) == (k.event_id, 1)
        (problem,) = verify_plan(store.unit_of_work(), k.plan_id).problems
        assert (problem.kind, problem.seq) == (ProblemKind.LEDGER_MISMATCH, 1)
    finally:
        if store is not sql_store:
            store.dispose()


# -- a ledger written before digests ---------------------------------------------------------


def test_a_run_stored_without_a_digest_says_the_store_must_be_upgraded(sql_store: Any) -> None:
    k = kitchen(sql_store)

    def strip(conn: sa.Connection) -> None:
        if conn.dialect.name in ("sqlite", "mariadb"):
            conn.exec_driver_sql(
                "UPDATE snapplan_runs SET document = json_remove(document, '$.digest')"
            )
        else:
            conn.exec_driver_sql(
                "UPDATE snapplan_runs SET document = (document::jsonb - 'digest')::json"
            )

    _unguarded(sql_store, strip)
    with sql_store.unit_of_work() as uow, pytest.raises(PersistenceError) as caught:
        uow.runs.for_event(k.event_id)
    assert not isinstance(caught.value, LedgerIntegrityError)
    assert "no digest" in str(caught.value)
    assert "0.1.0" in str(caught.value)
    assert "upgraded" in str(caught.value)
    with pytest.raises(PersistenceError, match="must be upgraded"):
        plan_progress(sql_store.unit_of_work(), k.plan_id)


@pytest.mark.postgres
def test_the_ledger_of_release_0_1_0_is_refused_then_upgraded_into_a_chain() -> None:
    """The PostgreSQL dump written by snapplan 0.1.0 (tests/fixtures): its runs have no digest.
    The store refuses it, naming the upgrade; once upgraded, its ledger is a chain that holds
    (tests/sql/test_upgrade.py tests the upgrade itself)."""
    from postgres_schemas import fresh_schema, postgres_url, search_path

    from snapplan import SchemaVersionError
    from snapplan.adapters.sql import SqlStore

    dump = (FIXTURES / "release-0.1.0-postgres.sql").read_text()
    with fresh_schema("snapplan_release") as schema:
        dump = dump.replace("SELECT pg_catalog.set_config('search_path', '', false);", "")
        dump = dump.replace("public.", f'"{schema}".')
        engine = sa.create_engine(postgres_url(), connect_args=search_path(schema))
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(dump)
            store = SqlStore(engine)
            with pytest.raises(SchemaVersionError, match=r"written by snapplan 0\.1\.0"):
                store.unit_of_work().__enter__()
            store.upgrade()
            with store.unit_of_work() as uow:
                plans = uow.plans.all()
                assert len(plans) == 2
                ledger = uow.runs.for_event(plans[0].event_id)
            assert [run.seq for run in ledger] == list(range(1, 9))
            latest = max(plans, key=lambda p: p.created_at)
            assert verify_plan(store.unit_of_work(), latest.id).problems == ()
            plan_progress(store.unit_of_work(), latest.id)
        finally:
            engine.dispose()


def test_problems_name_what_they_are_about() -> None:
    """A ledger problem's fields, as hosts read them (the snapshot ones default to None)."""
    problem = Problem(
        ProblemKind.LEDGER_MISMATCH, None, "run 2 is missing", event_id=uuid.UUID(int=1), seq=2
    )
    assert (problem.event_id, problem.seq, problem.run_id) == (uuid.UUID(int=1), 2, None)
    assert Problem(ProblemKind.LOOP, None, "x").seq is None
