"""Recording in the pantry or the price history costs the same statements whatever the
ledgers hold (the entries it reads: ``tests/test_pantry_recording_reads.py``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from stocked_pantry import stocked

from snapplan import (
    record_price,
    record_purchase,
    record_stock_count,
    record_stock_use,
)
from snapplan.adapters.sql import SqlStore

StatementsOf = Callable[[sa.Engine, Mapping[str, Callable[[], Any]]], dict[str, list[str]]]


def recording_statements(
    store: SqlStore, earlier: int, statements_of: StatementsOf
) -> dict[str, list[str]]:
    """The statements of each kind of recording once the ledgers hold ``earlier`` entries."""
    bag = stocked(store, earlier)
    flour = bag.item_id

    def purchase() -> Any:
        return record_purchase(store.unit_of_work(), bag.id, 2, price=3, currency="EUR", key="b")

    return statements_of(
        store.engine,
        {
            "price": lambda: record_price(store.unit_of_work(), bag.id, 3, currency="EUR"),
            "purchase": purchase,
            "retried purchase": purchase,
            "count": lambda: record_stock_count(store.unit_of_work(), flour, 1, "g", key="c"),
            "use": lambda: record_stock_use(store.unit_of_work(), flour, 1, "g", reason="spill"),
        },
    )


def test_recording_costs_the_same_statements_after_3_and_after_60_entries(
    sql_store_factory: Callable[[], SqlStore], statements_of: StatementsOf
) -> None:
    small = recording_statements(sql_store_factory(), 3, statements_of)
    large = recording_statements(sql_store_factory(), 60, statements_of)
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
