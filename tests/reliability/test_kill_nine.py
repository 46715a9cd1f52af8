"""A planner killed with SIGKILL at any point leaves nothing or the whole plan, never a part.

The parent stocks a database and closes it; a child process (``reliability_child.py``) plans
the event through a :class:`~snapplan.testing.faults.FaultyStore` whose hooks pause it at one
point and say so on stdout. The parent then kills it with SIGKILL — no ``finally``, no
rollback, no clean close — reopens the database with a fresh store and compares its contents
with what was there before and with the same plan made on a :class:`MemoryStore`.

Points: before each write of ``create_plan``, in the middle of the snapshots' ``executemany``
(SQLite: a TEMP trigger calls back into the child after the K-th row), just before the real
commit (all three must leave *nothing*), and after ``create_plan`` returned (the *whole* plan).
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from reliability_support import (
    WAIT,
    Bakery,
    Database,
    Expected,
    all_or_nothing,
    bakery,
    children,
    contents_of,
    expected_plan,
    sqlite_integrity,
    stock,
)

from snapplan import create_plan
from snapplan.adapters.memory import MemoryStore
from snapplan.testing.catalog import save
from snapplan.testing.faults import count_writes

WRITES = 3  # create_plan: snapshots.add_many, events.update, plans.add
WRITE_POINTS = [f"write:{k}" for k in range(1, WRITES + 1)]
ROWS = 12  # snapshots of one plan of the bakery's event
ROW_POINTS = ["row:1", f"row:{ROWS // 2}", f"row:{ROWS}"]
BEFORE_COMMIT = [*WRITE_POINTS, *ROW_POINTS, "commit"]
POINTS = [*BEFORE_COMMIT, "after-commit"]


@pytest.fixture(scope="module")
def expected() -> Expected:
    """The bakery, and its plan made on a memory store."""
    return expected_plan(bakery())


def test_the_kill_points_are_every_write_and_the_snapshot_rows(expected: Expected) -> None:
    catalog = expected.catalog
    memory = MemoryStore()
    save(memory, *catalog.items)
    assert count_writes(memory, lambda s: create_plan(s.unit_of_work(), catalog.event.id)) == WRITES
    assert expected.result.snapshots_written == ROWS
    assert expected.result.recipe_snapshots_created == len(catalog.event.production_targets)
    assert expected.result.finished_good_snapshots_created == len(catalog.event.assembly_targets)


def kill_planner_at(
    point: str,
    database: Database,
    catalog: Bakery,
    folder: Path,
    while_paused: Callable[[], None],
    **engine_kwargs: object,
) -> None:
    """Run a planning child until it pauses at ``point``, look (``while_paused``), SIGKILL it."""
    request = {
        "command": "kill",
        "url": database.url,
        "engine_kwargs": {**database.engine_kwargs, **engine_kwargs},
        "event_id": str(catalog.event.id),
        "point": point,
    }
    with children([request], folder) as (child,):
        message = child.message()
        assert message.get("paused") == point, message
        while_paused()
        child.kill_hard()


def assert_usable_afterwards(database: Database, catalog: Bakery, outcome: str) -> None:
    """The killed planner left no lock behind: planning again works (or is idempotent)."""
    with database.open() as store:
        before = contents_of(database)
        result = create_plan(store.unit_of_work(), catalog.event.id)
        if outcome == "whole":
            assert (result.plan_id, result.snapshots_written) == (before["plans"][0].id, 0)
        else:
            assert result.snapshots_written == ROWS


def holds_write_lock(path: Path) -> bool:
    """True when another connection holds the SQLite file's write lock right now."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise
        return True
    else:
        conn.execute("ROLLBACK")
        return False
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_sqlite_planner_killed_at_any_point_leaves_nothing_or_the_whole_plan(
    point: str, expected: Expected, tmp_path: Path, make_database: Callable[..., Database]
) -> None:
    catalog = expected.catalog
    database = make_database("sqlite")
    path = database.path
    assert path is not None
    stock(database, catalog)
    before = contents_of(database)

    def writing_when_killed() -> None:
        # The planner's unit of work began as a writer (BEGIN IMMEDIATE): it holds the write
        # lock from its first statement until its commit.
        writing = point != "after-commit"
        assert holds_write_lock(path) == writing

    kill_planner_at(point, database, catalog, tmp_path, writing_when_killed)
    with database.open() as store:  # a fresh engine: recovers the WAL the child left
        assert sqlite_integrity(store) == ["ok"]
    outcome = all_or_nothing(before, contents_of(database), expected)
    assert outcome == ("nothing" if point in BEFORE_COMMIT else "whole")
    assert_usable_afterwards(database, catalog, outcome)
    with database.open() as store:
        assert sqlite_integrity(store) == ["ok"]


@pytest.fixture
def postgres(make_database: Callable[..., Database]) -> Database:
    """An empty database on the PostgreSQL server, no store open on it."""
    return make_database("postgres")


def backend_states(database: Database, application_name: str) -> list[str]:
    """The states of the server sessions a client opened under ``application_name``."""
    engine = sa.create_engine(database.url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT state FROM pg_stat_activity WHERE application_name = :name"),
                {"name": application_name},
            )
            return [row.state for row in rows]
    finally:
        engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("point", [*WRITE_POINTS, "commit", "after-commit"])
def test_postgres_planner_killed_at_any_point_leaves_nothing_or_the_whole_plan(
    point: str, expected: Expected, postgres: Database, tmp_path: Path
) -> None:
    catalog = expected.catalog
    stock(postgres, catalog)
    before = contents_of(postgres)
    name = f"snapplan-kill-{uuid.uuid4().hex[:12]}"
    connect_args = {**postgres.engine_kwargs["connect_args"], "application_name": name}

    def in_transaction_when_killed() -> None:
        states = backend_states(postgres, name)
        assert states == (["idle"] if point == "after-commit" else ["idle in transaction"])

    kill_planner_at(
        point, postgres, catalog, tmp_path, in_transaction_when_killed, connect_args=connect_args
    )
    # The server notices the dead client and ends its transaction, releasing its locks.
    deadline = time.monotonic() + WAIT
    while backend_states(postgres, name):
        assert time.monotonic() < deadline, "the killed planner's server session lingers"
        time.sleep(0.05)
    outcome = all_or_nothing(before, contents_of(postgres), expected)
    assert outcome == ("nothing" if point in BEFORE_COMMIT else "whole")
    assert_usable_afterwards(postgres, catalog, outcome)
