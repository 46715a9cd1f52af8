"""Recording in the pantry or the price history reads one entry, never the whole ledger: the
next ``seq`` is ``last_seq() + 1`` and a retried key is ``with_key`` (one lookup each), so an
entry costs the same in a pantry of years (statements: ``tests/sql/test_pantry_statements.py``).

A spy on the shared ledger repositories counts the entries they hand out while recording.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from stocked_pantry import stocked

from snapplan import (
    KeyReusedError,
    record_price,
    record_purchase,
    record_stock_count,
    record_stock_use,
    void_pantry_entry,
)
from snapplan.adapters.base.repositories import LedgerRecords

#: Entries in the ledgers before the recording under test.
EARLIER = 40


@pytest.fixture
def handed_out(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every entry a ledger repository hands out (``all``, ``get``, ``with_key`` ...)."""
    seen: list[Any] = []
    for name in ("all", "get_many", "find_many", "with_key"):
        real = getattr(LedgerRecords, name)

        def spy(self: Any, *args: Any, _real: Callable[..., Any] = real) -> Any:
            found = _real(self, *args)
            if isinstance(found, dict):
                seen.extend(found.values())
            elif isinstance(found, tuple):
                seen.extend(found)
            elif found is not None:
                seen.append(found)
            return found

        monkeypatch.setattr(LedgerRecords, name, spy)
    return seen


def test_recording_reads_no_earlier_entry(store: Any, handed_out: list[Any]) -> None:
    bag = stocked(store, EARLIER)
    handed_out.clear()
    record_price(store.unit_of_work(), bag.id, "4.20", currency="EUR")
    receipt = record_purchase(
        store.unit_of_work(), bag.id, 2, price="4.10", currency="EUR", key="buy-1"
    )
    record_stock_count(store.unit_of_work(), bag.item_id, 500, "g", key="count-new")
    use = record_stock_use(store.unit_of_work(), bag.item_id, 20, "g", reason="a spill")
    assert handed_out == []
    # a retry reads the one entry its key names, and writes nothing
    again = record_purchase(
        store.unit_of_work(), bag.id, 2, price="4.10", currency="EUR", key="buy-1"
    )
    assert again == receipt
    assert handed_out == [receipt]
    handed_out.clear()
    with pytest.raises(KeyReusedError, match="count-3"):
        record_stock_count(store.unit_of_work(), bag.item_id, 1, "g", key="count-3")
    assert len(handed_out) == 1
    with store.unit_of_work() as uow:
        assert uow.pantry.last_seq() == EARLIER + 3
        assert uow.prices.last_seq() == EARLIER + 2
        assert uow.pantry.count() == EARLIER + 3
    # voiding, a rare correction, still reads the whole ledger
    handed_out.clear()
    void_pantry_entry(store.unit_of_work(), use.seq, reason="counted twice")
    assert len(handed_out) == EARLIER + 3
