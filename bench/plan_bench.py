"""Benchmark "holiday-N": create_plan against the physical floor, and what a plan costs after.

    python bench/plan_bench.py --store {memory,sqlite,postgres,mariadb} --n N [--repeat R]
                               [--json] [--gc-threshold T0[,T1[,T2]]] [--gc-freeze]
    python bench/plan_bench.py --import-time [--json]
    python bench/plan_bench.py --memory-commit [--json]
    python bench/plan_bench.py --peak-memory --store {sqlite,postgres,...} --n N [--json]
    python bench/plan_bench.py --recording SMALL,LARGE [--stores memory,sqlite,postgres]
                               [--repeat R]

The workload (the performance issue's): a pool of 100 ingredients; N recipes, recipe i with 8
lines (ingredient (8i+k) mod 100, quantity 1 + 0.25k, units cycling cup, tsp, tbsp, g, oz, lb,
each, ml) and one finished unit of 24 per batch; N/2 material units; N/2 finished goods, good j
holding finished units (3j+k) mod N for k = 0..2 at quantity 2, the good j-1 at quantity 1 when
j mod 3 != 0 (chains up to 3 deep), and material unit j at quantity 1; one event with all N
recipes as production targets at 2 batches and all N/2 goods as assembly targets at 10.

Per run: a fresh store is loaded with the catalog (not timed), a small separate event is planned
(warm-up), the benchmark drops its own copy of the catalog (so that the peak RSS is the
library's, not the benchmark's input), then ``create_plan`` is timed; the median of
``--repeat`` runs is reported, with the SQL statements and rows it wrote,
``plan_requirements``, ``verify_plan`` and recording one production run (statements and
seconds), and the process's peak RSS (the benchmark's own work included: the rows it
records, the floor's replay, the earlier runs' leftovers).

``--peak-memory --store S --n N`` gives the peak while the library works instead: one run in
a fresh process with nothing recorded, the kernel's high-water mark reset before each call the
benchmark makes and read after it (``PeakWatch``), per call and the highest. It is still the
process's RSS (the interpreter, the modules, the store's own data), without the benchmark's
recorded rows, its floor or its earlier runs.

``--recording 100,10000`` times each kind of recording (``record_production``,
``record_assembly``, ``record_waste``, ``void_run``) on stall 0 of holiday-100 and of
holiday-10000, on each store in one run, and prints the ratios: recording must cost the same at
any plan size (goal: large <= 2 x small), in the same statements.

The floor (``--store sqlite``): plain ``sqlite3`` on a fresh file with the same pragmas and the
same catalog rows, running exactly the reads of catalog rows and the writes that ``create_plan``
sent to the database (recorded at the DBAPI level, savepoints left out), in one transaction:
what the job costs with no library at all. Goals are checked and printed as ratios measured in
one run (these 2-core machines are noisy); see bench/RESULTS.md.

snapplan leaves Python's garbage collector as the host set it. ``--gc-threshold`` and
``--gc-freeze`` measure what a host may tune for itself: the collector's thresholds
(``gc.set_threshold``), and ``gc.freeze()`` once the modules are imported (what a server does
before it forks its workers), so that full collections no longer scan them. The report shows
the collector's own time (``gc.callbacks``) and collections during ``create_plan``.

PostgreSQL needs ``SNAPPLAN_BENCH_POSTGRES_URL`` (or ``SNAPPLAN_TEST_POSTGRES_URL``); the run
works in a fresh schema it drops afterwards. MariaDB (or MySQL) needs
``SNAPPLAN_BENCH_MARIADB_URL`` (or ``SNAPPLAN_TEST_MARIADB_URL``), and works in a fresh database
it drops afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import pickle
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

UNITS = ["cup", "tsp", "tbsp", "g", "oz", "lb", "each", "ml"]


def holiday(n: int) -> tuple[list[Any], Any, Any]:
    """(catalog items, the big event, a small warm-up event) of holiday-N."""
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
        Measure,
        Product,
        ProductionTarget,
        Recipe,
    )

    # every ingredient with a density and the mass of one, sold in 500 g and 1 kg packs, so
    # that the shopping list converts and rounds every line
    measures = [Measure(1, "cup", 120, "g"), Measure(1, "each", 50, "g")]
    ingredients = [Ingredient(f"Ingredient {i}", measures=measures) for i in range(100)]
    products = [
        Product(ingredient.id, f"{ingredient.name} {size} g", size, "g")
        for ingredient in ingredients
        for size in (500, 1000)
    ]
    recipes = [
        Recipe(
            f"Recipe {i}",
            lines=[
                IngredientLine(
                    ingredients[(8 * i + k) % 100].id, Decimal(1) + Decimal("0.25") * k, UNITS[k]
                )
                for k in range(8)
            ],
        )
        for i in range(n)
    ]
    units = [FinishedUnit(f"Unit {i}", recipes[i].id, 24) for i in range(n)]
    half = max(1, n // 2)
    materials = [MaterialUnit(f"Material {j}") for j in range(half)]
    products += [Product(m.id, f"{m.name}, pack of 10", 10, "each") for m in materials]
    goods: list[Any] = []
    for j in range(half):
        parts = [
            Component(ComponentKind.FINISHED_UNIT, units[(3 * j + k) % n].id, 2) for k in range(3)
        ]
        if j % 3 != 0:
            parts.append(Component(ComponentKind.FINISHED_GOOD, goods[j - 1].id, 1))
        parts.append(Component(ComponentKind.MATERIAL_UNIT, materials[j].id, 1))
        goods.append(FinishedGood(f"Good {j}", parts))
    event = Event(
        f"Holiday {n}",
        [ProductionTarget(r.id, 2) for r in recipes],
        [AssemblyTarget(g.id, 10) for g in goods],
    )
    warm_up = Event(
        "Warm-up", [ProductionTarget(recipes[0].id, 1)], [AssemblyTarget(goods[0].id, 1)]
    )
    items = [*ingredients, *recipes, *units, *materials, *products, *goods, event, warm_up]
    return items, event, warm_up


# -- stores ----------------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_store(kind: str, folder: Path, number: int) -> Iterator[Any]:
    """A fresh, empty store of ``kind`` (disposed afterwards)."""
    if kind == "memory":
        from snapplan.adapters.memory import MemoryStore

        yield MemoryStore()
        return
    from snapplan.adapters.sql import SqlStore

    if kind == "sqlite":
        store = SqlStore.from_url(f"sqlite:///{folder / f'bench-{number}.sqlite'}")
        store.create_schema()
        try:
            yield store
        finally:
            store.dispose()
        return
    import sqlalchemy as sa

    if kind == "mariadb":
        with fresh_mariadb_store() as store:
            yield store
        return
    url = os.environ.get("SNAPPLAN_BENCH_POSTGRES_URL") or os.environ.get(
        "SNAPPLAN_TEST_POSTGRES_URL"
    )
    if not url:
        raise SystemExit("set SNAPPLAN_BENCH_POSTGRES_URL to a PostgreSQL server URL")
    schema = f"snapplan_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    store = SqlStore.from_url(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        store.create_schema()
        yield store
    finally:
        store.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextlib.contextmanager
def fresh_mariadb_store() -> Iterator[Any]:
    """A store in a new MariaDB (MySQL) database, dropped afterwards."""
    import sqlalchemy as sa

    from snapplan.adapters.sql import SqlStore

    url = os.environ.get("SNAPPLAN_BENCH_MARIADB_URL") or os.environ.get(
        "SNAPPLAN_TEST_MARIADB_URL"
    )
    if not url:
        raise SystemExit("set SNAPPLAN_BENCH_MARIADB_URL to a MariaDB (MySQL) server URL")
    database = f"snapplan_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE `{database}`")
    store = SqlStore.from_url(sa.make_url(url).set(database=database))
    try:
        store.create_schema()
        yield store
    finally:
        store.dispose()
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP DATABASE `{database}`")
        admin.dispose()


class Recorder:
    """Every DBAPI call an engine makes while recording: (statement, parameters, many)."""

    def __init__(self, store: Any, *, on: bool = True) -> None:
        self.calls: list[tuple[str, Any, bool]] = []
        self.recording = False
        engine = getattr(store, "engine", None)
        if engine is not None and on:
            import sqlalchemy as sa

            sa.event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, *event: Any) -> None:
        # before_cursor_execute(conn, cursor, statement, parameters, context, executemany)
        _, _, statement, parameters, _, executemany = event
        if self.recording:
            self.calls.append((statement, parameters, executemany))

    @contextlib.contextmanager
    def record(self) -> Iterator[list[tuple[str, Any, bool]]]:
        self.calls = []
        self.recording = True
        try:
            yield self.calls
        finally:
            self.recording = False

    @staticmethod
    def statements(calls: list[tuple[str, Any, bool]]) -> int:
        """Statements sent, transaction control (BEGIN, SAVEPOINT, COMMIT...) left out."""
        return sum(1 for statement, _, _ in calls if _is_work(statement))

    @staticmethod
    def rows_written(calls: list[tuple[str, Any, bool]]) -> int:
        rows = 0
        for statement, parameters, many in calls:
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
                rows += len(parameters) if many else 1
        return rows


class Spilled:
    """An ``executemany``'s rows kept in a file: its length, and its rows read back one by one
    each time it is iterated (the floor replays them)."""

    def __init__(self, path: Path, offset: int, count: int) -> None:
        self.path, self.offset, self.count = path, offset, count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Any]:
        with self.path.open("rb") as file:
            file.seek(self.offset)
            for _ in range(self.count):
                yield pickle.load(file)


def spilled(
    calls: list[tuple[str, Any, bool]], path: Path, *, keep: bool
) -> list[tuple[str, Any, bool]]:
    """``calls`` with every ``executemany``'s rows moved to ``path`` (only counted unless
    ``keep``): the recorder would otherwise keep a whole plan's rows (or the snapshots a
    streamed insert makes them from) alive to the end of the measurement, and the peak memory
    would be the benchmark's."""
    kept = []
    with path.open("wb") as file:
        for statement, parameters, many in calls:
            rows: Any = parameters
            if many and not keep:
                rows = range(len(parameters))
            elif many:
                offset, count = file.tell(), 0
                for row in parameters:
                    pickle.dump(row, file)
                    count += 1
                rows = Spilled(path, offset, count)
            kept.append((statement, rows, many))
    return kept


