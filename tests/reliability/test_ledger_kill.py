"""A recorder killed with SIGKILL at any point leaves nothing or the whole run, never half.

As for planning (test_kill_nine.py): a child records one assembly run through a
:class:`~snapplan.testing.faults.FaultyStore` that pauses it before its one write, before the
real commit, or after the service returned; the parent kills it with SIGKILL, reopens the
SQLite file and compares: nothing before the commit, the whole run after it, an intact file,
and a ledger without a gap, that the next recorder simply continues.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_support import children, contents_of, sqlite_integrity
from stores import Database

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    Event,
    FinishedGood,
    FinishedUnit,
    Recipe,
    create_plan,
    plan_progress,
    record_assembly,
    record_production,
)
from snapplan.testing.catalog import save

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("point", ["write:1", "commit", "after-commit"])
def test_a_recorder_killed_at_any_point_leaves_nothing_or_the_whole_run(
    point: str, tmp_path: Path, make_database: Callable[..., Database]
) -> None:
    brownies = Recipe("Brownies")
    small = FinishedUnit("Small brownie", brownies.id, 24)
    mini = FinishedGood("Mini box", [Component(ComponentKind.FINISHED_UNIT, small.id, 2)])
    event = Event("Market", [], [AssemblyTarget(mini.id, 12)])
    database = make_database("sqlite")
    with database.open() as store:
        save(store, brownies, small, mini, event)
        plan = create_plan(store.unit_of_work(), event.id).plan_id
        record_production(store.unit_of_work(), plan, brownies.id, 1)
    before = contents_of(database)
    request = {
        "command": "kill-recorder",
        **database.request(),
        "point": point,
        "plan_id": str(plan),
        "target_id": str(mini.id),
        "quantity": "3",
    }
    with children([request], tmp_path) as (child,):
        assert child.message()["paused"] == point
        child.kill_hard()
    after = contents_of(database)
    with database.open() as store:
        assert sqlite_integrity(store) == ["ok"]
        if point == "after-commit":
            assert len(after["runs"]) == len(before["runs"]) + 1
            assert {k: v for k, v in after.items() if k != "runs"} == {
                k: v for k, v in before.items() if k != "runs"
            }
        else:
            assert after == before
        follow = record_assembly(store.unit_of_work(), plan, mini.id, 1)
        assert follow.seq == len(after["runs"]) + 1
        (unit,) = plan_progress(store.unit_of_work(), plan).finished_units
        assert unit.on_hand == 24 - 2 * (1 + (3 if point == "after-commit" else 0))
