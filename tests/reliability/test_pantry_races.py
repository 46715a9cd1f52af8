"""Concurrent purchases into one pantry, from 4 threads and from 4 processes, on a SQLite file,
PostgreSQL and MariaDB: ``seq`` without gaps in the pantry and in the price history, none lost,
and one entry per idempotency key however many writers race with it.

Each purchase has a price, so each writes two ledgers in one commit (a receipt and a quote).
Released ``"after-read"`` (see :mod:`releases`), every writer has read both ledgers before any
of them writes: all but one lose the race (``ConflictError``) and retry. On a server no writer
needs more attempts than there are writers (a lost race is always a rival's committed write).
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

from snapplan import ConflictError, Ingredient, Product, Receipt, pantry, record_purchase
from snapplan.testing.catalog import save
from snapplan.testing.faults import FaultyStore

WORKERS = 4

pytestmark = pytest.mark.slow


@pytest.fixture(params=kind_params(SQL_KINDS))
def database(request: pytest.FixtureRequest, make_database: Callable[..., Database]) -> Database:
    """An empty database with snapplan's schema, no store open on it."""
    return make_database(request.param)


def shop(database: Database) -> tuple[uuid.UUID, uuid.UUID]:
    """(flour id, its 1 kg bag's id)."""
    flour = Ingredient("Flour")
    bag = Product(flour.id, "Flour 1 kg bag", 1, "kg", preferred=True)
    with database.open() as store:
        save(store, flour, bag)
    return flour.id, bag.id


def in_threads(database: Database, release: str, **purchase: Any) -> list[tuple[str, Any]]:
    """``WORKERS`` threads on one store, each buying through units of work of its own and
    retrying lost races."""
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
                        receipt = call(release, record_purchase, faulty.unit_of_work(), **purchase)
                        outcomes[number] = ("recorded", receipt)
                        return
                    except ConflictError:
                        continue
                outcomes[number] = ("error", "lost 100 races in a row")
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
    database: Database, folder: Path, keys: list[str | None], **purchase: Any
) -> list[list[dict[str, Any]]]:
    """``WORKERS`` child processes, each its own store, buying once per key of ``keys`` (one
    round per key, every writer released after reading); the outcomes of each round."""
    request = {
        "command": "purchase", **database.request(), "release": "after-read", "keys": keys,
        **purchase,
    }  # fmt: skip
    rounds = []
    with children([request] * WORKERS, folder) as workers:
        for _ in keys:
            for worker in workers:
                assert worker.message() == {"ready": True}
            for worker in workers:
                worker.send("go")
            rounds.append([worker.message(timeout=4 * WAIT) for worker in workers])
        for worker in workers:
            assert worker.wait() == 0, worker.stderr()
    if database.path is None:
        assert max(m.get("attempts", 0) for r in rounds for m in r) <= WORKERS, rounds
    return rounds


def check_pantry(database: Database, flour: uuid.UUID, *, receipts: int) -> None:
    """``receipts`` receipts of one bag each and as many quotes, both ledgers 1, 2, 3 …"""
    with database.open() as store:
        with store.unit_of_work() as uow:
            entries = sorted(uow.pantry.all(), key=lambda e: e.seq)
            quotes = sorted(uow.prices.all(), key=lambda q: q.seq)
        line = pantry(store.unit_of_work()).item(flour)
    assert [e.seq for e in entries] == list(range(1, receipts + 1))
    assert [q.seq for q in quotes] == list(range(1, receipts + 1))
    assert all(isinstance(e, Receipt) and e.packs == 1 for e in entries)
    assert line is not None
    assert line.on_hand == 1000 * receipts


@pytest.mark.parametrize("release", ["start", "after-read"])
def test_threads_buying_at_once_lose_nothing(database: Database, release: str) -> None:
    flour, bag = shop(database)
    outcomes = in_threads(database, release, product_id=bag, packs=1, price="1.20", currency="EUR")
    assert [kind for kind, _ in outcomes] == ["recorded"] * WORKERS, outcomes
    assert sorted(receipt.seq for _, receipt in outcomes) == list(range(1, WORKERS + 1))
    check_pantry(database, flour, receipts=WORKERS)


def test_processes_buying_at_once_lose_nothing_and_one_key_writes_one_entry(
    database: Database, tmp_path: Path
) -> None:
    flour, bag = shop(database)
    unkeyed, keyed = in_processes(
        database, tmp_path, [None, "receipt-7"], product_id=str(bag), packs=1, price="1.20",
        currency="EUR",
    )  # fmt: skip
    assert [m["outcome"] for m in unkeyed + keyed] == ["recorded"] * 2 * WORKERS, (unkeyed, keyed)
    assert sorted(m["seq"] for m in unkeyed) == list(range(1, WORKERS + 1))
    assert len({m["entry_id"] for m in keyed}) == 1
    assert {m["seq"] for m in keyed} == {WORKERS + 1}
    check_pantry(database, flour, receipts=WORKERS + 1)


def test_threads_racing_one_key_write_one_entry(database: Database) -> None:
    flour, bag = shop(database)
    outcomes = in_threads(
        database, "after-read", product_id=bag, packs=1, price="1.20", currency="EUR",
        key="receipt-7",
    )  # fmt: skip
    assert [kind for kind, _ in outcomes] == ["recorded"] * WORKERS, outcomes
    assert len({receipt.id for _, receipt in outcomes}) == 1
    check_pantry(database, flour, receipts=1)