def _is_work(statement: str) -> bool:
    head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    return head in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


class CollectorWatch:
    """The garbage collector's time and collections (by generation) while watching."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections[info["generation"]] += 1

    @contextlib.contextmanager
    def watch(self) -> Iterator[None]:
        self.seconds, self.collections = 0.0, [0, 0, 0]
        gc.callbacks.append(self._callback)
        try:
            yield
        finally:
            gc.callbacks.remove(self._callback)


class PeakWatch:
    """The process's peak RSS while the library works. Before each watched call the kernel's
    high-water mark is reset (Linux: ``/proc/self/clear_refs``) and it is read after the call,
    so what the benchmark does between calls (spilling the recorded rows, replaying them for
    the floor) does not count. Where the mark cannot be reset: the whole run's peak
    (``getrusage``), the benchmark's work included."""

    def __init__(self) -> None:
        self.mb = 0.0
        self.by_call: dict[str, float] = {}
        self.resets = self._reset()

    @staticmethod
    def _reset() -> bool:
        try:
            with open("/proc/self/clear_refs", "w") as marks:
                marks.write("5")
        except OSError:
            return False
        return True

    @staticmethod
    def _high_water_mb() -> float:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM in /proc/self/status")

    @contextlib.contextmanager
    def watch(self, call: str) -> Iterator[None]:
        if self.resets:
            self._reset()
        try:
            yield
        finally:
            peak = (
                self._high_water_mb()
                if self.resets
                else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            )
            self.by_call[call] = peak
            self.mb = max(self.mb, peak)

    def shown(self) -> str:
        return " ".join(f"{call}={mb:.1f}" for call, mb in self.by_call.items())


