"""Fixtures for the SQL store's own tests: recording the statements an engine runs.

The SQL stores themselves (``sql_store``, ``sql_store_factory``, ``sqlite_factory``,
``postgres_factory``, ``postgres_url``) come from ``tests/conftest.py``, built on
:mod:`stores`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa


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
