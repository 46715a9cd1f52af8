"""Recording in the pantry or the price history costs the same statements whatever the
ledgers hold (the entries it reads: ``tests/test_pantry_recording_reads.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from snapplan import (
    Ingredient,
    Product,
    record_price,
    record_purchase,
    record_stock_count,
    record_stock_use,
)
from snapplan.adapters.sql import SqlStore
from snapplan.testing.catalog import save

Recorder = Callable[[sa.Engine], Any]
WORK = ("SELECT", "INSERT", "UPDATE", "DELETE")


def recording_statements(
    store: SqlStore, earlier: int, record_statements: Recorder
) -> dict[str, list[str]]:
    """The statements of each kind of recording once the ledgers hold ``earlier`` entries."""
    flour = Ingredient("Flour")
    bag = Product(flour.id, "Flour 1 kg bag", 1000, "g")
    save(store, flour, bag)
    for n in range(earlier):
        record_price(store.unit_of_work(), bag.id, n + 1, currency="EUR")
        record_stock_count(store.unit_of_work(), flour.id, n, "g", key=f"count-{n}")
    calls: dict[str, Callable[[], Any]] = {
        "price": lambda: record_price(store.unit_of_work(), bag.id, 3, currency="EUR"),
        "purchase": lambda: record_purchase(
            store.unit_of_work(), bag.id, 2, price=3, currency="EUR", key="b"
        ),
        "retried purchase": lambda: record_purchase(
            store.unit_of_work(), bag.id, 2, price=3, currency="EUR", key="b"
        ),
        "count": lambda: record_stock_count(store.unit_of_work(), flour.id, 1, "g", key="c"),
        "use": lambda: record_stock_use(store.unit_of_work(), flour.id, 1, "g", reason="spill"),
    }
    sent: dict[str, list[str]] = {}
    for name, call in calls.items():
        with record_statements(store.engine) as log:
            call()
        sent[name] = [s for s in log.statements if s.lstrip().upper().startswith(WORK)]
    return sent


def test_recording_costs_the_same_statements_after_3_and_after_60_entries(
    sql_store_factory: Callable[[], SqlStore], record_statements: Recorder
) -> None:
    small = recording_statements(sql_store_factory(), 3, record_statements)
    large = recording_statements(sql_store_factory(), 60, record_statements)
    assert small == large  # the very same statement texts
    # a handful each: the item or product, the last seq (and a key), the insert
    assert all(0 < len(statements) <= 8 for statements in small.values()), small
    # and none reads a ledger whole: each read of one names a key or takes the last seq only
    for name, statements in small.items():
        for statement in statements:
            text = " ".join(statement.split()).lower()
            if text.startswith("select") and _reads_a_ledger(text):
                assert "max(" in text or " where " in text, (name, statement)


def _reads_a_ledger(select: str) -> bool:
    """Whether a SELECT reads the price history or the pantry (a sub-select of a lookup
    included)."""
    return any(f"from {table}" in select for table in ("snapplan_prices", "snapplan_pantry"))