# -- one measurement -------------------------------------------------------------------------


def measure(kind: str, n: int, folder: Path, number: int, *, recorded: bool) -> dict[str, Any]:
    """One run on a fresh store. A ``recorded`` run also records what reaches the database
    (statements, rows, and for SQLite the floor, replaying them); the recorder keeps every row
    sent until the plan is done, so a run that is not recorded gives the peak memory."""
    from snapplan import (
        Product,
        create_plan,
        plan_progress,
        plan_requirements,
        record_price,
        record_production,
        record_purchase,
        shopping_list,
        verify_plan,
    )

    items, event, warm_up = holiday(n)
    floor_file = folder / f"floor-{number}.sqlite"
    with fresh_store(kind, folder, number) as store:
        recorder = Recorder(store, on=recorded)
        with store.unit_of_work() as uow:
            add_all_bulk(uow, items)
            uow.commit()
        create_plan(store.unit_of_work(), warm_up.id)
        if kind == "sqlite" and recorded:
            prepare_floor(items, warm_up, floor_file)
        # The benchmark keeps only what it needs of its catalog once the store holds it: its
        # own copy (34 MB at holiday-10000) would otherwise count as the library's peak memory.
        products = [item for item in items if isinstance(item, Product)]
        event_id, recipe_id = event.id, event.production_targets[0].recipe_id
        del items, event, warm_up
        collector = CollectorWatch()
        peak = PeakWatch()
        with recorder.record() as plan_calls, collector.watch(), peak.watch("create_plan"):
            seconds, result = timed(lambda: create_plan(store.unit_of_work(), event_id))
        # what was sent waits on disk for the floor (SQLite), not in this process's memory
        plan_calls = spilled(plan_calls, folder / f"calls-{number}.pickle", keep=kind == "sqlite")
        with recorder.record() as requirement_calls, peak.watch("requirements"):
            requirements_seconds = timed(
                lambda: plan_requirements(store.unit_of_work(), result.plan_id)
            )[0]
        with peak.watch("verify"):
            verify_seconds, verification = timed(
                lambda: verify_plan(
                    store.unit_of_work(), result.plan_id, expected_root=result.root_digest
                )
            )
        assert verification.ok, verification.problems
        # (each call's result is dropped before the next call: a peak is one call's alone)
        del verification
        with recorder.record() as record_calls, peak.watch("record"):
            record_seconds = timed(
                lambda: record_production(store.unit_of_work(), result.plan_id, recipe_id, 1)
            )[0]
        # what the shop needs: prices, a stocked pantry, then progress and the shopping list
        with peak.watch("prices"):
            for price, product in enumerate(products):
                record_price(
                    store.unit_of_work(), product.id, Decimal(price % 7 + 1), currency="EUR"
                )
            for product in products[::10]:
                record_purchase(store.unit_of_work(), product.id, 2)
        with peak.watch("progress"):
            progress_seconds = timed(lambda: plan_progress(store.unit_of_work(), result.plan_id))[0]
        with peak.watch("shopping"):
            shopping_seconds, shopping = timed(
                lambda: shopping_list(store.unit_of_work(), [result.plan_id])
            )
        assert shopping.complete, shopping.missing[:3]
        del shopping
        floor = None
        if kind == "sqlite" and recorded:
            floor = sqlite_floor(plan_calls, floor_file)
    counted = kind != "memory" and recorded  # (a store without SQL sends no statements)
    return {
        "create_plan_seconds": seconds,
        "statements": Recorder.statements(plan_calls) if counted else None,
        "rows_written": Recorder.rows_written(plan_calls) if counted else None,
        "floor_seconds": floor,
        "requirements_seconds": requirements_seconds,
        "requirements_statements": Recorder.statements(requirement_calls) if counted else None,
        "verify_seconds": verify_seconds,
        "progress_seconds": progress_seconds,
        "shopping_seconds": shopping_seconds,
        "record_seconds": record_seconds,
        "record_statements": Recorder.statements(record_calls) if counted else None,
        "snapshots": result.snapshots_written,
        "gc_seconds": collector.seconds,
        "gc_collections": "/".join(map(str, collector.collections)),
        "library_peak_rss_mb": peak.mb,
        "peak_by_call": peak.shown(),
    }


