"""Shared by the reliability tests: the bakery catalog, child processes, checks.

The child side lives in ``reliability_child.py``; :class:`Child` starts it as a fork of the
fork server of :mod:`fork_server` (which imports it, so this module never does).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import attrs
import fork_server
import pytest
from stores import Database

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    Event,
    FinishedGood,
    FinishedGoodSnapshot,
    FinishedUnit,
    FinishedUnitSnapshot,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    Plan,
    PlanResult,
    ProductionTarget,
    Recipe,
    RecipeSnapshot,
    SubRecipe,
    create_plan,
)
from snapplan.adapters.memory import MemoryStore
from snapplan.adapters.sql import SqlStore
from snapplan.testing.catalog import save
from snapplan.testing.contents import store_contents

#: How long to wait for anything a child process or a thread should do promptly.
WAIT = 30.0

# -- the catalog ----------------------------------------------------------------------------------


@attrs.frozen
class Bakery:
    """A catalog with nested goods, a diamond and sub-recipes, and an event using all of it."""

    items: tuple[Any, ...]
    event: Event


def bakery() -> Bakery:
    """Production targets (one with two levels of sub-recipes) and assembly targets whose goods
    nest three deep and share a sub-assembly (the mini box is in the gift and in the hamper)."""
    flour, sugar, butter, cocoa = (Ingredient(n) for n in ("Flour", "Sugar", "Butter", "Cocoa"))
    glaze = Recipe("Glaze", lines=[IngredientLine(sugar.id, 50, "g")])
    frosting = Recipe(
        "Frosting",
        lines=[IngredientLine(butter.id, "250", "g"), IngredientLine(sugar.id, "0.5", "kg")],
        sub_recipes=[SubRecipe(glaze.id, "0.25")],
    )
    cake = Recipe(
        "Cake",
        lines=[IngredientLine(flour.id, 400, "g"), IngredientLine(cocoa.id, 3, "tbsp")],
        sub_recipes=[SubRecipe(frosting.id, "0.5")],
    )
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, 500, "g")])
    bread = Recipe("Bread", lines=[IngredientLine(flour.id, 1, "kg")])
    cookie = FinishedUnit("Cookie", cookies.id, 36)
    slice_ = FinishedUnit("Cake slice", cake.id, 12)
    box, ribbon = MaterialUnit("Box"), MaterialUnit("Ribbon")
    mini = FinishedGood(
        "Mini box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 3),
            Component(ComponentKind.MATERIAL_UNIT, box.id, 1),
        ],
    )
    gift = FinishedGood(
        "Gift box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
            Component(ComponentKind.FINISHED_GOOD, mini.id, 1),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, "0.5"),
        ],
    )
    hamper = FinishedGood(
        "Hamper",
        [
            Component(ComponentKind.FINISHED_GOOD, gift.id, 2),
            Component(ComponentKind.FINISHED_GOOD, mini.id, 1),
            Component(ComponentKind.FINISHED_UNIT, slice_.id, "1.5"),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
        ],
    )
    event = Event(
        "Holiday market",
        [
            ProductionTarget(cake.id, 2),
            ProductionTarget(bread.id, 3),
            ProductionTarget(cookies.id, 1),
        ],
        [AssemblyTarget(gift.id, 10), AssemblyTarget(hamper.id, 4), AssemblyTarget(mini.id, 5)],
    )
    items: tuple[Any, ...] = (flour, sugar, butter, cocoa, glaze, frosting, cake, cookies, bread)
    items += (cookie, slice_, box, ribbon, mini, gift, hamper, event)
    return Bakery(items, event)


def snapshot_signature(snapshots: Any) -> Counter[tuple[str, uuid.UUID, str]]:
    """What a set of snapshots captured, whatever their ids, plan and time: kind, source, digest."""
    return Counter((type(s).__name__, s.source_id, s.digest) for s in snapshots)


@attrs.frozen
class Expected:
    """What one plan of the bakery's event is, computed on a :class:`MemoryStore`."""

    catalog: Bakery
    result: PlanResult
    signature: Counter[tuple[str, uuid.UUID, str]]


