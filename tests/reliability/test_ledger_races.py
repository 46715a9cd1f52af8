"""Concurrent recorders of one event's ledger, in threads and in processes, on a SQLite file
and on PostgreSQL: never an oversell, never a second run for one key, never a gap in ``seq``.

The kitchen: 1 batch of brownies is baked (24 small brownies on hand); a mini box takes 2.
``WORKERS`` workers each try to box 5 mini boxes at once, retrying a lost race (the
``ConflictError`` of a taken ``seq``) until they are recorded or refused with a shortage. 24
brownies make 12 boxes: exactly two workers can succeed (10 boxes), every other must end with
a ``ShortageError``, and 4 brownies stay on hand. Released ``"after-read"``, every worker has
read the ledger before any of them writes, the case where a check-then-write store oversells
(each works in a unit of work it entered itself: see :mod:`releases`). Released ``"start"``,
each service enters its own unit, which on SQLite begins as a writer: the workers queue for the
write lock and none loses a race.

Then ``WORKERS`` workers record the same production with one idempotency key: one run is
written and every worker gets that run back.

The retries are counted. On PostgreSQL and MariaDB a lost race is a rival's committed run at
the ``seq`` the loser wanted, so no worker needs more attempts than there are workers: more
would mean lost races without a winner (deadlocks), which a retry loop would only absorb by
luck. (``bench/ledger_retries.py`` measures them over many rounds.)
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from releases import call
from reliability_support import WAIT, Database, children
from stores import SQL_KINDS, kind_params

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    ConflictError,
    Event,
    FinishedGood,
    FinishedUnit,
    ProductionRun,
    Recipe,
    ShortageError,
    create_plan,
    plan_progress,
    record_assembly,
    record_production,
)
from snapplan.testing.catalog import save
from snapplan.testing.faults import FaultyStore

WORKERS = 5
RELEASES = ["start", "after-read"]

pytestmark = pytest.mark.slow


@pytest.fixture(params=kind_params(SQL_KINDS))
def database(request: pytest.FixtureRequest, make_database: Callable[..., Database]) -> Database:
    """An empty database with snapplan's schema, no store open on it."""
    return make_database(request.param)


def kitchen(database: Database) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """(plan id, brownies recipe id, mini box id), with 24 small brownies baked."""
    brownies = Recipe("Brownies")
    small = FinishedUnit("Small brownie", brownies.id, 24)
    mini = FinishedGood("Mini box", [Component(ComponentKind.FINISHED_UNIT, small.id, 2)])
    event = Event("Market", [], [AssemblyTarget(mini.id, 50)])
    with database.open() as store:
        save(store, brownies, small, mini, event)
        plan = create_plan(store.unit_of_work(), event.id).plan_id
        record_production(store.unit_of_work(), plan, brownies.id, 1)
    return plan, brownies.id, mini.id


def in_threads(
    database: Database, release: str, action: Any, *args: Any, **kwargs: Any
) -> list[tuple[str, Any]]:
    """``WORKERS`` threads, one store, each its own units of work, retrying lost races; on a
    server, none needs more attempts than there are workers."""
    barrier = threading.Barrier(WORKERS, timeout=WAIT)
    outcomes: list[tuple[str, Any]] = [("error", "did not finish")] * WORKERS
    attempts = [0] * WORKERS

    with database.open() as store:

        def worker(number: int) -> None:
            waited = [False]

            def before_write(k: int, name: str) -> None:
                if release == "after-read" and not waited[0]:
                    waited[0] = True
                    barrier.wait()

            try:
                if release == "start":
                    barrier.wait()
                for _ in range(100):
                    attempts[number] += 1
                    try:
                        faulty = FaultyStore(store, on_write=before_write)
                        run = call(release, action, faulty.unit_of_work(), *args, **kwargs)
                        outcomes[number] = ("recorded", run)
                        return
                    except ConflictError:
                        continue
                outcomes[number] = ("error", "lost 100 races in a row")
            except ShortageError as error:
                outcomes[number] = ("shortage", error)
            except BaseException as error:
                outcomes[number] = ("error", f"{type(error).__name__}: {error!r}")

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(4 * WAIT)
        assert not any(thread.is_alive() for thread in threads), "a worker hangs"
    if database.path is None:
        assert max(attempts) <= WORKERS, (attempts, outcomes)
    return outcomes