def add_all_bulk(uow: Any, items: list[Any]) -> None:
    """The catalog in one ``add_many`` per repository (loading is not what is measured)."""
    from snapplan import add_catalog

    add_catalog(uow, items)


def prepare_floor(items: list[Any], warm_up: Any, path: Path) -> None:
    """The floor's file: a fresh SQLite store with the same schema, catalog rows and warm-up
    plan as the measured one (made before the measured plan, while the catalog is at hand)."""
    from snapplan import create_plan
    from snapplan.adapters.sql import SqlStore

    fresh = SqlStore.from_url(f"sqlite:///{path}")
    fresh.create_schema()
    with fresh.unit_of_work() as uow:
        add_all_bulk(uow, items)
        uow.commit()
    create_plan(fresh.unit_of_work(), warm_up.id)
    fresh.dispose()


def sqlite_floor(calls: list[tuple[str, Any, bool]], path: Path) -> float:
    """Plain sqlite3 on the floor's file (:func:`prepare_floor`) with the same pragmas: the
    recorded reads of catalog rows and the writes of ``create_plan``, replayed as the driver
    received them (transaction control left out), in one transaction."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA busy_timeout = 5000")
    connection.execute("PRAGMA journal_mode = WAL").fetchall()
    work = [(s, p, m) for s, p, m in calls if _is_work(s)]
    start = time.perf_counter()
    connection.execute("BEGIN")
    reading = 0.0  # the rows of an executemany read back from disk (spilled): not the floor's
    for statement, parameters, many in work:
        if many:
            before = time.perf_counter()
            rows = list(parameters)
            reading += time.perf_counter() - before
            connection.executemany(statement, rows)
            del rows
        else:
            connection.execute(statement, parameters).fetchall()
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - start - reading
    connection.close()
    return elapsed


# -- the other checks ------------------------------------------------------------------------


def import_time() -> dict[str, Any]:
    """``import snapplan`` against ``import attrs, cattrs`` (fresh interpreters, best of 7),
    and what ``import snapplan`` imports."""

    def best(code: str) -> float:
        runs = []
        for _ in range(7):
            out = subprocess.run(
                [sys.executable, "-c", f"import time; s = time.perf_counter(); {code}; "
                 "print(time.perf_counter() - s)"],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            runs.append(float(out.stdout))
        return min(runs)

    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, snapplan; print(sorted({m.split('.')[0] for m in "
         "sys.modules} & {'sqlalchemy', 'cattrs', 'hypothesis'}))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    ours, base = best("import snapplan"), best("import attrs, cattrs")
    return {"import_snapplan_seconds": ours, "import_attrs_cattrs_seconds": base,
            "import_ratio": ours / base, "heavy_modules_imported": heavy}  # fmt: skip


def memory_commit() -> dict[str, Any]:
    """A plan on a memory store already holding at least 100,000 snapshots (100,000 sample
    plans: 500,000 snapshots) vs on an empty one."""
    from snapplan import add_catalog, create_plan
    from snapplan.adapters.memory import MemoryStore
    from snapplan.testing.samples import planned_snapshots

    def one_plan(store: Any) -> float:
        items, event, _ = holiday(100)
        add_catalog(store.unit_of_work(), items)
        return timed(lambda: create_plan(store.unit_of_work(), event.id))[0]

    empty = statistics.median(one_plan(MemoryStore()) for _ in range(5))
    full = MemoryStore()
    batch = []
    while len(batch) < 100_000:
        sample = planned_snapshots()
        batch.append(sample)
    with full.unit_of_work() as uow:
        for sample in batch:
            uow.snapshots.add_many(sample.snapshots)
            uow.plans.add(sample.plan)
        uow.commit()
    with full.unit_of_work() as uow:
        held = uow.snapshots.count()
    loaded = statistics.median(one_plan(full) for _ in range(5))
    return {"snapshots_held": held, "empty_seconds": empty, "full_seconds": loaded,
            "full_over_empty": loaded / empty}  # fmt: skip


RECORDINGS = ("record_production", "record_assembly", "record_waste", "void_run")


def recording(kind: str, n: int, repeat: int, folder: Path) -> dict[str, Any]:
    """Each kind of recording on stall 0 of holiday-N (after ``create_plan``, not timed): the
    median seconds of ``repeat`` rounds, and the statements of the last round."""
    from snapplan import (
        create_plan,
        record_assembly,
        record_production,
        record_waste,
        void_run,
    )

    items, event, _ = holiday(n)
    recipe_id = event.production_targets[0].recipe_id
    good_id = event.assembly_targets[0].finished_good_id
    with fresh_store(kind, folder, n) as store:
        recorder = Recorder(store)
        add_all_bulk(store.unit_of_work(), items)
        plan_id = create_plan(store.unit_of_work(), event.id).plan_id
        unit_id = next(
            item.id
            for item in items
            if type(item).__name__ == "FinishedUnit" and item.recipe_id == recipe_id
        )
        seconds: dict[str, list[float]] = {name: [] for name in RECORDINGS}
        statements: dict[str, int | None] = {}
        for _ in range(repeat):
            calls: dict[str, Callable[[], Any]] = {
                "record_production": lambda: record_production(
                    store.unit_of_work(), plan_id, recipe_id, 1
                ),
                "record_assembly": lambda: record_assembly(
                    store.unit_of_work(), plan_id, good_id, 1, allow_shortage=True
                ),
                "record_waste": lambda: record_waste(
                    store.unit_of_work(), plan_id, unit_id, 1, reason="dropped"
                ),
            }
            wasted = None
            for name, call in calls.items():
                with recorder.record() as log:
                    took, wasted = timed(call)
                seconds[name].append(took)
                statements[name] = Recorder.statements(log) if kind != "memory" else None
            assert wasted is not None
            run_id = wasted.id
            with recorder.record() as log:
                took, _ = timed(
                    lambda run_id=run_id: void_run(store.unit_of_work(), run_id, reason="found")
                )
            seconds["void_run"].append(took)
            statements["void_run"] = Recorder.statements(log) if kind != "memory" else None
    report: dict[str, Any] = {"store": kind, "n": n, "repeat": repeat}
    for name in RECORDINGS:
        report[f"{name}_seconds"] = statistics.median(seconds[name])
        report[f"{name}_statements"] = statements[name]
    return report


def recording_sizes(kinds: list[str], small: int, large: int, repeat: int) -> dict[str, Any]:
    """Recording at holiday-``small`` and holiday-``large`` on each store, in this one run,
    with the ratios (the performance issue's goal 1: large <= 2 x small on every store)."""
    ratios: dict[str, Any] = {"small": small, "large": large}
    with tempfile.TemporaryDirectory(prefix="snapplan-bench-") as name:
        folder = Path(name)
        for kind in kinds:
            at = {size: recording(kind, size, repeat, folder) for size in (small, large)}
            for size in (small, large):
                show(at[size], as_json=False)
            for op in RECORDINGS:
                ratio = at[large][f"{op}_seconds"] / at[small][f"{op}_seconds"]
                ratios[f"{kind}_{op}_ratio"] = ratio
                same = at[large][f"{op}_statements"] == at[small][f"{op}_statements"]
                ratios[f"{kind}_{op}_same_statements"] = same
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--store", choices=["memory", "sqlite", "postgres", "mariadb", "all"], default="sqlite",
        help="all: memory, SQLite and PostgreSQL one after the other in this run, with ratios",
    )  # fmt: skip
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--import-time", action="store_true")
    parser.add_argument("--memory-commit", action="store_true")
    parser.add_argument(
        "--peak-memory", action="store_true",
        help="the peak RSS during each library call of one unrecorded run on --store",
    )  # fmt: skip
    parser.add_argument(
        "--recording", metavar="SMALL,LARGE",
        help="each kind of recording at holiday-SMALL vs holiday-LARGE (e.g. 100,10000) on "
        "--stores, with the ratios",
    )  # fmt: skip
    parser.add_argument(
        "--stores", default="memory,sqlite,postgres",
        help="for --recording: the stores, comma-separated (memory, sqlite, postgres, mariadb)",
    )  # fmt: skip
    parser.add_argument(
        "--gc-threshold", help="gc.set_threshold(T0, T1, T2) first (e.g. 50000,20,100)"
    )
    parser.add_argument(
        "--gc-freeze", action="store_true", help="gc.freeze() once the modules are imported"
    )
    args = parser.parse_args()
    tuned = tune_collector(args.gc_threshold, freeze=args.gc_freeze)
    if args.import_time:
        report: dict[str, Any] = import_time()
    elif args.memory_commit:
        report = memory_commit()
    elif args.peak_memory:
        report = peak_memory(args.store, args.n)
    elif args.recording:
        small, large = (int(part) for part in args.recording.split(","))
        report = recording_sizes(args.stores.split(","), small, large, args.repeat)
    elif args.store == "all":
        reports = [
            one_store(kind, args.n, args.repeat) for kind in ("memory", "sqlite", "postgres")
        ]
        for one in reports:
            show(one, as_json=args.json)
        by_store = {one["store"]: one["create_plan_seconds"] for one in reports}
        report = {
            "n": args.n,
            "memory_over_sqlite": by_store["memory"] / by_store["sqlite"],
            "postgres_over_sqlite": by_store["postgres"] / by_store["sqlite"],
        }
    else:
        report = one_store(args.store, args.n, args.repeat)
    show({**report, **tuned}, as_json=args.json)