def expected_plan(catalog: Bakery) -> Expected:
    """Plan the same catalog on a memory store: the reference every SQL outcome must match."""
    memory = MemoryStore()
    save(memory, *catalog.items)
    result = create_plan(memory.unit_of_work(), catalog.event.id)
    with memory.unit_of_work() as uow:
        signature = snapshot_signature(uow.snapshots.all())
    assert sum(signature.values()) == result.snapshots_written
    return Expected(catalog, result, signature)


# -- databases ------------------------------------------------------------------------------------
# A test gets its empty database from the ``make_database`` fixture (tests/stores.py): a
# :class:`Database` that the test, its threads and its child processes open as often as needed.


def stock(database: Database, catalog: Bakery) -> None:
    """Save the catalog into the database and close the store again."""
    with database.open() as store:
        save(store, *catalog.items)


# -- child processes ------------------------------------------------------------------------------


class Child:
    """A ``reliability_child.py`` process, forked from the fork server (:mod:`fork_server`):
    JSON lines out, lines in, stderr to a file."""

    def __init__(self, request: dict[str, Any], stderr_path: Path) -> None:
        self._stderr_path = stderr_path
        self._stderr: IO[bytes] = stderr_path.open("wb")
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        self._stdin: IO[str] = open(stdin_w, "w", encoding="utf-8")  # noqa: SIM115
        self._stdout: IO[str] = open(stdout_r, encoding="utf-8")  # noqa: SIM115
        try:
            self.process = fork_server.context().Process(
                target=fork_server.run_child,
                args=(
                    json.dumps(request),
                    fork_server.PassedFd(stdin_r),
                    fork_server.PassedFd(stdout_w),
                    fork_server.PassedFd(self._stderr.fileno()),
                    dict(os.environ),
                ),
                daemon=True,  # killed as the pytest worker exits, should a test leave it running
            )
            self.process.start()
        except BaseException:
            self._close_files()
            raise
        finally:
            os.close(stdin_r)  # the child's ends are the child's: at its death the reader sees EOF
            os.close(stdout_w)
        self.pid: int = self.process.pid  # type: ignore[assignment]
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self._stdout:
            self._lines.put(line)
        self._lines.put(None)

    def stderr(self) -> str:
        self._stderr.flush()
        return self._stderr_path.read_text(encoding="utf-8", errors="replace")

    def wait(self, timeout: float = WAIT) -> int | None:
        """The child's exit code (``-signal`` if a signal ended it), once it has exited; None if
        it still runs after ``timeout`` seconds."""
        self.process.join(timeout)
        return self.process.exitcode

    def message(self, timeout: float = WAIT) -> dict[str, Any]:
        """The child's next message; fails the test if it ends or says nothing in time."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"child {self.pid} said nothing for {timeout} s; stderr:\n{self.stderr()}")
        if line is None:
            pytest.fail(
                f"child {self.pid} exited ({self.wait()}) without a message; "
                f"stderr:\n{self.stderr()}"
            )
        message: dict[str, Any] = json.loads(line)
        return message

    def send(self, line: str) -> None:
        self._stdin.write(line + "\n")
        self._stdin.flush()

    def kill_hard(self) -> None:
        """SIGKILL, then wait for the process to be gone."""
        os.kill(self.pid, signal.SIGKILL)
        assert self.wait() == -signal.SIGKILL

    def close(self) -> None:
        """Never leave a child behind: kill it if it still runs, close every pipe."""
        try:
            if self.process.exitcode is None:
                self.process.kill()
            assert self.wait() is not None, f"child {self.pid} outlived SIGKILL"
            self.process.close()
        finally:
            with contextlib.suppress(OSError):
                self._stdin.close()
            self._reader.join(WAIT)  # the child is gone: its stdout is at its end
            self._close_files()

    def _close_files(self) -> None:
        for file in (self._stdin, self._stdout, self._stderr):
            with contextlib.suppress(OSError):
                file.close()


@contextmanager
def children(requests: list[dict[str, Any]], folder: Path) -> Iterator[list[Child]]:
    """Start one child per request; every one is killed (if need be) and reaped afterwards."""
    started: list[Child] = []
    try:
        for number, request in enumerate(requests):
            started.append(Child(request, folder / f"child-{number}.stderr"))
        yield started
    finally:
        for child in started:
            child.close()


# -- checks ---------------------------------------------------------------------------------------


def contents_of(database: Database) -> dict[str, tuple[Any, ...]]:
    """``store_contents`` through a fresh store (its own engine), closed again afterwards."""
    with database.open() as store:
        return store_contents(store)


def sqlite_integrity(store: SqlStore) -> list[str]:
    """``PRAGMA integrity_check``: ``["ok"]`` for an undamaged database file."""
    with store.engine.connect() as conn:
        return [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]


def assert_plan_is_whole(snapshots: tuple[Any, ...], plan: Plan, expected: Expected) -> None:
    """The plan's snapshots are all there, once per definition, and every reference resolves.

    - its snapshots capture exactly what the memory store's plan captured (kind, source, digest);
    - no (plan, source) pair twice;
    - each target names a snapshot of this plan taken from the target's own definition;
    - each parent-to-child reference inside the plan's snapshots names one of them.
    """
    mine = {s.id: s for s in snapshots if s.plan_id == plan.id}
    assert snapshot_signature(mine.values()) == expected.signature
    pairs = Counter(s.source_id for s in mine.values())
    assert [source for source, n in pairs.items() if n > 1] == []
    for production in plan.production_targets:
        assert production.snapshot_id in mine, f"{production} names no snapshot of {plan.id}"
        assert mine[production.snapshot_id].source_id == production.recipe_id
    for assembly in plan.assembly_targets:
        assert assembly.snapshot_id in mine, f"{assembly} names no snapshot of {plan.id}"
        assert mine[assembly.snapshot_id].source_id == assembly.finished_good_id
    for snapshot in mine.values():
        if isinstance(snapshot, RecipeSnapshot):
            children = [sub.snapshot_id for sub in snapshot.sub_recipes]
        elif isinstance(snapshot, FinishedUnitSnapshot):
            children = [snapshot.recipe_snapshot_id]
        elif isinstance(snapshot, FinishedGoodSnapshot):
            children = [component.snapshot_id for component in snapshot.components]
        else:
            children = []
        assert set(children) <= set(mine), f"{snapshot.name}: a child snapshot is missing"


def assert_no_orphans_or_duplicates(contents: dict[str, tuple[Any, ...]]) -> None:
    """Every snapshot belongs to a recorded plan, and no plan captured a definition twice."""
    plans = {plan.id for plan in contents["plans"]}
    assert {s.plan_id for s in contents["snapshots"]} <= plans
    pairs = Counter((s.plan_id, s.source_id) for s in contents["snapshots"])
    assert [pair for pair, n in pairs.items() if n > 1] == []


def assert_event_linked_to(contents: dict[str, tuple[Any, ...]], plan: Plan) -> None:
    """The stored event's targets are exactly the plan's, snapshot ids included."""
    (event,) = contents["events"]
    assert event.id == plan.event_id
    assert event.production_targets == plan.production_targets
    assert event.assembly_targets == plan.assembly_targets


def all_or_nothing(
    before: dict[str, tuple[Any, ...]],
    after: dict[str, tuple[Any, ...]],
    expected: Expected,
) -> str:
    """``"nothing"`` when ``after`` equals ``before`` (a store holding one unplanned event);
    ``"whole"`` when exactly one whole plan of that event was added and nothing else changed.
    Anything in between fails the test."""
    if after == before:
        return "nothing"
    (event_before,) = before["events"]
    assert before["plans"] == before["snapshots"] == (), "the store must start unplanned"
    for name in ("ingredients", "recipes", "finished_units", "material_units", "finished_goods"):
        assert after[name] == before[name], f"{name} changed"
    assert len(after["plans"]) == 1, f"a partial plan: {len(after['plans'])} plans recorded"
    (plan,) = after["plans"]
    assert plan.event_id == event_before.id
    assert plan.supersedes is None
    assert after["plan_order"] == ((event_before.id, (plan.id,)),)
    (event_after,) = after["events"]
    assert event_after.version == event_before.version + 1
    assert (
        attrs.evolve(
            event_after,
            version=event_before.version,
            production_targets=[attrs.evolve(t, snapshot_id=None) for t in plan.production_targets],
            assembly_targets=[attrs.evolve(t, snapshot_id=None) for t in plan.assembly_targets],
        )
        == event_before
    ), "the event changed beyond its links"
    assert_event_linked_to(after, plan)
    assert len(after["snapshots"]) == expected.result.snapshots_written
    assert_plan_is_whole(after["snapshots"], plan, expected)
    assert_no_orphans_or_duplicates(after)
    return "whole"
