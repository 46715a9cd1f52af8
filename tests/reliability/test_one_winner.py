"""Many planners of one event at once, in threads and in processes: exactly one winner.

Every caller either gets a ``PlanResult`` or ``ConflictError``; anything else fails the test.
Afterwards the store holds whole plans only: one snapshot per definition per plan, every event
target linked to a snapshot of the latest plan, no snapshot outside a recorded plan.

Two ways to release the planners together:

- ``"start"``: all wait at a barrier, then call ``create_plan``. A planner that reads the event
  after the winner committed finds it planned and gets the winner's plan back (idempotent).
- ``"after-read"``: all wait at a barrier inside ``create_plan``, just before its first write,
  so every one has read the unplanned event: exactly one may win, all others must conflict.
  Each planner calls it in a unit of work it entered itself (:mod:`releases`): a unit the
  service enters is a writer from its start on SQLite, and such planners never all read first.

With ``force_recreate=True`` every winner records a new plan superseding the previous one.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from releases import call
from reliability_support import (
    WAIT,
    Bakery,
    Database,
    Expected,
    assert_event_linked_to,
    assert_no_orphans_or_duplicates,
    assert_plan_is_whole,
    bakery,
    children,
    contents_of,
    expected_plan,
    stock,
)
from stores import SQL_KINDS, kind_params

from snapplan import ConflictError, PlanResult, create_plan
from snapplan.testing.faults import FaultyStore

THREADS = 6
PROCESSES = 4
RELEASES = ["start", "after-read"]

#: ("planned", PlanResult) | ("conflict", message) | ("error", description)
Outcome = tuple[str, Any]


@pytest.fixture(params=kind_params(SQL_KINDS))
def database(request: pytest.FixtureRequest, make_database: Callable[..., Database]) -> Database:
    """An empty database with snapplan's schema, no store open on it."""
    return make_database(request.param)


@pytest.fixture(scope="module")
def expected() -> Expected:
    """The bakery, and its plan made on a memory store."""
    return expected_plan(bakery())


def race_in_threads(
    database: Database, event_id: Any, *, release: str, force: bool
) -> list[Outcome]:
    """``THREADS`` threads, one store, each its own unit of work, released together."""
    barrier = threading.Barrier(THREADS, timeout=WAIT)
    outcomes: list[Outcome] = [("error", "did not finish")] * THREADS

    def before_write(k: int, name: str) -> None:
        if k == 1 and release == "after-read":
            barrier.wait()

    with database.open() as store:

        def planner(number: int) -> None:
            try:
                if release == "start":
                    barrier.wait()
                faulty = FaultyStore(store, on_write=before_write)
                uow = faulty.unit_of_work()
                result = call(release, create_plan, uow, event_id, force_recreate=force)
                outcomes[number] = ("planned", result)
            except ConflictError as error:
                outcomes[number] = ("conflict", str(error))
            except BaseException as error:
                outcomes[number] = ("error", f"{type(error).__name__}: {error!r}")

        threads = [threading.Thread(target=planner, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(2 * WAIT)
        assert not any(thread.is_alive() for thread in threads), "a planner hangs"
    return outcomes


def race_in_processes(
    database: Database, event_id: Any, folder: Path, *, release: str, force: bool
) -> list[Outcome]:
    """``PROCESSES`` child processes, each its own store, released together by a ``go`` line."""
    request = {
        "command": "race",
        **database.request(),
        "event_id": str(event_id),
        "release": release,
        "force": force,
    }
    outcomes: list[Outcome] = []
    with children([request] * PROCESSES, folder) as racers:
        for racer in racers:
            assert racer.message() == {"ready": True}
        for racer in racers:
            racer.send("go")
        for racer in racers:
            message = racer.message()
            if message["outcome"] == "planned":
                fields = {name: message[name] for name in attrs.fields_dict(PlanResult)}
                fields["plan_id"] = uuid.UUID(fields["plan_id"])
                outcomes.append(("planned", PlanResult(**fields)))
            else:
                outcomes.append((message["outcome"], message))
            assert racer.wait() == 0, racer.stderr()
    return outcomes


def check_outcome(
    database: Database,
    expected: Expected,
    outcomes: list[Outcome],
    *,
    release: str,
    force: bool,
    first_plan_id: Any,
) -> None:
    errors = [detail for kind, detail in outcomes if kind not in ("planned", "conflict")]
    assert errors == []
    won = [result for kind, result in outcomes if kind == "planned"]
    assert won, "every planner lost"
    if release == "after-read":
        assert len(won) == 1, f"{len(won)} planners won after all had read the event"

    contents = contents_of(database)
    by_id = {plan.id: plan for plan in contents["plans"]}
    ((_, order),) = contents["plan_order"]
    plans = [by_id[plan_id] for plan_id in order]
    (event,) = contents["events"]
    if force:
        # The first plan was there before; each winner added one, superseding the previous.
        assert plans[0].id == first_plan_id
        assert len(plans) == 1 + len(won)
        for previous, plan in itertools.pairwise(plans):
            assert plan.supersedes == previous.id
        assert sorted(r.plan_id for r in won) == sorted(p.id for p in plans[1:])
        for result in won:
            assert result == attrs.evolve(expected.result, plan_id=result.plan_id)
        assert event.version == 2 + len(won)
    else:
        (plan,) = plans
        assert plan.supersedes is None
        # The one who planned reports the whole plan; anyone later, the idempotent re-run.
        first = attrs.evolve(expected.result, plan_id=plan.id)
        assert [r for r in won if r.snapshots_written] == [first]
        # (the re-run writes nothing but still reports the plan's root digest)
        unchanged = PlanResult(plan.id, 0, 0, 0, first.root_digest)
        assert [r for r in won if not r.snapshots_written] == [unchanged] * (len(won) - 1)
        assert event.version == 2
    for plan in plans:
        assert_plan_is_whole(contents["snapshots"], plan, expected)
    assert len(contents["snapshots"]) == len(plans) * expected.result.snapshots_written
    assert_no_orphans_or_duplicates(contents)
    assert_event_linked_to(contents, plans[-1])


def prepare(database: Database, catalog: Bakery, *, force: bool) -> Any:
    """Stock the catalog; for a forced re-plan race, plan once first. The first plan's id."""
    stock(database, catalog)
    if not force:
        return None
    with database.open() as store:
        return create_plan(store.unit_of_work(), catalog.event.id).plan_id


@pytest.mark.parametrize("force", [False, True], ids=["plan", "force_recreate"])
@pytest.mark.parametrize("release", RELEASES)
def test_concurrent_planners_in_threads_one_winner(
    database: Database, expected: Expected, release: str, force: bool
) -> None:
    first_plan_id = prepare(database, expected.catalog, force=force)
    outcomes = race_in_threads(database, expected.catalog.event.id, release=release, force=force)
    check_outcome(
        database, expected, outcomes, release=release, force=force, first_plan_id=first_plan_id
    )


@pytest.mark.slow
@pytest.mark.parametrize("force", [False, True], ids=["plan", "force_recreate"])
@pytest.mark.parametrize("release", RELEASES)
def test_concurrent_planners_in_processes_one_winner(
    database: Database,
    expected: Expected,
    release: str,
    force: bool,
    tmp_path: Path,
) -> None:
    first_plan_id = prepare(database, expected.catalog, force=force)
    outcomes = race_in_processes(
        database, expected.catalog.event.id, tmp_path, release=release, force=force
    )
    check_outcome(
        database, expected, outcomes, release=release, force=force, first_plan_id=first_plan_id
    )