def tune_collector(threshold: str | None, *, freeze: bool) -> dict[str, Any]:
    """What a host may do for itself: thresholds, and freezing what start-up made."""
    if threshold:
        gc.set_threshold(*(int(part) for part in threshold.split(",")))
    if freeze:
        import snapplan.adapters.sql  # noqa: F401  (what a host imports at start-up)

        gc.collect()
        gc.freeze()
    threshold_now = "/".join(map(str, gc.get_threshold()))
    return {"gc_threshold": threshold_now, "gc_frozen": gc.get_freeze_count()}


def one_store(kind: str, n: int, repeat: int) -> dict[str, Any]:
    """The medians of ``repeat`` measurements on fresh stores of ``kind``."""
    with tempfile.TemporaryDirectory(prefix="snapplan-bench-") as folder:
        runs = [measure(kind, n, Path(folder), k, recorded=True) for k in range(repeat)]
    report: dict[str, Any] = {"store": kind, "n": n, "repeat": repeat}
    for field in runs[0]:
        values = [run[field] for run in runs]
        numeric = [v for v in values if isinstance(v, (int, float))]
        report[field] = statistics.median(numeric) if len(numeric) == len(values) else values[0]
    report["floor_ratio"] = (
        report["create_plan_seconds"] / report["floor_seconds"] if report["floor_seconds"] else None
    )
    report["requirements_ratio"] = report["requirements_seconds"] / report["create_plan_seconds"]
    report["verify_ratio"] = report["verify_seconds"] / report["create_plan_seconds"]
    # the shopping list's goal: no more than plan_requirements and plan_progress together
    report["shopping_ratio"] = report["shopping_seconds"] / (
        report["requirements_seconds"] + report["progress_seconds"]
    )
    # the whole process's: the benchmark's own work (the recorded rows, the floor) and the
    # earlier runs' leftovers included; for the library's own, see peak_memory
    del report["library_peak_rss_mb"], report["peak_by_call"]
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report


def peak_memory(kind: str, n: int) -> dict[str, Any]:
    """The library's peak RSS at holiday-``n`` on ``kind``: one run in this fresh process, with
    nothing recorded, the kernel's high-water mark reset before each call (``PeakWatch``)."""
    with tempfile.TemporaryDirectory(prefix="snapplan-bench-") as folder:
        run = measure(kind, n, Path(folder), 0, recorded=False)
    return {
        "store": kind,
        "n": n,
        "library_peak_rss_mb": run["library_peak_rss_mb"],
        "peak_by_call": run["peak_by_call"],
        "create_plan_seconds": run["create_plan_seconds"],
    }


def show(report: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report))
        return
    for key, value in report.items():
        print(f"{key:28} {value:.4f}" if isinstance(value, float) else f"{key:28} {value}")
    print()


if __name__ == "__main__":
    main()