def in_processes(
    database: Database, folder: Path, release: str, **request: Any
) -> list[dict[str, Any]]:
    """``WORKERS`` child processes, each its own store, released together by a ``go`` line."""
    request = {"command": "record", **database.request(), "release": release, **request}
    outcomes = []
    with children([request] * WORKERS, folder) as workers:
        for worker in workers:
            assert worker.message() == {"ready": True}
        for worker in workers:
            worker.send("go")
        for worker in workers:
            outcomes.append(worker.message(timeout=4 * WAIT))
            assert worker.wait() == 0, worker.stderr()
    return outcomes


def check_ledger(database: Database, plan: uuid.UUID, *, boxes: int) -> None:
    with database.open() as store:
        progress = plan_progress(store.unit_of_work(), plan)
        (small,) = progress.finished_units
        (mini,) = progress.goods
        with store.unit_of_work() as uow:
            ledger = uow.runs.for_plan(plan)
    assert mini.assembled == boxes
    assert small.on_hand == 24 - 2 * boxes
    assert small.on_hand >= 0
    assert [entry.seq for entry in ledger] == list(range(1, len(ledger) + 1))


@pytest.mark.parametrize("release", RELEASES)
def test_threads_boxing_the_last_brownies_never_oversell(database: Database, release: str) -> None:
    plan, _, mini = kitchen(database)
    outcomes = in_threads(database, release, record_assembly, plan, mini, 5)
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["recorded", "recorded"] + ["shortage"] * (WORKERS - 2), outcomes
    check_ledger(database, plan, boxes=10)


@pytest.mark.parametrize("release", RELEASES)
def test_processes_boxing_the_last_brownies_never_oversell(
    database: Database, release: str, tmp_path: Path
) -> None:
    plan, _, mini = kitchen(database)
    outcomes = in_processes(
        database, tmp_path, release, action="assemble", plan_id=str(plan),
        target_id=str(mini), quantity="5",
    )  # fmt: skip
    kinds = sorted(message["outcome"] for message in outcomes)
    assert kinds == ["recorded", "recorded"] + ["shortage"] * (WORKERS - 2), outcomes
    check_ledger(database, plan, boxes=10)
    attempts = [message["attempts"] for message in outcomes]
    if database.path is not None and release == "start":
        # SQLite: each recorder began as a writer and waited for its turn; none lost a race.
        assert attempts == [1] * WORKERS, outcomes
    if database.path is None:  # a server: every lost race was a rival's run
        assert max(attempts) <= WORKERS, outcomes


def test_threads_retrying_one_key_write_one_run(database: Database) -> None:
    plan, brownies, _ = kitchen(database)
    outcomes = in_threads(
        database, "after-read", record_production, plan, brownies, 2, key="tray-7"
    )
    assert all(kind == "recorded" for kind, _ in outcomes), outcomes
    runs = {run.id for _, run in outcomes}
    assert len(runs) == 1
    with database.open() as store, store.unit_of_work() as uow:
        keyed = [r for r in uow.runs.for_plan(plan) if r.key == "tray-7"]
    assert len(keyed) == 1
    assert isinstance(keyed[0], ProductionRun)


def test_processes_retrying_one_key_write_one_run(database: Database, tmp_path: Path) -> None:
    plan, brownies, _ = kitchen(database)
    outcomes = in_processes(
        database, tmp_path, "after-read", action="produce", plan_id=str(plan),
        target_id=str(brownies), quantity="2", key="tray-7",
    )  # fmt: skip
    assert all(message["outcome"] == "recorded" for message in outcomes), outcomes
    assert len({message["run_id"] for message in outcomes}) == 1
    with database.open() as store, store.unit_of_work() as uow:
        assert [r.key for r in uow.runs.for_plan(plan)] == [None, "tray-7"]
