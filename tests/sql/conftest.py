"""Fixtures for the SQL store's own tests: fresh SQL stores on SQLite and on PostgreSQL.

``sql_store_factory`` is parametrised over ``sqlite`` (a temporary file) and ``postgres`` (a
fresh schema on the server named by ``SNAPPLAN_TEST_POSTGRES_URL``; skipped, saying why, when
it is not set).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from postgres_schemas import fresh_schema, search_path
from postgres_schemas import postgres_url as server_url

from snapplan.adapters.sql import SqlStore

SqlStoreFactory = Callable[..., SqlStore]


@pytest.fixture
def postgres_url() -> str:
    """The test server's URL (the test is skipped when none is configured)."""
    return server_url()


@pytest.fixture
def sqlite_factory(tmp_path: Path) -> Iterator[SqlStoreFactory]:
    """Makes SQL stores on fresh SQLite files (extra keywords go to ``create_engine``)."""
    stores: list[SqlStore] = []

    def make(**engine_kwargs: Any) -> SqlStore:
        store = SqlStore.from_url(
            f"sqlite:///{tmp_path / f'store-{len(stores)}.sqlite'}", **engine_kwargs
        )
        store.create_schema()
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.dispose()


@pytest.fixture
def postgres_factory(postgres_url: str) -> Iterator[SqlStoreFactory]:
    """Makes SQL stores, each in a fresh schema of the test server (``options``: more ``-c``)."""
    with ExitStack() as made:

        def make(*, options: str = "", **engine_kwargs: Any) -> SqlStore:
            schema = made.enter_context(fresh_schema("snapplan_sqltest"))
            store = SqlStore.from_url(
                postgres_url, connect_args=search_path(schema, options), **engine_kwargs
            )
            made.callback(store.dispose)  # runs before its schema is dropped
            store.create_schema()
            return store

        yield make


@pytest.fixture(params=["sqlite", "postgres"])
def sql_store_factory(request: pytest.FixtureRequest) -> SqlStoreFactory:
    """Makes fresh, empty SQL stores of the parametrised engine."""
    factory: SqlStoreFactory = request.getfixturevalue(f"{request.param}_factory")
    return factory


@pytest.fixture
def sql_store(sql_store_factory: SqlStoreFactory) -> SqlStore:
    """One fresh, empty SQL store on each engine."""
    return sql_store_factory()


class StatementLog:
    """The SQL statements an engine sent to the database while recording."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@contextmanager
def recorded_statements(engine: sa.Engine) -> Iterator[StatementLog]:
    """Record every statement (``before_cursor_execute``) the engine runs inside the block."""
    log = StatementLog()

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        log.statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def record_statements() -> Callable[[sa.Engine], Any]:
    """``with record_statements(engine) as log:`` records the statements run in the block."""
    return recorded_statements
