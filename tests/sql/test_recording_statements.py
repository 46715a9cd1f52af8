"""Recording one run costs the same statements in a plan of any size (the performance issue's
goal 5; the rows it reads: ``tests/test_recording_reads.py``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from market import market

from snapplan import (
    add_catalog,
    create_plan,
    record_assembly,
    record_production,
    record_waste,
    void_run,
)
from snapplan.adapters.sql import SqlStore

StatementsOf = Callable[[sa.Engine, Mapping[str, Callable[[], Any]]], dict[str, list[str]]]


def recording_statements(
    store: SqlStore, count: int, statements_of: StatementsOf
) -> dict[str, list[str]]:
    """The statements of each kind of recording, for stall 0 of a market of ``count`` stalls."""
    m = market(count)
    add_catalog(store.unit_of_work(), m.items)
    plan_id = create_plan(store.unit_of_work(), m.event.id).plan_id
    runs: list[Any] = []
    return statements_of(
        store.engine,
        {
            "production": lambda: runs.append(
                record_production(
                    store.unit_of_work(), plan_id, m.recipes[0].id, 1, with_sub_recipes=True
                )
            ),
            "assembly": lambda: runs.append(
                record_assembly(store.unit_of_work(), plan_id, m.boxes[0].id, 1)
            ),
            "waste": lambda: runs.append(
                record_waste(store.unit_of_work(), plan_id, m.cookies[0].id, 1, reason="dropped")
            ),
            "void": lambda: void_run(store.unit_of_work(), runs[-1].id, reason="found it"),
        },
    )


def test_recording_a_run_costs_the_same_statements_at_5_and_at_150_stalls(
    sql_store_factory: Callable[[], SqlStore], statements_of: StatementsOf
) -> None:
    small = recording_statements(sql_store_factory(), 5, statements_of)
    large = recording_statements(sql_store_factory(), 150, statements_of)
    assert {k: len(v) for k, v in small.items()} == {k: len(v) for k, v in large.items()}
    assert small == large  # the very same statement texts
    # a handful each: the plan's event, its contents, the snapshots level by level, the
    # ledger, the latest plan, the insert (and no statement that reads a plan's targets)
    for name, statements in large.items():
        assert len(statements) <= 12, (name, statements)
        assert not any("production_targets" in s for s in statements), name
