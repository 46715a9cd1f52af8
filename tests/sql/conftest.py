"""Fixtures for the SQL store's own tests: fresh SQL stores on SQLite and on PostgreSQL.

``sql_store_factory`` is parametrised over ``sqlite`` (a temporary file) and ``postgres`` (a
fresh schema on the server named by ``SNAPPLAN_TEST_POSTGRES_URL``; skipped, saying why, when
it is not set).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from snapplan.adapters.sql import SqlStore

POSTGRES_URL = os.environ.get("SNAPPLAN_TEST_POSTGRES_URL")
NO_POSTGRES = "SNAPPLAN_TEST_POSTGRES_URL is not set; PostgreSQL tests need a server URL"

SqlStoreFactory = Callable[..., SqlStore]


@pytest.fixture
def postgres_url() -> str:
    """The test server's URL (the test is skipped when none is configured)."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    return POSTGRES_URL


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
    admin = sa.create_engine(postgres_url)
    made: list[tuple[str, SqlStore]] = []

    def make(*, options: str = "", **engine_kwargs: Any) -> SqlStore:
        schema = f"snapplan_sqltest_{uuid.uuid4().hex[:12]}"
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        store = SqlStore.from_url(
            postgres_url,
            connect_args={"options": f"-csearch_path={schema} {options}".strip()},
            **engine_kwargs,
        )
        made.append((schema, store))
        store.create_schema()
        return store

    yield make
    for schema, store in made:
        store.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


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
