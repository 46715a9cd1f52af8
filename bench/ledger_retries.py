"""How many retries the ledger's ``seq`` allocation costs under contention, per store.

    python bench/ledger_retries.py --store {sqlite,postgres,mariadb} [--rounds R] [--workers W]

Each round is a new event on one store: one batch of brownies is baked (24 on hand, a box takes
2), then ``W`` threads, each with its own units of work, assemble boxes at once and retry every
``ConflictError`` with a fresh unit until they are recorded (or refused for a shortage):

- ``plenty``: each worker boxes 1 (every worker must be recorded: ``W`` runs fight for the
  ``seq`` after the production run);
- ``last``: each worker boxes 5 (only two can be; the others end with a shortage).

Released two ways, as in ``tests/reliability/test_ledger_races.py``: ``start`` (all call the
service at once, which enters its own unit) and ``after-read`` (each enters a unit itself and
all have read the ledger before any writes: the case where a check-then-write store oversells).

Reported per (scenario, release): attempts per worker (the mean and the largest), the retries
in all, what the lost races were (a taken ``seq``: the database's duplicate key; a deadlock; a
lock wait timeout; SQLite's busy database), and whether any round oversold or left a gap.

The stores: a fresh SQLite file; PostgreSQL (``SNAPPLAN_BENCH_POSTGRES_URL`` or
``SNAPPLAN_TEST_POSTGRES_URL``) in a fresh schema; MariaDB (``SNAPPLAN_BENCH_MARIADB_URL`` or
``SNAPPLAN_TEST_MARIADB_URL``) in a fresh database: see ``plan_bench.py``.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from plan_bench import fresh_store

SCENARIOS = {"plenty": 1, "last": 5}
RELEASES = ("start", "after-read")


def kitchen(store: Any) -> tuple[Any, Any]:
    """(plan id, mini box id) of a new event, with 24 small brownies baked."""
    from snapplan import (
        AssemblyTarget,
        Component,
        ComponentKind,
        Event,
        FinishedGood,
        FinishedUnit,
        Recipe,
        create_plan,
        record_production,
    )
    from snapplan.testing.catalog import save

    brownies = Recipe("Brownies")
    small = FinishedUnit("Small brownie", brownies.id, 24)
    mini = FinishedGood("Mini box", [Component(ComponentKind.FINISHED_UNIT, small.id, 2)])
    event = Event("Market", [], [AssemblyTarget(mini.id, 50)])
    save(store, brownies, small, mini, event)
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    record_production(store.unit_of_work(), plan, brownies.id, 1)
    return plan, mini.id


def lost_race(error: BaseException) -> str:
    """What kind of lost race a ``ConflictError`` was."""
    text = str(error)
    for mark, kind in (
        ("uq_snapplan_runs_event_seq", "seq taken"),
        ("Deadlock", "deadlock"),
        ("deadlock", "deadlock"),
        ("Lock wait timeout", "lock wait timeout"),
        ("locked", "database busy"),
    ):
        if mark in text:
            return kind
    return f"other: {text[:60]}"


def one_round(store: Any, workers: int, boxes: int, release: str) -> dict[str, Any]:
    from snapplan import ConflictError, ShortageError, plan_progress, record_assembly
    from snapplan.testing.faults import FaultyStore

    plan, mini = kitchen(store)
    barrier = threading.Barrier(workers, timeout=60)
    attempts = [0] * workers
    outcomes = [""] * workers
    races: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()

    def worker(number: int) -> None:
        waited = [False]

        def before_write(k: int, name: str) -> None:
            if release == "after-read" and not waited[0]:
                waited[0] = True
                barrier.wait()

        if release == "start":
            barrier.wait()
        try:
            while True:
                attempts[number] += 1
                uow = FaultyStore(store, on_write=before_write).unit_of_work()
                try:
                    if release == "after-read":
                        with uow:
                            record_assembly(uow, plan, mini, boxes)
                            uow.commit()
                    else:
                        record_assembly(uow, plan, mini, boxes)
                    outcomes[number] = "recorded"
                    return
                except ConflictError as error:
                    with lock:
                        races[lost_race(error)] += 1
                    if attempts[number] >= 100:
                        outcomes[number] = "gave up"
                        return
        except ShortageError:
            outcomes[number] = "shortage"

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    progress = plan_progress(store.unit_of_work(), plan)
    with store.unit_of_work() as uow:
        seqs = [run.seq for run in uow.runs.for_plan(plan)]
    recorded = outcomes.count("recorded")
    return {
        "attempts": attempts,
        "races": races,
        "recorded": recorded,
        "gave_up": outcomes.count("gave up"),
        "oversold": progress.finished_units[0].on_hand < 0,
        "gap": seqs != list(range(1, len(seqs) + 1)),
        "boxes_right": progress.goods[0].assembled == recorded * boxes,
    }


def measure(kind: str, rounds: int, workers: int) -> list[dict[str, Any]]:
    reports = []
    with (
        tempfile.TemporaryDirectory(prefix="snapplan-retries-") as folder,
        fresh_store(kind, Path(folder), 0) as store,
    ):
        for scenario, boxes in SCENARIOS.items():
            for release in RELEASES:
                started = time.perf_counter()
                results = [one_round(store, workers, boxes, release) for _ in range(rounds)]
                attempts = [a for r in results for a in r["attempts"]]
                races: collections.Counter[str] = collections.Counter()
                for r in results:
                    races.update(r["races"])
                reports.append(
                    {
                        "store": kind,
                        "scenario": scenario,
                        "release": release,
                        "rounds": rounds,
                        "workers": workers,
                        "attempts_mean": statistics.mean(attempts),
                        "attempts_max": max(attempts),
                        "retries": sum(attempts) - len(attempts),
                        "lost_races": dict(races),
                        "recorded_per_round": statistics.mean(r["recorded"] for r in results),
                        "gave_up": sum(r["gave_up"] for r in results),
                        "oversold": sum(r["oversold"] for r in results),
                        "gaps": sum(r["gap"] for r in results),
                        "wrong_totals": sum(not r["boxes_right"] for r in results),
                        "seconds_per_round": (time.perf_counter() - started) / rounds,
                    }
                )
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", choices=["sqlite", "postgres", "mariadb"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args()
    for report in measure(args.store, args.rounds, args.workers):
        if args.json:
            print(json.dumps(report))
            continue
        races = ", ".join(f"{kind} {count}" for kind, count in sorted(report["lost_races"].items()))
        print(
            f"{report['store']:8} {report['scenario']:6} {report['release']:10} "
            f"attempts mean {report['attempts_mean']:.2f} max {report['attempts_max']:2}  "
            f"retries {report['retries']:4} ({races or 'none'})  "
            f"recorded/round {report['recorded_per_round']:.1f}  gave up {report['gave_up']}  "
            f"oversold {report['oversold']}  gaps {report['gaps']}  "
            f"wrong totals {report['wrong_totals']}  {report['seconds_per_round']:.3f} s/round"
        )


if __name__ == "__main__":
    main()
