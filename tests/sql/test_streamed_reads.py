"""A large bulk read on PostgreSQL comes through a server-side cursor (``stream_results``), a
bounded buffer of rows at a time, and reads back what was written; the other engines' drivers
keep their ordinary cursor (SQLite's already steps through the rows)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from snapplan import Ingredient
from snapplan.adapters.sql import SqlStore
from snapplan.adapters.sql.streaming import STREAM_FROM


def test_a_large_read_streams_on_postgresql_only(sql_store: SqlStore) -> None:
    ingredients = [Ingredient(f"Ingredient {n}") for n in range(STREAM_FROM + 1)]
    with sql_store.unit_of_work() as uow:
        uow.ingredients.add_many(ingredients)
        uow.commit()
    streamed: list[bool] = []

    def note(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            streamed.append(bool(rest[1].execution_options.get("stream_results")))

    sa.event.listen(sql_store.engine, "before_cursor_execute", note)
    try:
        with sql_store.unit_of_work() as uow:
            found = uow.ingredients.get_many([i.id for i in ingredients])
            few = uow.ingredients.get_many([i.id for i in ingredients[:3]])
    finally:
        sa.event.remove(sql_store.engine, "before_cursor_execute", note)
    assert found == tuple(ingredients)
    assert few == tuple(ingredients[:3])
    on_postgresql = sql_store.engine.dialect.name == "postgresql"
    assert streamed == [on_postgresql, False]  # one statement each; only the large one streams
