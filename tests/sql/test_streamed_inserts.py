"""Large inserts are streamed to the driver (snapplan/adapters/sql/streaming.py): the same rows,
the same bytes, all or nothing, each row made once and no list of them built."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

from snapplan import ConflictError, Ingredient, Measure
from snapplan.adapters.sql import SqlStore, schema
from snapplan.adapters.sql import tables as sql_tables
from snapplan.adapters.sql.streaming import STREAM_FROM, StreamedRows
from snapplan.domain.plan_contents import plan_entries
from snapplan.testing.samples import planned_snapshots

WRITTEN = (schema.ingredients, schema.snapshots, schema.plans, schema.plan_contents)


def stored(connection: sa.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every column of every row of the tables written, as the database's text (``seq``, which
    a rolled-back sequence does not give back, left out)."""
    rows = {}
    for table in WRITTEN:
        columns = [c for c in table.c if c.name != "seq"]
        keys = [c.name for c in table.primary_key.columns if c.name != "seq"] or ["id"]
        statement = sa.select(*(sa.cast(c, sa.Text) for c in columns)).order_by(
            *(table.c[key] for key in keys)
        )
        rows[table.name] = [tuple(row) for row in connection.execute(statement)]
    return rows


def test_a_streamed_insert_stores_the_bytes_the_plain_one_does(
    sql_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    streamed: list[str] = []
    real = sql_tables.insert_streamed

    def spy(connection: sa.Connection, table: sa.Table, *rest: Any) -> None:
        streamed.append(table.name)
        real(connection, table, *rest)

    monkeypatch.setattr(sql_tables, "insert_streamed", spy)
    sample = planned_snapshots()
    measures = [Measure(1, "cup", "120.50", "g")]
    ingredients = [Ingredient(f"Ingredient {n}", measures=measures) for n in range(3)]

    def written(stream_from: int) -> dict[str, list[tuple[Any, ...]]]:
        monkeypatch.setattr(sql_tables, "STREAM_FROM", stream_from)
        with sql_store.unit_of_work() as uow:  # left without commit: rolled back
            uow.ingredients.add_many(ingredients)
            uow.snapshots.add_many(sample.snapshots)
            uow.plans.add(sample.plan)
            uow.plans.add_contents(sample.plan.id, plan_entries(sample.snapshots))
            return stored(uow.connection)

    plain = written(10**9)
    assert streamed == []
    every_row_streamed = written(1)
    assert sorted(streamed) == sorted(t.name for t in WRITTEN)
    assert every_row_streamed == plain
    assert len(plain["snapplan_snapshots"]) == len(sample.snapshots)
    assert len(plain["snapplan_plan_contents"]) == len(sample.snapshots)


def test_a_large_insert_is_streamed_and_reads_back(
    sql_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    streamed: list[int] = []
    real = sql_tables.insert_streamed

    def spy(connection: sa.Connection, table: sa.Table, items: Any, row: Any) -> None:
        streamed.append(len(items))
        real(connection, table, items, row)

    monkeypatch.setattr(sql_tables, "insert_streamed", spy)
    ingredients = [Ingredient(f"Ingredient {n}") for n in range(STREAM_FROM)]
    with sql_store.unit_of_work() as uow:
        uow.ingredients.add_many(ingredients)
        uow.commit()
    assert streamed == [STREAM_FROM]
    with sql_store.unit_of_work() as uow:
        assert uow.ingredients.get_many([i.id for i in ingredients]) == tuple(ingredients)


def test_a_duplicate_in_a_streamed_insert_writes_nothing(sql_store: SqlStore) -> None:
    ingredients = [Ingredient(f"Ingredient {n}") for n in range(STREAM_FROM)]
    stored_first = Ingredient("Stored first")
    with sql_store.unit_of_work() as uow:
        uow.ingredients.add(stored_first)
        uow.commit()
    clash = attrs.evolve(stored_first, name="Same id")
    for batch in ([*ingredients, clash], [*ingredients, attrs.evolve(ingredients[7], name="X")]):
        with sql_store.unit_of_work() as uow:
            with pytest.raises(ConflictError):
                uow.ingredients.add_many(batch)
            assert uow.ingredients.count() == 1  # the unit goes on, nothing of the batch in it
            uow.ingredients.add(Ingredient("After"))
            uow.commit()
        with sql_store.unit_of_work() as uow:
            assert {i.name for i in uow.ingredients.all()} >= {"Stored first", "After"}
            assert uow.ingredients.find_many([i.id for i in ingredients]) == {}
            uow.ingredients.remove(next(i.id for i in uow.ingredients.all() if i.name == "After"))
            uow.commit()


def test_streamed_rows_are_made_once_each_when_read_and_never_kept() -> None:
    made: list[int] = []

    def encode(item: int) -> tuple[int]:
        made.append(item)
        return (item * 10,)

    rows = StreamedRows(list(range(5)), encode)
    assert len(rows) == 5
    assert rows
    assert list.__len__(rows) == 0  # its own storage: empty
    assert made == []  # nothing made before it is read
    iterator = iter(rows)
    assert next(iterator) == (0,)
    assert made == [0]
    assert list(iterator) == [(10,), (20,), (30,), (40,)]
    assert made == [0, 1, 2, 3, 4]
    assert rows[2] == (20,)
    assert rows[-1] == (40,)
    assert rows[:2] == [(0,), (10,)]
    assert rows[-2:] == [(30,), (40,)]
    assert repr(rows) == "<5 rows, streamed>"
    assert not StreamedRows([], encode)


def test_nothing_to_insert_sends_nothing(
    sql_store: SqlStore, record_statements: Callable[[sa.Engine], Any]
) -> None:
    with sql_store.unit_of_work() as uow:
        uow.ingredients.count()
        with record_statements(sql_store.engine) as log:
            sql_tables.insert_streamed(uow.connection, schema.ingredients, [], dict)
        assert log.statements == []
